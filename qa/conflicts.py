"""Spotting sources that disagree: two relevant evidence sentences from different articles that make
opposing claims about the same subject (one says Meta "acquired" Scale AI, the other that Meta took a 49%
stake and Scale "remains independent").

Without an NLI model this is a list of opposing claim cues, applied only to sentences that share a named
subject and bear on the question. It finds the common news disagreements (bought vs. invested, confirmed
vs. denied, rose vs. fell, won vs. lost); it does not try to reason about arbitrary contradictions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from qa.evidence import Evidence

_OPPOSITES = [
    (r"\b(acquired|acquires|acquisition of|bought|buys|purchased|took over|takeover of)\b",
     r"\b(\d+% stake|minority stake|minority|remains? (an )?independent)\b"),
    (r"\b(confirmed|admitted|acknowledged)\b", r"\b(denied|denies|rejected|refuted)\b"),
    (r"\b(rose|increased|grew|gained|climbed|jumped)\b", r"\b(fell|decreased|declined|dropped|slid|shrank)\b"),
    (r"\b(won|beat|defeated)\b", r"\b(lost to|was defeated|were defeated|lost)\b"),
]
_OPPOSITES = [(re.compile(a, re.I), re.compile(b, re.I)) for a, b in _OPPOSITES]
_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*")
MIN_RELEVANCE = 0.45


@dataclass
class Conflict:
    first: Evidence
    second: Evidence


def find_conflict(evidence: list[Evidence], pool: list[Evidence] = ()) -> Conflict | None:
    """A pair of opposing sentences among `evidence` and the other ranked sentences `pool`; pairs made of
    the chosen evidence come first. Returned items from the pool have number 0."""
    relevant = [e for e in evidence if e.score >= MIN_RELEVANCE]
    chosen = {(e.doc_id, e.start) for e in evidence}
    relevant += [e for e in pool if e.score >= MIN_RELEVANCE and (e.doc_id, e.start) not in chosen]
    for a_cue, b_cue in _OPPOSITES:
        side_a = [e for e in relevant if a_cue.search(e.text)]
        side_b = [e for e in relevant if b_cue.search(e.text) and not a_cue.search(e.text)]
        for a in side_a:
            for b in side_b:
                if a.doc_id != b.doc_id and _names(a.text) & _names(b.text):
                    return Conflict(a, b)
    return None


def _names(text: str) -> set[str]:
    return {m.group(0) for m in _NAME.finditer(text)} - {"The", "A", "In", "It", "This", "However"}
