"""`python -m arena`: the maintainers' command line."""

from arena.config import apply_offline_defaults

if __name__ == "__main__":
    apply_offline_defaults()  # before gradio and litellm are imported
    from arena.cli import cli

    cli(prog_name="python -m arena")
