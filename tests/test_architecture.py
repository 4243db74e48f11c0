"""Who may import whom (STYLE.md): checked on the source, without importing anything."""

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
STDLIB_OR_NUMERIC = {"numpy", "scipy", "trueskill", "__future__"}
# The one compiled kernel dependency ratings/ may have (issue 10), and the one module that uses it.
KERNEL = ("numba", "ratings.trueskill_kernel")
# Layers, innermost first. Pure code imports no outer layer and no framework; the use cases and
# the service see ports, never adapters; faces see the service (and the values it returns).
PURE = ("arena.domain", "arena.integrity", "arena.config", "arena.ports", "arena.i18n",
        "arena.snapshot", "arena.rankings", "arena.views")  # fmt: skip
CORE = ("arena.usecases", "arena.service")
FACES = ("arena.web", "arena.cli")
OUTER = ("arena.adapters", "arena.usecases", "arena.service", "arena.bootstrap", "arena.web",
         "arena.cli", "arena.formats")  # fmt: skip
FRAMEWORKS = {"gradio", "litellm", "sqlite_utils", "sqlite3", "psycopg", "psycopg_pool",
              "fastapi", "starlette", "httpx", "uvicorn", "pyarrow", "xllamacpp", "yaml"}  # fmt: skip
# What the service holds and the faces must never reach through it (`arena.store.…`).
COLLABORATORS = {"store", "provider", "publishing", "detection", "gatekeeper", "pairing",
                 "secrets", "local_models", "disclosure", "roster"}  # fmt: skip


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


def test_ratings_imports_only_stdlib_numpy_scipy_trueskill_and_one_kernel_module_numba():
    for module, imported in modules("ratings"):
        allowed = STDLIB_OR_NUMERIC | ({KERNEL[0]} if module == KERNEL[1] else set())
        for name in imported:
            top = name.split(".")[0]
            assert top == "ratings" or top in allowed or is_stdlib(name), (module, name)


def in_layer(module: str, layer: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in layer)


def test_pure_modules_import_no_outer_layer_and_no_framework():
    for module, imported in modules("arena"):
        if not in_layer(module, PURE):
            continue
        for name in imported:
            assert not in_layer(name, OUTER), (module, name)
            assert name.split(".")[0] not in FRAMEWORKS, (module, name)


def test_the_service_and_use_cases_see_ports_never_adapters_or_faces():
    for module, imported in modules("arena"):
        if not in_layer(module, CORE):
            continue
        for name in imported:
            # arena.formats (reading and writing battle files) is allowed: publishing releases
            # and imports battle data; the files are the caller's, not a collaborator.
            assert not in_layer(name, ("arena.adapters", "arena.web", "arena.cli",
                                       "arena.bootstrap")), (module, name)  # fmt: skip
            assert name.split(".")[0] not in FRAMEWORKS, (module, name)


def test_faces_import_neither_use_cases_nor_adapters_nor_ports():
    for module, imported in modules("arena"):
        if not in_layer(module, FACES):
            continue
        for name in imported:
            assert not in_layer(name, ("arena.adapters", "arena.usecases", "arena.ports")), (
                module,
                name,
            )
            assert name.split(".")[0] not in {"litellm", "sqlite_utils", "sqlite3", "psycopg"}, (
                module,
                name,
            )


def test_faces_never_reach_a_collaborator_through_the_service():
    """`arena.publishing.create()` from a face goes around the service: only Arena's methods."""
    for path in sorted((ROOT / "arena").rglob("*.py")):
        if not in_layer(module_name(path), FACES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in COLLABORATORS:
                raise AssertionError(f"{module_name(path)}:{node.lineno} reaches .{node.attr}")


def test_only_bootstrap_and_the_adapters_import_third_party_adapters():
    owners = {"litellm": "arena.adapters.providers", "sqlite_utils": "arena.adapters.sqlite",
              "psycopg": "arena.adapters.postgres", "psycopg_pool": "arena.adapters.postgres",
              "xllamacpp": "arena.adapters.local_models", "pyarrow": "arena.formats"}  # fmt: skip
    for module, imported in modules("arena"):
        for name in imported:
            top = name.split(".")[0]
            if top in owners:
                assert in_layer(module, (owners[top],)), (module, name)


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
        "import arena, arena.service, arena.web.app, arena.cli, arena.bootstrap; "
        "changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}; "
        "print(sorted(changed))"
    )
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=clean, cwd=Path(__file__).parent.parent, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout


def test_store_adapters_import_no_file_format_adapter():
    """What crosses a store port is a port type (e.g. ImportedBattles), not a reader's: the
    stores and the file readers are two adapters that must not depend on each other."""
    for package in ("arena/adapters/sqlite", "arena/adapters/postgres"):
        for module, imported in modules(package):
            assert not [n for n in imported if in_layer(n, ("arena.formats",))], module
    assert not [n for n in imports_of(ROOT / "arena/adapters/turn_rows.py")
                if in_layer(n, ("arena.formats",))]  # fmt: skip
