#!/usr/bin/env bash
# Set everything up, check the code with ruff and mypy, then run the whole test suite (real models, real FAISS,
# real servers and browser).
set -euo pipefail
cd "$(dirname "$0")/.."
QA_SKIP_SEED_INDEX=1 bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "== ruff and mypy (qa/, index/, ui/)"
.venv/bin/ruff check
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
