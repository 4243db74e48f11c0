"""Fuzzing at length: the vote-file and battle-file readers, the roster loader, the service path
and the JSON API, with the properties of tests/test_fuzz_*.py and far more inputs than `make test`.

    .venv/bin/python bench/fuzz.py                # about 10,000+ inputs, a few minutes
    .venv/bin/python bench/fuzz.py --files 300 --service 50 --api 10   # a quick look

Prints one row per fuzzer: inputs tried, 5xx answers (API only), tracebacks (any exception the
property does not allow, or a broken property), distinct error messages (values blanked), seconds;
then each kind of failure (exception type and place) with its shortest input. Exits 1 if any.
"""

from __future__ import annotations

import os

# Offline before anything imports gradio or litellm (as tests/conftest.py does).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import reprlib  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from arena.adapters.roster import load_roster  # noqa: E402
from arena.bootstrap import create_arena  # noqa: E402
from arena.config import Settings  # noqa: E402
from tests import test_fuzz_readers as readers  # noqa: E402
from tests import test_fuzz_service as service  # noqa: E402
from tests.conftest import OPEN_GATES, FakeProvider, roster_yaml  # noqa: E402
from tests.fake_openai import FakeOpenAIServer  # noqa: E402
from tests.test_fuzz_api import FLAVORS, Outcome, fuzz_api, served_app  # noqa: E402

SHORT = reprlib.Repr()
SHORT.maxstring, SHORT.maxother, SHORT.maxlong = 60, 60, 40


def short(value: object) -> str:
    """repr with long strings and numbers cut, dataclasses (Voter, Proof) field by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (f"{f.name}={short(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__name__}({', '.join(fields)})"
    if isinstance(value, tuple | list):
        inner = ", ".join(short(item) for item in value[:6])
        if isinstance(value, list):
            return f"[{inner}]"
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return SHORT.repr(value)


@dataclass
class Failure:
    """One kind of failure (an exception type at one place): how often, and its shortest input."""

    count: int
    example: str


@dataclass
class Tally:
    """What one fuzzer saw."""

    name: str
    inputs: int = 0
    server_errors: int = 0
    tracebacks: int = 0
    messages: set[str] = field(default_factory=set)
    failures: dict[str, Failure] = field(default_factory=dict)
    seconds: float = 0.0

    def fail(self, kind: str, example: str, server_error: bool = False) -> None:
        if server_error:
            self.server_errors += 1
        else:
            self.tracebacks += 1
        known = self.failures.get(kind)
        if known is None:
            self.failures[kind] = Failure(1, example)
        else:
            known.count += 1
            known.example = min(known.example, example, key=len)


def kind_of(error: BaseException) -> str:
    """The exception's type, where it was raised (the deepest frame in our code) and message."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith(str(ROOT)) and ".venv" not in f.filename]
    frame = (ours or frames)[-1]
    where = f"{Path(frame.filename).resolve().relative_to(ROOT)}:{frame.lineno} in {frame.name}"
    return f"{type(error).__name__} at {where}: {str(error)[:160]}"


def blanked(message: str) -> str:
    """A message with its values blanked, so "unknown winner 'x'" and "… 'y'" count once."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"|\{[^{}]*\}|\[[^\[\]]*\]", "…", message)
    return re.sub(r"(?<![\w.])-?(\d[\d_,.]*(e[+-]?\d+)?|inf|nan|True|False|None)\b", "#", message)


def fuzz_with(
    tally: Tally, strategy: st.SearchStrategy, check: Callable[..., list[str] | str], examples: int
) -> None:
    """Run `check` on `examples` drawn inputs; count them, their messages and their failures."""

    @seed(0)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(drawn=strategy)
    def run(drawn) -> None:
        tally.inputs += 1
        try:
            labels = check(drawn)
        except Exception as error:
            tally.fail(kind_of(error), short(drawn))
            return
        for label in [labels] if isinstance(labels, str) else labels:
            tally.messages.add(blanked(label))

    started = time.perf_counter()
    run()
    tally.seconds += time.perf_counter() - started


# -- the fuzzers -------------------------------------------------------------------------------


def fuzz_files(examples: int, folder: Path) -> list[Tally]:
    def read_with(reader: Callable[[Path], list[str]], stem: str):
        def check(file: tuple[str, bytes]) -> list[str]:
            path = folder / f"{stem}{file[0]}"
            path.write_bytes(file[1])
            return reader(path)

        return check

    def roster(raw: bytes) -> list[str]:
        path = folder / "roster.yaml"
        path.write_bytes(raw)
        return readers.check_roster_file(path)

    votes, battles = Tally("vote files (votefile)"), Tally("battle files (battle_data)")
    wellformed, rosters = (
        Tally("well-formed files read back (both)"),
        Tally("roster files (roster)"),
    )
    fuzz_with(votes, readers.vote_files(), read_with(readers.check_vote_file, "v"), examples)
    fuzz_with(battles, readers.vote_files(), read_with(readers.check_battle_file, "b"), examples)
    layouts = st.sampled_from([".csv", ".tsv", ".json", ".jsonl"])
    drawn = st.tuples(readers.valid_votes(), layouts)
    fuzz_with(wellformed, drawn, lambda votes: round_trip(folder, *votes), examples // 5)
    fuzz_with(rosters, readers.roster_files(), roster, examples)
    return [votes, battles, wellformed, rosters]


def round_trip(folder: Path, votes: list, layout: str) -> str:
    """test_well_formed_files_with_any_model_names_read_back_unchanged, without pytest."""
    readers.test_well_formed_files_with_any_model_names_read_back_unchanged.hypothesis.inner_test(
        folder, votes, layout
    )
    return f"{layout} read back unchanged"


@contextmanager
def service_arena(folder: Path) -> Iterator:
    """An arena as tests/conftest.py's make_arena wires it: fake provider, gates open."""
    path = folder / "roster.yaml"
    path.write_text(roster_yaml("http://127.0.0.1:9", service.MODELS), encoding="utf-8")
    config = Settings(db_path=folder / "service.db", local_models=False, seed=7, ui_update_s=0.01,
                      timeout_s=5.0, **{**OPEN_GATES, "pow_bits": service.POW_BITS})  # fmt: skip
    with create_arena(
        config, roster=load_roster(path), provider=FakeProvider(), start_local_models=False
    ) as arena:
        yield arena


def fuzz_service(examples: int, folder: Path) -> list[Tally]:
    s = service
    start, ask, vote = Tally("service: start_battle"), Tally("service: ask"), Tally("service: vote")
    with service_arena(folder) as arena:

        def check_start(drawn) -> str:
            return s.check_start(arena, *drawn)

        def check_ask(drawn) -> str:
            voter, battle_id, prompt = drawn
            battle = s.open_battle(arena)
            real = s.Voter(s.SESSION, s.VOTER)
            return s.check_ask(arena, s.pick(voter, real), s.pick(battle_id, battle), prompt)

        def check_vote(drawn) -> str:
            voter, battle_id, verdict, proof = drawn
            battle, challenge = s.answered_battle(arena)
            real = s.Voter(s.SESSION, s.VOTER, "127.0.0.1")
            return s.check_vote(arena, s.pick(voter, real), s.pick(battle_id, battle), verdict,
                                s.solved(proof, challenge))  # fmt: skip

        fuzz_with(start, st.tuples(s.voters, s.modes, s.model_picks), check_start, examples)
        asks = st.tuples(s.real_or_any_voter, s.battle_ids, s.prompts)
        fuzz_with(ask, asks, check_ask, examples)
        votes = st.tuples(s.real_or_any_voter, s.battle_ids, s.verdicts, s.proofs)
        fuzz_with(vote, votes, check_vote, examples)
    return [start, ask, vote]


def fuzz_http(examples: int, folder: Path) -> list[Tally]:
    tally = Tally("JSON API (schemathesis)")
    operations: set[str] = set()

    def record(outcome: Outcome) -> None:
        tally.inputs += 1
        operations.add(outcome.operation)
        tally.messages.add(f"{outcome.operation} {outcome.label}")
        if outcome.problem:
            kind = f"{outcome.operation} [{outcome.flavor}] {outcome.problem[:200]}"
            server_error = outcome.status is not None and outcome.status >= 500
            tally.fail(kind, outcome.request[:400], server_error=server_error)

    started = time.perf_counter()
    with FakeOpenAIServer(chunk_delay=0.001) as fake, served_app(folder, fake.base_url) as url:
        fuzz_api(url, examples, record)
    tally.seconds = time.perf_counter() - started
    tally.name += f", {len(operations)} operations × {len(FLAVORS)} flavors"
    return [tally]


# -- report ------------------------------------------------------------------------------------


def render(tallies: list[Tally]) -> str:
    head = f"{'fuzzer':<52} {'inputs':>7} {'5xx':>5} {'tracebacks':>10} {'messages':>8} {'s':>7}"
    lines = [head, "-" * len(head)]
    for t in tallies:
        five = str(t.server_errors) if t.name.startswith("JSON API") else "-"
        lines.append(f"{t.name:<52} {t.inputs:>7} {five:>5} {t.tracebacks:>10} "
                     f"{len(t.messages):>8} {t.seconds:>7.1f}")  # fmt: skip
    total = Tally("total", sum(t.inputs for t in tallies), sum(t.server_errors for t in tallies),
                  sum(t.tracebacks for t in tallies), seconds=sum(t.seconds for t in tallies))  # fmt: skip
    messages = sum(len(t.messages) for t in tallies)
    lines += ["-" * len(head), f"{'total':<52} {total.inputs:>7} {total.server_errors:>5} "
              f"{total.tracebacks:>10} {messages:>8} {total.seconds:>7.1f}"]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2500, help="inputs per file reader")
    parser.add_argument("--service", type=int, default=400, help="inputs per service call")
    parser.add_argument("--api", type=int, default=60, help="requests per operation and flavor")
    parser.add_argument("--messages", action="store_true", help="also list every message seen")
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the roster's "listed again" warnings are expected here

    tallies: list[Tally] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fuzz, examples, name in [(fuzz_files, options.files, "files"),
                                     (fuzz_service, options.service, "service"),
                                     (fuzz_http, options.api, "api")]:  # fmt: skip
            if examples > 0:
                (folder / name).mkdir()
                tallies += fuzz(examples, folder / name)
    print(render(tallies))
    for t in tallies:
        if options.messages:
            print(f"\n{t.name}: {len(t.messages)} distinct messages")
            print("\n".join(f"  {m}" for m in sorted(t.messages)))
        for kind, failure in t.failures.items():
            print(f"\n{t.name}: {failure.count} × {kind}\n  e.g. {failure.example}")
    return 1 if any(t.failures for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
