"""The verdict vocabulary: the four verdict words, their integer codes, and FastChat's spelling.

Codes index into VERDICTS, so `VERDICTS[code]` is the word and arrays carry int8 codes.
"""

from collections.abc import Iterable

import numpy as np

VERDICTS = ("a_better", "b_better", "tie", "both_bad")
A_BETTER, B_BETTER, TIE, BOTH_BAD = range(4)  # integer codes, one per verdict word

# Points side A earns for each verdict code: a tie and "both bad" are half a win for each side.
SCORE_A = np.array([1.0, 0.0, 0.5, 0.5])

# FastChat / LMArena `winner` column spelling -> our verdict word.
FASTCHAT_WINNERS = {
    "model_a": "a_better",
    "model_b": "b_better",
    "tie": "tie",
    "tie (bothbad)": "both_bad",
}

_CODE_OF = {word: code for code, word in enumerate(VERDICTS)}


class UnknownVerdict(ValueError):
    """A verdict that is none of VERDICTS (or, from FastChat data, none of FASTCHAT_WINNERS)."""


def to_verdict_code(verdict: str) -> int:
    """The integer code (0..3) of a verdict word; raises UnknownVerdict for anything else."""
    try:
        return _CODE_OF[verdict]
    except (KeyError, TypeError):
        raise UnknownVerdict(
            f"unknown verdict {verdict!r}: expected one of {', '.join(VERDICTS)}"
        ) from None


def to_verdict_codes(verdicts: Iterable[str]) -> np.ndarray:
    """int8 array [n] of codes for an iterable of n verdict words (UnknownVerdict on the first bad one)."""
    return np.fromiter((to_verdict_code(v) for v in verdicts), dtype=np.int8)


def from_fastchat_winner(winner: str) -> str:
    """Our verdict word for a FastChat/LMArena `winner` value (`model_a`, `model_b`, `tie`, `tie (bothbad)`)."""
    try:
        return FASTCHAT_WINNERS[winner]
    except (KeyError, TypeError):
        raise UnknownVerdict(
            f"unknown FastChat winner {winner!r}: expected one of {', '.join(FASTCHAT_WINNERS)}"
        ) from None


def swap_verdict(verdict: str) -> str:
    """The same verdict seen with sides A and B exchanged."""
    to_verdict_code(verdict)
    return {"a_better": "b_better", "b_better": "a_better"}.get(verdict, verdict)
