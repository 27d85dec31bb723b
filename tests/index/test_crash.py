"""A real `kill -9` of `qa index add` while it embeds and while it commits, and a reader during an add.

The writer is the real command line in a subprocess; the phases are recognised from its `-v` log lines
("embedding N chunks", "writing gen-...") and from the files it creates, never from timings.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from index.loaders import load_paths
from index.store import Store
from tests.conftest import ROOT, SEEDS

MULTIHOP = Path("/work/shared/bench/multihop/corpus.jsonl")
SEED_IDS = {"000_4e74a08cbb1c99cc", "001_5391de805404b0fb"}
pytestmark = pytest.mark.slow


class Writer:
    """`qa -v index add` in a subprocess, with its log lines collected as they arrive."""

    def __init__(self, *paths: Path, index_dir: Path):
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "qa.cli", "-v", "index", "add", *map(str, paths), "--quiet",
             "--index-dir", str(index_dir)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.lines: list[str] = []
        self.seen = {"embedding": threading.Event(), "writing": threading.Event()}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)
            for key, event in self.seen.items():
                if f"index.store: {key} " in line:
                    event.set()

    def wait_for(self, key: str, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while not self.seen[key].wait(0.05):
            assert self.proc.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, f"no {key!r} phase seen:\n" + "".join(self.lines)

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(60)


def assert_consistent(index_dir: Path, embedder, expected: set[str]) -> None:
    snap = Store(index_dir, embedder=embedder).snapshot()  # a fresh process's view
    assert set(snap.articles) == expected
    assert snap.faiss.ntotal == len(snap.chunks) == snap.keyword.size
    assert {c.doc_id for c in snap.chunks} == expected
    assert snap.signatures.shape[0] == len(expected)
    # The vectors belong to their chunks: each of a few chunks finds itself first.
    for row in range(0, len(snap.chunks), max(1, len(snap.chunks) // 4)):
        assert int(np.argmax(snap.dense_scores(embedder.encode([snap.scored_text(row)])[0]))) == row


@pytest.fixture
def corpus_part(tmp_path):
    """25 MultiHop-RAG articles (~300 chunks): long enough to be killed mid-embedding."""
    path = tmp_path / "part.jsonl"
    with MULTIHOP.open(encoding="utf-8") as src:
        lines = [next(src) for _ in range(25)]
    path.write_text("".join(lines), encoding="utf-8")
    return path, {json.loads(line)["doc_id"] for line in lines}


def test_kill_9_during_embedding_and_commit_leaves_last_index_loadable(tmp_path, embedder, corpus_part):
    part, part_ids = corpus_part
    index_dir = tmp_path / "index"
    Store(index_dir, embedder=embedder).add(load_paths([str(SEEDS)]).articles)
    committed = (index_dir / "CURRENT").read_text()

    # 1. While embedding.
    w = Writer(part, index_dir=index_dir)
    w.wait_for("embedding")
    time.sleep(1.0)  # well into the batches
    assert not w.seen["writing"].is_set()
    assert w.kill() == -signal.SIGKILL
    assert (index_dir / "CURRENT").read_text() == committed
    assert_consistent(index_dir, embedder, SEED_IDS)

    # 2. While committing: as soon as the new generation's folder is being written.
    w = Writer(part, index_dir=index_dir)
    w.wait_for("writing")
    assert w.kill() == -signal.SIGKILL
    assert (index_dir / "CURRENT").read_text() == committed
    assert_consistent(index_dir, embedder, SEED_IDS)

    # 3. Later in the commit: once the FAISS file of the new generation exists.
    w = Writer(part, index_dir=index_dir)
    w.wait_for("writing")
    while w.proc.poll() is None and not any(index_dir.glob("gen-*.tmp/faiss.index")):
        time.sleep(0.002)
    rc = w.kill() if w.proc.poll() is None else w.proc.returncode
    # Either it died before switching CURRENT (the old index stands) or it had finished (the new one does).
    if (index_dir / "CURRENT").read_text() == committed:
        assert_consistent(index_dir, embedder, SEED_IDS)
    else:
        assert rc in (0, -signal.SIGKILL)
        assert_consistent(index_dir, embedder, SEED_IDS | part_ids)

    # 4. A following add succeeds, cleans up what the killed writers left, and a reader in this process
    # keeps answering while it runs and sees the new articles after the commit.
    reader = Store(index_dir, embedder=embedder)
    before = reader.snapshot()
    query = embedder.encode(["Alexandr Wang superintelligence Meta"])[0]
    w = Writer(part, index_dir=index_dir)
    answers = 0
    while w.proc.poll() is None:
        snap = reader.snapshot()
        best = snap.chunks[int(np.argmax(snap.dense_scores(query)))]
        assert best.doc_id in SEED_IDS | part_ids
        assert snap.faiss.ntotal == len(snap.chunks) == snap.keyword.size
        answers += 1
        time.sleep(0.2)
    assert w.proc.returncode == 0, "".join(w.lines)
    assert answers > 0 and len(before.articles) in (2, 27)
    after = reader.snapshot()
    assert set(after.articles) == SEED_IDS | part_ids
    assert_consistent(index_dir, embedder, SEED_IDS | part_ids)
    assert not list(index_dir.glob("*.tmp"))
