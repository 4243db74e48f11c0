"""Who may import whom (STYLE.md): checked on the source, without importing anything."""

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
STDLIB_OR_NUMERIC = {"numpy", "scipy", "trueskill", "__future__"}
DOMAIN = {"arena.battle", "arena.pairing", "arena.config", "arena.categories", "arena.text"}
ADAPTERS = {"arena.store", "arena.providers", "arena.local_models", "arena.roster",
            "arena.server_secrets"}  # fmt: skip


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield module_name(path), imports_of(path)


def is_stdlib(name: str) -> bool:
    import sys

    return name.split(".")[0] in sys.stdlib_module_names


def test_ratings_imports_only_stdlib_numpy_scipy_trueskill():
    for module, imported in modules("ratings"):
        for name in imported:
            top = name.split(".")[0]
            assert top == "ratings" or top in STDLIB_OR_NUMERIC or is_stdlib(name), (module, name)


def test_domain_modules_import_no_adapters_or_frameworks():
    for module, imported in modules("arena"):
        if module not in DOMAIN and not module.startswith("arena.integrity"):
            continue
        for name in imported:
            top = name.split(".")[0]
            assert name not in ADAPTERS, (module, name)
            assert top not in {"gradio", "litellm", "sqlite_utils", "fastapi", "httpx"}, (
                module,
                name,
            )


def test_ui_api_and_cli_never_touch_the_store_or_providers():
    for module, imported in modules("arena"):
        if not (
            module.startswith("arena.ui")
            or module in {"arena.api", "arena.cli", "arena.web", "arena.edge"}
        ):
            continue
        for name in imported:
            assert name not in ADAPTERS, (module, name)
            assert not name.startswith("sqlite"), (module, name)
            assert name != "litellm", (module, name)


def test_only_bootstrap_and_the_adapters_import_third_party_adapters():
    owners = {"litellm": {"arena.providers"}, "sqlite_utils": {"arena.store"},
              "xllamacpp": {"arena.local_models"}}  # fmt: skip
    for module, imported in modules("arena"):
        for name in imported:
            top = name.split(".")[0]
            if top in owners:
                assert module in owners[top], (module, name)


def test_only_config_reads_the_environment():
    for package in ("arena", "ratings"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if module_name(path) == "arena.config":
                continue
            for read in ("os.environ[", "os.getenv", "os.environ.get(", "dict(os.environ"):
                assert read not in source, (path, read)


def test_importing_the_package_changes_no_environment_variable():
    import subprocess
    import sys

    code = (
        "import os; before = dict(os.environ); "
        "import arena, arena.service, arena.web, arena.cli, arena.bootstrap; "
        "changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}; "
        "print(sorted(changed))"
    )
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=clean, cwd=Path(__file__).parent.parent, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout
