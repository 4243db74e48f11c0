"""Fuzzing the service path (start a battle, ask, vote) with any values: only InvalidInput or
BattleRuleBroken come out, and no battle is left half-written. bench/fuzz.py runs these longer."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.config import Settings
from arena.domain.battle import BattleRuleBroken, Mode
from arena.integrity.proof_of_work import solve
from arena.service import Arena
from arena.usecases.gatekeeper import Proof
from arena.views import InvalidInput, Voter
from tests.conftest import collect
from tests.test_fuzz_readers import reporting

# Few examples in `make test` (seconds); bench/fuzz.py runs the same properties with thousands.
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = {"alpha": "fake-echo", "beta": "fake-zh"}
POW_BITS = 2  # proofs are checked (voters without history) yet cheap to solve here
LIMIT = Settings().max_prompt_chars
SESSION, VOTER = "session-1", "voter-1"


# -- inputs ------------------------------------------------------------------------------------

texts = (
    st.text(max_size=20)
    | st.sampled_from(["\ud800", "a\udfffb", "\x00", "a\x00b", "\ufeff", " \n\t ", "", "你好"])
    | st.sampled_from([LIMIT, LIMIT + 1, 10**6]).map(lambda n: "x" * n)
    | st.lists(
        st.sampled_from(["\ud800", "\x00", "who are you", "ChatGPT", " ", "é"]), max_size=5
    ).map("".join)
)
non_text = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.binary(max_size=8)
    | st.lists(st.integers() | st.text(max_size=3), max_size=3)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
    | st.tuples(st.text(max_size=3))
    | st.just(object())
)
# Values the service has tripped on or could: one of them half the time an odd value is drawn.
TROUBLE = ["\ud800", "a\udfffb", "\x00", "", " ", None, 0, True, 10**400, float("nan"), b"bytes",
           ["list"], {"dict": 1}, ("tuple",), "x" * (LIMIT + 1)]  # fmt: skip
anything = texts | non_text


def either(one: st.SearchStrategy, other: st.SearchStrategy, odds: int = 2) -> st.SearchStrategy:
    """`one` (odds - 1) times in `odds`, else `other`: a plain `|` would pick among all the
    branches of both alike."""
    return st.integers(1, odds).flatmap(lambda roll: other if roll == odds else one)


odd = either(st.sampled_from(TROUBLE), anything)


def mostly(usual: st.SearchStrategy, unusual: st.SearchStrategy = odd) -> st.SearchStrategy:
    """`usual` two times in three: with every argument odd at once, the first check would
    refuse nearly every call and the later ones would never see odd values."""
    return either(usual, unusual, odds=3)


REAL = "<the real one>"  # drawn for "use the battle's own id / voter"
ips = either(st.sampled_from([None, "127.0.0.1", "::1", "300.1.1.1", "", "10.0.0.1/8"]), odd)
voters = st.builds(
    Voter,
    session_id=mostly(st.just(SESSION)),
    voter_id=mostly(st.just(VOTER)),
    ip=mostly(st.just("127.0.0.1"), ips),
)
real_or_any_voter = mostly(st.just(REAL), voters)
battle_ids = mostly(
    st.just(REAL), either(st.sampled_from(["", "0" * 32, "../etc/passwd", "' OR 1=1 --"]), odd)
)
prompts = mostly(st.sampled_from(["Name three rivers", "你好，世界", "who are you?"]))
modes = either(st.sampled_from([*Mode, "anonymous", "named", "direct", "Named"]), odd)
model_picks = either(
    st.lists(st.sampled_from([*MODELS, "gamma", "ALPHA", "alpha\ud800"]), max_size=3).flatmap(
        lambda names: st.sampled_from([tuple(names), list(names)])
    )
    | st.sampled_from(["alpha", "alphabeta", ("alpha", "alpha"), ("alpha", None)]),
    odd,
)
verdicts = mostly(
    st.sampled_from(["a_better", "b_better", "tie", "both_bad"]),
    either(st.sampled_from(["A_BETTER", "model_a", "a_better "]), odd),
)
proofs = (
    st.none()
    | st.just("solved")  # replaced by a real solution of the battle's challenge
    | st.builds(Proof, challenge=odd, solution=odd)
    | odd
)


# -- the properties, shared with bench/fuzz.py ------------------------------------------------


def outcome_of(error: Exception) -> str:
    """An allowed refusal in a few words: its type, code or reason, and message."""
    if isinstance(error, InvalidInput):
        return f"InvalidInput {error.code}: {error}"
    return f"BattleRuleBroken {getattr(error.reason, 'value', error.reason)}: {error}"


def counts(arena: Arena) -> dict[str, int]:
    db = arena.store.db
    return {
        table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("battles", "turns", "votes")
    }


def check_store(arena: Arena) -> None:
    """No battle is half-written: every battle loads; text columns hold text; every turn has its
    answers; a voted battle has exactly one vote and a vote only a voted battle; nothing is
    left marked as streaming once the call is over."""
    db = arena.store.db
    for (battle_id,) in db.execute("SELECT id FROM battles").fetchall():
        assert arena.store.load_battle(battle_id) is not None, battle_id
    wrong = {
        "non-text battle ids": "SELECT COUNT(*) FROM battles WHERE typeof(id) != 'text' "
        "OR typeof(session_id) != 'text' OR typeof(voter_id) != 'text'",
        "non-text voter ids": "SELECT COUNT(*) FROM voters WHERE typeof(id) != 'text'",
        "turns without answers": "SELECT COUNT(*) FROM turns t JOIN battles b ON b.id = t.battle_id"
        " WHERE t.answer_a IS NULL OR (b.model_b_id IS NOT NULL AND t.answer_b IS NULL)",
        "votes on unvoted battles": "SELECT COUNT(*) FROM votes v JOIN battles b "
        "ON b.id = v.battle_id WHERE b.status != 'voted'",
        "voted battles without a vote": "SELECT COUNT(*) FROM battles b WHERE b.status = 'voted' "
        "AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.battle_id = b.id)",
        "votes without turns": "SELECT COUNT(*) FROM votes v WHERE NOT EXISTS "
        "(SELECT 1 FROM turns t WHERE t.battle_id = v.battle_id)",
    }
    columns = {row[1] for row in db.execute("PRAGMA table_info(battles)").fetchall()}
    if "streaming_since" in columns:
        wrong["battles left streaming"] = (
            "SELECT COUNT(*) FROM battles WHERE streaming_since IS NOT NULL"
        )
    for what, query in wrong.items():
        assert db.execute(query).fetchone()[0] == 0, what
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def check_start(arena: Arena, voter: Any, mode: Any, models: Any) -> str:
    """Start a battle with any voter, mode and model picks; the outcome when the property holds."""
    before = counts(arena)
    try:
        started = arena.start_battle(voter, mode=mode, models=models)
    except (InvalidInput, BattleRuleBroken) as error:
        assert counts(arena)["battles"] == before["battles"], "a refused start stored a battle"
        check_store(arena)
        return outcome_of(error)
    battle = arena.store.load_battle(started.battle_id)
    assert battle is not None and battle.session_id == voter.session_id
    assert set(battle.models.values()) <= set(MODELS)
    check_store(arena)
    return f"started {battle.mode.value}"


def check_ask(arena: Arena, voter: Any, battle_id: Any, prompt: Any) -> str:
    """Ask with any voter, battle id and prompt; the outcome when the property holds."""
    before = counts(arena)
    try:
        views = collect(arena.ask(voter, battle_id, prompt))
    except (InvalidInput, BattleRuleBroken) as error:
        assert counts(arena)["turns"] == before["turns"], "a refused prompt stored a turn"
        check_store(arena)
        return outcome_of(error)
    assert views and views[-1].done
    assert counts(arena)["turns"] == before["turns"] + 1
    check_store(arena)
    return "answered"


def check_vote(arena: Arena, voter: Any, battle_id: Any, verdict: Any, proof: Any) -> str:
    """Vote with any voter, battle id, verdict and proof; the outcome when the property holds."""
    before = counts(arena)
    try:
        receipt = arena.vote(voter, battle_id, verdict, proof)
    except (InvalidInput, BattleRuleBroken) as error:
        assert counts(arena)["votes"] == before["votes"], "a refused vote was stored"
        check_store(arena)
        return outcome_of(error)
    assert counts(arena)["votes"] == before["votes"] + int(receipt.stored)
    if receipt.stored:
        assert arena.store.load_battle(battle_id).status.value == "voted"
        assert receipt.models and set(receipt.models.values()) <= set(MODELS)
    else:
        assert not receipt.counted and receipt.models is None
    check_store(arena)
    reason = getattr(receipt.reason, "value", receipt.reason)
    return f"{'stored' if receipt.stored else 'refused'} {reason or 'counted'}"


def answered_battle(arena: Arena) -> tuple[str, str | None]:
    """A fresh anonymous battle of the right voter with one answered turn: (id, challenge)."""
    voter = Voter(SESSION, VOTER, "127.0.0.1")
    started = arena.start_battle(voter)
    collect(arena.ask(voter, started.battle_id, "Name three rivers"))
    return started.battle_id, started.challenge


def open_battle(arena: Arena) -> str:
    return arena.start_battle(Voter(SESSION, VOTER, "127.0.0.1")).battle_id


def pick(choice: Any, real: Any) -> Any:
    """`real` where the strategy drew the placeholder, else the drawn value."""
    return real if choice is REAL else choice


def solved(proof: Any, challenge: str | None) -> Any:
    if proof != "solved":
        return proof
    if not challenge:
        return None
    return Proof(challenge=challenge, solution=str(solve(challenge, POW_BITS)))


# -- tests -------------------------------------------------------------------------------------


@pytest.fixture
def arena(make_arena) -> Arena:
    """One arena for all the examples of a test (its database fills up as they run)."""
    return make_arena(MODELS, pow_bits=POW_BITS)


@FUZZ
@given(voter=voters, mode=modes, models=model_picks)
def test_starting_a_battle_with_any_voter_mode_and_models_fails_only_with_our_errors(
    arena, voter, mode, models
):
    with reporting(voter=voter, mode=mode, models=models):
        check_start(arena, voter, mode, models)


@FUZZ
@given(voter=real_or_any_voter, battle_id=battle_ids, prompt=prompts)
def test_asking_any_prompt_fails_only_with_our_errors_and_stores_whole_turns(
    arena, voter, battle_id, prompt
):
    battle = open_battle(arena)
    with reporting(voter=voter, battle_id=battle_id, prompt=prompt):
        check_ask(arena, pick(voter, Voter(SESSION, VOTER)), pick(battle_id, battle), prompt)


@FUZZ
@given(voter=real_or_any_voter, battle_id=battle_ids, verdict=verdicts, proof=proofs)
def test_voting_with_any_verdict_and_proof_fails_only_with_our_errors_and_stores_one_vote(
    arena, voter, battle_id, verdict, proof
):
    battle, challenge = answered_battle(arena)
    with reporting(voter=voter, battle_id=battle_id, verdict=verdict, proof=proof):
        voter = pick(voter, Voter(SESSION, VOTER, "127.0.0.1"))
        check_vote(arena, voter, pick(battle_id, battle), verdict, solved(proof, challenge))
