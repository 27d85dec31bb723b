"""BM25 keyword index over the same chunks as the FAISS index (rows line up one to one).

Built with the `bm25s` package, which precomputes BM25 scores into a sparse matrix, so scoring a query is a
few sparse row sums. Scores are BM25 similarities (higher is better), never distances.

It is rebuilt whole by the store at every commit, from the same chunk list that fills FAISS, so the two can
never drift apart (deletions included); it does not fuse scores with FAISS (that is `qa/retrieval.py`).
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have he her his how i if in
    into is it its of on or our she so such than that the their them then there these they this those to was
    we were what when where which who whom whose why will with would you your about after before also any
    both each few more most other some only own same too very just over under again further once here all
    s t not no nor""".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens without stopwords; "49%" gives "49", "U.S." gives "u.s"."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


class KeywordIndex:
    """BM25 over `size` chunk texts; row i is the store's chunk i."""

    def __init__(self, model=None, size: int = 0):
        self._model = model
        self.size = size

    @classmethod
    def build(cls, texts: list[str], k1: float = 1.2, b: float = 0.75) -> KeywordIndex:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import

        if not texts:
            return cls(None, 0)
        model = bm25s.BM25(k1=k1, b=b)
        # An empty token list would make bm25s drop the row and misalign it with FAISS: keep a placeholder.
        model.index([tokenize(t) or ["\u2205"] for t in texts], show_progress=False)
        return cls(model, len(texts))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for `query` (zeros where no query word occurs)."""
        if self._model is None:
            return np.zeros(self.size, dtype=np.float32)
        ids = self._model.get_tokens_ids(tokenize(query))
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores_from_ids(ids), dtype=np.float32)

    def knows(self, word: str) -> bool:
        """Whether `word` (tokenized as in `tokenize`) occurs in some chunk."""
        if self._model is None:
            return False
        tokens = tokenize(word)
        return bool(tokens) and all(t in self._model.vocab_dict for t in tokens)

    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        if self._model is not None:
            self._model.save(str(path))
        (path / "size").write_text(str(self.size))

    @classmethod
    def load(cls, path: Path) -> KeywordIndex:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import

        size = int((path / "size").read_text())
        if size == 0:
            return cls(None, 0)
        return cls(bm25s.BM25.load(str(path)), size)
