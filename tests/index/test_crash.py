"""A real `kill -9` of `qa index add` while it embeds and while it commits, and a reader during an add; and
a `kill -9` of a writer process at each step of a commit (both renames included), placed exactly by an audit
hook in that process (see fault_child.py).

The writer is the real command line in a subprocess; the phases are recognised from its `-v` log lines
("embedding N chunks", "writing gen-...") and from the files it creates, never from timings.
"""
import json
import os
import shutil
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
from tests.index.conftest import EXTRA, run_child

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


# ---- kill -9 at each step of a commit, both renames included ---------------------------------------------

GEN = r"gen-\d{8}"
# (step, where the kill lands, whether the new generation is committed afterwards)
COMMIT_STEPS = [
    ("creating the temporary folder", {"event": "os.mkdir", "match": GEN + r"\.tmp$", "arg": 0}, False),
    ("writing faiss.index", {"event": "open", "match": r"\.tmp/faiss\.index$", "arg": 0}, False),
    ("writing the manifest (last file)", {"event": "open", "match": r"\.tmp/manifest\.json$", "arg": 0}, False),
    ("renaming the folder into place", {"event": "os.rename", "match": GEN + "$", "arg": 1}, False),
    ("just after renaming the folder", {"event": "os.rename", "match": GEN + "$", "arg": 1, "after": True}, False),
    ("writing CURRENT.tmp", {"event": "open", "match": r"CURRENT\.tmp$", "arg": 0}, False),
    ("replacing CURRENT", {"event": "os.rename", "match": r"/CURRENT$", "arg": 1}, False),
    ("just after replacing CURRENT", {"event": "os.rename", "match": r"/CURRENT$", "arg": 1, "after": True}, True),
    ("moving an old generation aside", {"event": "os.rename", "match": r"\.tmp-prune$", "arg": 1}, True),
    ("deleting an old generation", {"event": "shutil.rmtree", "match": r"\.tmp-prune$", "arg": 0}, True),
]


@pytest.mark.parametrize("step, kill_at, committed", COMMIT_STEPS, ids=[s[0] for s in COMMIT_STEPS])
def test_kill_9_at_each_step_of_a_commit_loses_nothing_committed(two_generations, tmp_path, embedder, step,
                                                                  kill_at, committed):
    index_dir = shutil.copytree(two_generations, tmp_path / "index")
    before = SEED_IDS | {EXTRA.doc_id}
    rc, out, err = run_child(index_dir, "remove", EXTRA.doc_id, kill_at=kill_at)
    assert rc == -signal.SIGKILL, f"the kill point was not reached ({step}): {out} {err}"
    expected = SEED_IDS if committed else before
    assert (index_dir / "CURRENT").read_text().strip() == ("gen-00000003" if committed else "gen-00000002")
    assert_consistent(index_dir, embedder, expected)
    # The last committed generation is still on disk, whatever the killed writer had done.
    assert (index_dir / ("gen-00000003" if committed else "gen-00000002") / "articles.jsonl").is_file()

    # The next writer (another process) commits on top of it, cleans up, and keeps its base.
    base = (index_dir / "CURRENT").read_text().strip()
    rc, out, err = run_child(index_dir, "remove", "000_4e74a08cbb1c99cc")
    assert rc == 0 and out["ok"][0] == ["000_4e74a08cbb1c99cc"], err
    assert_consistent(index_dir, embedder, expected - {"000_4e74a08cbb1c99cc"})
    assert (index_dir / base).is_dir()  # the predecessor of the new commit, committed, never pruned
    leftovers = sorted(p.name for p in index_dir.iterdir() if ".tmp" in p.name)
    assert leftovers == []
    gens = sorted(p.name for p in index_dir.glob("gen-*"))
    assert gens == sorted({base, (index_dir / "CURRENT").read_text().strip()})


def test_kill_9_of_an_add_between_its_two_renames_keeps_the_committed_generation(two_generations, tmp_path,
                                                                                 embedder):
    """The reported loss: killed after the folder rename and before CURRENT moved, the re-run used to keep
    the uncommitted generation and delete the committed one."""
    index_dir = shutil.copytree(two_generations, tmp_path / "index")
    extra = tmp_path / "more.txt"
    extra.write_text("Subscribers to the city's bike-share scheme rose by a third in October, officials said.",
                     encoding="utf-8")
    rc, _out, err = run_child(index_dir, "add", str(extra),
                          kill_at={"event": "os.rename", "match": GEN + "$", "arg": 1, "after": True})
    assert rc == -signal.SIGKILL, err
    assert (index_dir / "gen-00000003").is_dir()  # complete, but never committed
    assert (index_dir / "CURRENT").read_text().strip() == "gen-00000002"
    rc, out, err = run_child(index_dir, "add", str(extra))
    assert rc == 0 and out["ok"]["added"] == ["more"], err
    # The leftover was removed before the new commit (which reuses its number); the committed one stays.
    assert (index_dir / "CURRENT").read_text().strip() == "gen-00000003"
    assert sorted(p.name for p in index_dir.glob("gen-*")) == ["gen-00000002", "gen-00000003"]
    assert_consistent(index_dir, embedder, SEED_IDS | {EXTRA.doc_id, "more"})
