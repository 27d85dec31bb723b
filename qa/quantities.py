"""The short answer a "How many/much ...?" or "What percentage ...?" question gets: the figure its evidence
holds that fits it best.

A figure ("$5", "60%", "2 million", the "17" of "a 17-year-old") is offered only when it stands within a few
words of what is asked ("63 hot dogs" for "How many hot dogs ...?": a figure far from it answers something
else) and is the unit asked for (a percentage for "What percentage ...?", money for "How much did it cost?",
a count for "How many ...?"). Figures the question itself gives ("a 7.0-magnitude earthquake") are not
answers; nor are years, times of day, days of a month or ordinals. Of those left, the best is the one whose
sentence bears most on the question (the evidence score) plus how closely the words around it read like the
question answered with it (the cosine of "60% of US adults disapprove of the Supreme Court's decision" to
"60% of US adults disapprove of the Supreme Court's decision to overturn Roe v." rather than to "40% support").

Measured offline on RealTimeQA's 20 answerable quantity questions (their cached evidence, `/tmp/s15/qexp.py`):
the best figure is the accepted answer for 17, where the model writing its short answer freely was right for
10 (all 10 among the 17). The other 3 have no accepted figure near what is asked in the 8 best sentences.
Support at weights 0.5-1 gives 17, at 1.5 16; the unit and nearness as bonuses instead of requirements, 16-17.
Only the best figure is offered: the next three never held an accepted answer the first missed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.embedding import Embedder
from qa.answerability import asked_stems, share_names
from qa.evidence import Evidence
from qa.question import POSSESSIVE, Question, asked_clause
from qa.text import COUNT_WORDS, MONTH_PATTERN, question_names, spelled_percent, word_stems, words

NEAR_WEIGHT = 0.1  # for each of the question's asked terms within `WINDOW` words ("60% of US adults disapprove"),
# a word's other forms (`_FORMS`) counting once
WINDOW = 5  # words either side of a figure where what is asked must stand
CONTEXT = 8  # words either side of a figure read against the question answered with it

_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_WORD_NUMBER = rf"(?:{'|'.join(COUNT_WORDS[1:])}|thirty|forty|fifty|half a)"
_FIGURE = re.compile(
    rf"(?<![\w.,$£€¥-])(?:[$£€¥]\s?)?(?:\d[\d,]*(?:\.\d+)?|{_WORD_NUMBER}(?=[\s-]{_SCALE}\b))"
    rf"(?:\s?(?:%|percent\b|per cent\b))?(?:[\s-]{_SCALE}\b)?", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_AFTER_MONTH = re.compile(rf"\b{MONTH_PATTERN}\.?\s*$", re.I)

PERCENT, MONEY, COUNT = "percent", "money", "count"
# "What share ...?" asks for a percentage; "How much did Meta pay per share?" for money.
_ASKS_PERCENT = re.compile(r"\b(?:percent|percentage|(?<!per )(?<!a )share|proportion|fraction)\b", re.I)
_MONEY_WORDS = re.compile(r"\$|\b(?:invest|invested|investment|cost|costs|pay|paid|price|prices|worth|spend|"
                          r"spent|raise|raised|damages?|fined?|wages?|salary|sum|valuation|money|dollars|debt|"
                          r"revenue|loss|losses|bid|fee)\b", re.I)
# The words asking for the figure, which the figure takes the place of to state the question answered with it.
_ASKING_FIGURE = re.compile(r"\b(?:how (?:much|many|old|long|large|big|high|low)|what (?:share|percentage|percent|"
                            r"proportion|amount|price|number|fraction|sum)|(?:which|what) (?:[\w-]+ )?"
                            r"(?:figure|amount|sum|total))\b", re.I)


_AGE_AFTER = re.compile(r"-year-old\b|\s+years?\s+old\b|-years-old\b")
# Words for one event that do not share their first letters: a figure near "sold" or "bought" answers "How much
# did the Broncos sell for?". Only for figures: taken to names at large, irregular forms made common verbs meet
# too often (`qa.text.stem`).
_FORMS = (frozenset({"sell", "sold", "sale", "buy", "bough", "purch"}), frozenset({"pay", "paid", "bough"}),
          frozenset({"win", "won"}), frozenset({"spend", "spent"}), frozenset({"lose", "lost", "loss"}),
          frozenset({"die", "died", "dead", "death"}), frozenset({"grow", "grew", "grown"}))
# not "sales" (revenue), nor "rose" (a name as often as a rise)


def with_forms(asked: frozenset[str]) -> frozenset[str]:
    """`asked` (first five letters of each word) with the other forms of each word in `_FORMS`."""
    return asked.union(*(f for f in _FORMS if f & asked))


def _asked_near(stems: set[str], asked: frozenset[str]) -> int:
    """How many of the question's asked words stand among `stems`, a word's forms counting once."""
    return len({min(f) if (f := next((g for g in _FORMS if s in g), None)) else s for s in stems & asked})


def figures(text: str) -> list[tuple[str, int, int]]:
    """The figures of `text` as (figure, start, end): amounts, percentages, counts ("$19 million", "60%",
    "2 million", "17"), not years, times ("8:43"), days of a month ("July 6") or ordinals ("62nd")."""
    out = []
    for m in _FIGURE.finditer(text):
        figure = m.group(0).rstrip(" ,.")
        end = m.start() + len(figure)
        after, before = text[end:end + 1], text[:m.start()]
        if not re.search(r"\d", figure) and not re.search(_SCALE, figure, re.I):
            continue
        if _YEAR.fullmatch(figure) or after.isalpha() or re.match(r":\d", text[end:end + 2]) \
                or re.search(r"\d:$", before) or _AFTER_MONTH.search(before):
            continue
        out.append((figure, m.start(), end))
    return out


def unit(figure: str) -> str:
    if re.search(r"%|percent", figure, re.I):
        return PERCENT
    if re.search(r"[$£€¥]", figure):
        return MONEY
    return COUNT


def _asking(question: str) -> str:
    """The sentence asking for the figure: the asking sentence, or the whole question when that does not hold
    the asking words (an abbreviation ends a "sentence" early: "... to overturn Roe v. Wade?")."""
    clause = asked_clause(question)
    return clause if _ASKING_FIGURE.search(clause) else question


def wanted_unit(question: str) -> str:
    """The unit a question asks for: a percentage ("What percentage ...?", "What share ...?"), money ("How much
    does it cost?"), a count ("How many ...?", "How old ...?"), or "" when it does not say ("How much plastic
    is recycled?" is answered by "9%")."""
    clause = _asking(question)
    if _ASKS_PERCENT.search(clause):
        return PERCENT
    if re.search(r"\bhow (?:much|big|large)\b|\b(?:which|what) (?:[\w-]+ )?(?:amount|sum)\b", clause, re.I):
        return MONEY if _MONEY_WORDS.search(clause) else ""
    if re.search(r"\bhow (?:many|old|long)\b", clause, re.I):
        return COUNT
    return ""


def answered_with_figure(question: str, figure: str) -> str:
    """The asking sentence stated with `figure` as its answer: "63 hot dogs did Joey Chestnut devour" for
    ("How many hot dogs did Joey Chestnut devour?", "63")."""
    clause = _asking(question)
    stated, found = _ASKING_FIGURE.subn(figure.replace("\\", r"\\"), clause, count=1)
    return stated.rstrip(" ?") if found else f"{figure}: {clause}"


def _words_around(text: str, start: int, end: int, k: int) -> str:
    return " ".join([*text[:start].split()[-k:], text[start:end], *text[end:].split()[:k]])


@dataclass(frozen=True)
class RankedFigure:
    figure: str
    score: float  # relevance + nearness (`NEAR_WEIGHT` an asked term near it) + support
    relevance: float  # the evidence score of its sentence
    support: float  # cosine of the question answered with it to the words around it


class QuantityRanker:
    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def run(self, question: Question, evidence: Sequence[Evidence]) -> tuple[str, ...]:
        """The figure of `evidence` that best answers `question`, alone; () when none is the unit asked for
        near what is asked."""
        ranked = self.rank(question, evidence)
        return (ranked[0].figure,) if ranked else ()

    def rank(self, question: Question, evidence: Sequence[Evidence]) -> list[RankedFigure]:
        """Every figure of `evidence` that may answer `question`, best first (each once, at its best place)."""
        # "percentage" is the unit asked for, which every percentage is "near" ("49 percent"): not what is asked
        asked = with_forms(asked_stems(question) - {"perce"})
        found = (self._near(question, evidence, asked) or self._among_names(question, evidence)
                 or self._ages(question, evidence))
        if not found:
            return []
        kinds = list(dict.fromkeys(f for f, *_ in found))  # a figure given twice is stated once
        statements = dict(zip(kinds, self.embedder.encode([answered_with_figure(question.text, f) for f in kinds]),
                              strict=True))
        stated = np.stack([statements[f] for f, *_ in found])
        around = self.embedder.encode([w for *_, w in found])
        best: dict[str, RankedFigure] = {}
        for (figure, relevance, near, _), s in zip(found, np.sum(stated * around, axis=1), strict=True):
            r = RankedFigure(figure, float(relevance + near + s), float(relevance), float(s))
            if figure not in best or r.score > best[figure].score:
                best[figure] = r
        return sorted(best.values(), key=lambda r: -r.score)

    @staticmethod
    def _near(question: Question, evidence: Sequence[Evidence], asked: frozenset[str],
              least: int = 1) -> list[tuple[str, float, float, str]]:
        """(figure, relevance, nearness, the words around it) for each figure of `evidence` of the unit asked
        for with at least `least` of the `asked` stems within `WINDOW` words."""
        given = {f for f, _, _ in figures(question.text)}
        wanted = wanted_unit(question.text)
        found = []
        for e in evidence:
            for figure, start, end in figures(e.text):
                if figure in given or wanted and unit(figure) != wanted:
                    continue
                beside = spelled_percent(_words_around(e.text, start, end, WINDOW)).lower()  # "49%": "percent"
                terms = _asked_near(set(word_stems(words(beside))), asked)
                if terms >= least:
                    found.append((figure, e.score, NEAR_WEIGHT * terms, _words_around(e.text, start, end, CONTEXT)))
        return found

    @staticmethod
    def _ages(question: Question, evidence: Sequence[Evidence]) -> list[tuple[str, float, float, str]]:
        """For "How old is <name>?", an age given to the name itself: "the 77-year-old Walton", "Rob Walton, 77,"
        (not "Walton's 46-year-old coach", "Sam Walton, 74," for Rob Walton, "a 77-year-old law")."""
        if not re.search(r"\bhow old\b", _asking(question.text), re.I):
            return []
        names = {POSSESSIVE.sub("", w).lower() for n in question_names(question.text) for w in n.split()}
        found = []
        for e in evidence:
            for figure, start, end in figures(e.text):
                if not figure.isdigit():
                    continue
                after = _AGE_AFTER.match(e.text[end:])
                if after:  # the name right after: "the 77-year-old Walton —"
                    given = re.match(r"\s+((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)", e.text[end + after.end():])
                else:  # the name right before: "Rob Walton, 77, ..."
                    given = re.search(r"((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*),\s*$", e.text[:start]) \
                        if re.match(r"\s*[,.;)]", e.text[end:]) else None
                held = {w.lower().strip(".") for w in given.group(1).split()} if given else set()
                if held and held <= names:  # every word of it the question's: not "Sam Walton" for Rob Walton
                    found.append((figure, e.score, NEAR_WEIGHT, _words_around(e.text, start, end, CONTEXT)))
        return found

    def _among_names(self, question: Question, evidence: Sequence[Evidence]) -> list[tuple[str, float, float, str]]:
        """For a question asking how much of a name another took or holds, figures standing among the two names
        when none stands near what it asks: "Meta took a 49% stake in Scale" for "How much of Scale did Meta
        acquire?" ("acquire" is not said). Not for "What percentage of Scale's revenue ...?": there the figure
        is of something else, which must stand near it."""
        names = share_names(question)
        return self._near(question, evidence, names, least=2) if names else []
