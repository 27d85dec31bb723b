"""Evaluation on MultiHop-RAG (Tang & Yang, COLM 2024; ODC-BY 1.0): the metrics and the evaluation loop.

What it measures, per question type and overall (the protocol is in ../shared/bench/README.md):
- retrieval, by the authors' rule: a retrieved chunk is relevant when a gold fact, with whitespace removed, is
  a substring of the chunk's text with whitespace removed. Hits@4, Hits@10, MRR@10 (null queries skipped),
  plus all_evidence@10 (every gold fact of the query inside some top-10 chunk) and evidence_recall@10 (the
  mean share of a query's gold facts inside the top-10 chunks);
- answers: the authors' lenient accuracy (the prediction's lower-cased whitespace tokens share at least one
  token with the gold answer's), exact match after normalisation, citation precision and recall at article
  level, refusals on null queries and false refusals on answerable ones, latency.

What it does not do: build the engine or parse command-line arguments (qa/cli_eval.py does), or decide how
to answer. Answerers are plain callables returning our `Answer`, so the llama-index baseline is scored by
exactly the same code as the assistant.
"""
from __future__ import annotations

import json
import logging
import re
import string
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from qa.types import Answer

log = logging.getLogger(__name__)

REFUSAL_PREDICTION = "Insufficient information."  # the gold answer of the null queries
RETRIEVAL_K = 10
NULL_TYPE = "null_query"

# Keys of the summary, in report order. Retrieval keys are None where no answerable query was scored;
# answer keys are None in a retrieval-only run.
RETRIEVAL_KEYS = ("hits@4", "hits@10", "mrr@10", "all_evidence@10", "evidence_recall@10")
ANSWER_KEYS = ("accuracy", "exact_match", "citation_precision", "citation_recall", "null_refusal",
               "false_refusal", "sentences_entailed", "answers_fully_entailed", "latency_p50_s", "latency_p95_s",
               "first_token_p50_s", "first_token_p95_s", "evidence_p50_s", "evidence_p95_s")


# ---- the queries ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvalQuery:
    qid: str
    query: str
    answer: str
    question_type: str
    answerable: bool
    facts: tuple[str, ...] = ()
    evidence_doc_ids: tuple[str, ...] = ()


def load_jsonl_queries(path: Path, parse: Callable[[dict[str, Any], int], Q], needs: str) -> list[Q]:
    """Read a queries file (JSON lines), one query a line by `parse(record, line number)`. Raises ValueError
    naming the line that is wrong and what each line `needs`."""
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ValueError(f"cannot read the queries file {path} ({e.strerror})") from e
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(parse(json.loads(line), n))
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise ValueError(f"{path}:{n}: not a query of this set ({e!r}); each line needs {needs}") from e
    if not out:
        raise ValueError(f"{path} holds no queries")
    return out


def load_queries(path: Path) -> list[EvalQuery]:
    """Read a MultiHop-RAG queries file (JSON lines). Raises ValueError naming the line that is wrong."""
    def parse(rec: dict[str, Any], n: int) -> EvalQuery:
        evidence = rec.get("evidence") or []
        return EvalQuery(
            qid=str(rec.get("qid") or f"line-{n}"), query=rec["query"], answer=str(rec["answer"]),
            question_type=str(rec.get("question_type") or "unknown"),
            answerable=bool(rec.get("answerable", rec.get("question_type") != NULL_TYPE)),
            facts=tuple(e["fact"] for e in evidence),
            evidence_doc_ids=tuple(rec.get("evidence_doc_ids") or sorted({e["doc_id"] for e in evidence})))
    return load_jsonl_queries(path, parse, "query, answer, question_type and evidence")


class _Typed(Protocol):
    @property
    def qid(self) -> str: ...

    @property
    def question_type(self) -> str: ...


Q = TypeVar("Q", bound=_Typed)


def stratified(queries: list[Q], limit: int | None) -> list[Q]:
    """The first `limit` queries taken round-robin across question types (in file order within a type), so
    that a small run still covers every type. Deterministic; no limit returns all queries."""
    if limit is None or limit >= len(queries):
        return list(queries)
    if limit < 1:
        raise ValueError(f"--limit must be at least 1, got {limit}")
    by_type: dict[str, list[Q]] = {}
    for q in queries:
        by_type.setdefault(q.question_type, []).append(q)
    picked: list[Q] = []
    i = 0
    while len(picked) < limit:
        for qs in by_type.values():
            if i < len(qs) and len(picked) < limit:
                picked.append(qs[i])
        i += 1
    order = {q.qid: n for n, q in enumerate(queries)}
    return sorted(picked, key=lambda q: order[q.qid])


# ---- retrieval metrics ---------------------------------------------------------------------------------------

def squash(text: str) -> str:
    """The authors' normalisation (spaces and newlines removed), extended to all whitespace and to invisible
    format characters such as a byte-order mark, which our article cleaning removes from the stored text
    but the gold facts (cut from the raw body) still hold."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def facts_in(chunk_text: str, facts: Iterable[str]) -> set[int]:
    """Indices of the gold facts that the chunk contains, by the authors' substring rule."""
    body = squash(chunk_text)
    return {i for i, f in enumerate(facts) if squash(f) and squash(f) in body}


@dataclass(frozen=True)
class RetrievalScore:
    hit4: float
    hit10: float
    rr10: float
    all_evidence: float
    evidence_recall: float


def score_ranking(found: list[set[int]], n_facts: int) -> RetrievalScore:
    """Score one query's ranked list: `found[i]` is the set of gold facts inside the chunk at rank i+1.
    Only the first RETRIEVAL_K entries count."""
    if n_facts < 1:
        raise ValueError("a query without gold facts cannot be scored for retrieval")
    top = found[:RETRIEVAL_K]
    first = next((rank for rank, f in enumerate(top, start=1) if f), None)
    covered = set().union(*top) if top else set()
    return RetrievalScore(
        hit4=float(first is not None and first <= 4),
        hit10=float(first is not None),
        rr10=1.0 / first if first else 0.0,
        all_evidence=float(len(covered) == n_facts),
        evidence_recall=len(covered) / n_facts,
    )


# ---- answer metrics ------------------------------------------------------------------------------------------

def prediction_of(answer: Answer) -> str:
    """What is scored: the short answer when there is one, else the text; a refusal predicts the null
    queries' gold answer, "Insufficient information.", as the authors' prompt asks the model to say."""
    if answer.refused:
        return REFUSAL_PREDICTION
    return answer.short_answer.strip() or answer.text.strip()


def lenient_correct(prediction: str, gold: str) -> bool:
    """The authors' rule: the lower-cased whitespace tokens of prediction and gold share at least one."""
    return bool(set(prediction.lower().split()) & set(gold.lower().split()))


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation + "“”‘’")


def normalise(text: str) -> str:
    """SQuAD-style normalisation: lower case, no punctuation or articles, single spaces."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split())


def exact_match(prediction: str, gold: str) -> bool:
    return normalise(prediction) == normalise(gold)


def citation_scores(cited: Iterable[str], gold: Iterable[str]) -> tuple[float | None, float]:
    """(precision, recall) at article level. Precision is None when nothing is cited (undefined: such
    answers are left out of the precision mean but score 0 recall)."""
    cited, gold = set(cited), set(gold)
    precision = len(cited & gold) / len(cited) if cited else None
    recall = len(cited & gold) / len(gold) if gold else 0.0
    return precision, recall


def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), p in 0..100; None for no values."""
    if not values:
        return None
    v = sorted(values)
    pos = (len(v) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


# ---- per-query records and their summary ---------------------------------------------------------------------

@dataclass
class QueryResult:
    qid: str
    question_type: str
    answerable: bool
    retrieval: RetrievalScore | None = None
    prediction: str | None = None
    gold: str = ""
    correct: bool | None = None
    exact: bool | None = None
    refused: bool | None = None
    cited_doc_ids: list[str] = field(default_factory=list)
    citation_precision: float | None = None
    citation_recall: float | None = None
    latency_s: float | None = None
    first_token_s: float | None = None
    evidence_s: float | None = None  # until the evidence (or a refusal with its closest passages) is shown
    sentences: int = 0  # sentences the answer ships
    sentences_entailed: int | None = None  # of them entailed by their citations, when a judge was given
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["retrieval"] = None if self.retrieval is None else dict(self.retrieval.__dict__)
        return d


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def summarise(results: list[QueryResult]) -> dict[str, Any]:
    """The figures for one set of per-query results (see RETRIEVAL_KEYS and ANSWER_KEYS)."""
    ret = [r.retrieval for r in results if r.retrieval is not None]
    answered = [r for r in results if r.prediction is not None]
    answerable = [r for r in answered if r.answerable]
    nulls = [r for r in answered if not r.answerable]
    latencies = [r.latency_s for r in answered if r.latency_s is not None]
    firsts = [r.first_token_s for r in answered if r.first_token_s]
    shown = [r.evidence_s for r in answered if r.evidence_s is not None]
    def p(xs: list[float], q: float) -> float | None:
        v = percentile(xs, q)
        return None if v is None else round(v, 3)

    return {
        "queries": len(results),
        "hits@4": _mean([s.hit4 for s in ret]),
        "hits@10": _mean([s.hit10 for s in ret]),
        "mrr@10": _mean([s.rr10 for s in ret]),
        "all_evidence@10": _mean([s.all_evidence for s in ret]),
        "evidence_recall@10": _mean([s.evidence_recall for s in ret]),
        "accuracy": _mean([float(bool(r.correct)) for r in answered]),
        "exact_match": _mean([float(bool(r.exact)) for r in answered]),
        # Article-level citation figures concern answerable queries only: a null query has no gold
        # articles, and how it is handled is what null_refusal measures.
        "citation_precision": _mean([r.citation_precision for r in answerable
                                     if r.citation_precision is not None and not r.refused]),
        "citation_recall": _mean([r.citation_recall for r in answerable
                                  if r.citation_recall is not None and not r.refused]),
        "null_refusal": _mean([float(bool(r.refused)) for r in nulls]),
        "false_refusal": _mean([float(bool(r.refused)) for r in answerable]),
        **entailment_figures([(r.sentences, r.sentences_entailed) for r in answered]),
        "latency_p50_s": p(latencies, 50),
        "latency_p95_s": p(latencies, 95),
        "first_token_p50_s": p(firsts, 50),
        "first_token_p95_s": p(firsts, 95),
        "evidence_p50_s": p(shown, 50),
        "evidence_p95_s": p(shown, 95),
        "retrieval_scored": len(ret),
        "answers_scored": len(answered),
        "errors": sum(1 for r in results if r.error),
    }


def entailment_figures(counts: list[tuple[int, int | None]]) -> dict[str, float | None]:
    """From (sentences shipped, of them judged entailed) per answer (None: not judged): the share of judged
    sentences entailed, and the share of judged answers whose every sentence is."""
    judged = [(n, e) for n, e in counts if e is not None and n]
    return {
        "sentences_entailed": round(sum(e for _, e in judged) / sum(n for n, _ in judged), 4) if judged else None,
        "answers_fully_entailed": round(sum(e == n for n, e in judged) / len(judged), 4) if judged else None,
    }


def report(results: list[QueryResult]) -> dict[str, Any]:
    """The overall summary with a `by_type` entry holding the same summary per question type."""
    out = summarise(results)
    types = sorted({r.question_type for r in results})
    out["by_type"] = {t: summarise([r for r in results if r.question_type == t]) for t in types}
    return out


# ---- the evaluation loop -------------------------------------------------------------------------------------

RankedRows = Callable[[str], list[int]]  # question -> snapshot rows of the ranked chunks, best first
Answerer = Callable[[str], Answer]
Judge = Callable[[Answer], tuple[int, int]]  # -> (sentences shipped, of them entailed by their citations)


def evaluate(queries: list[EvalQuery], *, chunk_text: Callable[[int], str], retrieve: RankedRows | None,
             answerer: Answerer | None = None, on_result: Callable[[int, QueryResult], None] | None = None,
             judge: Judge | None = None) -> list[QueryResult]:
    """Score every query: retrieval (answerable queries only, as the authors do) when `retrieve` is given,
    the answer when `answerer` is given (and its sentences' entailment when `judge` is). An exception from
    the answerer is recorded against that query (it scores as wrong and not refused) rather than ending a
    run of hours."""
    results = []
    for i, q in enumerate(queries):
        r = QueryResult(q.qid, q.question_type, q.answerable, gold=q.answer)
        if retrieve is not None and q.answerable and q.facts:
            rows = retrieve(q.query)[:RETRIEVAL_K]
            r.retrieval = score_ranking([facts_in(chunk_text(row), q.facts) for row in rows], len(q.facts))
        if answerer is not None:
            _score_answer(r, q, answerer, judge)
        results.append(r)
        if on_result:
            on_result(i, r)
    return results


def _score_answer(r: QueryResult, q: EvalQuery, answerer: Answerer, judge: Judge | None = None) -> None:
    t0 = time.perf_counter()
    try:
        a = answerer(q.query)
    except Exception as e:  # noqa: BLE001 - one failing question must not lose the whole run; it is reported
        log.warning("%s failed: %s", q.qid, e)
        r.error = f"{type(e).__name__}: {e}"
        r.prediction, r.correct, r.exact, r.refused = "", False, False, False
        r.latency_s = time.perf_counter() - t0
        return
    r.latency_s = round(a.timings.get("total_s") or (time.perf_counter() - t0), 3)
    r.first_token_s = a.timings.get("first_token_s") or None
    r.evidence_s = a.timings.get("evidence_s")
    r.prediction = prediction_of(a)
    r.refused = a.refused
    r.correct = lenient_correct(r.prediction, q.answer)
    r.exact = exact_match(r.prediction, q.answer)
    r.cited_doc_ids = sorted({c.doc_id for c in a.citations})
    if q.answerable:
        r.citation_precision, r.citation_recall = citation_scores(r.cited_doc_ids, q.evidence_doc_ids)
    r.sentences = sum(1 for s in a.sentences if s.supported)
    if judge is not None and not a.refused:
        r.sentences, r.sentences_entailed = judge(a)


# ---- the evaluation index ------------------------------------------------------------------------------------

def corpus_hash(path: Path) -> str:
    from qa.models import sha256_file

    return sha256_file(path)


def default_eval_index_dir(corpus: Path, cache_dir: Path) -> Path:
    """Kept apart from the user's library: <cache_dir>/eval-index-<first 12 hex of the corpus SHA-256>."""
    return Path(cache_dir) / f"eval-index-{corpus_hash(corpus)[:12]}"


def prepare_index(store, corpus: Path, progress: Callable[[int, int], None] | None = None) -> tuple[Any, str]:
    """Make `store` hold exactly the corpus's articles and return (snapshot, what was done). An index that
    already holds the same texts is reused as it is; otherwise only new or changed articles are embedded and
    articles not in the corpus are removed. An index built with other parameters is rebuilt."""
    from index.errors import IndexMismatchError
    from index.loaders import load_jsonl

    loaded = load_jsonl(Path(corpus))
    for e in loaded.errors:
        log.warning("corpus: skipped %s", e)
    if not loaded.articles:
        raise ValueError(f"{corpus} holds no usable articles")
    wanted = {a.doc_id: a.content_hash for a in loaded.articles}
    if store.exists():
        try:
            snap = store.snapshot()
        except IndexMismatchError:
            log.warning("the evaluation index at %s was built with other parameters; rebuilding it", store.path)
            store.rebuild(progress=progress)
            snap = store.snapshot()
        have = {d: a.content_hash for d, a in snap.articles.items()}
        if have == wanted:
            return snap, "reused"
        extra = sorted(set(have) - set(wanted))
        if extra:
            store.remove(extra)
    store.add(loaded.articles, progress=progress)
    return store.snapshot(), "built"
