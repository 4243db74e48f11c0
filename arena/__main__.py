"""`python -m arena`: the maintainers' command line."""

from arena.cli import cli

if __name__ == "__main__":
    cli(prog_name="python -m arena")
