"""Evaluation on any question-answering set of news questions (for example RealTimeQA): accuracy, refusal,
false refusal, article-level citations, latency, and a closed-book baseline (the same model without the
articles) that shows what retrieval adds.

The set: corpus.jsonl (doc_id, title, source, published_at, url, body) and queries.jsonl (qid, query,
answers[], answerable, evidence_doc_ids, asked_on). Scoring follows the reference scorer of the RealTimeQA
set: an answerable question is right when the answer is not refused and an accepted answer occurs in the text
shown to the reader as a whole word (case-insensitive, after Unicode NFKC and quote folding); an unanswerable
one is right when refused. It does not build indexes or parse arguments (qa/cli_eval.py does).
"""
from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.evaluation import Judge, citation_scores, entailment_figures, load_jsonl_queries, percentile
from qa.types import Answer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QAQuery:
    qid: str
    query: str
    answers: tuple[str, ...]
    answerable: bool
    evidence_doc_ids: tuple[str, ...] = ()
    asked_on: str = ""
    question_type: str = ""


def load_qa_queries(path: Path) -> list[QAQuery]:
    """Read a queries file (JSON lines). Raises ValueError naming the line that is wrong."""
    def parse(r: dict[str, Any], n: int) -> QAQuery:
        return QAQuery(str(r.get("qid") or f"line-{n}"), r["query"], tuple(str(a) for a in r["answers"]),
                       bool(r.get("answerable", True)), tuple(r.get("evidence_doc_ids") or ()),
                       str(r.get("asked_on") or ""), str(r.get("question_type") or ""))
    return load_jsonl_queries(path, parse, "query and answers")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def matches(text: str, accepted: tuple[str, ...]) -> bool:
    """Whether an accepted answer occurs in `text` as a whole word (no letter or digit around it)."""
    t = fold(text)
    return any(s and re.search(r"(?<![a-z0-9])" + re.escape(s) + r"(?![a-z0-9])", t)
               for s in (fold(a) for a in accepted))


def shown_text(a: Answer) -> str:
    """What a reader sees: the short answer (when there is one) and the text."""
    return f"{a.short_answer}\n{a.text}" if a.short_answer else a.text


@dataclass
class QAResult:
    qid: str
    answerable: bool
    question_type: str
    text: str = ""
    refused: bool = False
    correct: bool = False
    cited_doc_ids: list[str] = field(default_factory=list)
    citation_precision: float | None = None
    citation_recall: float | None = None
    sentences: int = 0
    sentences_entailed: int | None = None  # by their citations, when a judge was given
    latency_s: float = 0.0
    evidence_s: float | None = None  # until the evidence (or a refusal with its closest passages) is shown
    timings: dict[str, float] = field(default_factory=dict)  # the answer's steps (`Answer.timings`)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


Answerer = Callable[[QAQuery], Answer]


def evaluate_qa(queries: list[QAQuery], answerer: Answerer, *, judge: Judge | None = None,
                on_result: Callable[[int, QAResult], None] | None = None) -> list[QAResult]:
    """Answer and score every query; an exception is recorded against its query (scored wrong, not refused)."""
    results = []
    for i, q in enumerate(queries):
        r = QAResult(q.qid, q.answerable, q.question_type)
        t0 = time.perf_counter()
        try:
            a = answerer(q)
        except Exception as e:  # noqa: BLE001 - one failing question must not end a long run; it is reported
            log.warning("%s failed: %s", q.qid, e)
            r.error, r.latency_s = f"{type(e).__name__}: {e}", time.perf_counter() - t0
        else:
            _score(r, q, a, time.perf_counter() - t0, judge)
        results.append(r)
        if on_result:
            on_result(i, r)
    return results


def _score(r: QAResult, q: QAQuery, a: Answer, elapsed: float, judge: Judge | None) -> None:
    r.text, r.refused = shown_text(a), a.refused
    r.latency_s = round(a.timings.get("total_s") or elapsed, 3)
    r.evidence_s = a.timings.get("evidence_s")
    r.timings = dict(a.timings)
    r.correct = (not a.refused and matches(r.text, q.answers)) if q.answerable else a.refused
    r.cited_doc_ids = sorted({c.doc_id for c in a.citations})
    if q.answerable and q.evidence_doc_ids:
        r.citation_precision, r.citation_recall = citation_scores(r.cited_doc_ids, q.evidence_doc_ids)
    r.sentences = sum(1 for s in a.sentences if s.supported)
    if judge is not None and not a.refused:
        r.sentences, r.sentences_entailed = judge(a)


def _rate(xs: list[bool]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def summarise_qa(results: list[QAResult]) -> dict[str, Any]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in answerable if not r.refused]
    latencies = [r.latency_s for r in results]
    shown = [r.evidence_s for r in results if r.evidence_s is not None]
    precisions = [r.citation_precision for r in answered if r.citation_precision is not None]
    recalls = [r.citation_recall for r in answered if r.citation_recall is not None]
    return {
        "queries": len(results),
        "accuracy": _rate([r.correct for r in results]),
        "answerable_accuracy": _rate([r.correct for r in answerable]),
        "unanswerable_refused": _rate([r.refused for r in unanswerable]),
        "false_refusal": _rate([r.refused for r in answerable]),
        "citation_precision": round(sum(precisions) / len(precisions), 4) if precisions else None,
        "citation_recall": round(sum(recalls) / len(recalls), 4) if recalls else None,
        **entailment_figures([(r.sentences, r.sentences_entailed) for r in results]),
        "latency_p50_s": None if not latencies else round(percentile(latencies, 50) or 0.0, 3),
        "latency_p95_s": None if not latencies else round(percentile(latencies, 95) or 0.0, 3),
        "evidence_p50_s": None if not shown else round(percentile(shown, 50) or 0.0, 3),
        "evidence_p95_s": None if not shown else round(percentile(shown, 95) or 0.0, 3),
        "errors": sum(1 for r in results if r.error),
    }


_REFUSAL = re.compile(r"\b(do(es)? not|don't|cannot|can't|unable to|no information|not (?:sure|aware|know))\b", re.I)


def closed_book_answerer(llm: Any, max_tokens: int = 60) -> Answerer:
    """The same model without the articles: one short sentence from what it knows (the questions predate its
    training data's end), refused when it says it does not know."""
    from qa.llm import complete
    from qa.prompts import CLOSED_BOOK_SYSTEM

    def answer(q: QAQuery) -> Answer:
        t0 = time.perf_counter()
        asked = f"Today is {q.asked_on}. {q.query}" if q.asked_on else q.query
        text = complete(llm, CLOSED_BOOK_SYSTEM, asked, max_tokens=max_tokens).strip()
        return Answer(question=q.query, text=text, refused=bool(_REFUSAL.search(text)), model=llm.name,
                      timings={"total_s": round(time.perf_counter() - t0, 3)})
    return answer
