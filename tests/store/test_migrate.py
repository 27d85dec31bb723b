"""`qa index migrate`: a library copied between backends keeps its articles, passages and vectors exactly, and
nothing is embedded again (the target's embedder points at a model that does not exist, so any attempt to
embed would fail)."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from index.backends import migrate, open_store
from index.embedding import Embedder
from tests.conftest import ROOT

NO_MODEL = "/nonexistent/model"  # loading it would raise: proves that nothing is re-embedded


def _library(store) -> dict:
    return {e.article.doc_id: (e.article, [(c.chunk_id, c.start, c.end) for c in e.chunks], e.vectors, e.model)
            for e in store.export()}


def test_embedded_to_postgresql_and_back_copies_vectors_exactly(filled_store, pg_url, tmp_path):
    if not isinstance(filled_store, type(open_store("", tmp_path / "x"))):
        return  # the round trip starts from the embedded store; the PostgreSQL one is its middle step
    pg = open_store(pg_url, tmp_path / "p", embedder=Embedder(NO_MODEL))
    assert migrate(filled_store, pg, batch=2) == 5
    back = open_store("", tmp_path / "back", embedder=Embedder(NO_MODEL))
    assert migrate(pg, back) == 5
    want = _library(filled_store)
    for store in (pg, back):
        got = _library(store)
        assert set(got) == set(want)
        for doc_id, (article, chunks, vectors, model) in want.items():
            assert got[doc_id][0] == article and got[doc_id][1] == chunks and got[doc_id][3] == model
            np.testing.assert_allclose(got[doc_id][2], vectors, atol=1e-6)
    snap = pg.snapshot()
    assert len(snap) == 5 and snap.sources == filled_store.snapshot().sources
    assert snap.keyword.knows("tram")


def test_migrate_refuses_vectors_of_another_precision(filled_store, pg_url, tmp_path):
    import pytest

    from index.errors import IndexMismatchError

    target = open_store(pg_url, tmp_path / "p", embedder=Embedder(NO_MODEL, precision="fp32"))
    with pytest.raises(IndexMismatchError, match="bf16"):
        migrate(filled_store, target)
    assert not target.exists()


def test_qa_index_migrate_command(filled_store, pg_url, tmp_path):
    """The command line copies the library named by --index-dir (or QA_STORE_URL) to --to."""
    if not hasattr(filled_store, "url"):
        source_args = ["--index-dir", str(filled_store.path)]
        env = {k: v for k, v in os.environ.items() if k != "QA_STORE_URL"}
    else:
        source_args = []
        env = {**os.environ, "QA_STORE_URL": filled_store.url}
    target = tmp_path / "copy"
    out = subprocess.run([sys.executable, "-m", "qa.cli", "index", "migrate", "--to", str(target), *source_args],
                         cwd=ROOT, env={**env, "QA_INDEX_DIR": str(tmp_path / "i")}, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "migrated 5 articles" in out.stdout
    copy = open_store("", target, embedder=Embedder(NO_MODEL))
    assert len(copy.snapshot().articles) == 5
    if hasattr(filled_store, "url"):
        return
    again = subprocess.run([sys.executable, "-m", "qa.cli", "index", "migrate", "--to", pg_url, *source_args],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(open_store(pg_url, tmp_path / "p", embedder=Embedder(NO_MODEL)).snapshot().articles) == 5
