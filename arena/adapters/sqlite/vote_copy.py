"""The column copy of the countable votes, kept beside the SQLite file for snapshots.

A snapshot reads every vote that counts. Reading them row by row through Python's sqlite3 costs
~3 µs a vote (10M votes: 40 s), more than the whole `GROUP BY` the issue measures against. But a
stored vote never changes (only a schema migration rewrites votes), and what decides whether it
counts is split in two (schema 13): `countable_votes`, fixed when the vote is stored, and
`held_votes`, the few ids a quarantine keeps out now. So the countable votes are copied once
into numpy files, in segments (`<database>.vote-copy/`, a folder of `.npy` files each, listed
in `copy.json`), each in cast order (vote time in ms, then battle id by code point) and cast
after the one before. A snapshot first copies the votes stored since (new segments), then reads
the segments a million votes at a time (each file mapped only while a batch is copied out of
it), leaving out the ids held at that moment.

A segment is read from SQLite a range of ids at a time, each column folded into one text value
by `group_concat` (SQLite's C does the per-row work; Python parses a value a column). Text that
repeats (verdicts, voters, languages) is kept as codes into its distinct values.

The copy is a cache: it is checked against the database (its format, the schema version, each
segment's files, and the battle of each segment's last vote) and made again when it does not
match or cannot be read. A segment is written whole under another name, then renamed; one
process at a time reads or changes the copy (a lock file). Nothing else reads it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from arena.domain.verdicts import Verdict
from arena.ports import Coded, Lines, VoteBatch, VotePairs

RANGE = 200_000  # vote ids read from SQLite per query
SEGMENT = 2_000_000  # vote ids read from SQLite into one segment at most
SMALL, MAX_SMALL = 200_000, 8  # more small segments than this at the end are made one
BATCH = 1_000_000  # votes per VoteBatch handed to the snapshot
MANIFEST = "copy.json"
LOCK = "lock"  # held by the process reading or changing the copy
FORMAT = 1  # of the copy's files; a copy of another format is made again
NO_STYLE = -1  # a style row of an unmeasured vote

# One row per range of ids: every column folded by group_concat, in rowid order (one scan).
# Text columns are joined with line feeds (a vote with one in its text is refused: the vote-set
# hash cannot hold it either); numbers with commas. COALESCE keeps every row in each column.
_RANGE_SQL = (
    "SELECT count(*), group_concat(v.id), group_concat(v.battle_id, char(10)), "
    "group_concat(v.model_a_id * 4294967296 + v.model_b_id), group_concat(v.verdict, char(10)), "
    "group_concat(v.voter_id, char(10)), "
    # (SQLite gives << and | one precedence: sums of multiples say what they mean)
    "group_concat(COALESCE(v.source LIKE 'import:%', 0) + 2 * COALESCE(v.is_coding, 0) "
    "+ 4 * COALESCE(v.is_long_query, 0) + 8 * COALESCE(v.is_multi_turn, 0) "
    "+ 16 * COALESCE(v.turns, 0)), "
    "group_concat(COALESCE(NULLIF(v.language, ''), 'other'), char(10)), "
    "group_concat(CAST(round((julianday(v.created_at) - 2440587.5) * 86400000.0) AS INTEGER)), "
    "count(v.style_a), count(v.style_b) "
    "FROM countable_votes v WHERE v.id > ? AND v.id <= ?"
)
_STYLE_SQL = (
    "SELECT group_concat(COALESCE(v.style_a, ''), char(10)), "
    "group_concat(COALESCE(v.style_b, ''), char(10)) "
    "FROM countable_votes v WHERE v.id > ? AND v.id <= ?"
)


class VoteCopy:
    """The copy of one database's countable votes, in `folder`: segments in cast order, each
    segment's votes cast after the previous segment's."""

    def __init__(self, folder: Path, schema: int):
        self.folder = folder
        self.schema = schema
        self._segments: dict[str, _Segment] = {}  # file -> its reader (values decoded once)

    def _segment(self, entry: dict) -> _Segment:
        if entry["file"] not in self._segments:
            self._segments[entry["file"]] = _Segment(self.folder / entry["file"])
        return self._segments[entry["file"]]

    def batches(self, conn: sqlite3.Connection) -> Iterator[VoteBatch]:
        """Every vote that counts now, in cast order, as VoteBatches of columns, read from the
        segments a batch at a time. `conn` is read in one transaction, so that the segments, the
        new votes and the held ids agree. One process at a time reads or changes the copy."""
        with self._locked():
            manifest, held, models = self._now(conn)
            tables = self._tables(manifest["segments"])
            for entry in manifest["segments"]:
                for at in range(0, entry["votes"], BATCH):
                    columns = self._segment(entry).read(at, min(at + BATCH, entry["votes"]), tables)
                    if len(held):
                        keep = ~np.isin(columns["vote_id"], held)
                        if not keep.all():
                            columns = _taken(columns, np.flatnonzero(keep))
                    if len(columns["vote_id"]):
                        yield _batch(columns, models)

    def pairs(self, conn: sqlite3.Connection) -> VotePairs:
        """Every vote that counts now, in cast order, as VotePairs (what the live board replays):
        the pair and verdict files of each segment, the held ids left out. Nothing but the votes
        stored since the last refresh is read from SQLite. One process at a time."""
        with self._locked():
            manifest, held, models = self._now(conn)
            words = {v.value: k for k, v in enumerate(Verdict)}
            code = np.array([words[v] for v in self._tables(manifest["segments"])["verdict"]]
                            or [0], np.int8)  # fmt: skip
            pair, verdict = [np.zeros(0, np.int64)], [np.zeros(0, np.int8)]
            for entry in manifest["segments"]:
                files = self._segment(entry).pairs()
                keep = ~np.isin(files["vote_id"], held) if len(held) else slice(None)
                pair.append(files["pair"][keep])
                verdict.append(code[files["verdict_codes"][keep]])
        pairs = np.concatenate(pair)
        return VotePairs(model_a=pairs >> 32, model_b=pairs & 0xFFFFFFFF,
                         verdict=np.concatenate(verdict), models=models)  # fmt: skip

    def _now(self, conn: sqlite3.Connection) -> tuple[dict, np.ndarray, dict[int, str]]:
        """The manifest brought up to date, the ids held now (sorted) and the models' names,
        read in one transaction so that they agree. The caller holds the lock."""
        conn.execute("BEGIN")
        try:
            manifest = self._refreshed(conn)
            held = np.fromiter((r[0] for r in conn.execute("SELECT id FROM held_votes")),
                               np.int64)  # fmt: skip
            models = dict(conn.execute("SELECT id, name FROM models").fetchall())
        finally:
            conn.execute("COMMIT")
        held.sort()
        return manifest, held, models

    def refresh(self, conn: sqlite3.Connection, stored: Stored | None = None) -> None:
        """Bring the copy up to date now (after an import: the next snapshot then reads only
        the copy). The votes `stored` are taken from it, not read again."""
        with self._locked():
            conn.execute("BEGIN")
            try:
                self._refreshed(conn, stored)
            finally:
                conn.execute("COMMIT")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- the segments ------------------------------------------------------------------------
    def _refreshed(self, conn: sqlite3.Connection, stored: Stored | None = None) -> dict:
        """The manifest, checked against the database, with the votes stored since the copy was
        last brought up to date added: SEGMENT ids at a time, each its own segment (what a
        refresh holds in memory is one segment). Votes cast before the copy's end (older
        battles imported) make all the segments one again; more than MAX_SMALL small segments
        at the end (one per snapshot of a live arena) are made one."""
        manifest = self._manifest(conn)
        copied = manifest["upto"]
        newest = conn.execute("SELECT coalesce(max(id), 0) FROM votes").fetchone()[0]
        if newest <= copied:
            return manifest
        segments = list(manifest["segments"])
        index = {k: {v: i for i, v in enumerate(table)}  # carried on from segment to segment
                 for k, table in self._tables(segments).items()}  # fmt: skip

        def read(low: int, high: int) -> dict:
            if stored is None:
                return read_range(conn, low, high, index)
            first, last = stored.after, stored.after + len(stored)
            parts = [
                read_range(conn, low, min(high, first), index) if low < first else None,
                stored.read(max(low, first), min(high, last), index)
                if max(low, first) < min(high, last)
                else None,
                read_range(conn, max(low, last), high, index) if last < high else None,
            ]
            return _merged([p for p in parts if p is not None])

        for low in range(copied, newest, SEGMENT):
            fresh = _in_cast_order(read(low, min(low + SEGMENT, newest)))
            if not len(fresh["vote_id"]):
                continue
            if segments and (int(fresh["voted_ms"][0]), fresh["battle_id"][0]) <= tuple(
                segments[-1]["end"]
            ):
                rest = read(min(low + SEGMENT, newest), newest)
                whole = _merged([*(self._read(e) for e in segments), fresh, rest])
                segments = [self._save(_in_cast_order(whole), conn)]
                break
            segments.append(self._save(fresh, conn))
        small = 0
        while small < len(segments) and segments[-1 - small]["votes"] < SMALL:
            small += 1
        if small > MAX_SMALL:  # adjacent and in cast order: joined end to end
            tail = _merged([self._read(e) for e in segments[-small:]])
            segments[-small:] = [self._save(tail, conn)]
        manifest["segments"] = segments
        manifest["upto"], manifest["upto_battle"] = newest, _battle_of(conn, newest)
        self._write_manifest(manifest)
        kept = {e["file"] for e in segments}
        for old in self.folder.glob("votes-*"):
            if old.name not in kept:
                shutil.rmtree(old, ignore_errors=True)
        return manifest

    def _read(self, entry: dict) -> dict:
        return self._segment(entry).read(0, entry["votes"])

    def _tables(self, segments: list[dict]) -> dict[str, tuple[str, ...]]:
        """The coded columns' tables of values, one for every segment: each segment's codes
        index the start of the last segment's table (a new segment's table carries on the one
        before it), so that a voter is worked out once however many segments hold its votes."""
        last = self._segment(segments[-1]) if segments else None
        return {k: last.values(k) if last else () for k in CODED}

    def _manifest(self, conn: sqlite3.Connection) -> dict:
        """The manifest if it matches the database (its schema; each segment's last vote still
        the same battle), else an empty one, the old files removed."""
        try:
            manifest = json.loads((self.folder / MANIFEST).read_text())
            if (manifest["format"], manifest["schema"]) != (FORMAT, self.schema):
                raise ValueError("another format or schema")
            marks = [(manifest["upto"], manifest["upto_battle"])] if manifest["upto"] else []
            tables = self._tables(manifest["segments"])
            for entry in manifest["segments"]:
                marks.append((entry["last_id"], entry["last_battle"]))
                segment = self._segment(entry)
                segment.check(entry["votes"])
                for k in CODED:
                    own = segment.values(k)
                    if tables[k][: len(own)] != own:
                        raise ValueError(f"{entry['file']}: its {k} values are not shared")
            if any(_battle_of(conn, vote_id) != battle for vote_id, battle in marks):
                raise ValueError("another database")
            return manifest
        except (OSError, ValueError, KeyError, TypeError):
            return self._cleared()

    def _cleared(self) -> dict:
        """An empty manifest, every segment removed."""
        self._segments.clear()
        for stale in self.folder.glob("*"):
            if stale.name not in (MANIFEST, LOCK):
                shutil.rmtree(stale) if stale.is_dir() else stale.unlink(missing_ok=True)
        return self._empty()

    def _empty(self) -> dict:
        return {"format": FORMAT, "schema": self.schema, "upto": 0, "upto_battle": None,
                "segments": []}  # fmt: skip

    def _save(self, columns: dict, conn: sqlite3.Connection) -> dict:
        """Write a segment (its votes in cast order), a folder of .npy files made whole under
        another name, then renamed; its manifest entry."""
        self.folder.mkdir(parents=True, exist_ok=True)
        ids = columns["vote_id"]
        name = f"votes-{int(ids.min()):012d}-{int(ids.max()):012d}-{len(ids)}"
        temporary = Path(tempfile.mkdtemp(dir=self.folder, prefix=".new-"))
        for key, array in _packed(columns).items():
            np.save(temporary / f"{key}.npy", np.asarray(array))
        shutil.rmtree(self.folder / name, ignore_errors=True)
        os.replace(temporary, self.folder / name)
        last_id = int(ids.max())
        end = [int(columns["voted_ms"][-1]), columns["battle_id"][len(ids) - 1]]
        return {"file": name, "votes": len(ids), "last_id": last_id,
                "last_battle": _battle_of(conn, last_id), "end": end}  # fmt: skip

    def _write_manifest(self, manifest: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w") as out:
            json.dump(manifest, out)
        os.replace(temporary, self.folder / MANIFEST)


def _battle_of(conn: sqlite3.Connection, vote_id: int) -> str | None:
    row = conn.execute("SELECT battle_id FROM votes WHERE id = ?", [vote_id]).fetchone()
    return row[0] if row else None


class _Segment:
    """One segment's files, read a range of votes at a time (each file mapped only while a
    range is copied out of it, so that what a snapshot holds stays one batch)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._values: dict[str, tuple[str, ...]] = {}

    def check(self, votes: int) -> None:
        """ValueError unless every file is there and holds `votes` rows."""
        for key in (*ARRAYS, "battle_ends", *(f"{k}_codes" for k in CODED)):
            if len(self._array(key)) != votes:
                raise ValueError(f"{self.folder.name}: {key} is not whole")

    def _array(self, key: str) -> np.ndarray:
        return np.load(self.folder / f"{key}.npy", mmap_mode="r")

    def pairs(self) -> dict[str, np.ndarray]:
        """Every vote's id, pair and verdict code: what the live board's replay needs."""
        return {k: np.array(self._array(k)) for k in ("vote_id", "pair", "verdict_codes")}

    def read(self, start: int, stop: int, tables: dict[str, tuple[str, ...]] | None = None) -> dict:
        """Votes start to stop; coded columns index `tables` (of which this segment's own are
        the start) when given."""
        out = {k: np.array(self._array(k)[start:stop]) for k in ARRAYS}
        for k in STYLES:
            path = self.folder / f"{k}.npy"
            out[k] = np.array(np.load(path, mmap_mode="r")[start:stop]) if path.exists() else None
        ends = self._array("battle_ends")
        first = int(ends[start - 1]) if start else 0
        last = int(ends[stop - 1]) if stop > start else first
        out["battle_id"] = Lines(np.array(self._array("battle_data")[first:last]),
                                 np.array(ends[start:stop]) - first)  # fmt: skip
        for k in CODED:
            values = tables[k] if tables else self.values(k)
            out[k] = Coded(np.array(self._array(f"{k}_codes")[start:stop]), values)
        return out

    def values(self, k: str) -> tuple[str, ...]:
        """The table of distinct values a coded column's codes index (read once)."""
        if k not in self._values:
            lines = Lines(np.array(self._array(f"{k}_data")), np.array(self._array(f"{k}_ends")))
            self._values[k] = tuple(lines.tobytes().decode("utf-8").split("\n")[:-1])
        return self._values[k]


# -- votes just stored --------------------------------------------------------------------------
@dataclass(frozen=True)
class Stored:
    """Votes just stored under the ids after+1 to after+n, as their import held them in memory
    (entry i of each column is vote after+1+i), with `read_range`'s meaning: a refresh takes
    them from here instead of reading them back (1M votes: 2.4 s through SQLite)."""

    after: int
    countable: np.ndarray  # bool: counted and anonymous
    battle_id: Sequence[str]
    pair: np.ndarray  # int64: model_a_id * 2**32 + model_b_id
    verdict: Coded
    voter: Coded
    small: np.ndarray  # int64: imported + 2 coding + 4 long query + 8 multi-turn + 16 turns
    language: Coded
    voted_ms: np.ndarray  # int64
    style_a: Sequence[Sequence[int] | None] | None
    style_b: Sequence[Sequence[int] | None] | None

    def __len__(self) -> int:
        return len(self.countable)

    def read(self, low: int, high: int, index: dict[str, dict[str, int]]) -> dict:
        """The countable votes with ids in (low, high], which this holds, as `read_range`
        gives them."""
        start, stop = low - self.after, high - self.after
        rows = start + np.flatnonzero(self.countable[start:stop])
        if len(rows) == 0:
            return _no_votes()
        every = len(rows) == stop - start

        def picked(values: Sequence) -> list:
            return list(values[start:stop]) if every else [values[k] for k in rows.tolist()]

        out = {"vote_id": rows + self.after + 1, "pair": self.pair[rows],
               "small": self.small[rows], "voted_ms": self.voted_ms[rows],
               "battle_id": Lines.of(picked(self.battle_id))}  # fmt: skip
        for k, column in (("verdict", self.verdict), ("voter", self.voter),
                          ("language", self.language)):  # fmt: skip
            codes = column.codes[start:stop] if every else column.codes[rows]
            out[k] = Coded(_codes(Coded(codes, column.values), index[k]), tuple(index[k]))
        if self.style_a is None and self.style_b is None:  # none measured: the common case
            return out | dict.fromkeys(STYLES)
        chosen = {
            k: [None] * len(rows) if styles is None else picked(styles)
            for k, styles in (("style_a", self.style_a), ("style_b", self.style_b))
        }
        measured = {k: [i for i, style in enumerate(v) if style is not None]
                    for k, v in chosen.items()}  # fmt: skip
        for k in STYLES:  # as `read_range`: both columns, or neither when no vote was measured
            out[k] = None
            if measured["style_a"] or measured["style_b"]:
                out[k] = np.full((len(rows), 4), NO_STYLE, np.int64)
                if measured[k]:
                    out[k][measured[k]] = np.asarray([chosen[k][i] for i in measured[k]],
                                                     np.int64)  # fmt: skip
        return out


# -- reading SQLite ----------------------------------------------------------------------------
def read_range(
    conn: sqlite3.Connection, after: int, upto: int, index: dict[str, dict[str, int]] | None = None
) -> dict:
    """The countable votes with ids in (after, upto], in id order, as columns. The coded
    columns' codes come from `index` (value -> code per column), which new values extend."""
    parts: list[dict] = []
    index = index if index is not None else {k: {} for k in CODED}
    for low in range(after, upto, RANGE):
        high = min(low + RANGE, upto)
        row = conn.execute(_RANGE_SQL, [low, high]).fetchone()
        n = row[0]
        if n == 0:
            continue
        _, ids, battles, pairs, verdicts, voters, small, languages, ms, styled_a, styled_b = row
        text = {"battle_id": battles, "verdict": verdicts, "voter_id": voters,
                "language": languages}  # fmt: skip
        for name, value in text.items():
            if value.count("\n") != n - 1:  # a value holds one: the lines would not line up
                raise ValueError(
                    f"a {name} of the votes with ids {low + 1} to {high} holds a line break: "
                    "a snapshot's vote-set hash cannot hold it"
                )
        part = {
            "vote_id": _integers(ids, n), "battle_id": Lines.parse(battles + "\n", n),
            "pair": _integers(pairs, n), "verdict": _codes(verdicts.split("\n"), index["verdict"]),
            "voter": _codes(voters.split("\n"), index["voter"]), "small": _integers(small, n),
            "language": _codes(languages.split("\n"), index["language"]),
            "voted_ms": _integers(ms, n),
        }  # fmt: skip
        if styled_a or styled_b:
            text_a, text_b = conn.execute(_STYLE_SQL, [low, high]).fetchone()
            part["style_a"], part["style_b"] = _style(text_a, n), _style(text_b, n)
        else:  # no vote of the range was measured (imported without conversations)
            part["style_a"] = part["style_b"] = None
        parts.append(part)
    if not parts:
        return _no_votes()
    for part in parts:  # one table of values per column: merging then only joins the codes
        for k in CODED:
            part[k] = Coded(part[k], tuple(index[k]))
    return _merged(parts)


def _integers(text: str, n: int) -> np.ndarray:
    values = np.fromstring(text, dtype=np.int64, sep=",") if n else np.zeros(0, np.int64)
    if len(values) != n:
        raise ValueError("a vote column has a missing value")
    return values


def _codes(values: Sequence[str], index: dict[str, int]) -> np.ndarray:
    """Codes of `values` into `index`, new values added to it: values of at most 8 bytes
    (verdicts, languages) in the order of their bytes read as a little-endian 64-bit number, as
    the copy has always numbered them; longer ones (voters) in order of appearance. Coded
    values are looked up once each (a voter's millions of entries share one look-up)."""
    coded = values if isinstance(values, Coded) else None
    distinct = list(dict.fromkeys(coded.first_seen() if coded else values))
    encoded = [value.encode("utf-8") for value in distinct]
    if all(len(b) <= 8 for b in encoded):
        order = [int.from_bytes(b.ljust(8, b"\0"), "little") for b in encoded]
        distinct = [value for _, value in sorted(zip(order, distinct, strict=True))]
    for value in distinct:
        index.setdefault(value, len(index))
    if coded:  # a value no entry holds is given any code
        table = [index.get(value, 0) for value in coded.values]
        return np.array(table or [0], np.int32)[coded.codes]
    return np.fromiter(map(index.__getitem__, values), np.int32, len(values))


def _style(text: str, n: int) -> np.ndarray:
    """[n, 4] style features from JSON lines ('' for an unmeasured vote: NO_STYLE)."""
    lines = text.split("\n")
    if len(lines) != n:
        raise ValueError("a vote's style holds a line break")
    out = np.full((n, 4), NO_STYLE, np.int64)
    measured = [k for k, line in enumerate(lines) if line]
    if measured:
        values = json.loads("[" + ",".join(lines[k] for k in measured) + "]")
        out[measured] = np.asarray(values, dtype=np.int64).reshape(len(measured), 4)
    return out


# -- columns: merge, take, store ---------------------------------------------------------------
ARRAYS = ("vote_id", "pair", "small", "voted_ms")
STYLES = ("style_a", "style_b")  # [n, 4] int64, or None: no vote measured
CODED = ("verdict", "voter", "language")


def _no_votes() -> dict:
    empty = {k: np.zeros(0, np.int64) for k in ARRAYS} | dict.fromkeys(STYLES)
    return empty | {"battle_id": Lines.of([])} | {k: Coded.of([]) for k in CODED}


def _merged(parts: list[dict]) -> dict:
    """The parts' columns end to end; coded columns recoded into one table of values."""
    if not parts:
        return _no_votes()
    if len(parts) == 1:
        return parts[0]
    out = {k: np.concatenate([p[k] for p in parts]) for k in ARRAYS}
    for k in STYLES:
        out[k] = None if all(p[k] is None for p in parts) else np.concatenate([
            np.full((len(p["vote_id"]), 4), NO_STYLE, np.int64) if p[k] is None else p[k]
            for p in parts
        ])  # fmt: skip
    data = [p["battle_id"].data[: int(p["battle_id"].ends[-1]) if len(p["battle_id"]) else 0]
            for p in parts]  # fmt: skip
    offsets = np.cumsum([0] + [len(d) for d in data[:-1]])
    out["battle_id"] = Lines(
        np.concatenate(data),
        np.concatenate([p["battle_id"].ends + o for p, o in zip(parts, offsets, strict=True)]),
    )
    for k in CODED:
        if all(p[k].values == parts[0][k].values for p in parts):  # one table: join the codes
            out[k] = Coded(np.concatenate([p[k].codes for p in parts]), parts[0][k].values)
            continue
        index: dict[str, int] = {}
        codes = []
        for p in parts:
            table = np.array([index.setdefault(v, len(index)) for v in p[k].values] or [0],
                             dtype=np.int32)  # fmt: skip
            codes.append(table[p[k].codes])
        out[k] = Coded(np.concatenate(codes), tuple(index))
    return out


def _taken(columns: dict, order: np.ndarray) -> dict:
    out = {k: columns[k][order] for k in ARRAYS}
    out |= {k: None if columns[k] is None else columns[k][order] for k in STYLES}
    out["battle_id"] = columns["battle_id"].take(order)
    for k in CODED:
        out[k] = Coded(columns[k].codes[order], columns[k].values)
    return out


def _in_cast_order(columns: dict) -> dict:
    order = _cast_order(columns["voted_ms"], columns["battle_id"])
    return columns if order is None else _taken(columns, order)


def _cast_order(ms: np.ndarray, battle_ids: Lines) -> np.ndarray | None:
    """The order that puts votes in cast order (time in ms, then battle id by code point, which
    is UTF-8's byte order); None when they already are."""
    step = np.diff(ms)
    if not (step < 0).any() and battle_ids.in_order(np.flatnonzero(step == 0)):
        return None
    order = np.argsort(ms, kind="stable")
    ms = ms[order]
    same = np.flatnonzero(ms[1:] == ms[:-1])
    if len(same) == 0:
        return order
    # the votes in runs of one millisecond, sorted by (ms, battle id)
    runs = np.unique(np.concatenate([same, same + 1]))
    rank = np.unique(battle_ids.fixed(order[runs]), return_inverse=True)[1]
    order[runs] = order[runs][np.lexsort((rank, ms[runs]))]
    return order


def _packed(columns: dict) -> dict[str, np.ndarray]:
    """The columns as named arrays for np.savez (coded values as Lines data and ends)."""
    out = {k: columns[k] for k in ARRAYS}
    out |= {k: columns[k] for k in STYLES if columns[k] is not None}
    out["battle_data"], out["battle_ends"] = columns["battle_id"].data, columns["battle_id"].ends
    for k in CODED:
        values = Lines.of(columns[k].values)
        out[f"{k}_codes"] = columns[k].codes
        out[f"{k}_data"], out[f"{k}_ends"] = values.data, values.ends
    return out


def _batch(columns: dict, models: dict[int, str]) -> VoteBatch:
    pair, small = columns["pair"], columns["small"]
    unmeasured = np.full((len(pair), 1), NO_STYLE, np.int64)
    style_a, style_b = (unmeasured if columns[k] is None else columns[k] for k in STYLES)
    return VoteBatch(
        vote_id=columns["vote_id"], battle_id=columns["battle_id"], model_a=pair >> 32,
        model_b=pair & 0xFFFFFFFF, models=models, verdict=columns["verdict"],
        voter_id=columns["voter"], imported=(small & 1).astype(bool),
        language=columns["language"], is_coding=(small & 2).astype(bool),
        is_long_query=(small & 4).astype(bool), is_multi_turn=(small & 8).astype(bool),
        turns=small >> 4, voted_ms=columns["voted_ms"], style_a=style_a, style_b=style_b,
    )  # fmt: skip
