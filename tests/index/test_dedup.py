"""Exact and near duplicates, through the real store (MiniLM, FAISS, BM25 in tmp_path)."""
from pathlib import Path

import numpy as np

from index.articles import Article
from index.dedup import (BANDS, ROWS, THRESHOLD, MinHashIndex, containment, find_near_duplicates, shingles,
                         signature)
from index.loaders import load_jsonl, load_paths
from index.store import Store
from tests.conftest import SEEDS

MULTIHOP = Path("/work/shared/bench/multihop/corpus.jsonl")

SEED_A, SEED_B = "000_4e74a08cbb1c99cc", "001_5391de805404b0fb"


def wire_copy(text: str) -> str:
    """What a second outlet does to a wire story: its own opening line, a word changed, a closing line."""
    return ("LONDON (Second Outlet) - This report first appeared on the wire this morning.\n"
            + text.replace(" said ", " told reporters ", 1)
            + "\nThe Second Outlet has asked the company for further comment.")


def test_seed_articles_are_not_near_duplicates():
    a, b = sorted(load_paths([str(SEEDS)]).articles, key=lambda x: x.doc_id)
    assert containment(shingles(a.text), shingles(b.text)) < 0.1 < THRESHOLD
    found, _ = find_near_duplicates([b], {a.doc_id: a}, MinHashIndex.build([a]))
    assert found == []


def test_wire_copy_is_a_candidate_and_confirmed():
    a = load_paths([str(SEEDS / f"{SEED_A}.txt")]).articles[0]
    copy = Article("copy", wire_copy(a.text))
    sa, sc = shingles(a.text), shingles(copy.text)
    assert containment(sa, sc) > 0.9
    # The estimate agrees with the exact Jaccard similarity to within MinHash's error (1/sqrt(120) ~ 0.09).
    jaccard = len(np.intersect1d(sa, sc)) / len(np.union1d(sa, sc))
    assert abs(np.mean(signature(sa) == signature(sc)) - jaccard) < 0.2
    found, sigs = find_near_duplicates([copy], {a.doc_id: a}, MinHashIndex.build([a]))
    assert [(f.doc_id, f.similar_to) for f in found] == [("copy", SEED_A)]
    assert set(sigs) == {"copy"}


def test_lsh_finds_near_duplicates_among_a_real_library_without_comparing_all():
    """Among the 609 MultiHop-RAG articles, a wire copy of one is found; unrelated articles rarely collide."""
    articles = load_jsonl(MULTIHOP).articles
    index = MinHashIndex.build(articles)
    target = articles[123]
    copy_sig = signature(shingles(wire_copy(target.text)))
    cands = index.candidates(copy_sig)
    assert target.doc_id in cands and len(cands) < 20
    # Stable across processes: signatures depend only on the text (CRC-32 words, fixed permutations).
    assert np.array_equal(index.signatures[123], signature(shingles(target.text)))
    assert index.signatures.shape == (609, BANDS * ROWS)


def test_near_duplicates_within_one_batch_and_stored_signatures(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    seeds = sorted(load_paths([str(SEEDS)]).articles, key=lambda x: x.doc_id)
    copy = Article("wire-copy", wire_copy(seeds[0].text), source="Second Outlet")
    report = store.add([*seeds, copy])
    assert [(n.doc_id, n.similar_to) for n in report.near_duplicates] == [("wire-copy", SEED_A)]
    snap = Store(store.path, embedder=embedder).snapshot()
    assert set(snap.articles) == {SEED_A, SEED_B, "wire-copy"}  # both kept
    # Both are searchable: the copy's own opening words find the copy by keyword.
    kw = snap.keyword.scores("Second Outlet further comment")
    assert snap.chunks[int(np.argmax(kw))].doc_id == "wire-copy"
    assert snap.signatures.shape == (3, BANDS * ROWS)
    # A later add finds the stored article through the persisted signatures.
    again = Store(store.path, embedder=embedder).add([Article("third", wire_copy(seeds[1].text))])
    assert [(n.doc_id, n.similar_to) for n in again.near_duplicates] == [("third", SEED_B)]


def test_same_article_again_under_another_name_changes_nothing(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder)
    a = load_paths([str(SEEDS / f"{SEED_A}.txt")]).articles[0]
    store.add([a])
    gen = store.current_generation()
    report = store.add([Article("renamed-copy", a.text, path="elsewhere.txt")])
    assert report.added == [] and report.unchanged == ["renamed-copy"]
    assert store.current_generation() == gen
