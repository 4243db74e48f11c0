"""Versions: the package's (declared once, in pyproject.toml, read from the installed package's
metadata) and the code version recorded in snapshots (the git commit when run from a checkout,
else the package version)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path


def package_version() -> str:
    """The installed package's version; from a checkout that was never installed, pyproject's."""
    try:
        return metadata.version("arena")
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


def code_version(root: Path | None = None) -> str:
    """`git:<commit>` read from .git without running git, or `arena <version>`."""
    git = (root or Path(__file__).resolve().parent.parent) / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head[5:]
            path = git / ref
            if path.exists():
                return f"git:{path.read_text().strip()}"
            for line in (git / "packed-refs").read_text().splitlines():
                if line.endswith(" " + ref):
                    return f"git:{line.split()[0]}"
            return f"arena {package_version()}"
        return f"git:{head}"
    except OSError:
        return f"arena {package_version()}"
