"""The Gradio API as a client sees it, on the real app: every parameter has a name (never
`param_3`), the endpoints and names are exactly those docs/api.md documents, and
examples/play_battle.py plays a battle through it and casts a vote that counts."""

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from gradio_client.utils import sanitize_parameter_names

from arena.bootstrap import create_arena
from arena.web.app import WebServer, build_app
from tests.conftest import OPEN_GATES, roster_yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "api.md"
SCRIPT = ROOT / "examples" / "play_battle.py"
MODELS = {"alpha": "fake-echo", "beta": "fake-echo"}
# What the server owns and a client must never be asked for.
SERVER_OWNED = {"state", "language", "battle", "battle_id", "voter", "voter_id", "history",
                "challenge", "session"}  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory, fake_server):
    from arena.adapters.roster import load_roster
    from arena.config import Settings

    folder = tmp_path_factory.mktemp("gradio_api")
    (folder / "roster.yaml").write_text(roster_yaml(fake_server.base_url, MODELS), encoding="utf-8")
    # Gates a script can pass as a browser does: a proof of work, a second before the vote.
    gates = {**OPEN_GATES, "pow_bits": 8, "min_seconds_to_vote": 1.0, "terms_required": True}
    settings = Settings(
        **gates, db_path=folder / "arena.db", local_models=False, ui_update_s=0.02, seed=11
    )
    with create_arena(
        settings, roster=load_roster(folder / "roster.yaml"), start_local_models=False
    ) as arena:
        server = WebServer(build_app(arena), host="127.0.0.1", port=0).start()
        yield arena, server
        server.stop()


@pytest.fixture(scope="module")
def api_info(served) -> dict:
    _, server = served
    return httpx.get(f"{server.url}/gradio_api/info", timeout=30).json()


def documented_endpoints() -> dict[str, tuple[list[str], list[str]]]:
    """endpoint -> (parameter names, return names), from the table in the "Gradio client"
    section of docs/api.md; a row may name several endpoints, each in backticks."""
    section = DOCS.read_text(encoding="utf-8").split("\n## Gradio client\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    documented = {}
    for line in section.splitlines():
        if not line.startswith("| `/"):
            continue
        endpoints, parameters, returns = line.strip().strip("|").split("|")[:3]
        for endpoint in re.findall(r"`(/[^`]+)`", endpoints):
            documented[endpoint] = (re.findall(r"`([^`]+)`", parameters),
                                    re.findall(r"`([^`]+)`", returns))  # fmt: skip
    return documented


def test_every_parameter_of_every_endpoint_has_a_readable_name(api_info):
    assert api_info["named_endpoints"], "the app has Gradio endpoints"
    for endpoint, info in api_info["named_endpoints"].items():
        for parameter in info["parameters"]:
            name = parameter["parameter_name"]
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name or ""), (endpoint, name)
            assert not re.fullmatch(r"param_\d+", name), (endpoint, name)
            assert name not in SERVER_OWNED, f"{endpoint} asks the client for {name}"
        for returned in info["returns"]:
            assert not re.fullmatch(r"value_\d+", returned["label"]), (endpoint, returned)
    assert api_info["unnamed_endpoints"] == {}, "internal events are not callable by clients"


def test_the_api_is_exactly_the_one_docs_api_md_documents(api_info):
    served = {
        endpoint: (
            [p["parameter_name"] for p in info["parameters"]],
            [sanitize_parameter_names(r["label"]) for r in info["returns"]],
        )
        for endpoint, info in api_info["named_endpoints"].items()
    }
    assert served == documented_endpoints()


def test_the_example_script_plays_a_battle_solves_the_proof_of_work_and_its_vote_counts(served):
    _, server = served
    played = subprocess.run(
        [sys.executable, str(SCRIPT), server.url, "Name three rivers", "--verdict", "a_better",
         "--wait", "1.2", "--accept-terms"],
        capture_output=True, text=True, timeout=180, cwd=ROOT,
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
    assert 'You said: "Name three rivers"' in played.stdout, "both answers are printed"
    assert "proof of work: 8 bits" in played.stdout
    assert "counts" in played.stdout and "not counted" not in played.stdout
    winner = re.search(r"\*\*Model A:\*\* (\w+)", played.stdout).group(1).lower()
    assert winner in MODELS, played.stdout

    board = httpx.get(f"{server.url}/api/leaderboard/live", timeout=30).json()["rows"]
    rows = {row["model"]: row for row in board}
    assert {name: row["votes"] for name, row in rows.items()} == {"alpha": 1, "beta": 1}
    assert rows[winner]["win_rate"] == 1.0, "the vote was for the model revealed as A"
