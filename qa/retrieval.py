"""Retrieval: hybrid search (dense MiniLM cosine over FAISS and BM25 keyword scores, fused by reciprocal rank),
and `NewsRetriever`, the answering path's retriever, which plans one search per outlet a question names.

`HybridRetriever` is a llama-index `BaseRetriever`, so it composes with llama-index query engines (the
baseline in bench/ uses it that way); the assistant calls `search()`, which also returns the component
scores. Component scores stay similarities (cosine, BM25); the fused score is an RRF score. Filters (sources,
dates, documents) are applied before ranking, so a filtered query still gets its full top k.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from index.embedding import Embedder
from index.search import Candidates
from index.store import Snapshot, Store
from qa.filters import Filters
from qa.question import Question


@dataclass
class Hit:
    row: int
    doc_id: str
    start: int
    end: int
    dense: float  # cosine similarity
    keyword: float  # BM25 score
    fused: float  # reciprocal-rank-fusion score
    rank: int = 0


@dataclass
class SearchResult:
    hits: list[Hit]
    query_vector: np.ndarray
    max_dense: float
    max_keyword: float
    snapshot: Snapshot = field(repr=False)
    # The outlets the question names that the search was planned around (`NewsRetriever`), one group per
    # outlet, and how often each is named: evidence and citations are then drawn from these outlets.
    source_groups: tuple[tuple[str, ...], ...] = ()
    source_mentions: tuple[int, ...] = ()


class HybridRetriever(BaseRetriever):
    def __init__(self, store: Store, embedder: Embedder, *, top_k: int = 8, rrf_k: int = 60,
                 dense_weight: float = 1.0, keyword_weight: float = 1.0, per_doc: int = 3, candidates: int = 200):
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        super().__init__()
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.per_doc = per_doc
        # How many rows a backend that ranks on its side (PostgreSQL) offers per ranker; the embedded store
        # offers every row. 200 keeps MultiHop-RAG retrieval equal to the exhaustive ranking (README, Storage).
        self.candidates = candidates
        self._cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()

    def search(self, query: str, *, filters: Filters | None = None, top_k: int | None = None,
               snapshot: Snapshot | None = None) -> SearchResult:
        """The top chunks for `query` in `snapshot` (default: the store's current one)."""
        snap = snapshot if snapshot is not None else self.store.snapshot()
        k = top_k or self.top_k
        qv = self._query_vector(query)
        if len(snap) == 0:
            return SearchResult([], qv, 0.0, 0.0, snap)
        cands = snap.candidates(qv, query, filters.where() if filters else None, n=max(self.candidates, 4 * k))
        if len(cands) == 0:
            return SearchResult([], qv, 0.0, 0.0, snap)
        fused = self._fuse(cands)
        hits: list[Hit] = []
        per_doc: dict[str, int] = {}
        for i in np.argsort(-fused, kind="stable"):
            if fused[i] <= 0 or len(hits) >= k:
                break
            row = int(cands.rows[i])
            c = snap.chunks[row]
            if per_doc.get(c.doc_id, 0) >= self.per_doc:
                continue
            per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
            hits.append(Hit(row, c.doc_id, c.start, c.end, float(cands.dense[i]), float(cands.keyword[i]),
                            float(fused[i]), len(hits) + 1))
        return SearchResult(hits, qv, float(cands.dense.max()), float(cands.keyword.max()), snap)

    def _fuse(self, cands: Candidates) -> np.ndarray:
        """Reciprocal-rank fusion over the candidates: each ranker adds weight / (rrf_k + rank) to the rows it
        scores above 0 (ties ranked in row order). Over an embedded store the candidates are every allowed
        row, so ranks are the exact ones; over PostgreSQL they are ranks within the union of both rankers' top
        N, which are exact for each ranker's own top N."""
        fused = np.zeros(len(cands), dtype=np.float64)
        for weight, scores in ((self.dense_weight, cands.dense), (self.keyword_weight, cands.keyword)):
            order = np.argsort(-scores, kind="stable")
            ranks = np.empty(len(order), dtype=np.float64)
            ranks[order] = np.arange(1, len(order) + 1)
            contrib = weight / (self.rrf_k + ranks)
            contrib[~np.isfinite(scores) | (scores <= 0)] = 0.0  # no evidence from this ranker
            fused += contrib
        return fused

    def _query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, remembered for the last few queries: one question is searched several
        times (plain, then once per outlet it names)."""
        with self._cache_lock:
            qv = self._cache.get(query)
        if qv is None:
            qv = self.embedder.encode_query(query)
            with self._cache_lock:
                self._cache[query] = qv
                while len(self._cache) > 32:
                    self._cache.pop(next(iter(self._cache)))
        return qv

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.search(query_bundle.query_str)
        nodes = []
        for h in result.hits:
            a = result.snapshot.articles[h.doc_id]
            node = TextNode(id_=result.snapshot.chunks[h.row].chunk_id, text=result.snapshot.chunk_text(h.row),
                            metadata={"doc_id": h.doc_id, "title": a.title, "source": a.source,
                                      "published_at": a.published_at, "start": h.start, "end": h.end,
                                      "dense": h.dense, "bm25": h.keyword})
            nodes.append(NodeWithScore(node=node, score=h.fused))
        return nodes


class NewsRetriever:
    """The answering path's retriever. With explicit `filters`, one filtered search. Otherwise one search per
    outlet the question names (within the dates it names), interleaved with the plain search so that each
    named outlet contributes its best chunks: MultiHop-RAG's questions name two to four outlets, one per fact,
    and one pooled query tends to find only the easiest fact. The result's scores of record (max_dense,
    max_keyword) come from the plain search."""

    def __init__(self, hybrid: HybridRetriever, *, top_k: int = 10):
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        self.hybrid = hybrid
        self.top_k = top_k

    def run(self, question: Question, snapshot: Snapshot, *, filters: Filters | None = None,
            until: str = "") -> SearchResult:
        """The ranked chunks for `question`; articles dated after `until` (the day it is asked) left out."""
        k = self.top_k
        until = until if until and until < self._newest_date(snapshot) else ""  # nothing newer: no mask
        if filters:
            return self.hybrid.search(question.text, filters=filters.with_until(until), top_k=k, snapshot=snapshot)
        dates = question.dates.with_until(until)
        if question.within_dates and not question.outlets:  # "this week": an older article does not answer it
            return self.hybrid.search(question.text, filters=dates, top_k=k, snapshot=snapshot)
        bound = Filters(until=until)
        base = self.hybrid.search(question.text, top_k=k, snapshot=snapshot, filters=bound or None)
        base.source_groups = question.outlets
        base.source_mentions = question.outlet_mentions
        subs = [self.hybrid.search(c.text, top_k=k, snapshot=snapshot,
                                   filters=Filters(sources=question.outlets[c.group], date_from=c.dates.date_from,
                                                   date_to=c.dates.date_to, until=dates.until)).hits
                for c in question.outlet_clauses]
        if (dates.date_from or dates.date_to) and not question.outlets:
            subs.append(self.hybrid.search(question.text, filters=dates, top_k=k, snapshot=snapshot).hits)
        if subs:
            base.hits = _interleave([*subs, base.hits], k)
        return base


    def _newest_date(self, snapshot: Snapshot) -> str:
        return snapshot.newest_date()


def _interleave(lists: list[list[Hit]], k: int) -> list[Hit]:
    """The first hit of each list, then the second of each, ..., without repeats, at most `k`; ranks renumbered."""
    merged: list[Hit] = []
    seen: set[int] = set()
    for i in range(k):
        for hits in lists:
            if i < len(hits) and hits[i].row not in seen and len(merged) < k:
                seen.add(hits[i].row)
                merged.append(hits[i])
    for rank, h in enumerate(merged, start=1):
        h.rank = rank
    return merged
