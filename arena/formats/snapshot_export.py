"""Snapshot exports: full JSON, one board as CSV, and Markdown ready to paste (English or Chinese)."""

from __future__ import annotations

import csv
import io

from arena.i18n import method_text, translate
from arena.snapshot import Snapshot

FORMATS = ("json", "csv", "md")
CSV_COLUMNS = (
    "category", "rank_ub", "model", "rating", "lower", "upper", "votes", "provisional",
    "organisation", "licence", "status",
)  # fmt: skip


def export_snapshot(
    snapshot: Snapshot, fmt: str, *, language: str = "en", categories: tuple[str, ...] = ()
) -> str:
    """The snapshot as text. csv and md cover `categories` (default: every board)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "json" and categories:  # it was ignored: every board came out
        raise ValueError("categories select the boards of csv and md; json is the whole snapshot")
    if fmt == "json":
        return snapshot.to_json() + "\n"
    unknown = [c for c in categories if c not in snapshot.boards]
    if unknown:
        raise ValueError(f"no board {unknown[0]!r} in this snapshot: {', '.join(snapshot.boards)}")
    names = categories or tuple(snapshot.boards)
    return _csv(snapshot, names) if fmt == "csv" else _markdown(snapshot, names, language)


def _csv(snapshot: Snapshot, categories) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for category in categories:
        for r in snapshot.boards[category].rows:
            writer.writerow([category, r.rank_ub, r.model, r.rating, r.lower, r.upper, r.votes,
                             int(r.provisional), r.organisation, r.licence, r.status])  # fmt: skip
    return out.getvalue()


def _markdown(snapshot: Snapshot, categories, language: str) -> str:
    t = lambda key, **v: translate(language, key, **v)  # noqa: E731
    m = snapshot.manifest
    lines = [
        f"## {t('md_title', id=m.snapshot_id)}",
        "",
        t(
            "md_summary",
            votes=m.votes,
            first=m.window["first_vote_at"][:10],
            last=m.window["last_vote_at"][:10],
            **method_text(
                language, ci=m.method.ci, resamples=m.method.resamples, anchor=m.method.anchor
            ),
        ),  # fmt: skip
        "",
    ]
    for category in categories:
        board = snapshot.boards[category]
        lines += [
            f"### {t('md_category')}: {category} ({board.votes})",
            "",
            "| "
            + " | ".join(
                t(k)
                for k in (
                    "md_col_rank",
                    "md_col_model",
                    "md_col_rating",
                    "md_col_ci",
                    "md_col_votes",
                    "md_col_organisation",
                    "md_col_licence",
                )
            )
            + " |",  # fmt: skip
            "|---:|---|---:|---|---:|---|---|",
        ]
        for r in board.rows:
            notes = [t("md_provisional")] if r.provisional else []
            notes += [t("md_retired")] if r.status == "retired" else []
            name = f"{r.model} ({', '.join(notes)})" if notes else r.model
            lines.append(
                f"| {'–' if r.provisional else r.rank_ub} | {_cell(name)} | {r.rating:.1f} "
                f"| {r.lower:.1f} – {r.upper:.1f} "
                f"| {r.votes} | {_cell(r.organisation)} | {_cell(r.licence)} |"
            )
        lines.append("")
    lines.append(t("md_verify", sha=m.vote_set_sha256, code=m.code_version))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
