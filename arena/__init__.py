"""arena: a self-hostable, blind pairwise voting arena for large language models.

Public surface: `load_settings` (configuration), `create_arena` (wiring), `Arena` (the service).
"""

__all__ = ["Arena", "create_arena", "load_settings"]


def __getattr__(name: str):  # imported lazily: `import arena.domain.battle` stays light
    if name == "Arena":
        from arena.service import Arena

        return Arena
    if name == "create_arena":
        from arena.bootstrap import create_arena

        return create_arena
    if name == "load_settings":
        from arena.config import load_settings

        return load_settings
    raise AttributeError(name)
