"""Start the arena web app (the same as `python -m arena serve`)."""

from arena.config import apply_offline_defaults

if __name__ == "__main__":
    apply_offline_defaults()  # before gradio and litellm are imported
    from arena.cli import cli

    cli(["serve"], prog_name="app.py")
