"""What a store's search returns and which articles it may draw from: the shared vocabulary of the two backends.

`Where` says which articles a search may draw from (outlets, dates, ids); each backend applies it where its
rows live (a boolean mask over the embedded store's rows, a SQL predicate in PostgreSQL). `Candidates` are
the rows a backend offers for one query with both of their scores, exact: a cosine similarity and a BM25
score. The embedded store offers every allowed row; PostgreSQL offers the union of its top-N by each ranker
(found through HNSW and the keyword index). Fusing the two rankings is the caller's job (`qa/retrieval.py`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# BM25 as bm25s computes it (its default "lucene" variant): idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
# tf part = tf / (tf + k1 * (1 - b + b * length / mean length)). The PostgreSQL backend computes the same
# formula in SQL, so the two backends rank keyword matches alike.
BM25_K1 = 1.2
BM25_B = 0.75
EMPTY_TOKEN = "\u2205"  # stands for a passage with no indexable word (bm25s would drop the row otherwise)


def bm25_idf(df: int, n_docs: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Where:
    """Which articles pass: outlets (lower-cased, exact), an inclusive date range, an "as of" day after which
    dated articles are left out, and document ids. Empty fields do not filter."""
    sources: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    until: str = ""
    doc_ids: tuple[str, ...] = ()

    def allows(self, source: str, published_at: str, doc_id: str) -> bool:
        if self.sources and source.lower() not in self.sources:
            return False
        day = published_at[:10]
        if self.date_from and (not day or day < self.date_from[:10]):
            return False
        if self.date_to and (not day or day > self.date_to[:10]):
            return False
        if self.until and day and day > self.until[:10]:
            return False
        return not (self.doc_ids and doc_id not in self.doc_ids)


@dataclass
class Candidates:
    """Rows offered for one query (ascending row order, which breaks ties), with exact scores: `dense` the
    cosine similarity, `keyword` the BM25 score (0 where no query word occurs)."""
    rows: np.ndarray  # int64
    dense: np.ndarray  # float32
    keyword: np.ndarray  # float32

    @classmethod
    def none(cls) -> Candidates:
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32))

    def __len__(self) -> int:
        return len(self.rows)
