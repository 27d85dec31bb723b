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
    from qa.review import ReviewStore
    from qa.review_pg import PgReviewStore
    from tests.qa.test_review import _answer

    reviews = ReviewStore.beside(filled_store.path)
    try:
        reviews.record(_answer())
        reviews.set_verdict(reviews.items()[1].id, "rejected", "wrong figure")
        again = subprocess.run([sys.executable, "-m", "qa.cli", "index", "migrate", "--to", pg_url, *source_args],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        for leftover in filled_store.path.glob("review.sqlite*"):
            leftover.unlink()
    assert again.returncode == 0, again.stderr
    assert len(open_store(pg_url, tmp_path / "p", embedder=Embedder(NO_MODEL)).snapshot().articles) == 5
    # The verdicts went with the library: its reviews are now in the database.
    assert "copied 1 reviewed answers" in again.stdout
    moved = PgReviewStore(pg_url, tmp_path / "p").items()
    assert [(i.verdict, i.note) for i in moved] == [(None, ""), ("rejected", "wrong figure")]


def test_reviews_copy_between_backends_once(pg_url, tmp_path):
    """copy_to keeps every answer, citation, verdict, note and time; run again, it copies nothing twice."""
    from qa.review import ReviewStore
    from qa.review_pg import PgReviewStore
    from tests.qa.test_review import _answer

    sqlite = ReviewStore.beside(tmp_path / "a")
    sqlite.record(_answer("first?"))
    sqlite.record(_answer("second?"))
    sqlite.set_verdict(sqlite.items()[0].id, "accepted", "checked")
    pg = PgReviewStore(pg_url, tmp_path / "p")
    assert sqlite.copy_to(pg) == 2 and sqlite.copy_to(pg) == 0
    fields = ("question", "answer_text", "number", "doc_id", "quote", "start", "end", "sentence", "verdict", "note",
              "reviewed_at", "created_at")

    def view(store):
        return [tuple(getattr(i, f) for f in fields) for i in store.items()]
    assert view(pg) == view(sqlite) and pg.stats().accepted == 1
    back = ReviewStore.beside(tmp_path / "b")
    assert pg.copy_to(back) == 2 and view(back) == view(sqlite)
