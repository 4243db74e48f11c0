"""The provider boundary of the attack simulation: every model answers at once with a short text
in its own hidden style, never naming itself (the identity-disclosure gate would void the battle).

Attackers recognise models through the simulation's oracle, not through this text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from arena.adapters.providers import Reachability, TextDelta, Usage
from arena.domain.roster import ModelConfig

STYLE_WORDS = (
    "amber", "birch", "cobalt", "dune", "ember", "fjord", "garnet", "heath", "indigo", "juniper",
    "kelp", "lumen", "maple", "nectar", "onyx", "pebble", "quartz", "russet", "sable", "thistle",
    "umber", "velvet", "willow", "yarrow", "zephyr",
)  # fmt: skip


class SimulatedProvider:
    """Answers `"<style word> answer <n>: …"` in two deltas, then a Usage; no network, no sleep."""

    def __init__(self, models: Sequence[str]):
        self._style = {name: STYLE_WORDS[i % len(STYLE_WORDS)] for i, name in enumerate(models)}
        self.calls = 0

    async def stream(
        self, model: ModelConfig, messages: Sequence[Mapping[str, str]]
    ) -> AsyncIterator[TextDelta | Usage]:
        self.calls += 1
        style = self._style.get(model.name, "plain")
        yield TextDelta(f"{style} answer {len(messages)}: ")
        yield TextDelta(
            f"a considered reply to a question of {len(messages[-1]['content'])} chars."
        )
        yield Usage(prompt_tokens=len(messages[-1]["content"]) // 4, completion_tokens=12)

    async def check(self, model: ModelConfig) -> Reachability:
        return Reachability(reachable=True, detail="simulated", latency_s=0.0)

    def warm_up(self) -> None:
        pass

    async def aclose(self) -> None:
        pass
