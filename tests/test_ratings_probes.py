"""The intransitivity and drop-one-voter probes (ratings/probes.py) on votes whose answer is
known: a planted cycle, votes drawn from Bradley–Terry, one voter who decides a pair."""

import numpy as np

from ratings.probes import drop_one_voter, fit, intransitivity


def pair_cells(rows):
    """(first, second, cells) of rows (i, j, wins of i, wins of j, draws) with i < j."""
    first = np.array([r[0] for r in rows])
    second = np.array([r[1] for r in rows])
    cells = np.array([r[2:] for r in rows], dtype=float)
    return first, second, cells


def test_a_cycle_the_votes_insist_on_is_beyond_what_the_fitted_model_draws():
    # 0 beats 1, 1 beats 2, 2 beats 0, each 70–30 over 100 votes: BT fits three equals, and
    # among equals a cycle of three is a coin toss (1 in 4); here the data insist on it
    first, second, cells = pair_cells([(0, 1, 70, 30, 0), (1, 2, 70, 30, 0), (0, 2, 30, 70, 0)])
    found = intransitivity(first, second, cells, 3, draws=400)
    assert found.cycles == 1
    assert 0.15 < found.expected < 0.35 and found.upper == 1.0
    # as likely as a coin that a fair model puts it there: not a finding on three models
    assert found.p_value > 0.05
    # nine such triangles beside each other: the model cannot make them all
    rows = []
    for t in range(9):
        a, b, c = 3 * t, 3 * t + 1, 3 * t + 2
        rows += [(a, b, 70, 30, 0), (b, c, 70, 30, 0), (a, c, 30, 70, 0)]
        if t:
            rows += [(a - 1, a, 50, 50, 0)]  # a chain that joins the triangles into one board
    first, second, cells = pair_cells(rows)
    found = intransitivity(first, second, cells, 27, draws=400)
    assert found.cycles >= 9 and found.p_value < 0.01


def test_votes_drawn_from_bradley_terry_with_any_share_of_draws_show_as_many_cycles_as_it_draws():
    """Draws that do not follow a half-win model (here a flat 15%) must not bias the count the
    observed one is compared with: 300 models, 22 votes a pair, strengths 0.013 apart."""
    rng = np.random.default_rng(0)
    m, votes_per_pair = 300, 22
    strength = np.linspace(-2, 2, m)
    first, second = np.triu_indices(m, 1)
    draws = rng.binomial(votes_per_pair, 0.15, len(first))
    wins = rng.binomial(
        votes_per_pair - draws, 1 / (1 + np.exp(strength[second] - strength[first]))
    )
    cells = np.column_stack([wins, votes_per_pair - draws - wins, draws]).astype(float)
    found = intransitivity(first, second, cells, m, draws=50)
    assert found.p_value > 0.05
    assert abs(found.cycles - found.expected) < 0.05 * found.expected


def test_dropping_the_voter_who_decides_a_pair_moves_it_and_the_refit_is_exact():
    rng = np.random.default_rng(9)
    rows = []  # (a, b, points of a, voter)
    for k in range(3000):  # a crowd over four models of nearly equal strength
        a, b = rng.choice(4, 2, replace=False)
        rows.append((a, b, float(rng.random() < 0.5), k % 300))
    rows += [(3, 2, 1.0, 999)] * 120  # one voter: model 3 beats model 2, 120 times
    a, b, points, voter = (np.array(c) for c in zip(*rows, strict=True))
    ranked = np.ones(4, dtype=bool)
    found = drop_one_voter(a, b, points, voter, ranked)
    assert found.voter == 999 and found.votes == 120
    assert found.model in (2, 3)

    # the exact refit: the same fit on every vote but theirs
    def fitted(keep):
        key = np.minimum(a, b)[keep] * 4 + np.maximum(a, b)[keep]
        pairs, inverse = np.unique(key, return_inverse=True)
        first_points = np.where(a[keep] < b[keep], points[keep], 1 - points[keep])
        return fit(pairs // 4, pairs % 4, np.bincount(inverse, first_points),
                   np.bincount(inverse).astype(float), 4)  # fmt: skip

    without, with_all = fitted(voter != 999), fitted(np.ones(len(voter), dtype=bool))
    change = (without - without.mean()) - (with_all - with_all.mean())
    assert abs(found.shift - change[found.model]) < 1e-9
    assert abs(abs(found.shift) - np.abs(change).max()) < 1e-12 and abs(found.shift) > 0.1
    assert found.places, "their votes decided where 3 stands"


def test_no_voter_moves_a_board_whose_voters_each_cast_a_few_votes():
    rng = np.random.default_rng(2)
    strength = np.array([0.0, 1.0, 2.0])
    a = rng.integers(0, 3, 4000)
    b = (a + rng.integers(1, 3, 4000)) % 3
    points = (rng.random(4000) < 1 / (1 + np.exp(strength[b] - strength[a]))).astype(float)
    found = drop_one_voter(a, b, points, np.arange(4000) % 800, np.ones(3, dtype=bool))
    assert found.places == {} and abs(found.shift) < 0.05 and found.checked == 200
