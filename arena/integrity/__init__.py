"""Integrity checks that decide whether a vote can count: identity disclosure in answers and
de-anonymising probes in prompts. Pure functions over text: no I/O."""

from arena.integrity.disclosure import Disclosure, find_disclosures
from arena.integrity.probes import find_probes

__all__ = ["Disclosure", "find_disclosures", "find_probes"]
