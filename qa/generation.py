"""The generator: the model writes the answer from the numbered evidence, under a grammar that admits only
markers of existing evidence and, for a closed or "Who ...?" question, only the short answers it may have.

It streams what a reader should see and returns a `Draft`: the parsed sentences and short answer. It does
not check them (`qa.verify`) or number the citations (`qa.assembly`).
"""
from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from index.store import Snapshot
from qa import prompts
from qa.candidates import ADDED_SENTENCES, NameRanker, name_pool, names_together, with_naming_sentences
from qa.evidence import Evidence, with_antecedents
from qa.llm import LLM
from qa.quantities import QuantityRanker
from qa.question import Question, asked_clause
from qa.reply import VisibleText, parse_reply, without_verdict
from qa.text import flat


@dataclass(frozen=True)
class Draft:
    sentences: list[tuple[str, list[int]]]  # (sentence without markers, evidence numbers it cites)
    short: str  # the short answer as written
    options: tuple[str, ...]  # the short answers the grammar allowed (a closed question's, or names), else ()
    first_token_s: float  # seconds from the start of generation to the first piece


def context_lines(evidence: list[Evidence], snapshot: Snapshot) -> dict[int, str]:
    """What the model reads for each evidence number: "(outlet, date) sentence". Names and numbers of a
    generated sentence are checked against this same text."""
    out = {}
    for e in evidence:
        a = snapshot.articles[e.doc_id]
        meta = ", ".join(x for x in (a.source, a.published_at[:10]) if x)
        text = flat(e.text)  # a passage of two sentences may span a paragraph break
        out[e.number] = f"({meta}) {text}" if meta else text
    return out


# The parts a question must describe its answer in for a name that every part's sentences hold to answer it
# without the model (`Generator.described`). Two is too few: a news quiz's "Which animals slipped loose at a
# Sydney zoo this week, prompting a full lockdown?" has every part's sentences holding "Taronga Zoo", and of
# RealTimeQA's questions of two parts so answered, 4 of 9 were wrong (3 of them answered right by the model).
DESCRIBED_PARTS = 3


class Generator:
    def __init__(self, llm: LLM, *, names: NameRanker, figures: QuantityRanker | None = None,
                 max_tokens: int = 120):
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
        self.llm = llm
        self.max_tokens = max_tokens
        self.names = names  # ranks the names a "Who/Which ...?" answer may give
        self.figures = figures  # picks the figure a "How many/much ...?" answer gives; None: the model writes it

    def short_answers(self, question: Question, evidence: list[Evidence], snapshot: Snapshot,
                      pool: Sequence[Evidence] = ()) -> tuple[tuple[str, ...], list[Evidence]]:
        """The short answers the grammar allows, and the evidence to read: a closed question's options; for
        "How many/much ...?" the figure that fits it best (`QuantityRanker`); for "Who/Which/Where ...?" the
        names that fit it best (`NameRanker`: the best, and for "Who" those nearly as good). Both are looked
        for among the evidence and the best of `pool` (every ranked sentence), so the short answer can never
        be a name or figure the articles lack; a sentence of `pool` giving one offered is added to the
        evidence."""
        if question.closed:
            return question.options, evidence
        extra = name_pool(evidence, pool, question)
        wider = [*evidence, *extra]
        if question.answer_type == "quantity" and self.figures is not None:
            figures = self.figures.run(question, wider)
            if figures:
                read = with_naming_sentences(figures, evidence, extra)
                return figures, self._joined(question, read, evidence, snapshot)
        if not question.asks_name:
            return (), evidence
        articles = (snapshot.articles[d].text for d in dict.fromkeys(e.doc_id for e in wider))
        names = self.names.run(question, wider, articles, exclude=set(snapshot.sources), pool=pool)
        read = self._joined(question, with_naming_sentences(names, evidence, extra,
                                                            limit=max(ADDED_SENTENCES, question.names_asked)),
                            evidence, snapshot)
        if question.names_asked > 1 and len(names) == question.names_asked:  # one answer naming them all
            names = (names_together(names, [e.text for e in wider]),)
        return names, read

    def _joined(self, question: Question, read: list[Evidence], evidence: list[Evidence],
                snapshot: Snapshot) -> list[Evidence]:
        """`read` (`evidence`, then the sentences added for the names or figures offered) with each added sentence
        joined to the one before it in its article where it refers back to it, as the evidence sentences are
        (`with_antecedents`): "A 1980 biographical film by the same name won an Academy Award for actress Sissy
        Spacek" is read with "She documented her upbringing in the bestselling 1976 memoir “Coal Miner’s
        Daughter”". Not where the sentence before is already evidence (the model would read it twice): the
        added sentence then stands alone, numbered as it was."""
        out = list(evidence)
        for e in read[len(evidence):]:
            joined = with_antecedents(question, [e], snapshot)[0]
            if joined.start < e.start and not any(x.doc_id == e.doc_id and x.start < e.start and joined.start < x.end
                                                  for x in evidence):
                joined.vector = self.names.embedder.encode([joined.text])[0]  # the verifier compares with it
                e = joined
            out.append(replace(e, number=len(out) + 1))
        return out

    def described(self, question: Question, options: tuple[str, ...],
                  pool: Sequence[Evidence]) -> tuple[str, list[Evidence]] | None:
        """For a name question describing its answer in `DESCRIBED_PARTS` parts or more ("Which company, known for its
        Prime-themed sale day, saw its stock fall after an antitrust lawsuit, and is called life-changing by sellers?"),
        the first name offered that a sentence of every part holds (or all but one, judged), with those sentences
        (`NameRanker.part_quotes`); else None. Over MultiHop-RAG's 92 inference questions asking for a name (an offline
        script, /work/s34/cover.py, 2026-12-07), the first name held by every part of three or more was right for 33 of
        35. Such quotes are not judged: a sentence stands for a part by reading most like it and holding the name.
        Failing such a name, the first name offered may miss one part when the judge reads the other parts' sentences as
        giving it (`MOST_PARTS_CHOSEN`); the answer then quotes those parts only."""
        if (not question.asks_name or question.closed or question.names_asked != 1
                or len(question.descriptions) < DESCRIBED_PARTS):
            return None
        return self.names.part_quotes(question, options, pool)

    def run(self, question: Question, evidence: list[Evidence], context: dict[int, str],
            options: tuple[str, ...]) -> Iterator[str | Draft]:
        """Yield the visible text piece by piece, then the `Draft`."""
        asked = asked_clause(question.text)
        lead_in = question.text[:question.text.rfind(asked)].strip()
        if question.excluded:  # a small model otherwise answers with the very name the question sets aside
            asked += prompts.EXCLUDED_NOTE.format(names=" or ".join(question.excluded))
        user = prompts.ANSWER_USER.format(evidence="\n".join(f"[{n}] {t}" for n, t in context.items()),
                                          lead_in=prompts.LEAD_IN.format(lead_in=lead_in) if lead_in else "",
                                          question=asked)
        grammar = prompts.answer_grammar(len(evidence), options)
        t0 = time.perf_counter()
        first = None
        raw = ""
        visible = VisibleText()
        for piece in self.llm.stream(prompts.ANSWER_SYSTEM, user, grammar=grammar, max_tokens=self.max_tokens):
            if first is None:
                first = time.perf_counter() - t0
            raw += piece
            out = visible.feed(piece)
            if out:
                yield out
        sentences, short, _refused = parse_reply(raw, len(evidence))  # the grammar offers no refusal
        if not question.closed:
            sentences = [(without_verdict(s), cited) for s, cited in sentences]
        yield Draft(sentences, short, options, first or 0.0)
