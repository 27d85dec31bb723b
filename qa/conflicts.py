"""Spotting sources that disagree: two relevant evidence sentences from different articles that make
opposing claims about the same subject (one says Meta "acquired" Scale AI, the other that Meta took a 49%
stake and Scale "remains independent").

Without an NLI model this is a list of opposing claim cues, applied only to sentences that share a named
subject and bear on the question. It finds the common news disagreements (bought vs. invested, confirmed
vs. denied, rose vs. fell, won vs. lost); it does not try to reason about arbitrary contradictions.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.evidence import Evidence, Selection
from qa.text import name_runs, word_stems, words

_OPPOSING_CUES = [(re.compile(a, re.I), re.compile(b, re.I)) for a, b in (
    (r"\b(acquired|acquires|acquisition of|bought|buys|purchased|took over|takeover of)\b",
     r"\b(\d+% stake|minority stake|minority|remains? (an )?independent)\b"),
    (r"\b(confirmed|admitted|acknowledged)\b", r"\b(denied|denies|rejected|refuted)\b"),
    (r"\b(rose|increased|grew|gained|climbed|jumped)\b", r"\b(fell|decreased|declined|dropped|slid|shrank)\b"),
    (r"\b(won|beat|defeated)\b", r"\b(lost to|was defeated|were defeated|lost)\b"),
)]
MIN_RELEVANCE = 0.45


@dataclass(frozen=True)
class Conflict:
    first: Evidence
    second: Evidence
    cues: tuple[re.Pattern[str], re.Pattern[str]] = (re.compile(r"$^"), re.compile(r"$^"))  # the opposing claims

    def about(self, sentence: str) -> bool:
        """Whether `sentence` makes one of the two opposing claims (so a reader relying on it should know)."""
        return any(c.search(sentence) for c in self.cues)

    def apart(self, sentence: str) -> str:
        """`sentence` without the opposing claims it makes: what it says besides them."""
        for cue in self.cues:
            sentence = cue.sub(" ", sentence)
        return sentence

    def disputes(self, question: str) -> bool:
        """Whether `question` asks about what the sources dispute: it shares a word (by its first five letters)
        with the claims the two sides make ("acquire" with "acquired", "stake" with "49% stake")."""
        claimed = {w.lower()[:5] for cue, side in zip(self.cues, (self.first, self.second), strict=True)
                   for m in cue.finditer(side.text) for w in words(m.group(0)) if not w[0].isdigit()}
        return bool(claimed & set(word_stems(words(question))))


class ConflictFinder:
    """Finds a disagreement among the selected evidence and the other ranked sentences, and makes sure the
    model sees, and the answer can cite, both sides."""

    def run(self, selection: Selection) -> tuple[list[Evidence], Conflict | None]:
        """The evidence to read (the selection's, plus a side of the conflict it lacked, numbered after it)
        and the conflict, if any."""
        conflict = find_conflict(selection.evidence, selection.ranked)
        evidence = list(selection.evidence)
        if conflict is None:
            return evidence, None
        sides = []
        for ev in (conflict.first, conflict.second):
            if ev.number == 0:
                ev = dataclasses.replace(ev, number=len(evidence) + 1)
                evidence.append(ev)
            sides.append(ev)
        return evidence, Conflict(sides[0], sides[1], conflict.cues)


def find_conflict(evidence: list[Evidence], pool: Sequence[Evidence] = ()) -> Conflict | None:
    """A pair of opposing sentences among `evidence` and the other ranked sentences `pool`; pairs made of
    the chosen evidence come first. Returned items from the pool have number 0."""
    relevant = [e for e in evidence if e.score >= MIN_RELEVANCE]
    chosen = {(e.doc_id, e.start) for e in evidence}
    relevant += [e for e in pool if e.score >= MIN_RELEVANCE and (e.doc_id, e.start) not in chosen]
    for a_cue, b_cue in _OPPOSING_CUES:
        side_a = [e for e in relevant if a_cue.search(e.text)]
        side_b = [e for e in relevant if b_cue.search(e.text) and not a_cue.search(e.text)]
        for a in side_a:
            for b in side_b:
                if a.doc_id != b.doc_id and set(name_runs(a.text)) & set(name_runs(b.text)):
                    return Conflict(a, b, (a_cue, b_cue))
    return None
