"""The verdict vocabulary: our four words, the points they give, and FastChat's `winner` spelling.

The same four words are used in the database, the API, the UI keys and `ratings.VERDICTS`
(`ratings` imports no arena code, so it spells them itself; a test checks the two agree).
Pure: no I/O.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """What a voter says about a battle."""

    A_BETTER = "a_better"
    B_BETTER = "b_better"
    TIE = "tie"
    BOTH_BAD = "both_bad"


class Feedback(StrEnum):
    """What made the better answer better: optional words a voter adds to an A or B vote
    (any number, each once). Stored with the vote and released with it; never rated."""

    ACCURATE = "more_accurate"
    HELPFUL = "more_helpful"
    BETTER_WRITTEN = "better_written"
    FOLLOWS_INSTRUCTIONS = "follows_instructions"
    SAFER = "safer"
    CONCISE = "more_concise"


# The verdicts feedback may come with: it describes the answer voted better.
FEEDBACK_VERDICTS = frozenset({Verdict.A_BETTER, Verdict.B_BETTER})


def to_feedback(words: object, verdict: Verdict) -> tuple[Feedback, ...]:
    """The feedback words as Feedback, in the enum's order, each once; ValueError naming the
    problem for anything else (not a list of words, an unknown word, feedback with a tie)."""
    if words is None:
        return ()
    if isinstance(words, str) or not isinstance(words, (list, tuple)):
        raise ValueError("feedback must be a list of words")
    if len(words) > len(Feedback):
        raise ValueError(f"feedback has at most {len(Feedback)} words")
    known = {f.value for f in Feedback}
    unknown = [w for w in words if not isinstance(w, str) or w not in known]
    if unknown:
        shown = str(unknown[0])[:40] if isinstance(unknown[0], str) else "?"
        raise ValueError(
            f"unknown feedback {shown!r}: use any of {', '.join(f.value for f in Feedback)}"
        )
    if words and verdict not in FEEDBACK_VERDICTS:
        raise ValueError("feedback describes the better answer: give it with a_better or b_better")
    return tuple(f for f in Feedback if f.value in words)


# Points side A earns: a tie and "both bad" are half a win for each side.
SCORE_A = {Verdict.A_BETTER: 1.0, Verdict.B_BETTER: 0.0, Verdict.TIE: 0.5, Verdict.BOTH_BAD: 0.5}
# Side A's (wins, losses, ties); side B's is (losses, wins, ties).
WIN_LOSS_TIE = {
    Verdict.A_BETTER: (1, 0, 0),
    Verdict.B_BETTER: (0, 1, 0),
    Verdict.TIE: (0, 0, 1),
    Verdict.BOTH_BAD: (0, 0, 1),
}
# FastChat / LMArena `winner` spelling of each verdict.
FASTCHAT_WINNERS = {
    Verdict.A_BETTER: "model_a",
    Verdict.B_BETTER: "model_b",
    Verdict.TIE: "tie",
    Verdict.BOTH_BAD: "tie (bothbad)",
}
_FROM_WINNER = {winner: verdict for verdict, winner in FASTCHAT_WINNERS.items()}
_BY_WORD = {verdict.value: verdict for verdict in Verdict}
# Every word `read_verdict` takes: FastChat's spelling, then ours.
FILE_WORDS = tuple(dict.fromkeys([*_FROM_WINNER, *_BY_WORD]))


def to_verdict(word: object) -> Verdict:
    """One of our verdict words as a Verdict; ValueError naming the four words otherwise."""
    try:
        return Verdict(word)
    except ValueError:
        raise ValueError(
            f"unknown verdict {word!r}: expected one of {', '.join(Verdict)}"
        ) from None


def score_a(verdict: Verdict | str) -> float:
    """Points of side A: 1, 0, or ½ for a tie or both_bad (ValueError for other words)."""
    return SCORE_A[to_verdict(verdict)]


def win_loss_tie(verdict: Verdict | str) -> tuple[int, int, int]:
    """Side A's (wins, losses, ties) for one vote: exactly one of the three is 1."""
    return WIN_LOSS_TIE[to_verdict(verdict)]


def to_fastchat_winner(verdict: Verdict | str) -> str:
    """FastChat's `winner` for a verdict: model_a, model_b, tie or tie (bothbad)."""
    return FASTCHAT_WINNERS[to_verdict(verdict)]


def from_winner(winner: str) -> Verdict:
    """Our verdict for a FastChat `winner` (model_a, model_b, tie, tie (bothbad)); ValueError
    otherwise."""
    try:
        return _FROM_WINNER[winner]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown winner {winner!r}: expected one of {', '.join(_FROM_WINNER)}"
        ) from None


def read_verdict(word: str) -> Verdict | None:
    """A verdict from a file in either spelling (FastChat's `winner` or ours), ignoring case and
    surrounding space; None if it is neither."""
    word = word.strip().lower()
    return _FROM_WINNER.get(word) or _BY_WORD.get(word)
