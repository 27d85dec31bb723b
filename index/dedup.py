"""Near-duplicate detection: the same story, lightly edited (a wire report run by two outlets).

Two articles are near-duplicates when the word 5-gram shingles of one are mostly contained in the other's
(containment |A ∩ B| / min(|A|, |B|) of at least `THRESHOLD`): a wire copy with an added paragraph still
scores high, while two independent reports of one event share few 5-grams.

Comparing a new article with every stored one is O(N) and too slow for a 100,000-article library, so
candidates come from MinHash signatures with LSH banding: `NUM_PERM` = `BANDS` x `ROWS` min-hashes per
article, and two articles become candidates when all `ROWS` values of any band agree. With 40 bands of 3 a
pair with Jaccard similarity 0.5 is a candidate with probability 0.995, one at 0.3 with 0.67, and unrelated
articles (Jaccard ~0.01) almost never. Candidates are then confirmed by exact containment on their shingles,
so a report never rests on the estimate alone; only the `MAX_CANDIDATES` candidates sharing the most bands are
checked, so the cost per new article stays bounded even when many articles share boilerplate. Signatures use
stable hashes (CRC-32 of words), so they can be
persisted with the index and reused by later processes.

Exact duplicates are not handled here: the store catches them earlier, by content hash.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from index.articles import Article

SHINGLE = 5
THRESHOLD = 0.6
BANDS, ROWS = 40, 3
NUM_PERM = BANDS * ROWS
MAX_CANDIDATES = 16  # exact comparisons per new article, best estimated matches first
_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240607)  # fixed: signatures must be comparable across processes
_A = _rng.integers(1, 1 << 61, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 1 << 61, size=NUM_PERM, dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)


@dataclass(frozen=True)
class NearDuplicate:
    doc_id: str
    similar_to: str
    similarity: float  # shingle containment, 0..1


def shingles(text: str) -> np.ndarray:
    """The distinct word 5-gram hashes of `text` (uint64), stable across processes."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = max(1, len(ids) - SHINGLE + 1)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the hash
        for k in range(min(SHINGLE, len(ids))):
            h = h * np.uint64(1_000_003) + ids[k:k + n]
    return np.unique(h)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))


def signature(sh: np.ndarray) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of a shingle set."""
    if not len(sh):
        return _EMPTY.copy()
    out = np.empty(NUM_PERM, dtype=np.uint32)
    x = sh & np.uint64(0x1FFFFFFFFFFFFFFF)
    with np.errstate(over="ignore"):
        for start in range(0, NUM_PERM, 8):  # in slices, so a long article never needs a huge matrix
            a, b = _A[start:start + 8, None], _B[start:start + 8, None]
            out[start:start + 8] = ((a * x[None, :] + b) >> np.uint64(32)).min(axis=1).astype(np.uint32)
    return out


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """One uint64 key per band: (n, NUM_PERM) uint32 signatures -> (n, BANDS) keys."""
    s = signatures.reshape(-1, BANDS, ROWS).astype(np.uint64)
    with np.errstate(over="ignore"):
        return (s[:, :, 0] * np.uint64(0x9E3779B97F4A7C15)) ^ (s[:, :, 1] << np.uint64(21)) ^ \
            (s[:, :, 2] * np.uint64(0xC2B2AE3D27D4EB4F))


class MinHashIndex:
    """LSH buckets over the signatures of a library, searched with sorted arrays (no per-article objects),
    so loading 100,000 signatures takes a fraction of a second."""

    def __init__(self, doc_ids: list[str], signatures: np.ndarray):
        if signatures.shape != (len(doc_ids), NUM_PERM):
            raise ValueError(f"expected {len(doc_ids)} x {NUM_PERM} signatures, got {signatures.shape}")
        self.doc_ids = list(doc_ids)
        self.signatures = signatures.astype(np.uint32, copy=False)
        keys = band_keys(self.signatures)  # (n, BANDS)
        self._order = np.argsort(keys, axis=0, kind="stable")
        self._sorted = np.take_along_axis(keys, self._order, axis=0)
        self._extra: dict[tuple[int, int], list[str]] = {}  # (band, key) -> doc ids inserted since

    @classmethod
    def build(cls, articles: Iterable[Article]) -> MinHashIndex:
        articles = list(articles)
        sigs = np.stack([signature(shingles(a.text)) for a in articles]) if articles else \
            np.zeros((0, NUM_PERM), dtype=np.uint32)
        return cls([a.doc_id for a in articles], sigs)

    def candidates(self, sig: np.ndarray, limit: int = MAX_CANDIDATES) -> list[str]:
        """Doc ids sharing at least one LSH band with `sig`, most shared bands first, at most `limit` (so a
        boilerplate-heavy library cannot turn one lookup into thousands of exact comparisons)."""
        q = band_keys(sig[None, :])[0]
        hits = [self._order[np.searchsorted(self._sorted[:, b], q[b], "left"):
                            np.searchsorted(self._sorted[:, b], q[b], "right"), b] for b in range(BANDS)]
        rows, counts = np.unique(np.concatenate(hits), return_counts=True)
        ranked = [(int(c), self.doc_ids[int(r)]) for r, c in zip(rows, counts, strict=True)]
        if self._extra:
            shared: dict[str, int] = {}
            for b in range(BANDS):
                for d in self._extra.get((b, int(q[b])), ()):
                    shared[d] = shared.get(d, 0) + 1
            ranked += [(c, d) for d, c in shared.items()]
        ranked.sort(key=lambda x: -x[0])
        return [d for _, d in ranked[:limit]]

    def insert(self, doc_id: str, sig: np.ndarray) -> None:
        """Make `doc_id` findable by later queries of this process (in a hash map beside the sorted arrays, so
        a batch of n new articles costs O(n), not O(n^2), lookups)."""
        for b, key in enumerate(band_keys(sig[None, :])[0]):
            self._extra.setdefault((b, int(key)), []).append(doc_id)


def find_near_duplicates(new: list[Article], existing: dict[str, Article], index: MinHashIndex,
                         threshold: float = THRESHOLD) -> tuple[list[NearDuplicate], dict[str, np.ndarray]]:
    """Pairs (new article, earlier new or existing article) whose shingle containment reaches `threshold`.

    `index` holds the signatures of `existing` (candidates it returns that are not in `existing`, such as a
    replaced article's old version, are ignored). Returns the pairs and the signatures of the new articles,
    for the caller to persist."""
    found: list[NearDuplicate] = []
    new_sigs: dict[str, np.ndarray] = {}
    new_shingles: dict[str, np.ndarray] = {}
    for a in new:
        sh = shingles(a.text)
        sig = signature(sh)
        best, best_id = 0.0, ""
        for cand in index.candidates(sig):
            other = new_shingles.get(cand)
            if other is None:
                if cand not in existing:
                    continue
                other = shingles(existing[cand].text)
            c = containment(sh, other)
            if c > best:
                best, best_id = c, cand
        if best >= threshold:
            found.append(NearDuplicate(a.doc_id, best_id, round(best, 3)))
        index.insert(a.doc_id, sig)
        new_sigs[a.doc_id] = sig
        new_shingles[a.doc_id] = sh
    return found, new_sigs
