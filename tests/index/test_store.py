import json

import numpy as np
import pytest

from index.articles import Article
from index.errors import IndexMismatchError, NotIndexedError
from index.loaders import load_paths
from index.store import Store
from tests.conftest import SEEDS


def test_seed_index_round_trip_and_cosine_scores(seed_store, embedder):
    snap = seed_store.snapshot()
    assert set(snap.articles) == {"000_4e74a08cbb1c99cc", "001_5391de805404b0fb"}
    manifest = json.loads((seed_store.path / snap.generation / "manifest.json").read_text())
    assert manifest["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest["dimension"] == 384 and manifest["chunks"] == len(snap.chunks)
    # A fresh Store on the same folder loads the same thing.
    again = Store(seed_store.path, embedder=embedder).snapshot()
    assert [c.chunk_id for c in again.chunks] == [c.chunk_id for c in snap.chunks]
    # Scores are cosine similarities: a chunk's own text scores ~1, all scores lie in [-1, 1].
    own = embedder.encode([snap.scored_text(0)])[0]
    scores = snap.dense_scores(own)
    assert scores[0] == pytest.approx(1.0, abs=1e-4)
    assert np.all(scores <= 1.0001) and np.all(scores >= -1.0001)
    # Chunk offsets slice the stored article text.
    for row, c in enumerate(snap.chunks):
        assert snap.chunk_text(row) == snap.articles[c.doc_id].text[c.start:c.end]


def test_keyword_scores_are_similarities(seed_store):
    snap = seed_store.snapshot()
    s = snap.keyword.scores("Alexandr Wang superintelligence")
    assert s.max() > 0
    best = snap.chunks[int(np.argmax(s))]
    assert "Alexandr Wang" in snap.articles[best.doc_id].text[best.start:best.end]
    assert snap.keyword.scores("zebra quantum origami").max() == 0


def test_adding_the_same_articles_again_changes_nothing(seed_store, tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    first = store.add(load_paths([str(SEEDS)]).articles)
    gen = store.current_generation()
    again = store.add(load_paths([str(SEEDS)]).articles)
    assert len(first.added) == 2 and again.added == [] and len(again.unchanged) == 2
    assert store.current_generation() == gen


def test_remove_drops_the_article_everywhere(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    store.add(load_paths([str(SEEDS)]).articles)
    removed, missing = store.remove(["001_5391de805404b0fb", "nope"])
    assert removed == ["001_5391de805404b0fb"] and missing == ["nope"]
    snap = Store(store.path, embedder=embedder).snapshot()
    assert set(snap.articles) == {"000_4e74a08cbb1c99cc"}
    assert all(c.doc_id == "000_4e74a08cbb1c99cc" for c in snap.chunks)
    assert snap.faiss.ntotal == len(snap.chunks) == snap.keyword.size
    assert snap.keyword.scores("Alexandr Wang superintelligence").max() == 0  # only 001 says it


def test_missing_index_and_mismatched_manifest_are_clear_errors(tmp_path, embedder):
    with pytest.raises(NotIndexedError, match="qa index add"):
        Store(tmp_path / "none", embedder=embedder).snapshot()
    store = Store(tmp_path / "i", embedder=embedder)
    store.add([Article("a", "A short article about nothing in particular, for a test.")])
    m = store.path / store.current_generation() / "manifest.json"
    data = json.loads(m.read_text())
    data["embedding_model"] = "some/other-model"
    m.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match="qa index rebuild"):
        Store(store.path, embedder=embedder).snapshot()
    assert store.rebuild() >= 1  # rebuild reads only the stored articles
    assert Store(store.path, embedder=embedder).snapshot().manifest["embedding_model"].endswith("MiniLM-L6-v2")
