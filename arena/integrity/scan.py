"""Scanning rows of prompts and answers for identity disclosures and identity probes (for
`python -m arena integrity scan`): every row comes back with the findings and their evidence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from arena.integrity.disclosure import DisclosureDetector
from arena.integrity.probes import find_probes

SCAN_COLUMNS = ("identity_disclosed", "probe", "evidence")


def scan_rows(
    rows: Iterable[Mapping[str, Any]], extra_names: Iterable[str] = ()
) -> Iterator[dict[str, Any]]:
    """Each row with `identity_disclosed` (its `answer` names a model or vendor), `probe` (its
    `prompt` asks who the model is) and `evidence` (what matched, "; "-separated)."""
    detector = DisclosureDetector(extra_names)
    for row in rows:
        disclosures = detector.find(str(row.get("answer") or ""))
        probes = find_probes(str(row.get("prompt") or ""))
        evidence = [f"answer: {d.name} ({d.evidence})" for d in disclosures]
        evidence += [f"prompt: {p}" for p in probes]
        yield {
            **row,
            "identity_disclosed": bool(disclosures),
            "probe": bool(probes),
            "evidence": "; ".join(evidence),
        }
