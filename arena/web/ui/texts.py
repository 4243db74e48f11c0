"""Translated component texts: each component registers which table key fills which attribute,
so switching the language is one update per registered component."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import gradio as gr

from arena.i18n import DEFAULT_LANGUAGE, translate


class Texts:
    def __init__(self) -> None:
        self._entries: dict[Any, dict[str, str]] = defaultdict(dict)

    def register(self, component: Any, **attribute_keys: str) -> Any:
        """`texts.register(button, value="send")`: the button's value is the "send" string."""
        self._entries[component].update(attribute_keys)
        return component

    @property
    def components(self) -> list[Any]:
        return list(self._entries)

    def updates(self, language: str) -> dict[Any, Any]:
        return {
            component: gr.update(**{attr: translate(language, key) for attr, key in keys.items()})
            for component, keys in self._entries.items()
        }

    def updates_with(self, language: str, *others: dict) -> dict[Any, Any]:
        """The language's text updates merged with other update dicts (same component: one
        update carrying both)."""
        merged = self.updates(language)
        for other in others:
            for component, update in other.items():
                if component in merged and isinstance(update, dict):
                    merged[component] = {**merged[component], **update}
                else:
                    merged[component] = update
        return merged

    def initial(self, key: str) -> str:
        return translate(DEFAULT_LANGUAGE, key)
