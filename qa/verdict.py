"""Yes or no read from a quote, for a yes/no question whose sentences the model wrote all failed checking.

A quote decides the question when it holds every name the question is about and every term it asks about,
and a negation governs none of them ("Yes": "Scale remains an independent leader in AI" for "Is Scale AI
still independent?") or all of them ("No"). The quote is shown, cited, with the verdict. Anything less clear
(a term missing, a question that is itself negated) gives no verdict: the refusal stands.
"""
from __future__ import annotations

from index.store import Snapshot
from qa.answerability import asked_terms, holds_words, key_words
from qa.assembly import citation
from qa.evidence import Evidence
from qa.question import Question
from qa.text import clip, polarity_terms
from qa.types import Answer, Sentence


def polar_verdict(question: Question, evidence: list[Evidence]) -> tuple[str, Evidence] | None:
    """("Yes" or "No", the quote that decides it), best evidence first; None when no quote decides it."""
    if question.options != ("Yes", "No") or polarity_terms(question.text)[1]:
        return None
    asked = {t[:5] for t in asked_terms(question)}
    if not asked:
        return None
    keys = key_words(question)
    for e in evidence:
        if not holds_words(keys, e.text):
            continue
        said, denied = ({t[:5] for t in terms} for terms in polarity_terms(e.text))
        if asked <= said and not asked & denied:
            return "Yes", e
        if asked <= denied:
            return "No", e
    return None


def verdict_answer(answer: Answer, verdict: tuple[str, Evidence], snapshot: Snapshot) -> Answer:
    """`answer` (a refusal) turned into the verdict with its quote, cited [1]; the model's dropped sentences
    stay in `sentences` with their reasons."""
    word, e = verdict
    answer.refused, answer.extractive, answer.closest = False, True, []
    answer.citations = [citation(e, 1, snapshot, e.score)]
    answer.sentences = [*answer.sentences, Sentence(f"“{e.text}”", [1], True, e.score)]
    answer.text = f"{word}: the articles say “{clip(e.text)}” [1]."
    answer.short_answer, answer.short_citations = word, [1]
    return answer
