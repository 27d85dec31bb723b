"""`qa index ...` through the real command line (a subprocess), on bad and good input."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from index.loaders import load_paths
from index.store import Store
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow  # each test runs the real command line or server as a process

SEED_IDS = {"000_4e74a08cbb1c99cc", "001_5391de805404b0fb"}


def qa(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("cli-seed") / "index"
    Store(path, embedder=embedder).add(load_paths([str(SEEDS)]).articles)
    return path


@pytest.fixture
def index_dir(seed_index, tmp_path):
    """A private copy of the seed index, so each test may change it."""
    return shutil.copytree(seed_index, tmp_path / "index")


def listed(index_dir) -> set[str]:
    out = qa("index", "list", "--json", "--index-dir", str(index_dir))
    assert out.returncode == 0, out.stderr
    return {row["doc_id"] for row in json.loads(out.stdout)}


def _make(tmp_path, kind: str):
    if kind == "empty":
        p = tmp_path / "empty.txt"
        p.write_bytes(b"")
    elif kind == "binary":
        p = tmp_path / "photo.txt"
        p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    elif kind == "huge":
        p = tmp_path / "huge.txt"
        with open(p, "wb") as f:
            f.truncate(50 * 2**20)
    elif kind == "unsupported":
        p = tmp_path / "notes.docx"
        p.write_bytes(b"PK\x03\x04 a word file")
    elif kind == "missing":
        p = tmp_path / "no-such-file.txt"
    elif kind == "all-malformed-jsonl":
        p = tmp_path / "feed.jsonl"
        p.write_text('{"body": "unterminated\n[1, 2]\n', encoding="utf-8")
    return p


@pytest.mark.parametrize("kind, message", [
    ("empty", "the file is empty"),
    ("binary", "binary file"),
    ("huge", "50 MB; one article may be at most 10 MB"),
    ("unsupported", "unsupported file type .docx"),
    ("missing", "no such file or folder"),
    ("all-malformed-jsonl", "feed.jsonl:1: malformed JSON"),
])
def test_bad_input_is_refused_and_nothing_is_lost(index_dir, tmp_path, kind, message):
    gen = (index_dir / "CURRENT").read_text()
    path = _make(tmp_path, kind)
    out = qa("index", "add", str(path), "--index-dir", str(index_dir))
    assert out.returncode == 1
    assert message in out.stderr and str(path.name) in out.stderr
    assert "nothing could be added" in out.stderr
    assert "Traceback" not in out.stderr
    assert (index_dir / "CURRENT").read_text() == gen
    assert listed(index_dir) == SEED_IDS


def test_good_input_next_to_bad_is_added_and_reported(index_dir, tmp_path):
    cp1252 = tmp_path / "old-news.txt"
    cp1252.write_bytes("Caf\u00e9 owners in S\u00e3o Paulo said prices rose \u201csharply\u201d this year, "
                       "according to a survey of two hundred shops.".encode("cp1252"))
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"doc_id": "wire-1", "title": "Harbour reopens", "source": "Wire",
                                "published_at": "2023-10-03", "body": "The harbour reopened on Tuesday after "
                                "the storm, the port authority said."}) + "\n{broken\n", encoding="utf-8")
    out = qa("index", "add", str(cp1252), str(feed), str(tmp_path / "missing.md"), "--quiet",
             "--index-dir", str(index_dir))
    assert out.returncode == 3, out.stderr  # added what it could; the skips are listed and the summary says so
    assert "2 skipped" in out.stderr.splitlines()[-1]
    assert "not UTF-8" in out.stderr
    assert f"{feed}:2: malformed JSON" in out.stderr
    assert "missing.md: no such file or folder" in out.stderr
    assert "added old-news" in out.stdout and "added wire-1" in out.stdout
    assert listed(index_dir) == SEED_IDS | {"old-news", "wire-1"}
    rows = {r["doc_id"]: r for r in json.loads(qa("index", "list", "--json", "--index-dir", str(index_dir)).stdout)}
    assert rows["wire-1"]["title"] == "Harbour reopens" and rows["wire-1"]["source"] == "Wire"
    # Plain listing: one article a line, starting with its doc_id.
    plain = qa("index", "list", "--index-dir", str(index_dir)).stdout.splitlines()
    assert sorted(line.split("\t")[0] for line in plain) == sorted(rows)
    # The same files again change nothing.
    again = qa("index", "add", str(cp1252), str(feed), "--quiet", "--index-dir", str(index_dir))
    assert again.returncode == 3 and "0 added" in again.stderr  # the broken JSON line is skipped again and "unchanged old-news" in again.stdout
    # Remove, then stats agree with the store on disk.
    rm = qa("index", "remove", "old-news", "nope", "--index-dir", str(index_dir))
    assert rm.returncode == 0 and "removed old-news" in rm.stdout and "not found: nope" in rm.stderr
    stats = json.loads(qa("index", "stats", "--json", "--index-dir", str(index_dir)).stdout)
    snap = Store(index_dir).snapshot()
    assert stats["articles"] == len(snap.articles) == 3
    assert stats["chunks"] == len(snap.chunks) == snap.faiss.ntotal == snap.keyword.size
    assert stats["manifest"]["embedding_precision"] == "bf16"


def test_remove_of_unknown_ids_exits_non_zero(index_dir):
    out = qa("index", "remove", "nope", "--index-dir", str(index_dir))
    assert out.returncode == 1 and "not found: nope" in out.stderr
    assert listed(index_dir) == SEED_IDS


def test_list_without_an_index_says_how_to_make_one(tmp_path):
    out = qa("index", "list", "--index-dir", str(tmp_path / "none"))
    assert out.returncode == 1 and "qa index add" in out.stderr and "Traceback" not in out.stderr
