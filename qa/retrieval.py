"""Hybrid retrieval: dense (MiniLM cosine over FAISS) and BM25 keyword scores, fused by reciprocal rank.

It is a llama-index `BaseRetriever`, so it composes with llama-index query engines (the baseline uses it
that way); the assistant itself calls `search()`, which also returns the component scores. Component scores
stay similarities (cosine, BM25); the fused score is an RRF score. Filters (sources, dates, documents) are
applied before ranking, so a filtered query still gets its full top k.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from index.embedding import Embedder
from index.store import Snapshot, Store


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()  # case-insensitive exact source names
    date_from: str = ""  # ISO dates, inclusive
    date_to: str = ""
    doc_ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sources or self.date_from or self.date_to or self.doc_ids)

    def mask(self, snap: Snapshot) -> np.ndarray | None:
        if not self:
            return None
        sources = {s.lower() for s in self.sources}
        allowed_docs = set()
        for a in snap.articles.values():
            if sources and a.source.lower() not in sources:
                continue
            day = a.published_at[:10]
            if self.date_from and (not day or day < self.date_from[:10]):
                continue
            if self.date_to and (not day or day > self.date_to[:10]):
                continue
            if self.doc_ids and a.doc_id not in self.doc_ids:
                continue
            allowed_docs.add(a.doc_id)
        return np.fromiter((c.doc_id in allowed_docs for c in snap.chunks), dtype=bool, count=len(snap.chunks))


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
    # Outlets the question names, one group per outlet (set by `qa.query.planned_search`): evidence and
    # citations are then drawn from these outlets' articles.
    source_groups: tuple[tuple[str, ...], ...] = ()
    source_mentions: tuple[int, ...] = ()  # how many times the question names each group ("the TechCrunch
    # report of May 2 and the TechCrunch report of May 9" asks about two TechCrunch articles)


class HybridRetriever(BaseRetriever):
    def __init__(self, store: Store, embedder: Embedder, *, top_k: int = 8, rrf_k: int = 60,
                 dense_weight: float = 1.0, keyword_weight: float = 1.0, per_doc: int = 3):
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
        self._cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()

    def search(self, query: str, *, filters: Filters | None = None, top_k: int | None = None) -> SearchResult:
        snap = self.store.snapshot()
        k = top_k or self.top_k
        qv = self._query_vector(query)
        if len(snap) == 0:
            return SearchResult([], qv, 0.0, 0.0, snap)
        dense = snap.dense_scores(qv)
        keyword = snap.keyword.scores(query)
        mask = filters.mask(snap) if filters else None
        if mask is not None:
            dense = np.where(mask, dense, -np.inf)
            keyword = np.where(mask, keyword, -np.inf)
        fused = np.zeros(len(snap), dtype=np.float64)
        for weight, scores in ((self.dense_weight, dense), (self.keyword_weight, keyword)):
            order = np.argsort(-scores, kind="stable")
            ranks = np.empty(len(order), dtype=np.float64)
            ranks[order] = np.arange(1, len(order) + 1)
            contrib = weight / (self.rrf_k + ranks)
            contrib[~np.isfinite(scores) | (scores <= 0)] = 0.0  # no evidence from this ranker
            fused += contrib
        if mask is not None:
            fused[~mask] = -1.0
        hits: list[Hit] = []
        per_doc: dict[str, int] = {}
        for row in np.argsort(-fused, kind="stable"):
            if fused[row] <= 0 or len(hits) >= k:
                break
            c = snap.chunks[row]
            if per_doc.get(c.doc_id, 0) >= self.per_doc:
                continue
            per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
            hits.append(Hit(int(row), c.doc_id, c.start, c.end, float(dense[row]), float(keyword[row]),
                            float(fused[row]), len(hits) + 1))
        finite_d = dense[np.isfinite(dense)]
        finite_k = keyword[np.isfinite(keyword)]
        return SearchResult(hits, qv, float(finite_d.max()) if finite_d.size else 0.0,
                            float(finite_k.max()) if finite_k.size else 0.0, snap)

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
