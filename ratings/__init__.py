"""Rating methods for the arena: Bradley–Terry leaderboards and TrueSkill. Imports only the
standard library, numpy, scipy and trueskill; knows nothing of the arena's storage or UI.

Votes in:
    matches_from_records(records, models=None) -> Matches
        records: dicts / tuples / objects with model_a, model_b, verdict[, voter]
    matches_from_arrays(models, model_a, model_b, verdict, count=None, voter=None) -> Matches
    VERDICTS = ("a_better", "b_better", "tie", "both_bad"); UnknownVerdict(ValueError)
    ratings.outcomes.from_fastchat_winner("model_a" | "model_b" | "tie" | "tie (bothbad)") -> str

Bradley–Terry (the official leaderboard):
    fit_bradley_terry(matches, *, anchor=None, bootstrap=1000, seed=0, ci="bootstrap",
                      resample="multinomial", min_votes=100, workers=1, progress=None)
        -> BTLeaderboard (rows: BTRow(model, rating, lower, upper, rank_ub, votes, provisional, rank_lb))
        ci: "bootstrap" | "sandwich"; resample: "multinomial" | "bayesian" | "voters"
    fit_categories(matches, {"overall": None, "chinese": mask, ...}, **same options)
        -> dict[str, BTLeaderboard]
    pair_matrices(board) -> PairMatrices (battles, win_rate, expected, average_win_rate)
    fit_style_control(matches, features_a, features_b) -> StyleControlResult
    style_features(text) -> StyleFeatures(length, headers, list_items, bold)

TrueSkill (live updates and exact fast replay):
    TrueSkillParams(mu=25, sigma=25/3, beta=25/6, tau=25/300, draw_probability=0.28)
    rate_vote(params, a: Skill, b: Skill, verdict) -> tuple[Skill, Skill]
    replay(params, model_a, model_b, verdict_codes, n_models, models=None) -> TrueSkillReplay
    replay_records(params, records) -> TrueSkillReplay
    replay_named(params, model_a, model_b, verdict, names) -> TrueSkillReplay
    pair_probabilities(skills, policy="uncertainty", floor=0.1, *, weights=None, params=None)
        -> PairProbabilities;  match_quality(params, a, b) -> float
    find_disagreements(board, replay, z=1.96) -> tuple[Disagreement, ...]

docs/ratings.md explains the methods, units and choices.
"""

from ratings.bradley_terry import BTLeaderboard, BTRow, fit_bradley_terry, fit_categories
from ratings.compare import Disagreement, find_disagreements
from ratings.matches import Matches, matches_from_arrays, matches_from_records
from ratings.matchmaking import PairProbabilities, match_quality, pair_probabilities
from ratings.outcomes import VERDICTS, UnknownVerdict, from_fastchat_winner
from ratings.pair_matrices import PairMatrices, pair_matrices
from ratings.position import PositionEffect, position_effect
from ratings.style_control import StyleControlResult, fit_style_control
from ratings.style_features import StyleFeatures, style_features
from ratings.trueskill_ratings import Skill, TrueSkillParams, rate_vote
from ratings.trueskill_replay import TrueSkillReplay, replay, replay_named, replay_records

__all__ = [
    "VERDICTS",
    "BTLeaderboard",
    "BTRow",
    "Disagreement",
    "Matches",
    "PairMatrices",
    "PositionEffect",
    "PairProbabilities",
    "Skill",
    "StyleControlResult",
    "StyleFeatures",
    "TrueSkillParams",
    "TrueSkillReplay",
    "UnknownVerdict",
    "find_disagreements",
    "fit_bradley_terry",
    "fit_categories",
    "fit_style_control",
    "from_fastchat_winner",
    "match_quality",
    "matches_from_arrays",
    "matches_from_records",
    "pair_matrices",
    "position_effect",
    "pair_probabilities",
    "rate_vote",
    "replay",
    "replay_named",
    "replay_records",
    "style_features",
]
