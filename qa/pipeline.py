"""The answering pipeline, as a short list of steps, each a component built once (`qa.factory`) and passed in:
rewrite a follow-up -> read the question -> retrieve -> select evidence -> find a disagreement -> decide
answerability -> generate under a grammar -> verify every sentence -> assemble an `Answer` whose every marker
quotes an exact span. `stream_answer` yields typed events (`qa.events`).

Why not llama-index's CitationQueryEngine: measured here with the 1.5 B model it took ~100 s an answer
(it feeds whole chunks to the model), invented facts and cited "[1]" for "Paris". We keep llama-index's
retriever interface and LLM classes, and own the parts that make a small model trustworthy: short evidence,
constrained output, verification and refusal decided from retrieval.
"""
from __future__ import annotations

import time
from collections import abc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from index.store import Snapshot, Store
from qa.answerability import AnswerabilityPolicy, Decision
from qa.assembly import Assembler, citation, described_answer
from qa.conflicts import Conflict, ConflictFinder
from qa.dates import as_of_date
from qa.events import Done, Event, EvidenceFound, TextDelta
from qa.evidence import Evidence, EvidenceSelector, Selection, surroundings
from qa.filters import Filters
from qa.followup import FollowupRewriter
from qa.generation import Draft, Generator, context_lines
from qa.memory import release_free_memory
from qa.question import Question, QuestionAnalyzer
from qa.retrieval import NewsRetriever, SearchResult
from qa.types import Answer
from qa.verdict import YES_THRESHOLD, PolarJudge, quoted_verdict
from qa.verify import Verifier

MAX_QUESTION_CHARS = 2000


def validate_question(question: str) -> str:
    """The question with its whitespace collapsed; a clear error for a non-string, empty or huge one."""
    if not isinstance(question, str):
        raise TypeError(f"question must be a string, got {type(question).__name__}")
    q = " ".join(question.split())
    if not q:
        raise ValueError("question is empty: ask something about the articles")
    if len(q) > MAX_QUESTION_CHARS:
        raise ValueError(f"question is {len(q)} characters long; the limit is {MAX_QUESTION_CHARS}. "
                         "Ask a shorter question")
    return q


@dataclass(frozen=True)
class Components:
    """One component per role of the answering path."""
    rewriter: FollowupRewriter
    analyzer: QuestionAnalyzer
    retriever: NewsRetriever
    selector: EvidenceSelector
    conflicts: ConflictFinder
    policy: AnswerabilityPolicy
    generator: Generator
    verifier: Verifier
    assembler: Assembler
    polar: PolarJudge  # a yes/no question's verdict, read by the judge from the evidence


class _Clock:
    """Seconds since the question arrived, and the steps' timings."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.timings: dict[str, float] = {}

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def mark(self, name: str, since: float = 0.0) -> float:
        now = self.now()
        self.timings[name] = round(now - since, 3)
        return now


class Engine:
    """Answers questions over one library with one language model. Thread-safe; cheap to construct."""

    def __init__(self, store: Store, parts: Components):
        self.store = store
        self.parts = parts

    @property
    def model_name(self) -> str:
        return self.parts.generator.llm.name

    def retrieve(self, question: str, *, filters: Filters | None = None,
                 as_of: date | str | None = None) -> SearchResult:
        """The ranked chunks answering `question` would draw from (also what `qa eval` scores)."""
        snap = self.store.snapshot()
        day = as_of_date(as_of)
        asked = self.parts.analyzer.run(question, snap, as_of=day)
        return self.parts.retriever.run(asked, snap, filters=filters, until=day.isoformat())

    def answer(self, question: str, *, top_k: int | None = None, history: list | None = None,
               filters: Filters | None = None, as_of: date | str | None = None) -> Answer:
        for event in self.stream_answer(question, top_k=top_k, history=history, filters=filters, as_of=as_of):
            if isinstance(event, Done):
                return event.answer
        raise RuntimeError("stream_answer ended without an answer")  # unreachable: it always ends with Done

    def stream_answer(self, question: str, *, top_k: int | None = None, history: list | None = None,
                      filters: Filters | None = None, as_of: date | str | None = None) -> Iterator[Event]:
        """Yield `EvidenceFound` (before the model starts; again, longer, when the passage giving a name or figure
        offered is added), `TextDelta`s as it writes, then `Done`. `as_of`
        (default today) is the day the question is asked: "this week" counts back from it, and articles
        dated after it are not used."""
        q = validate_question(question)
        if top_k is not None and top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        day = as_of_date(as_of)
        p, clock = self.parts, _Clock()
        standalone = p.rewriter.run(q, history) if history else q
        rewrite_end = clock.mark("rewrite_s") if standalone != q else 0.0
        snap = self.store.snapshot()
        asked = p.analyzer.run(standalone, snap, as_of=day)
        result = p.retriever.run(asked, snap, filters=filters, until=day.isoformat())
        selection = p.selector.run(asked, result, max_sentences=top_k)
        evidence, conflict = p.conflicts.run(selection)
        clock.mark("retrieve_s", since=rewrite_end)
        base = Answer(question=q, text="", standalone_question=standalone, model=self.model_name)
        decision = yield from _decided(p.policy, asked, result, evidence, snap, clock)
        if not decision.answerable:
            yield from _given_whole(p.assembler.refusal(base, decision, snap, evidence), clock)
            return
        options, evidence = yield from _shown_then_offered(p.generator, asked, evidence, snap, selection.ranked, clock)
        context = context_lines(evidence, snap)
        margin = p.polar.margin(asked, context, evidence, conflict)
        shown = _shown_by_quotes(p, base, asked, options, evidence, selection, conflict, margin, snap)
        if shown is not None:
            yield from _given_whole(shown, clock)
            return
        draft: Draft | None = None
        generate_start = clock.now()
        for piece in p.generator.run(asked, evidence, context, options):
            if isinstance(piece, Draft):
                draft = piece
            else:
                yield TextDelta(piece)
        assert draft is not None  # Generator.run always ends with its Draft
        clock.timings["first_token_s"] = round(generate_start + draft.first_token_s, 3)
        clock.mark("generate_s", since=generate_start)
        checks = p.verifier.run(draft.sentences, evidence, context, asked, surroundings(evidence, snap))
        answer = p.assembler.run(base, asked, draft, checks, evidence, result, selection.groups, conflict)
        answer = p.polar.with_verdict(answer, asked, evidence, margin, snap)  # a yes/no question's, judged
        answer.timings = {**clock.timings, "total_s": round(clock.now(), 3)}
        release_free_memory()  # what this answer freed goes back to the system, so a server's memory stays flat
        yield Done(answer)


def _shown_by_quotes(p: Components, base: Answer, asked: Question, options: tuple[str, ...],
                     evidence: list[Evidence], selection: Selection, conflict: Conflict | None,
                     margin: float | None, snap: Snapshot) -> Answer | None:
    """The answer quotes show with no model writing, else None: the name that the sentences of every part of the
    question's description hold, or of all but one as the judge reads them (`Generator.described`), or a judged
    Yes the sources do not dispute."""
    described = p.generator.described(asked, options, selection.ranked)
    if described is not None:
        return described_answer(base, *described, snap)
    yes = margin is not None and margin >= YES_THRESHOLD
    quotes = p.polar.quotes(asked, evidence, selection.groups, conflict, selection.leaders) if yes else []
    return quoted_verdict(base, "Yes", quotes, snap) if quotes else None


def _given_whole(answer: Answer, clock: _Clock) -> Iterator[Event]:
    """The events of an answer the model did not write (a refusal, a judged verdict): its text, then `Done`."""
    total = round(clock.now(), 3)
    answer.timings = {"evidence_s": total, **clock.timings, "total_s": total}  # a refusal shows its passages at once
    yield TextDelta(answer.text)
    yield Done(answer)


def _decided(policy: AnswerabilityPolicy, asked: Question, result: SearchResult, evidence: list[Evidence],
             snap: Snapshot, clock: _Clock) -> abc.Generator[Event, None, Decision]:
    """Whether the articles can answer (`AnswerabilityPolicy`). When retrieval alone would refuse but the judge
    may yet read the closest sentence as answering, the evidence is shown first: the reader does not wait
    the second it reads for."""
    decision = policy.decide(asked, result, evidence)
    if policy.worth_judging(decision, evidence):
        clock.mark("evidence_s")
        yield EvidenceFound(tuple(citation(e, e.number, snap, e.score) for e in evidence))
        decision = policy.judged(asked, evidence, decision)
    return decision


def _shown_then_offered(generator: Generator, asked: Question, evidence: list[Evidence], snap: Snapshot,
                        ranked: list[Evidence],
                        clock: _Clock) -> abc.Generator[Event, None, tuple[tuple[str, ...], list[Evidence]]]:
    """Show the evidence (`EvidenceFound`), then rank the names or figures the answer may give
    (`Generator.short_answers`, up to ~1 s with the judge) and, when it adds the passages giving them (numbered
    after the others), show the evidence again. Returns the short answers offered and the evidence to read."""
    if "evidence_s" not in clock.timings:  # else shown already, while the judge read (`_decided`)
        clock.mark("evidence_s")  # the reader sees the evidence from here on
        yield EvidenceFound(tuple(citation(e, e.number, snap, e.score) for e in evidence))
    options, read = generator.short_answers(asked, evidence, snap, ranked)
    if len(read) > len(evidence):
        yield EvidenceFound(tuple(citation(e, e.number, snap, e.score) for e in read))
    return options, read
