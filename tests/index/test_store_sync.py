"""FAISS, BM25, chunks and signatures stay row-for-row in step through adds, updates and removals."""
import json

import numpy as np
import pytest

from index.articles import Article
from index.embedding import Embedder
from index.errors import IndexMismatchError
from index.store import Store

# Each article carries a made-up word found nowhere else, so its BM25 row can be recognised.
ARTICLES = [Article(f"doc{i}", f"The {w} committee met on Tuesday in the old town hall. Members voted on "
                               f"the {w} proposal after a long debate about funding and schools.")
            for i, w in enumerate(["zorblat", "quintex", "vamdrel", "plorvin"])]


def assert_in_step(store: Store, embedder: Embedder) -> None:
    snap = Store(store.path, embedder=embedder).snapshot()
    assert snap.faiss.ntotal == len(snap.chunks) == snap.keyword.size
    assert snap.signatures.shape[0] == len(snap.articles)
    for row, c in enumerate(snap.chunks):
        word = snap.chunk_text(row).split()[1]
        kw = snap.keyword.scores(word)
        assert snap.chunks[int(np.argmax(kw))].doc_id == c.doc_id  # BM25 row = this chunk
        own = embedder.encode([snap.scored_text(row)])[0]
        assert int(np.argmax(snap.dense_scores(own))) == row  # FAISS row = this chunk


def test_add_update_remove_keep_faiss_and_bm25_in_step(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    store.add(ARTICLES[:3])
    assert_in_step(store, embedder)
    updated = Article("doc1", "The gribnax committee met on Friday instead. Members postponed the vote on "
                              "the gribnax proposal until the spring session.")
    report = store.add([updated, ARTICLES[3]])
    assert report.replaced == ["doc1"] and report.added == ["doc3"]
    assert_in_step(store, embedder)
    snap = store.snapshot()
    assert snap.keyword.scores("quintex").max() == 0  # the old text is gone from BM25 ...
    assert "quintex" not in snap.articles["doc1"].text  # ... and from the stored text
    store.remove(["doc0", "doc2"])
    assert_in_step(store, embedder)
    snap = store.snapshot()
    assert set(snap.articles) == {"doc1", "doc3"}
    assert snap.keyword.scores("zorblat vamdrel").max() == 0


def test_same_doc_id_twice_in_one_batch_keeps_the_first_and_reports_the_second(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    clash = Article("doc0", "A different article that happens to have the same file name.", path="b/doc0.txt")
    report = store.add([ARTICLES[0], clash])
    assert report.added == ["doc0"] and report.conflicts == [clash]
    assert store.snapshot().articles["doc0"] == ARTICLES[0]


def test_precision_is_recorded_and_never_mixed(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    store.add(ARTICLES[:1])
    manifest = json.loads((store.path / store.current_generation() / "manifest.json").read_text())
    assert manifest["embedding_precision"] == embedder.precision == "bf16"
    fp32 = Store(store.path, embedder=Embedder(precision="fp32"))
    fp32.snapshot()  # reading is fine: query vectors agree to ~1e-4 cosine
    with pytest.raises(IndexMismatchError, match="qa index rebuild"):
        fp32.add(ARTICLES[1:2])
    assert fp32.rebuild() >= 1  # re-embeds everything in fp32
    assert fp32.snapshot().manifest["embedding_precision"] == "fp32"
    fp32.add(ARTICLES[1:2])
    assert set(fp32.snapshot().articles) == {"doc0", "doc1"}


def test_pdf_pages_survive_the_store(tmp_path, embedder):
    text = "Page one says exports rose by twelve percent.\n\nPage two says imports fell slightly."
    a = Article("report", text, page_starts=(0, text.index("Page two")))
    store = Store(tmp_path / "i", embedder=embedder)
    store.add([a])
    back = Store(store.path, embedder=embedder).snapshot().articles["report"]
    assert back.page_starts == a.page_starts and back.page_at(text.index("imports")) == 2
