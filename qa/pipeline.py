"""The answering pipeline: retrieve → decide answerability → select evidence sentences → generate under a
grammar → verify every sentence → assemble an `Answer` whose every marker quotes an exact span.

Why not llama-index's CitationQueryEngine: measured here with the 1.5 B model it took ~100 s an answer
(it feeds whole chunks to the model), invented facts and cited "[1]" for "Paris". We keep llama-index's
retriever interface and LLM classes, and own the parts that make a small model trustworthy: short evidence,
constrained output, verification and refusal decided from retrieval.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING
from dataclasses import dataclass

from index.embedding import Embedder
from index.store import Store
from qa import prompts
from qa.conflicts import Conflict, find_conflict
from qa.evidence import Evidence, content_terms, name_candidates, outlet_groups, pick, rank_sentences
from qa.llm import LLM
from qa.followup import standalone_question
from qa.query import planned_search, proper_names
from qa.retrieval import Filters, HybridRetriever, SearchResult
from qa.types import Answer, Citation, Sentence, Source
from qa.verify import verify_sentence

if TYPE_CHECKING:
    from qa.settings import Settings

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# Answerability, decided before any generation (calibrated on the MultiHop-RAG dev queries, null included):
MIN_DENSE = 0.49  # best chunk cosine similarity (dev queries, 800-token chunks: ~91% of null queries below, ~7% of answerable)
MIN_EXTRACTIVE_DENSE = 0.45  # a quoted fallback sentence must itself be this close to the question
MIN_OVERLAP = 0.5  # rarity-weighted share of the question's words in the best evidence sentence

_MARKER = re.compile(r"\s*\[(\d+)\]")
_NOT_IN = "The articles do not cover this."


@dataclass(frozen=True)
class _Asked:
    """What the question asks for, read once before generation and used again to assemble the answer."""
    closed: tuple[str, ...]  # the options of a closed question (Yes/No, "Consistent"/"Inconsistent"), else ()
    options: tuple[str, ...]  # the short answers the grammar allowed (`closed`, or names for "Who ...?")
    groups: dict[str, int]  # doc_id -> the outlet group it belongs to, of those the question names


@dataclass
class Turn:
    question: str
    answer: str


def validate_question(question: str) -> str:
    if not isinstance(question, str):
        raise TypeError(f"question must be a string, got {type(question).__name__}")
    q = " ".join(question.split())
    if not q:
        raise ValueError("question is empty: ask something about the articles")
    if len(q) > MAX_QUESTION_CHARS:
        raise ValueError(f"question is {len(q)} characters long; the limit is {MAX_QUESTION_CHARS}. "
                         "Ask a shorter question")
    return q


class Engine:
    """Answers questions over one index with one language model. Thread-safe; cheap to construct."""

    def __init__(self, store: Store, llm: LLM, *, embedder: Embedder | None = None, top_k: int = 6,
                 max_tokens: int = 120):
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        self.store = store
        self.llm = llm
        self.embedder = embedder or store.embedder
        self.top_k = top_k
        self.max_tokens = max_tokens
        # BM25 is the stronger ranker on news (names, numbers, outlets); MiniLM adds paraphrase recall. Weights
        # and the 800-token retrieval unit were chosen on the MultiHop-RAG dev queries (README, "Evaluation").
        self.retriever = HybridRetriever(store, self.embedder, top_k=10, dense_weight=0.3)

    def retrieve(self, question: str, *, filters: Filters | None = None, top_k: int = 10) -> SearchResult:
        """The ranked chunks the answer is drawn from (also what `qa eval` scores for retrieval)."""
        return planned_search(self.retriever, question, filters=filters, top_k=top_k)

    @classmethod
    def from_settings(cls, settings: "Settings") -> "Engine":
        """The engine a `Settings` describes: its index directory, its LLM backend, its top_k and max_tokens.
        Nothing loads until the first question."""
        from qa.llm import make_llm

        return cls(Store(settings.index_dir), make_llm(settings), top_k=settings.top_k,
                   max_tokens=settings.max_tokens)

    def retrieve_for_eval(self, question: str, top_k: int = 10):
        """The ranked hits `qa eval` scores: exactly what answering this question would draw from."""
        return self.retrieve(question, top_k=top_k).hits

    def answer(self, question: str, *, top_k: int | None = None, history: list | None = None,
               filters: Filters | None = None) -> Answer:
        result = None
        for item in self.stream_answer(question, top_k=top_k, history=history, filters=filters):
            if isinstance(item, Answer):
                result = item
        assert result is not None  # stream_answer always ends with an Answer
        return result

    def stream_answer(self, question: str, *, top_k: int | None = None, history: list | None = None,
                      filters: Filters | None = None, on_evidence=None) -> Iterator[str | Answer]:
        """Yield the answer's text as it is generated, then the final, verified `Answer`.
        `on_evidence(list[Citation])` is called with the candidate quotes before generation starts; an empty
        piece is yielded right after it, so that a caller can show them before the first token."""
        q = validate_question(question)
        if top_k is not None and top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        standalone = standalone_question(q, history, self.llm) if history else q
        if standalone != q:
            timings["rewrite_s"] = round(time.perf_counter() - t0, 3)
        result = self.retrieve(standalone, filters=filters)
        ranked = rank_sentences(standalone, result, self.embedder)
        closed = prompts.answer_options(standalone)
        groups = outlet_groups(result, (e.doc_id for e in ranked))  # evidence is drawn from `ranked`
        # A closed question ("Did the TechCrunch report say X while Fortune said Y?") is about one report per
        # mention of an outlet; an open one ("Who ..., as reported by TechCrunch?") may need several of its
        # articles. Measured on 60 dev queries: the limit raised citation precision on closed questions
        # (0.78 -> 0.89) but cost open ones recall (0.45 -> 0.30) without raising their precision.
        evidence = pick(ranked, max_sentences=top_k or self.top_k,
                        cover=groups,
                        articles_per_group=result.source_mentions if closed else ())
        conflict = find_conflict(evidence, ranked)
        if conflict:  # make sure the model sees, and the answer can cite, both sides
            for side in ("first", "second"):
                ev = getattr(conflict, side)
                if ev.number == 0:
                    ev = dataclasses.replace(ev, number=len(evidence) + 1)
                    evidence.append(ev)
                    setattr(conflict, side, ev)
        timings["retrieve_s"] = round(time.perf_counter() - t0 - timings.get("rewrite_s", 0.0), 3)
        base = Answer(question=q, text="", standalone_question=standalone, model=self.llm.name)

        missing = missing_outlets_of(standalone, result.snapshot)
        if missing or not self._answerable(standalone, result, evidence):
            base.refused, base.text = True, _NOT_IN
            if missing:
                base.text = (f"The articles do not cover this: the library holds no articles from "
                             f"{_join(missing)}.")
            if not looks_english(q):
                base.text += " (The question does not look English; the articles are in English: ask in English.)"
            base.closest = self._closest(result, evidence)
            base.timings = {**timings, "total_s": round(time.perf_counter() - t0, 3)}
            yield base.text
            yield base
            return
        if on_evidence:
            on_evidence([self._citation(e, e.number, result, e.score) for e in evidence])
            yield ""  # hand control back now, so a caller can show the evidence before the model starts

        context = {e.number: self._context_line(e, result) for e in evidence}
        user = prompts.ANSWER_USER.format(evidence="\n".join(f"[{n}] {t}" for n, t in context.items()),
                                          question=standalone)
        raw = ""
        visible = _VisibleText()
        first = None
        options = closed
        if not closed and prompts.asks_for_name(standalone):
            # The short answer to "Who ...?" is one of the names the evidence holds (the model chooses which),
            # so it can never be a name the articles do not contain.
            options = tuple(name_candidates(standalone, evidence, exclude=set(result.snapshot.sources)))
        grammar = prompts.answer_grammar(len(evidence), options)
        asked = _Asked(closed, options, groups)
        for piece in self.llm.stream(prompts.ANSWER_SYSTEM, user, grammar=grammar, max_tokens=self.max_tokens):
            if first is None:
                first = time.perf_counter() - t0
            raw += piece
            out = visible.feed(piece)
            if out:
                yield out
        timings["first_token_s"] = round(first or 0.0, 3)
        timings["generate_s"] = round(time.perf_counter() - t0 - timings["retrieve_s"]
                                      - timings.get("rewrite_s", 0.0), 3)
        answer = self._assemble(base, raw, evidence, context, result, conflict, asked)
        answer.timings = {**timings, "total_s": round(time.perf_counter() - t0, 3)}
        yield answer

    # ---- steps -------------------------------------------------------------------------------------------

    def _answerable(self, question: str, result: SearchResult, evidence: list[Evidence]) -> bool:
        if not result.hits or not evidence:
            return False
        if unknown_names(question, result.snapshot):
            return False  # the question is about someone or something no article mentions
        best_overlap = max(e.overlap for e in evidence)
        return result.max_dense >= MIN_DENSE or best_overlap >= MIN_OVERLAP

    def _context_line(self, e: Evidence, result: SearchResult) -> str:
        a = result.snapshot.articles[e.doc_id]
        meta = ", ".join(x for x in (a.source, a.published_at[:10]) if x)
        return f"({meta}) {e.text}" if meta else e.text

    def _citation(self, e: Evidence, number: int, result: SearchResult, score: float,
                  supported: bool = True) -> Citation:
        a = result.snapshot.articles[e.doc_id]
        return Citation(number=number, doc_id=e.doc_id, title=a.title or e.doc_id, quote=e.text, start=e.start,
                        end=e.end, score=round(float(score), 4), supported=supported, source=a.source,
                        published_at=a.published_at, url=a.url, page=a.page_at(e.start))

    def _closest(self, result: SearchResult, evidence: list[Evidence]) -> list[Source]:
        out = []
        for e in evidence[:3]:
            a = result.snapshot.articles[e.doc_id]
            out.append(Source(e.doc_id, a.title or e.doc_id, e.text, e.start, e.end, e.score))
        return out

    def _assemble(self, base: Answer, raw: str, evidence: list[Evidence], context: dict[int, str],
                  result: SearchResult, conflict: Conflict | None, asked: _Asked) -> Answer:
        parsed_sentences, short, _refused = parse_reply(raw, len(evidence))  # the grammar offers no refusal
        if short.lower() in ("yes", "no") and not asked.closed:
            short = ""  # "No" does not answer "Who ...?": a small model sometimes writes it anyway
        by_number = {e.number: e for e in evidence}
        vectors = self.embedder.encode([s for s, _ in parsed_sentences]) if parsed_sentences else []
        numbering: dict[int, int] = {}  # evidence number -> citation number
        citations: list[Citation] = []
        sentences: list[Sentence] = []
        parts: list[str] = []
        q_terms = content_terms(base.standalone_question)
        for (text, cited), vec in zip(parsed_sentences, vectors):
            sup = verify_sentence(text, vec, cited, evidence, context)
            if sup.supported and not (content_terms(text) & q_terms):
                sup.supported = False  # true to the evidence, but not about what was asked
            if not sup.supported:
                sentences.append(Sentence(text, [], False, sup.score))
                log.info("dropped unsupported sentence %r (missing %s, score %.2f)", text, sup.missing, sup.score)
                continue
            nums = []
            for ev in sup.evidence:
                if ev not in numbering:
                    numbering[ev] = len(numbering) + 1
                    citations.append(self._citation(by_number[ev], numbering[ev], result, sup.score))
                nums.append(numbering[ev])
            sentences.append(Sentence(text, nums, True, sup.score))
            parts.append(_with_markers(text, nums))
        if not parts:
            return self._extractive_or_refusal(base, evidence, result, short, asked, dropped=sentences)
        # A question about several outlets ("Did TechCrunch say X while Fortune said Y?") is answered with
        # what each of them said: an outlet the model's sentences leave uncited gets its best evidence quoted.
        for ev in self._uncited_outlets(evidence, result, {by_number[n].doc_id for n in numbering}, asked):
            numbering[ev.number] = len(numbering) + 1
            citations.append(self._citation(ev, numbering[ev.number], result, ev.score))
            a = result.snapshot.articles[ev.doc_id]
            note = f"{a.source} reports: “{_clip(ev.text)}” [{numbering[ev.number]}]."
            sentences.append(Sentence(note, [numbering[ev.number]], True, 1.0))
            parts.append(note)
        if conflict:
            nums = []
            for ev in (conflict.first, conflict.second):
                if ev.number not in numbering:
                    numbering[ev.number] = len(numbering) + 1
                    citations.append(self._citation(ev, numbering[ev.number], result, ev.score))
                nums.append(numbering[ev.number])
            note = (f"The sources disagree: one reports “{_clip(conflict.first.text)}” [{nums[0]}], "
                    f"while another reports “{_clip(conflict.second.text)}” [{nums[1]}].")
            sentences.append(Sentence(note, nums, True, 1.0))
            parts.append(note)
            base.conflict = True
        base.text = " ".join(parts)
        base.citations = citations
        base.sentences = sentences
        base.short_answer = short
        return base

    def _uncited_outlets(self, evidence: list[Evidence], result: SearchResult, cited_docs: set[str],
                         asked: _Asked) -> list[Evidence]:
        """The best evidence sentence of each outlet the question names that no cited article is from (when
        it names two or more reports). For a closed question, whose evidence holds only the reports it names
        (one article per mention of an outlet), of each such article left uncited."""
        if sum(result.source_mentions) < 2:
            return []
        groups = asked.groups
        cited_groups = {groups.get(d) for d in cited_docs}
        out, seen = [], set(cited_docs)
        for e in evidence:  # best first
            g = groups.get(e.doc_id)
            if g is None or e.doc_id in seen or (not asked.closed and g in cited_groups):
                continue
            seen.add(e.doc_id)
            cited_groups.add(g)
            out.append(e)
        return out

    def _extractive_or_refusal(self, base: Answer, evidence: list[Evidence], result: SearchResult,
                               short: str, asked: _Asked, dropped: list[Sentence] = ()) -> Answer:
        """Nothing generated survived checking: quote the best evidence (one sentence from each outlet the
        question names, or from each of the two best articles) if it clearly bears on the question,
        otherwise say the articles do not cover it. For a closed question (or a "Who ...?" one) the model's pick
        among the allowed short answers is kept as `short_answer`, and the text says plainly that it is the
        model's reading of the quotes."""
        quotes, docs, groups_done = [], set(), set()
        groups = asked.groups
        limit = max(2, len(result.source_groups))
        named = short if short in asked.options and short not in asked.closed else ""
        # a name the model picked is shown in the quotes that hold it, so the reader can check it
        for e in sorted(evidence, key=lambda e: (not (named and named in e.text), -e.score)):
            if e.doc_id in docs or not (e.dense >= MIN_EXTRACTIVE_DENSE or e.overlap >= MIN_OVERLAP):
                continue
            g = groups.get(e.doc_id)
            if g is not None and g in groups_done:  # one quote per outlet the question names
                continue
            groups_done.add(g)
            docs.add(e.doc_id)
            quotes.append(e)
            if len(quotes) == limit:
                break
        if not quotes:
            base.refused, base.text = True, _NOT_IN
            base.closest = self._closest(result, evidence)
            base.sentences = list(dropped)  # what the model wrote, each marked unsupported
            return base
        base.citations = [self._citation(e, n, result, e.score) for n, e in enumerate(quotes, start=1)]
        base.sentences = [*dropped, *(Sentence(e.text, [n], True, e.score) for n, e in enumerate(quotes, start=1))]
        quoted = " ".join(f"“{e.text}” [{n}]" for n, e in enumerate(quotes, start=1))
        verdict = short if short and short in asked.options else ""
        lead = (f"The model reads these passages as “{verdict}”, but could not put it in words they support. "
                if verdict else "")
        base.text = f"{lead}The closest the articles come: {quoted}"
        base.short_answer = verdict
        base.extractive = True
        return base


_FOREIGN_FUNCTION_WORDS = set("""der die das ist und nicht ein eine einen von zu mit für auf wie wer warum le la les est
et une des du qui quoi pourquoi el los las es y una por para con quién quien cómo qué il che è per di del
""".split())


def looks_english(question: str) -> bool:
    from index.keyword import STOPWORDS

    words = re.findall(r"[^\W\d_]+", question.lower())
    foreign = sum(w in _FOREIGN_FUNCTION_WORDS for w in words)
    return foreign < 2 or foreign <= sum(w in STOPWORDS for w in words) - foreign


def missing_outlets_of(question: str, snap) -> list[str]:
    """Outlets the question asks about ("as reported by Reuters") that the library holds no article from.
    Only asked when nearly every article names its outlet: otherwise an unnamed article may be from it."""
    from qa.query import missing_outlets

    if not snap.articles or snap.sourced_share < 0.8:
        return []
    return missing_outlets(question, snap.sources, snap.keyword.knows)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def unknown_names(question: str, snap) -> list[str]:
    """Proper names in the question that no article mentions (most of their words absent from every
    chunk). Outlet names are exempt: a question may name an outlet the library does not hold."""
    from index.keyword import tokenize
    from qa.query import source_aliases

    aliases = {a for s in snap.sources for a in source_aliases(s)}
    missing = []
    for name in proper_names(question, ignore=aliases):
        words = tokenize(name)
        absent = [w for w in words if not snap.keyword.knows(w)]
        if words and len(absent) * 2 > len(words):
            missing.append(name)
    return missing


def parse_reply(raw: str, n_evidence: int) -> tuple[list[tuple[str, list[int]]], str, bool]:
    """Split the model's reply into (sentence without markers, evidence numbers) pairs and the short answer.
    Markers outside 1..n_evidence are dropped (a server may ignore the grammar); so is a sentence with none."""
    text = raw.strip()
    if text.startswith(prompts.REFUSAL_TOKEN):
        return [], "", True
    short = ""
    sentences = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(prompts.SHORT_PREFIX):
            short = _MARKER.sub("", line[len(prompts.SHORT_PREFIX):]).strip().rstrip(".")
            continue
        for part in re.split(r"(?<=\])\.?\s+(?=[A-Z0-9\"'$])", line):
            nums = [int(n) for n in _MARKER.findall(part) if 1 <= int(n) <= n_evidence]
            body = _MARKER.sub("", part).strip()
            body = re.sub(r"\s+([.,;!?])", r"\1", body).rstrip()
            if nums and body and prompts.REFUSAL_TOKEN not in body:
                sentences.append((body if body.endswith((".", "!", "?")) else body + ".",
                                  list(dict.fromkeys(nums))))
    return sentences, short, False


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _with_markers(text: str, nums: list[int]) -> str:
    marks = "".join(f"[{n}]" for n in nums)
    if text.endswith((".", "!", "?")):
        return f"{text[:-1]} {marks}{text[-1]}"
    return f"{text} {marks}"


class _VisibleText:
    """Filters the raw token stream down to what a reader should see while it is generated: the sentences,
    without the "Short answer:" line or the refusal token."""

    def __init__(self):
        self.pending = ""
        self.hidden = False
        self.at_line_start = True

    def feed(self, piece: str) -> str:
        out = []
        for ch in piece:
            if self.hidden:
                if ch == "\n":
                    self.hidden, self.at_line_start = False, True
                continue
            if self.at_line_start:
                self.pending += ch
                for marker in (prompts.SHORT_PREFIX, prompts.REFUSAL_TOKEN):
                    if self.pending == marker[:len(self.pending)]:
                        if self.pending == marker:
                            self.hidden, self.pending = True, ""
                        break
                else:
                    out.append(self.pending)
                    self.pending, self.at_line_start = "", False
                continue
            if ch == "\n":
                self.at_line_start = True
                out.append(" ")
                continue
            out.append(ch)
        return "".join(out)
