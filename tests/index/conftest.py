"""Fixtures of the index tests: a two-generation index, and a writer or reader in its own process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.articles import Article
from index.loaders import load_paths
from index.store import Store
from tests.conftest import ROOT, SEEDS

CHILD = Path(__file__).with_name("fault_child.py")
SEED_IDS = {"000_4e74a08cbb1c99cc", "001_5391de805404b0fb"}
EXTRA = Article("extra-1", "The harbour reopened on Tuesday after the storm, the port authority said, and "
                           "ferries to the islands resumed their timetable.", title="Harbour reopens")


def run_child(index_dir: Path, *args: str, kill_at: dict | None = None, fsize: int | None = None,
              user: int | None = None, timeout: float = 600) -> tuple[int, dict | None, str]:
    """fault_child.py in its own process: (return code, its JSON output or None, stderr). A traceback on
    stderr fails the test: every fault must come out as a message."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    extra = ["--kill-at", json.dumps(kill_at)] if kill_at else []
    extra += ["--fsize", str(fsize)] if fsize else []
    if user is not None:
        env["HOME"] = "/nonexistent"
    out = subprocess.run([sys.executable, str(CHILD), str(index_dir), *args, *extra], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=timeout, user=user)
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, (json.loads(out.stdout) if out.stdout.strip() else None), out.stderr


@pytest.fixture(scope="module")
def two_generations(tmp_path_factory, embedder):
    """An index with two committed generations: the seeds (gen 1), then the seeds and EXTRA (gen 2)."""
    path = tmp_path_factory.mktemp("two-gens") / "index"
    store = Store(path, embedder=embedder)
    store.add(load_paths([str(SEEDS)]).articles)
    store.add([EXTRA])
    assert store.current_generation() == "gen-00000002"
    return path
