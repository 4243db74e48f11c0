"""The code version recorded in snapshots: the git commit when run from a checkout, else the
package version."""

from __future__ import annotations

from pathlib import Path

PACKAGE_VERSION = "0.1.0"


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
            return f"arena {PACKAGE_VERSION}"
        return f"git:{head}"
    except OSError:
        return f"arena {PACKAGE_VERSION}"
