"""The project is a package: `make install` installs it, `arena` is a console script, and its
version comes from one place, pyproject.toml, through the installed package's metadata."""

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def declared_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_installed_package_has_the_version_pyproject_declares():
    assert metadata.version("arena") == declared_version()


def test_the_arena_console_script_prints_that_version():
    script = Path(sys.executable).parent / "arena"
    shown = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == f"arena, version {declared_version()}"


def test_python_dash_m_arena_prints_the_same():
    shown = subprocess.run([sys.executable, "-m", "arena", "--version"], capture_output=True,
                           text=True, check=True, cwd=ROOT)  # fmt: skip
    assert shown.stdout.strip() == f"arena, version {declared_version()}"
