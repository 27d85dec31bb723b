"""BM25 keyword index over the same chunks as the FAISS index (rows line up one to one).

It keeps raw term frequencies (postings sorted by term: term id, row, tf) and each row's length, and computes
BM25 when a query comes: for each query term, only its postings are read. Because nothing global (idf, mean
length) is baked into the stored numbers, indexes can be cut (`select`: the rows that survive a removal) and
joined (`concat`: rows added) without re-tokenizing any text, which is what lets the store write only what
changed. Scores are those of bm25s's default ("lucene") variant that this index replaced, with the same
tokens, k1 and b (index/search.py): idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf part tf / (tf + k1 *
(1 - b + b * length / mean length)); a query term given twice counts twice. Scores are similarities (higher
is better), never distances. It does not fuse scores with FAISS (that is `qa/retrieval.py`).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from index.search import BM25_B, BM25_K1, EMPTY_TOKEN

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her his how i if in
    into is it its of on or our she so such than that the their them then there these they this those to was
    we were what when where which who whom whose why will with would you your about after before also any
    both each few more most other some only own same too very just over under again further once here all
    s t not no nor""".split()
)
FORMAT = "tf-postings-1"


def tokenize(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens without stopwords; "49%" gives "49", "U.S." gives "u.s"."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


class KeywordIndex:
    """BM25 over `size` chunk texts; row i is the store's chunk i."""

    def __init__(self, vocab: list[str], terms: np.ndarray, rows: np.ndarray, tfs: np.ndarray,
                 lengths: np.ndarray, k1: float = BM25_K1, b: float = BM25_B):
        self.vocab = vocab
        self._ids = {t: i for i, t in enumerate(vocab)}
        self.terms = terms.astype(np.int32, copy=False)  # postings, sorted by term
        self.rows = rows.astype(np.int32, copy=False)
        self.tfs = tfs.astype(np.int32, copy=False)
        self.lengths = lengths.astype(np.int32, copy=False)
        self.size = len(lengths)
        self.k1, self.b = k1, b
        self._indptr = np.searchsorted(self.terms, np.arange(len(vocab) + 1)) if len(vocab) else np.zeros(1, int)
        self._avg = float(self.lengths.mean()) if self.size else 1.0

    @classmethod
    def build(cls, texts: list[str], k1: float = BM25_K1, b: float = BM25_B) -> KeywordIndex:
        return cls.from_tokens([tokenize(t) or [EMPTY_TOKEN] for t in texts], k1, b)

    @classmethod
    def from_tokens(cls, docs: list[list[str]], k1: float = BM25_K1, b: float = BM25_B) -> KeywordIndex:
        ids: dict[str, int] = {}
        terms: list[int] = []
        rows: list[int] = []
        tfs: list[int] = []
        for row, tokens in enumerate(docs):
            for t, n in Counter(tokens).items():
                terms.append(ids.setdefault(t, len(ids)))
                rows.append(row)
                tfs.append(n)
        return cls._sorted(list(ids), np.asarray(terms, dtype=np.int32), np.asarray(rows, dtype=np.int32),
                           np.asarray(tfs, dtype=np.int32), np.asarray([len(d) for d in docs], dtype=np.int32), k1, b)

    @classmethod
    def _sorted(cls, vocab: list[str], terms: np.ndarray, rows: np.ndarray, tfs: np.ndarray, lengths: np.ndarray,
                k1: float = BM25_K1, b: float = BM25_B) -> KeywordIndex:
        order = np.lexsort((rows, terms))
        return cls(vocab, terms[order], rows[order], tfs[order], lengths, k1, b)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for `query` (zeros where no query word occurs)."""
        out = np.zeros(self.size, dtype=np.float32)
        for t, qtf in Counter(tokenize(query)).items():
            i = self._ids.get(t)
            if i is None:
                continue
            lo, hi = self._indptr[i], self._indptr[i + 1]
            rows, tf = self.rows[lo:hi], self.tfs[lo:hi].astype(np.float32)
            idf = np.log(1 + (self.size - (hi - lo) + 0.5) / ((hi - lo) + 0.5))
            norm = self.k1 * (1 - self.b + self.b * self.lengths[rows] / self._avg)
            out[rows] += np.float32(qtf * idf) * tf / (tf + norm)
        return out

    def knows(self, word: str) -> bool:
        """Whether `word` (tokenized as in `tokenize`) occurs in some chunk."""
        tokens = tokenize(word)
        return bool(tokens) and all(t in self._ids for t in tokens)

    def select(self, keep: np.ndarray) -> KeywordIndex:
        """The index of the rows `keep` (ascending), renumbered 0..len(keep)-1; terms left without a posting
        are dropped. No text is read again."""
        mask = np.zeros(self.size, dtype=bool)
        mask[keep] = True
        new_row = np.cumsum(mask) - 1
        sel = mask[self.rows]
        terms, rows, tfs = self.terms[sel], new_row[self.rows[sel]], self.tfs[sel]
        used = np.unique(terms)
        remap = np.full(len(self.vocab), -1, dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        return KeywordIndex([self.vocab[i] for i in used], remap[terms], rows, tfs, self.lengths[mask], self.k1, self.b)

    def concat(self, other: KeywordIndex) -> KeywordIndex:
        """This index's rows, then `other`'s (renumbered after them), as one index."""
        vocab = list(self.vocab)
        ids = dict(self._ids)
        remap = np.asarray([ids.setdefault(t, len(ids)) for t in other.vocab] or [0], dtype=np.int32)
        vocab.extend(t for t in list(ids)[len(self.vocab):])
        terms = np.concatenate([self.terms, remap[other.terms] if len(other.terms) else other.terms])
        rows = np.concatenate([self.rows, other.rows + self.size])
        return KeywordIndex._sorted(vocab, terms, rows, np.concatenate([self.tfs, other.tfs]),
                                    np.concatenate([self.lengths, other.lengths]), self.k1, self.b)

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "vocab.json", "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "k1": self.k1, "b": self.b, "vocab": self.vocab}, f, ensure_ascii=False)
        with open(path / "postings.npz", "wb") as f:
            np.savez(f, terms=self.terms, rows=self.rows, tfs=self.tfs, lengths=self.lengths)
        (path / "size").write_text(str(self.size))

    @classmethod
    def load(cls, path: Path) -> KeywordIndex:
        size = int((path / "size").read_text())
        meta = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"keyword index format {meta.get('format')!r}, expected {FORMAT!r}")
        with np.load(path / "postings.npz") as z:
            index = cls(meta["vocab"], z["terms"], z["rows"], z["tfs"], z["lengths"], meta["k1"], meta["b"])
        if index.size != size or (len(index.rows) and int(index.rows.max()) >= size):
            raise ValueError(f"keyword index holds {index.size} rows, its size file says {size}")
        return index

    @classmethod
    def empty(cls) -> KeywordIndex:
        z = np.zeros(0, dtype=np.int32)
        return cls([], z, z, z, z)
