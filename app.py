"""Start the arena web app (the same as `python -m arena serve`)."""

from arena.cli import cli

if __name__ == "__main__":
    cli(["serve"], prog_name="app.py")
