"""Near-duplicate detection: the same story, lightly edited (a wire report run by two outlets).

Word 5-gram shingles compared by containment (|A ∩ B| / min(|A|, |B|)): a wire copy with an added
paragraph still scores high, while two independent reports of one event share few 5-grams. Exact
duplicates are caught earlier, by content hash, in the store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.articles import Article

SHINGLE = 5
THRESHOLD = 0.6
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NearDuplicate:
    doc_id: str
    similar_to: str
    similarity: float


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i:i + SHINGLE])) for i in range(max(1, len(words) - SHINGLE + 1))}


def containment(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def find_near_duplicates(new: list[Article], existing: dict[str, Article],
                         threshold: float = THRESHOLD) -> list[NearDuplicate]:
    """Pairs (new article, earlier or existing article) whose shingle containment reaches `threshold`."""
    pool: list[tuple[str, set[int]]] = [(d, shingles(a.text)) for d, a in existing.items()]
    found = []
    for a in new:
        s = shingles(a.text)
        best = max(((containment(s, t), d) for d, t in pool), default=(0.0, ""))
        if best[0] >= threshold:
            found.append(NearDuplicate(a.doc_id, best[1], round(best[0], 3)))
        pool.append((a.doc_id, s))
    return found
