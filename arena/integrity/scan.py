"""Scanning rows of prompts and answers for identity disclosures and identity probes (for
`python -m arena integrity scan`): every row comes back with the findings and their evidence."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from arena.integrity.disclosure import detector_for
from arena.integrity.probes import find_probes

SCAN_COLUMNS = ("identity_disclosed", "probe", "evidence")
PROGRESS_EVERY = 1_000  # rows scanned between two progress reports


def scan_rows(
    rows: Sequence[Mapping[str, Any]],
    extra_names: Iterable[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Each row with `identity_disclosed` (its `answer` names a model or vendor), `probe` (its
    `prompt` asks who the model is) and `evidence` (what matched, "; "-separated). `progress`
    is told (rows scanned, rows) every PROGRESS_EVERY rows and after the last."""
    detector = detector_for(extra_names)
    for done, row in enumerate(rows, start=1):
        disclosures = detector.find(str(row.get("answer") or ""))
        probes = find_probes(str(row.get("prompt") or ""))
        evidence = [f"answer: {d.name} ({d.evidence})" for d in disclosures]
        evidence += [f"prompt: {p}" for p in probes]
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
        yield {
            **row,
            "identity_disclosed": bool(disclosures),
            "probe": bool(probes),
            "evidence": "; ".join(evidence),
        }
