"""Delta commits (index/segments.py): an add or remove writes only what changed over hard-linked base files,
reads back as the same library a whole generation would hold (same search results and scores), merges into a
whole generation once the delta grows, and stays safe under kill -9 at each step of a delta commit."""
from __future__ import annotations

import json

import numpy as np
import pytest

from index.articles import Article
from index.store import Store
from qa.retrieval import HybridRetriever
from tests.index.conftest import run_child

PLACES = ["Lisbon", "Osaka", "Nairobi", "Denver", "Tallinn", "Lagos", "Hanoi", "Quito", "Perth", "Bergen"]
THINGS = ["a tram line", "a new hospital", "the harbour", "a solar farm", "the airport", "a water plant"]


def generated(start: int, count: int, version: str = "") -> list[Article]:
    out = []
    for i in range(start, start + count):
        place, thing = PLACES[i % len(PLACES)], THINGS[i % len(THINGS)]
        text = (f"The council of {place} approved {thing} on Tuesday{version}, at a cost of {100 + 7 * i} million. "
                f"Mayor number {i} said work on {thing} would start in {2024 + i % 5}.")
        out.append(Article(f"gen-{i:03d}", text, title=f"{place} approves {thing}", source=f"{place} Post",
                           published_at=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    return out


def _view(store: Store, embedder, queries: list[str]) -> tuple:
    """What a reader sees: the articles, and each query's hits as (chunk id, cosine, BM25, fused score). Cosines
    are compared to 2 places: a text embedded in another batch is padded differently, which moves its vector in
    the 4th place (0.4058 against 0.4061), whichever way the library is stored."""
    snap = store.snapshot()
    retriever = HybridRetriever(store, embedder, top_k=8, dense_weight=0.3)
    hits = [[(snap.chunks[h.row].chunk_id, round(h.dense, 2), round(h.keyword, 4), round(h.fused, 6))
             for h in retriever.search(q).hits] for q in queries]
    return {d: a.text for d, a in snap.articles.items()}, hits


QUERIES = ["Lisbon tram line cost", "Which mayor said work would start in 2026?", "harbour Bergen", "solar"]


def test_delta_commits_write_only_the_change_and_read_back_like_a_whole_generation(tmp_path, embedder):
    store = Store(tmp_path / "delta", embedder=embedder, delta_min_rows=10)
    store.add(generated(0, 30))
    assert not (tmp_path / "delta" / "gen-00000001" / "delta").exists()
    store.add(generated(30, 3))
    g2 = tmp_path / "delta" / "gen-00000002"
    assert (g2 / "delta" / "articles.jsonl").is_file()
    assert (g2 / "faiss.index").stat().st_ino == (tmp_path / "delta" / "gen-00000001" / "faiss.index").stat().st_ino
    assert len((g2 / "delta" / "articles.jsonl").read_text().splitlines()) == 3
    store.remove(["gen-005", "gen-031"])  # one base article (a tombstone), one delta article
    store.add([generated(7, 1, version=" again")[0]])  # a new text under a base article's id: replaced
    g4 = tmp_path / "delta" / "gen-00000004"
    assert json.loads((g4 / "delta" / "removed.json").read_text()) == ["gen-005", "gen-007"]
    assert json.loads((g4 / "manifest.json").read_text())["delta"]["articles"] == 3

    final = [a for a in generated(0, 33) if a.doc_id not in {"gen-005", "gen-031", "gen-007"}]
    whole = Store(tmp_path / "whole", embedder=embedder)
    whole.add(final + [generated(7, 1, version=" again")[0]])
    assert _view(Store(tmp_path / "delta", embedder=embedder), embedder, QUERIES) == _view(whole, embedder, QUERIES)
    snap = store.snapshot()
    assert snap.faiss.ntotal == len(snap.chunks) == snap.keyword.size == 31
    assert "gen-005" not in snap.articles and snap.rows_of("gen-005") == []


def test_a_growing_delta_is_merged_into_a_whole_generation(tmp_path, embedder):
    store = Store(tmp_path / "i", embedder=embedder, delta_min_rows=10)
    store.add(generated(0, 20))
    store.add(generated(20, 3))
    assert (tmp_path / "i" / store.current_generation() / "delta").is_dir()
    store.add(generated(23, 3))  # 6 delta rows > 20% of 20: merged
    gen = tmp_path / "i" / store.current_generation()
    assert not (gen / "delta").exists() and len((gen / "articles.jsonl").read_text().splitlines()) == 26
    assert set(store.snapshot().articles) == {a.doc_id for a in generated(0, 26)}


DELTA_STEPS = [
    ("linking the base files", {"event": "os.link", "match": r"\.tmp/faiss\.index$", "arg": 1}, False),
    ("writing the delta's vectors", {"event": "open", "match": r"\.tmp/delta/vectors\.npy$", "arg": 0}, False),
    ("writing the tombstones", {"event": "open", "match": r"\.tmp/delta/removed\.json$", "arg": 0}, False),
    ("replacing CURRENT", {"event": "os.rename", "match": r"/CURRENT$", "arg": 1}, False),
    ("just after replacing CURRENT", {"event": "os.rename", "match": r"/CURRENT$", "arg": 1, "after": True}, True),
]


@pytest.mark.slow
@pytest.mark.parametrize("step, kill_at, committed", DELTA_STEPS, ids=[s[0] for s in DELTA_STEPS])
def test_kill_9_during_a_delta_commit_loses_nothing_committed(tmp_path, embedder, step, kill_at, committed):
    index_dir = tmp_path / "index"
    Store(index_dir, embedder=embedder, delta_min_rows=10).add(generated(0, 20))
    new = tmp_path / "new"
    new.mkdir()
    (new / "late.txt").write_text("Late news\nThe ferry to Bergen was cancelled on Friday because of the storm.")
    rc, _out, _err = run_child(index_dir, "add", str(new), "--delta-min-rows", "10", kill_at=kill_at)
    assert rc == -9
    expected = "gen-00000002" if committed else "gen-00000001"
    assert (index_dir / "CURRENT").read_text().strip() == expected
    snap = Store(index_dir, embedder=embedder).snapshot()
    assert len(snap.articles) == (21 if committed else 20)
    assert snap.faiss.ntotal == len(snap.chunks) == snap.keyword.size
    # The next writer cleans up and commits.
    rc, out, _err = run_child(index_dir, "add", str(new), "--delta-min-rows", "10")
    assert rc == 0, out
    assert len(Store(index_dir, embedder=embedder).snapshot().articles) == 21
    assert np.all([p.name.startswith("gen-") and ".tmp" not in p.name for p in index_dir.glob("gen-*")])
