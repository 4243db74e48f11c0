"""Play one anonymous battle through the arena's Gradio API and vote, as a browser does.

Endpoints and parameters: docs/api.md, "Gradio client". Run `--help` for usage.
"""

from __future__ import annotations

import base64
import json
import sys
import time
from typing import Any

import click
from gradio_client import Client
from gradio_client.utils import sanitize_parameter_names

from arena.config import Settings
from arena.domain.verdicts import Verdict
from arena.integrity.proof_of_work import solve

VERDICTS = [verdict.value for verdict in Verdict]  # a_better, b_better, tie, both_bad


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("url")
@click.argument("prompt")
@click.option(
    "--verdict",
    type=click.Choice(VERDICTS),
    default="tie",
    show_default=True,
    help="the vote to cast",
)
@click.option(
    "--wait",
    type=float,
    default=Settings.min_seconds_to_vote,
    show_default=True,
    help="seconds between both answers finishing and the vote; a sooner vote is "
    "stored but does not count (the server's min_seconds_to_vote)",
)
@click.option(
    "--timeout",
    type=float,
    default=120.0,
    show_default=True,
    help="seconds to wait for both answers",
)
@click.option("--accept-terms", is_flag=True,
              help="accept the arena's terms notice for this voter first (read it with "
              "GET URL/api/terms); an arena that requires them starts no battle before")  # fmt: skip
def main(url: str, prompt: str, verdict: str, wait: float, timeout: float,
         accept_terms: bool) -> None:  # fmt: skip
    """Send PROMPT to the arena at URL, wait for both anonymous answers, solve the proof of work
    if the server demands one, wait --wait seconds, vote and print the receipt and the revealed
    models. Exits 1 if the vote was refused.

    One run is one voter: gradio_client keeps the signed voter cookie the server sets on its
    first request and sends it with every call, and one Client is one page session, whose
    server-side state holds the battle.

    \b
    Example:
        .venv/bin/python examples/play_battle.py http://127.0.0.1:7860 "Name three rivers" --verdict a_better
    """
    client = Client(url, verbose=False)
    api = client.view_api(print_info=False, return_format="dict")["named_endpoints"]

    if accept_terms:
        client.predict(api_name="/accept_terms")
        click.echo("terms accepted")
    job = client.submit(prompt=prompt, api_name="/anonymous_send")
    job.result(timeout=timeout)
    answered_at = time.monotonic()
    # Every update the stream sent: the challenge comes with the first, the answers with the last.
    updates = [_by_name(api, "/anonymous_send", values) for values in job.outputs()]
    final = updates[-1]
    click.echo(_text(final["status"]))
    for side in ("model_a", "model_b"):
        click.echo(f"\n## {side}\n{_last_answer(final[side])}")

    solution = ""
    challenge = next((_text(u["challenge"]) for u in updates if _text(u["challenge"])), "")
    if challenge:
        bits = _difficulty_bits(challenge)
        started = time.monotonic()
        solution = str(solve(challenge, bits))
        click.echo(f"\nproof of work: {bits} bits, solved in {time.monotonic() - started:.2f} s")

    time.sleep(max(0.0, wait - (time.monotonic() - answered_at)))
    voted = client.predict(solution=solution, api_name=f"/anonymous_vote_{verdict}")
    receipt = _by_name(api, f"/anonymous_vote_{verdict}", voted)
    click.echo(f"\n{_text(receipt['status'])}")
    revealed = _text(receipt["revealed"])
    if not revealed:  # names are revealed only when the vote is stored
        sys.exit(1)
    click.echo(revealed)


def _by_name(api: dict, endpoint: str, values: Any) -> dict[str, Any]:
    """An endpoint's outputs by the names `Client.view_api()` shows."""
    names = [sanitize_parameter_names(r["label"]) for r in api[endpoint]["returns"]]
    values = values if isinstance(values, (list, tuple)) else [values]
    return dict(zip(names, values, strict=True))


def _text(value: Any) -> str:
    """A text output: the value itself, or the value inside an update (None: left unchanged)."""
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) else ""


def _last_answer(chat: Any) -> str:
    messages = chat.get("value") if isinstance(chat, dict) else chat
    answers = [m["content"] for m in messages or [] if m.get("role") == "assistant"]
    if not answers:
        return ""
    content = answers[-1]
    if isinstance(content, list):  # Gradio's message parts
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def _difficulty_bits(challenge: str) -> int:
    """The difficulty signed into the challenge: the token is base64url(payload JSON) "."
    signature (arena/integrity/proof_of_work.py); the payload's `bits` is the server's pow_bits."""
    payload = challenge.split(".")[0]
    return int(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["bits"])


if __name__ == "__main__":
    main()
