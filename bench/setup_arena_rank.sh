#!/usr/bin/env bash
# Creates bench/.venv-arena-rank: PyPI's arena-rank with the numpy/jax it pins, kept apart
# from the project's .venv so its pins never touch the app. Safe to re-run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-arena-rank"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "arena-rank==0.1.1" pandas
"$venv/bin/python" -c "import arena_rank, jax, numpy; print('arena-rank ready: jax', jax.__version__, 'numpy', numpy.__version__)"
