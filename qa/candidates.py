"""The short answer a "Who/Which/Where ...?" question gets: the name its evidence holds that fits it best.

A name fits when it is the kind of thing asked for (the cosine, under the sentence embedder, of the name to the
question's own words for it: "Squid Game" to "wildly popular show", "Colombia" to "country"), when the
sentence holding it bears on the question (the evidence score), and when it stands beside what is asked
("founded in 2016 by Alexandr Wang" for "Who founded Scale AI?"). One-word names that the articles also write
in lower case ("Now", "Many", "Meanwhile" opening a sentence) are not names.

The 0.5 B model chose worse than this order: given the first six names to pick from under the grammar, it
was right on fewer RealTimeQA name questions than the first name alone (README, Evaluation), so by default
only the first is offered (`limit=1`) and the model writes the sentence that states it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Set

import numpy as np

from index.embedding import Embedder
from qa.answerability import near_asked
from qa.evidence import Evidence, name_candidates
from qa.question import Question

KIND_WEIGHT = 1.0  # the kind's cosine against the sentence's relevance (0..1), equal weights measured best
NEAR_BONUS = 0.5  # a name within a few words of what is asked ("founded in 2016 by Alexandr Wang")


def ordinary_words(texts: Iterable[str]) -> frozenset[str]:
    """The words these texts also write in lower case ("now", "many", "limited"): a one-word name made of
    one of them is a sentence's capitalised opening, not a name."""
    return frozenset(w for t in texts for w in re.findall(r"\b[a-z][a-z'’-]+\b", t))


class NameRanker:
    def __init__(self, embedder: Embedder, *, limit: int = 1):
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.embedder = embedder
        self.limit = limit

    def run(self, question: Question, evidence: list[Evidence], article_texts: Iterable[str],
            exclude: Set[str] = frozenset()) -> tuple[str, ...]:
        """At most `limit` names from `evidence`, best first; `article_texts` are the evidence's articles
        (their lower-case words tell ordinary words from names), `exclude` names never to offer."""
        ordinary = ordinary_words(article_texts)
        names = [n for n in name_candidates(question.text, evidence, exclude=exclude, limit=24)
                 if not (" " not in n and n.lower() in ordinary) and any(n in e.text for e in evidence)]
        if len(names) <= 1:
            return tuple(names)
        relevance = np.array([max(e.score + NEAR_BONUS * near_asked(question, n, e.text)
                                  for e in evidence if n in e.text) for n in names])
        fit = np.zeros(len(names))
        if question.wanted:
            vectors = self.embedder.encode([*names, question.wanted])
            fit = vectors[:-1] @ vectors[-1]
        order = np.argsort(-(KIND_WEIGHT * fit + relevance), kind="stable")
        return tuple(names[i] for i in order[:self.limit])
