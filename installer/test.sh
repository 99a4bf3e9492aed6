#!/usr/bin/env bash
# Set up the test tools (idempotent) and run every check: ruff, mypy, import contracts, pytest.
#   bash installer/test.sh [pytest args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/installer/install.sh" --test
cd "$here"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export PYSTOW_HOME="${PYSTOW_HOME:-$here/.venv/pystow}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
echo "== ruff" && .venv/bin/ruff check .
echo "== mypy" && .venv/bin/mypy
echo "== import contracts" && .venv/bin/lint-imports
echo "== pytest" && .venv/bin/python -m pytest "$@"
