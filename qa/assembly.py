"""Assembly: the final `Answer` from the checked sentences. Numbers the citations in order of first use (so
every [n] in the text has exactly one `Citation` with that number, quoting an exact span), adds what each
outlet asked about reported when no kept sentence cites it, notes a disagreement between sources that the
answer rests on, leads an answer that gives no short answer with the one the judge reads in the passages, and,
when no generated sentence survives checking, gives that answer (or quotes the passages that hold the kind of
answer asked for) or says the articles do not answer it clearly (listing the closest passages).

It decides nothing about support (`qa.verify`) or answerability (`qa.answerability`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice

from index.store import Snapshot
from qa.answerability import (
    NOT_CLEAR,
    NOT_IN_ARTICLES,
    AnswerabilityPolicy,
    Decision,
    asked_terms,
    holds_words,
    key_words,
    says_as_asked,
    shares_term,
)
from qa.candidates import TITLES, asked_roles, full_name, holds_name, is_subject, ordinary_words, titled_for_another
from qa.conflicts import Conflict
from qa.definitions import Definition, definition, role_definition
from qa.entailment import EXTRACTED_THRESHOLD, NAMED_THRESHOLD, EntailmentJudge
from qa.evidence import Evidence
from qa.generation import Draft
from qa.question import WHO_KIND, Question, asks_reason, asks_short_answer, asks_statement
from qa.retrieval import SearchResult
from qa.text import AUXILIARIES, COUNT_WORDS, clip, content_terms, flat, name_runs, with_markers, word_stems
from qa.text import words as words_of
from qa.types import Answer, Citation, Sentence, Source
from qa.verify import OFF_QUESTION, Support, overstates, stated_in


def citation(e: Evidence, number: int, snapshot: Snapshot, score: float, supported: bool = True) -> Citation:
    """The citation [number] quoting evidence `e` (its article's title, outlet, date, url and page)."""
    a = snapshot.articles[e.doc_id]
    return Citation(number=number, doc_id=e.doc_id, title=a.title or e.doc_id, quote=e.text, start=e.start,
                    end=e.end, score=round(float(score), 4), supported=supported, source=a.source,
                    published_at=a.published_at, url=a.url, page=a.page_at(e.start))


def closest(snapshot: Snapshot, evidence: list[Evidence], n: int = 3, name: str = "") -> list[Source]:
    """The best evidence, listed with a refusal as what came closest; with `name` (the name a "Who ...?"
    answer was offered first), the best passage holding it leads, so the reader sees it even when no sentence
    about it could be verified ("Google, one such competitor, has reportedly decided to sever or pause ties
    with Scale AI" for "Who else pulled back from Scale AI besides OpenAI?")."""
    out = []
    for e in sorted(evidence, key=lambda e: not (name and name in e.text))[:n]:  # stable: best first otherwise
        a = snapshot.articles[e.doc_id]
        out.append(Source(e.doc_id, a.title or e.doc_id, e.text, e.start, e.end, e.score))
    return out


@dataclass
class _Numbering:
    """Citation numbers in order of first use: evidence number -> citation number."""
    snapshot: Snapshot
    by_evidence: dict[int, int] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)

    def cite(self, e: Evidence, score: float) -> int:
        if e.number not in self.by_evidence:
            self.by_evidence[e.number] = len(self.by_evidence) + 1
            self.citations.append(citation(e, self.by_evidence[e.number], self.snapshot, score))
        return self.by_evidence[e.number]


QUOTED_LEAD = "What the articles say about this: "
MAX_NAME_CHECKS = 2  # passages the judge reads for a "Name: “quote”" answer (~1 s each)
# The judge's log-odds at or above which the quote of a kept sentence confirms the short answer the model picked
# from those offered; below it, the answer is led by the one the judge reads in the passages, if any.
SHORT_THRESHOLD = 0.0
WIDER_READ = 6  # passages of the evidence the judge reads for the answer when those it would quote hold none
# When no passage may be quoted as it stands (none holds the question's names and a name or figure besides), the
# answer the judge reads in the best `WIDER_READ` passages is given only when it confirms it at least this much
# (log-odds; `NAMED_THRESHOLD` where passages were quotable). Over realtimeqa22's 13 answerable questions refused
# at 2b910b6 and its 70 unanswerable ones (2026-12-07, a /work script): "mustard" for which condiment French
# supermarkets lack read 1.23; "Hanukkah" for which holiday was celebrated the week of Día de los Muertos, from
# "EPCOT International Festival of the Holidays also celebrates Hanukkah and Kwanzaa ...", 0.89; no unanswerable
# question got an answer this way (the one read, "Martin Short" from a list of nominees at 0.67, shares no word
# asked with its passage). Hanukkah is the wrong answer (the holiday that week was Día de los Muertos; the passage
# is on a festival later in the year), so the bar stands above it: two readings, a bar to be measured again.
UNQUOTED_CONFIRMED = 1.0
# "Why ...?" is answered by a passage, not a few words: the best one is quoted when it gives a reason
# (`_REASON`) and the judge reads it as answering the question by this much (log-odds of Yes;
# `EntailmentJudge.answers`). On the seed articles: "Google ... decided to sever or pause ties with Scale AI.
# The reason for this decision stems from the fear ..." 0.61, "... phasing out ... due to Scale's new ties to
# Meta" 0.50; for questions they cannot answer, "Meta has acquired Scale AI ..." (why Meta sold it) 0.06 and no
# reason given, a passage on Scale's contractors (why it laid off employees) -0.98.
REASON_THRESHOLD = 0.0
_REASON = re.compile(r"\b(?:because|due to|reasons?|stems? from|fears?|feared|concerns?|worr(?:y|ies|ied)|amid|"
                     r"as a result|in order to|owing to|thanks to|prompted|led to|caused|blamed|citing|"
                     r"as (?:\w+\s+){1,3}(?:tries|tried|seeks|sought|looks|looked|aims|aimed|races|raced|"
                     r"struggles|struggled|works|worked) to)\b", re.I)  # "... as Meta tries to catch up"
# A passage reporting what someone said: "The company said in the release: “Scale remains an independent ...”"
# for "What did Scale say about its independence after the deal?" (quoted as a reason is, `REASON_THRESHOLD`).
_STATED = re.compile(r"\b(?:said|says|say|told|tells|announced|announces|stated|states|claimed|claims|wrote|"
                     r"writes|according to|release|statement|admitted)\b", re.I)
# Times the judge reads the passages again once the words it read stand in a passage not giving them as asked.
MAX_REREADS = 1
MAX_READ_WORDS = 8  # words in an answer the judge reads from the passages (more is a sentence, not an answer)


@dataclass(frozen=True)
class _Read:
    """What `Assembler._read_answer` found: the answer's words and their passage, or neither (quote the
    passages as they are), or that the passages give no answer (`refuse`)."""
    words: str = ""
    passage: Evidence | None = None
    refuse: bool = False


class Assembler:
    """`policy` decides which passages may be quoted when nothing generated survives. `multihop_rules`: a
    question naming two or more reports gets the best quote of each named outlet its sentences left uncited
    ("TechCrunch reports: ..."), as MultiHop-RAG's comparison templates expect; off by default."""

    def __init__(self, policy: AnswerabilityPolicy, *, multihop_rules: bool = False,
                 judge: EntailmentJudge | None = None):
        self.policy = policy
        self.multihop_rules = multihop_rules
        self.judge = judge  # when given, it reads what the passages say the answer is before they are quoted

    def refusal(self, base: Answer, decision: Decision, snapshot: Snapshot, evidence: list[Evidence]) -> Answer:
        base.refused, base.text = True, decision.message or NOT_IN_ARTICLES
        base.closest = closest(snapshot, evidence)
        return base

    def run(self, base: Answer, question: Question, draft: Draft, checks: list[Support], evidence: list[Evidence],
            result: SearchResult, groups: dict[str, int], conflict: Conflict | None) -> Answer:
        """`base` (question, standalone question, model) completed with the text, citations and sentences."""
        answer = self._assemble(base, question, draft, checks, evidence, result, groups, conflict)
        return with_full_name(answer, result.snapshot) if question.asks_name else answer

    def _assemble(self, base: Answer, question: Question, draft: Draft, checks: list[Support],
                  evidence: list[Evidence], result: SearchResult, groups: dict[str, int],
                  conflict: Conflict | None) -> Answer:
        snap = result.snapshot
        by_number = {e.number: e for e in evidence}
        short = self._confirmed_short(question, draft, checks, evidence, admissible_short(question, draft))
        numbering = _Numbering(snap)
        lead, lead_sentences = self._lead(base, question, draft, checks, evidence, numbering, short)
        sentences: list[Sentence] = []
        parts: list[str] = []
        for (text, _cited), sup in zip(draft.sentences, checks, strict=True):
            if sup.supported and lead and (why := beside_lead(
                    text, base.short_answer, lead_sentences[0].text, draft.options, question,
                    [snap.articles[d].text for d in {by_number[n].doc_id for n in sup.evidence}])):
                sup.supported, sup.reason = False, why
            if not sup.supported:
                sentences.append(Sentence(text, [], False, sup.score, sup.why()))
                continue
            nums = [numbering.cite(by_number[n], sup.score) for n in sup.evidence]
            sentences.append(Sentence(text, nums, True, sup.score))
            parts.append(with_markers(text, nums))
        if not parts:
            if lead:
                base.extractive = True
                return _filled(base, lead, numbering, sentences + lead_sentences)
            return self._nothing_survived(base, question, evidence, result, groups, sentences,
                                          offered_first(question, draft))
        if not lead:  # checked against the model's own verified sentences, before any quoted note is added
            base.short_answer, base.short_citations = checked_short_answer(short, question, sentences)
        sentences, parts = lead_sentences + sentences, lead + parts
        cited_docs = {by_number[n].doc_id for n in numbering.by_evidence}
        notes = uncited_outlets(evidence, result, cited_docs, groups, question.closed) if self.multihop_rules else []
        for ev in notes:
            n = numbering.cite(ev, ev.score)
            note = f"{snap.articles[ev.doc_id].source} reports: “{clip(ev.text)}” [{n}]."
            sentences.append(Sentence(note, [n], True, 1.0))
            parts.append(note)
        if conflict and any(s.supported and not s.text.startswith("“") and conflict.about(s.text) for s in sentences):
            # A disagreement is told only when the answer states one of its claims ("Meta took a 49% stake"
            # against "Meta has acquired Scale AI"): quotes that differ on something the answer does not say
            # are not the reader's concern here.
            nums = [numbering.cite(ev, ev.score) for ev in (conflict.first, conflict.second)]
            note = (f"The sources disagree: one reports “{clip(conflict.first.text)}” [{nums[0]}], "
                    f"while another reports “{clip(conflict.second.text)}” [{nums[1]}].")
            sentences.append(Sentence(note, nums, True, 1.0))
            parts.append(note)
            base.conflict = True
        return _filled(base, parts, numbering, sentences)

    def _confirmed_short(self, question: Question, draft: Draft, checks: list[Support],
                         evidence: list[Evidence], short: str) -> str:
        """The model's short answer (a name or figure it picked from those offered, or its own words for a name),
        as the answer when the judge reads the quotes of the kept sentence stating it as showing that it answers
        the question (`SHORT_THRESHOLD`), or when the answer the judge itself reads in the best `WIDER_READ`
        passages is the same ("Oracle" for OpenAI's data center partner, whose quote also names Mercor and
        Cloudflare); else "": the sentence may be true but not name the answer ("WNBA Finals" for which WNBA
        team won its first title, "China" for which currency fell to a record low).
        Without a judge, or when no kept sentence states it, unchanged. The judge is no oracle: it confirmed
        "Thwaites Glacier" (+1.8) for where the doomsday glacier is."""
        if self.judge is None or not short or question.closed or not picks_offered(question, draft):
            return short
        stating = next((sup for (text, _cited), sup in zip(draft.sentences, checks, strict=True)
                        if sup.supported and short.lower() in text.lower()), None)
        if stating is None:
            return short
        by_number = {e.number: e for e in evidence}
        quote = " ".join(by_number[n].text for n in stating.evidence)  # a kept sentence cites evidence it was given
        if self.judge.confirms(quote, question.of_others, short, threshold=SHORT_THRESHOLD):
            return short
        read = self._read_in(question, evidence[:WIDER_READ])  # the answer the judge itself reads, when it agrees
        return short if read is not None and read[0].lower() == short.lower() else ""

    def _lead(self, base: Answer, question: Question, draft: Draft, checks: list[Support], evidence: list[Evidence],
              numbering: _Numbering, short: str) -> tuple[list[str], list[Sentence]]:
        """For "Who/Which/How many ...?" answered by no kept sentence (the model wrote of something else, or
        nothing it wrote survived), the passage giving the model's pick (or another offered) as the answer, to
        lead the answer cited first: "17: “A 17-year-old has become the youngest ...” [1]. Zara Rutherford is
        19 [2]."; for another question asking for a few words whose kept sentences give none, the answer the
        judge reads in the passages (`_cite_read_answer`). ([], []) when a kept sentence states the short answer
        or no passage gives it."""
        kept = [text for (text, _cited), sup in zip(draft.sentences, checks, strict=True) if sup.supported]
        lead: list[str] = []
        lead_sentences: list[Sentence] = []
        stated = bool(short) and any(short.lower() in t.lower() for t in kept)
        if picks_offered(question, draft) and (short or not kept) and not stated:
            off = judged_off(question, [(t, sup.reason) for (t, _c), sup in zip(draft.sentences, checks, strict=True)])
            self._cite_picked_name(base, question, draft, evidence, numbering, lead_sentences, lead,
                                   read_alone=not kept, judged_off=off)
        if not lead and kept and not stated and self.judge is not None and asks_short_answer(question):
            self._cite_read_answer(base, question, evidence, kept, numbering, lead_sentences, lead)
        return lead, lead_sentences

    def _cite_read_answer(self, base: Answer, question: Question, evidence: list[Evidence], kept: list[str],
                          numbering: _Numbering, sentences: list[Sentence], parts: list[str]) -> None:
        """The model's kept sentences give no short answer to a question that asks for one ("M&M’s added a brand
        new character to the mix" for which character M&M’s added): the answer as the judge reads it from the
        best `WIDER_READ` passages in their own words ("Purple peanut M&M"), leading the answer cited, when a
        passage holds those words, the kept sentences do not, and the judge confirms them (`NAMED_THRESHOLD`:
        the sentences already say something true, so the bar is that of a name answer)."""
        found = self._read_confirmed(question, evidence[:WIDER_READ], stated=" ".join(kept))
        if found is not None:
            _led_by(base, *found, numbering, sentences, parts)

    def _cite_picked_name(self, base: Answer, question: Question, draft: Draft, evidence: list[Evidence],
                          numbering: _Numbering, sentences: list[Sentence], parts: list[str],
                          read_alone: bool = True, judged_off: Sequence[str] = ()) -> bool:
        """The model picked a name (`draft.short`) from the evidence for a "Who ...?" question, or was given
        the figure for a "How many ...?" one, but wrote no sentence stating it (or none that survived
        checking): show the passage that gives that name or figure as the answer, cited. When no passage
        does, the other names it was offered are tried the same way, best first (the model's pick may be a
        name that merely appears nearby); with none, no name is given. With a judge, the passage must also
        show the name to be the answer (`EntailmentJudge.confirms`: "Kevin Durant" stands near "highest paid"
        in a passage saying LeBron James surpassed him), or, asked for the answer with the passage alone to read,
        reply with the name rather than "None" by `CHOSEN_MARGIN` (`EntailmentJudge.choose`), or for a figure write
        it (`EntailmentJudge.extract`: "49%" for how much of Scale Meta acquired, whose yes/no reading is 0.33
        over "... Meta took a 49% stake in Scale and hired its founder ..."); a passage holding
        the name where it does not stand near what is asked ("Google, one such competitor, has reportedly
        decided to sever or pause ties with Scale AI" for who pulled back) must pass that second test, and hold
        the title the question asks about ("CEO" for "Who is Scale AI's new CEO?": not "... hired its founder,
        Alexandr Wang ..."; the places and names that set the scene need not be there). It reads
        the first `MAX_NAME_CHECKS` passages of each kind. The second test is `read_alone`: only when nothing
        the model wrote survived: a sentence that did ("Ye announced he is acquiring Parler") is led by another
        name ("Twitter") only when the yes/no reading confirms it. A figure stated by a sentence that the judge read
        as not answering the question (`judged_off`) is not tried."""
        picks = sorted(draft.options, key=lambda n: n != draft.short)  # a name it was offered, its pick first
        held = [(n, e) for n in picks for e in evidence if n in e.text and n not in question.excluded
                and not stated_in(n, judged_off) and says_as_asked(question, e.text)]
        stands_near = [self.policy.names_answer(question, n, e) for n, e in held]
        near: Iterator[tuple[str, Evidence]] = iter([c for c, ok in zip(held, stands_near, strict=True) if ok])
        if self.judge is not None:  # and the judge must read the passage as giving that name as the answer
            judge, asked = self.judge, question.of_others
            figure = question.answer_type == "quantity"  # the judge writes a figure; it is asked to choose a name

            def read_as_answer(c: tuple[str, Evidence]) -> bool:
                if not read_alone:
                    return False
                if figure:
                    written = judge.extract([flat(c[1].text)], asked)
                    return re.search(rf"(?<![\w.]){re.escape(c[0])}(?!\w)", written) is not None
                return judge.chosen(c[1].text, asked, c[0])
            titles = _titles_asked(question)  # "CEO" of "Who is Scale AI's new CEO?"
            far = [c for c, ok in zip(held, stands_near, strict=True) if not ok and holds_words(titles, c[1].text)]
            near = chain((c for c in islice(near, MAX_NAME_CHECKS)
                          if judge.confirms(c[1].text, asked, c[0]) or read_as_answer(c)),
                         (c for c in islice(far, MAX_NAME_CHECKS) if read_as_answer(c)))
        found = next(near, None)
        if found is None:
            return False
        _led_by(base, *found, numbering, sentences, parts)
        return True

    def _nothing_survived(self, base: Answer, question: Question, evidence: list[Evidence],
                          result: SearchResult, groups: dict[str, int], dropped: list[Sentence],
                          name: str = "") -> Answer:
        """No generated sentence survived checking. When passages clearly bear on the question and hold the
        kind of answer it asks for (a number, a date, a name), give the answer the judge reads in them in their
        own words, with the passage holding it (`_read_answer`), or else quote them, introduced for a reader;
        when none may be quoted as it stands, give the few words (not a reason or a statement) the judge reads
        in the best `WIDER_READ` passages and confirms clearly (`UNQUOTED_CONFIRMED`), from a passage sharing a
        word asked ("Mustard: “Nowadays, a majority of French mustard is produced by large brands ... sparking
        outrage across the country.”" for which condiment supermarkets in France struggle to stock: no passage
        holds France and a name besides); otherwise say the articles do not answer it clearly and list the
        closest passages. Either way the model's sentences are kept in `sentences`, each with why it was left
        out; no unverified verdict is given.
        `name` is the name or figure the model was offered first: its passage leads the closest ones. A "What
        is <name>?" question is answered first by what a passage calls the name (`_defined`)."""
        snap = result.snapshot
        defined = self._defined(base, question, evidence, snap, dropped)
        if defined is not None:
            return defined
        # A closed question is not answered by quotes (the reader would have to guess the verdict), except
        # under MultiHop-RAG's rules, whose comparison templates ask what each named report said.
        quotes = [] if question.closed and not self.multihop_rules else self._quotes(
            question, evidence, groups, limit=max(2, len(result.source_groups)))
        base.sentences = list(dropped)
        read = self._read_answer(question, quotes, evidence) if quotes and self.judge is not None else _Read()
        off = judged_off(question, [(d.text, d.reason) for d in dropped])
        if read.passage is not None and stated_in(read.words, off):
            read = _Read(refuse=True)  # the judge read the model's sentence giving that figure as not answering
        if not quotes and self.judge is not None and asks_short_answer(question) \
                and not asks_reason(question) and not asks_statement(question) \
                and (found := self._read_confirmed(question, evidence[:WIDER_READ], threshold=UNQUOTED_CONFIRMED)) \
                is not None \
                and shares_term(asked_terms(question), found[1].text) and not stated_in(found[0], off):
            read = _Read(*found)  # no passage quotable as it stands, but one gives the answer in a few words,
            # speaking of what is asked ("... supermarket shelves are now empty, sparking outrage ...": mustard)
        elif not quotes or read.refuse:
            base.refused, base.text = True, NOT_CLEAR
            base.closest = closest(snap, list({e.number: e for e in [*quotes, *evidence]}.values()), name=name)
            return base
        if read.passage is not None:
            numbering, parts = _Numbering(snap), list[str]()
            _led_by(base, read.words, read.passage, numbering, base.sentences, parts)
            base.text, base.citations, base.extractive = parts[0], numbering.citations, True
            return base
        base.citations = [citation(e, n, snap, e.score) for n, e in enumerate(quotes, start=1)]
        base.sentences += [Sentence(e.text, [n], True, e.score) for n, e in enumerate(quotes, start=1)]
        base.text = QUOTED_LEAD + " ".join(f"“{flat(e.text)}” [{n}]" for n, e in enumerate(quotes, start=1))
        base.extractive = True
        return base

    def _defined(self, base: Answer, question: Question, evidence: list[Evidence], snap: Snapshot,
                 dropped: list[Sentence]) -> Answer | None:
        """`base` answered by what a passage calls the name a "What/Who is <name>?" question asks about ("Scale
        AI is a data labeling startup founded in 2016 [1]."); None when none does. The judge is not asked: the
        description stands next to the name in the passage, and on such sentences the judge reads noise (0.15
        for "Sam Altman is the OpenAI CEO" from "OpenAI CEO Sam Altman accused ...", 0.8 for the false "Meta is
        a data labeling startup" from "Meta has acquired Scale AI, a data labeling startup"). Likewise a question
        asking whose role a name it gives has ("What company did Alexandr Wang found?") is answered by the role a
        passage gives it (`asked_roles`: "Alexandr Wang is the founder of Scale [1].", from "... a 49% stake in
        Scale and hired its founder, Alexandr Wang"; the judge read "its" as Meta), and one asking a named
        person's role by the role a passage gives them (`role_definition`: "Alexandr Wang serves as a director on
        Scale’s board of directors [1].")."""
        found = definition(question.text, evidence) or role_definition(question.text, evidence)
        if found is None and question.asks_name and (roles := asked_roles(question, evidence)):
            r = roles[0]  # "What company did Alexandr Wang found?": "Alexandr Wang is the founder of Scale"
            found = Definition(f"{r.name} is the {r.role} of {r.owner}", r.owner, r.passage)
        if found is None:
            return None
        numbering = _Numbering(snap)
        n = numbering.cite(found.passage, found.passage.score)
        base.short_answer, base.short_citations = found.description, [n]
        sentence = Sentence(found.sentence, [n], True, found.passage.score)
        return _filled(base, [f"{found.sentence} [{n}]."], numbering, [*dropped, sentence])

    def _read_answer(self, question: Question, quotes: list[Evidence],
                     evidence: list[Evidence]) -> _Read:
        """What the passages about to be quoted say the answer is, in their own words, as the judge reads them
        (`EntailmentJudge.extract`): the words and the passage they stand in when the judge also confirms them as the
        answer (`EXTRACTED_THRESHOLD`) or, for a name, replies with it rather than None reading its passage alone
        (`CHOSEN_MARGIN`, as for a name the model picked: "Mercor" for which emerging company OpenAI works with for data
        instead, from "... partnering with emerging companies like Mercor ...": its yes/no reading is 0.27, below
        `EXTRACTED_THRESHOLD`, and it reads 3.7 over None); nothing (quote the passages as they are) when it writes
        words they hold but neither confirms nor so chooses them, or the question's own name ("Alexandr Wang" for "Who
        is Alexandr Wang?", "Meta" for which company Meta sees as its biggest competitor: the passages are about it);
        refuse when it finds no answer in them, nor one it confirms as it would a name (`NAMED_THRESHOLD`: these
        passages were not picked as quotes) in the best `WIDER_READ` passages of the evidence. "Dry shampoo" for the
        product found to hold benzene; "None" for the vegetable in Chick-fil-A's new sandwich, which the passages quoted
        do not name. A "Why ...?" question, asking for a reason rather than a few words, is answered by the passages
        quoted when the best gives a reason and the judge reads it as answering the question (`REASON_THRESHOLD`),
        though it wrote no words they hold; so is a "What did X say about ...?" question, asking for a statement, when
        the best passage reports one (`_STATED`)."""
        assert self.judge is not None
        if question.closed:
            return _Read()
        asked = question.of_others
        found = self._read_in(question, quotes)
        if found is not None and not_the_answer(found[0], question):
            return _Read()  # the question's own name ("Who is Alexandr Wang?") or a bare predicate: quote them
        if found is not None:
            confirmed = self.judge.confirms(found[1].text, asked, found[0], threshold=EXTRACTED_THRESHOLD) or (
                question.asks_name and self.judge.chosen(found[1].text, asked, found[0]))
            return _Read(*found) if confirmed else _Read()
        wider = evidence[:WIDER_READ]
        if [e.number for e in wider] != [e.number for e in quotes]:
            found = self._read_confirmed(question, wider)
            if found is not None:
                return _Read(*found)
        said = asks_reason(question) and _REASON.search(quotes[0].text) or (
            asks_statement(question) and _STATED.search(quotes[0].text))
        if said and self.judge.answers(quotes[0].text, asked, REASON_THRESHOLD):
            return _Read()  # a reason or a statement is a passage, not a few words: quote it
        return _Read(refuse=True)

    def _read_confirmed(self, question: Question, passages: list[Evidence], stated: str = "",
                        threshold: float = NAMED_THRESHOLD) -> tuple[str, Evidence] | None:
        """The answer the judge reads in `passages` (`_read_in`) when it also confirms it as it would a name
        (`threshold`) and `stated` (what the answer already says) does not hold it; else None."""
        assert self.judge is not None
        found = self._read_in(question, passages)
        if found is None or found[0].lower() in stated.lower() or not_the_answer(found[0], question):
            return None
        return found if self.judge.confirms(found[1].text, question.of_others, found[0], threshold) else None

    def _read_in(self, question: Question, passages: list[Evidence]) -> tuple[str, Evidence] | None:
        """The answer the judge writes from `passages`, as one of them words it, with that passage; None when it
        writes None, words none holds (`located`), or a name the question sets aside ("OpenAI" for "Who else
        pulled back from Scale AI besides OpenAI?"). Words from a passage that does not give them as asked are
        not the answer, and the judge reads the other passages once more (`MAX_REREADS`): a name its passage
        gives the title asked about for someone else (`titled_for_another`), one not at the degree asked
        (`says_as_asked`), or words from a passage that only weighs, plans or allows what the question asks
        about as done (`overstates`: "June 8" for when Meta invested, from "It was reported June 8 that Meta
        was weighing a multibillion-dollar investment", then "June 12" from "Scale announced in a June 12 press
        release that it received a “significant investment” from Meta"). The question's own name
        (`is_subject`) may be found: the callers do not give it as the answer."""
        assert self.judge is not None
        asked = question.of_others
        for _ in range(1 + MAX_REREADS):
            found = located(self.judge.extract([flat(e.text) for e in passages], asked), passages, asked)
            if found is None or any(x.lower() in found[0].lower() for x in question.excluded):
                return None
            if (says_as_asked(question, found[1].text)  # not "Anthropic" from "major AI players like Anthropic"
                    and not titled_for_another(found[0], flat(found[1].text), question)  # "OpenAI CEO Sam Altman"
                    and not overstates(question.text, found[1].text)):
                return found
            passages = [e for e in passages if e is not found[1]]
            if not passages:
                return None
        return None

    def _quotes(self, question: Question, evidence: list[Evidence], groups: dict[str, int],
                limit: int) -> list[Evidence]:
        """The passages to quote: close to the question, holding the kind of answer it asks for, one per
        article and per outlet the question names, at most `limit`."""
        quotes: list[Evidence] = []
        docs: set[str] = set()
        groups_done: set[int | None] = set()
        asked = question.of_others
        for e in evidence:  # best first
            if e.doc_id in docs or not self.policy.quotable(question, e):
                continue
            g = groups.get(e.doc_id)
            if g is not None and g in groups_done:  # one quote per outlet the question names
                continue
            if self.judge is not None and not question.closed and not self.judge.answers(e.text, asked):
                continue  # close to the question in words, but not an answer to it
            groups_done.add(g)
            docs.add(e.doc_id)
            quotes.append(e)
            if len(quotes) == limit:
                break
        return quotes


def judged_off(question: Question, sentences: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """For "How many/much ...?", the sentences (text, why left out) the judge read as not answering the question:
    a figure one states is not the answer ("1,300 people were detained across Russia ..." for how many Russians
    could soon be conscripted), whether the model offers it again or the judge reads it in the passages."""
    return tuple(t for t, why in sentences if why == OFF_QUESTION) if question.answer_type == "quantity" else ()


def _titles_asked(question: Question) -> frozenset[str]:
    """The titles among the question's key words ("ceo" of "Who is Scale AI's new CEO?", `key_words`)."""
    return frozenset(w for w in key_words(question) if w in _TITLE_WORDS)


_TITLE_WORDS = frozenset(t.lower() for t in TITLES)
_LOWER_OPENINGS = frozenset({"de", "del", "da", "di", "van", "von", "der", "al", "el", "bin", "le", "la", "du"})


def _led_by(base: Answer, words: str, ev: Evidence, numbering: _Numbering, sentences: list[Sentence],
            parts: list[str]) -> None:
    """Lead the answer with `words` as its short answer and the passage `ev` giving them, cited ("Google:
    “Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI.” [1].")."""
    n = numbering.cite(ev, ev.score)
    sentences.append(Sentence(f"“{ev.text}”", [n], True, ev.score))
    keep = words[1:2].isupper() or words.split()[0] in _LOWER_OPENINGS  # "iPhone", "de Blasio", "al Qaeda"
    opening = words if keep else words[:1].upper() + words[1:]  # "Monkeypox: ..."
    parts.append(f"{opening}: “{clip(ev.text, around=words)}” [{n}].")
    base.short_answer, base.short_citations = words, [n]


ANOTHER_ANSWER = "gives another answer than the one leading"
REPEATS_LEAD = "repeats the passage leading the answer"
ELSEWHERE = "from an article about neither the answer nor the question's names"


def beside_lead(sentence: str, lead: str, passage: str, options: tuple[str, ...], question: Question,
                articles: Sequence[str] = ()) -> str:
    """Why a kept sentence does not go beside the passage leading the answer with `lead`; "" when it does. It
    may not repeat that passage or a part of it ("Prince William, ... is next in line for the throne ..." after
    the passage itself; "Netflix announced Sunday that the wildly popular South Korean show is green lit ..."
    after "“Squid Game” is officially coming back. Netflix announced Sunday ..."), nor, for a question asking
    for one name, give another name it was offered without `lead` or its passage ("Watson was suspended ...
    while he was with the Houston Texans" after "Dodgers: “... Vin Scully, the voice of the Los Angeles Dodgers
    ...”" for which team Vin Scully called games for). Names are compared as whole words ("Heat" is not in
    "heated"); one sharing a word's first four letters with `lead` is its kin ("China's yuan hovered near record
    lows" beside "Chinese yuan: ..."). Nor may it name only others than the question, `lead` and its passage
    name, from `articles` (those it cites) that never name `lead` or the question's names: an article on another
    story (the Watson sentence again, when "Houston Texans" was not offered, from an article on Deshaun Watson
    that never names Vin Scully or the Dodgers)."""
    def bare(text: str) -> str:
        return " ".join(words_of(text.replace("’", "'").lower()))

    def holds(text: str, name: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", text.lower()) is not None
    if f" {bare(sentence)} " in f" {bare(passage)} ":  # the passage, or a run of its words, again
        return REPEATS_LEAD
    if not question.asks_name or question.closed or question.names_asked != 1 or not lead or holds(sentence, lead):
        return ""
    kin = {w.lower()[:4] for w in words_of(lead) if len(w) >= 4}  # "China" of "Chinese yuan"
    others = [o for o in options if not holds(question.text, o) and not holds(f"{lead} {passage}", o)
              and not holds(o, lead) and not kin & {w.lower()[:4] for w in words_of(o) if len(w) >= 4}]
    if any(holds(sentence, o) for o in others):
        return ANOTHER_ANSWER
    return ELSEWHERE if articles and _elsewhere(sentence, lead, passage, question.text, articles) else ""


def _elsewhere(sentence: str, lead: str, passage: str, question: str, articles: Sequence[str]) -> bool:
    """Whether `sentence` names someone (a lone capitalised word opening it is not taken for a name: "Fans
    mourned ..."), no word of whose names (three letters or more, either apostrophe) is a word of the names of
    `question`, `lead` or `passage`, and none of `articles` holds `lead`, the question's names or a word of four
    letters or more of any of them, as written ("Biden" for "President Joe Biden")."""
    def words(name: str) -> set[str]:
        return {w for w in name.replace("’", "'").lower().split() if len(w) >= 3}
    asked = name_runs(question)
    known = set().union(*(words(name) for name in [*asked, lead, *name_runs(passage)]))
    names = name_runs(sentence)
    if not any(" " in n or not sentence.startswith(n) for n in names) or any(words(n) & known for n in names):
        return False
    wanted = [*{lead, *asked, *(w for name in [lead, *asked] for w in name.split() if len(w) >= 4)}]
    return not any(holds_name(w, text) for text in articles for w in wanted)


def described_answer(base: Answer, name: str, quotes: list[Evidence], snapshot: Snapshot) -> Answer:
    """`base` answered by `name`, shown by the passages saying each part of what the question says of its answer (all
    but one where the judge read them as giving it: `NameRanker.part_quotes`), cited [1], [2], ...: "Amazon: the
    articles say “With the latest Amazon-created Prime-themed sale day ...” [1] and “Amazon tumbled 4 per cent after
    ...” [2]."."""
    base = with_full_name(quoted_answer(base, name, quotes, snapshot), snapshot)  # "Sam Bankman-Fried" for
    # "Bankman-Fried" where a quote gives it
    said = [f"“{clip(e.text, around=name)}” [{n}]" for n, e in enumerate(quotes, start=1)]
    listed = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
    base.text = f"{base.short_answer}: the articles say {listed}."
    return base


def quoted_answer(base: Answer, short: str, quotes: list[Evidence], snapshot: Snapshot) -> Answer:
    """`base` as the answer `short` shown by `quotes` alone, cited [1], [2], ... in order, each a supported
    sentence of its own (the model's dropped sentences stay before them); its text is the caller's to write."""
    base.refused, base.extractive, base.closest = False, True, []
    numbered = list(enumerate(quotes, start=1))
    base.citations = [citation(e, n, snapshot, e.score) for n, e in numbered]
    base.sentences = [*base.sentences, *(Sentence(f"“{e.text}”", [n], True, e.score) for n, e in numbered)]
    base.short_answer, base.short_citations = short, [n for n, _ in numbered]
    return base


def located(words: str, passages: list[Evidence], asked: str = "") -> tuple[str, Evidence] | None:
    """`words` as written in the first of `passages` that holds them (any case, either apostrophe, from a word's
    start to a word's end; failing that, a last word of four letters or more with an ending: "European" for
    "Europe", "nuggets" for "nugget", never a longer number; a count up to twenty also as a word: "four" for
    "4"), with that passage, or with a few of a passage's own words among them (`_found_apart`); failing that,
    the longest ending of them that a passage holds after words of the question `asked` (`ending_located`).
    None when none does, or they are one letter or, with no such ending, more than `MAX_READ_WORDS` (a
    sentence, not an answer)."""
    if len(words) < 2 and not words.isdigit():
        return None
    whole = _located_whole(words, passages) if len(words.split()) <= MAX_READ_WORDS else None
    return whole or ending_located(words, passages, asked)


# Words whose loss would turn an answer around: an ending is never taken from after them.
_TURNING = frozenset("not no never nor none neither without cannot nothing nobody hardly".split())


def not_the_answer(words: str, question: Question) -> bool:
    """Whether words the judge read as the answer, held by a passage, are what the question is about (`is_subject`)
    or a predicate without its subject, opening with an auxiliary verb ("is reportedly phasing out its
    involvement with data-labeling" for "What did OpenAI say about Scale AI?"): the passage is then quoted as
    it is rather than led by them; or only the question's own words ("Meta's second-largest acquisition" for
    "What was Meta's second-largest acquisition?", `restates`)."""
    return is_subject(words, question) or words.split()[0].lower() in AUXILIARIES or restates(words, question.text)




def ending_located(words: str, passages: list[Evidence], asked: str) -> tuple[str, Evidence] | None:
    """The longest ending of `words` (at most `MAX_READ_WORDS` words, at least three and half of them) that a
    passage holds, after words that all restate the question `asked` (by their first five letters): the judge
    often opens its reply with the question's own words, then copies the passage ("Competitors raised concerns
    about fairness and potential conflicts of interest" for "What concerns did competitors raise ...?" over
    "... with competitors raising concerns about fairness and potential conflicts of interest"). A word of its
    own ("Google cut ties ..." for "Why did Scale lose clients?") or a negation is never dropped."""
    split = words.split()
    least = max(3, (len(split) + 1) // 2)
    if least > MAX_READ_WORDS:
        return None
    restated = set(word_stems(words_of(asked)))
    for drop in range(1, len(split) - least + 1):
        gone = re.sub(r"\W+$|^\W+", "", split[drop - 1].lower())
        if gone in _TURNING or gone.endswith(("n't", "n’t")) or gone[:5] not in restated:
            return None
        if len(split) - drop <= MAX_READ_WORDS:
            found = _located_whole(" ".join(split[drop:]), passages)
            if found is not None:
                return found
    return None


def _located_whole(words: str, passages: list[Evidence]) -> tuple[str, Evidence] | None:
    found = _found(words, passages, ending=len(words.split()[-1]) >= 4 and words[-1].isalpha())  # not "fo"
    if found is None and words.isdigit() and 0 < int(words) < len(COUNT_WORDS):
        found = _found(COUNT_WORDS[int(words)], passages, ending=False)
    return found or _found_apart(words, passages)


MAX_SKIPPED = 3  # passage words between the words read that `_found_apart` passes over, in all
_PASSAGE_WORD = re.compile(r"\w(?:[\w'’-]*\w)?['’]?")


def _found_apart(words: str, passages: list[Evidence]) -> tuple[str, Evidence] | None:
    """`words` (three or more) found in a passage in order with a few of its own words among them, the span
    from the first to the last as the passage words it: "information about rival companies' AI development
    efforts", as the judge shortened it, is "information about rival companies’ artificial intelligence (AI)
    development efforts". Never over a word that would turn the answer around ("not", `_TURNING`)."""
    def key(w: str) -> str:
        return w.lower().replace("’", "'").rstrip("'")
    wanted = [key(w) for w in _PASSAGE_WORD.findall(flat(words))]
    if len(wanted) < 3:
        return None
    for e in passages:
        text = flat(e.text)
        found = list(_PASSAGE_WORD.finditer(text))
        keys = [key(m.group(0)) for m in found]
        for start in (i for i, k in enumerate(keys) if k == wanted[0]):
            at, skipped, j = 1, 0, start + 1
            while at < len(wanted) and j < len(keys) and skipped <= MAX_SKIPPED:
                if keys[j] == wanted[at]:
                    at += 1
                elif keys[j] in _TURNING:
                    break
                else:
                    skipped += 1
                j += 1
            if at == len(wanted) and skipped <= MAX_SKIPPED:
                return text[found[start].start():found[j - 1].end()], e
    return None


def _found(words: str, passages: list[Evidence], ending: bool) -> tuple[str, Evidence] | None:
    body = re.sub(r"['’]", "['’]", re.escape(flat(words)))
    patterns = [rf"(?<!\w){body}(?!\w)"] + ([rf"(?<!\w){body}[^\W\d_]+(?!\w)"] if ending else [])
    texts = [flat(e.text) for e in passages]  # as the judge read them
    for pattern in patterns:  # whole words first, in any passage
        for e, text in zip(passages, texts, strict=True):
            m = re.search(pattern, text, re.IGNORECASE)
            if m:
                return m.group(0), e
    return None


def offered_first(question: Question, draft: Draft) -> str:
    """The name or figure an open question's answer was offered first (the ranker's best), else ""."""
    return draft.options[0] if not question.closed and draft.options else ""


def _filled(base: Answer, parts: list[str], numbering: _Numbering, sentences: list[Sentence]) -> Answer:
    base.text = " ".join(parts)
    base.citations = numbering.citations
    base.sentences = sentences
    return base


def uncited_outlets(evidence: list[Evidence], result: SearchResult, cited_docs: set[str],
                    groups: dict[str, int], closed: bool) -> list[Evidence]:
    """The best evidence sentence of each outlet the question names that no cited article is from (when it
    names two or more reports). For a closed question, whose evidence holds only the reports it names (one
    article per mention of an outlet), of each such article left uncited."""
    if sum(result.source_mentions) < 2:
        return []
    cited_groups = {groups.get(d) for d in cited_docs}
    out, seen = [], set(cited_docs)
    for e in evidence:  # best first
        g = groups.get(e.doc_id)
        if g is None or e.doc_id in seen or (not closed and g in cited_groups):
            continue
        seen.add(e.doc_id)
        cited_groups.add(g)
        out.append(e)
    return out


def with_full_name(answer: Answer, snapshot: Snapshot) -> Answer:
    """`answer` with its short answer given in full where the quote it cites names it so ("Joe Biden" for
    "Biden" cited to "US President Joe Biden tested positive ..."; `qa.candidates.full_name`), or where the
    quote gives a surname only and its article gives one full name for it."""
    quotes = [c for c in answer.citations if c.number in answer.short_citations]
    if not answer.short_answer or not quotes:
        return answer
    short = answer.short_answer
    runs = {r for c in quotes for r in name_runs(c.quote)}
    texts = [snapshot.articles[d].text for d in dict.fromkeys(c.doc_id for c in quotes)]
    ordinary = ordinary_words(texts)
    answer.short_answer = full_name(short, runs, ordinary)
    if answer.short_answer == short:
        # The quote may give the surname only ("Johnson announced his resignation"): the full name where
        # the cited articles give one and only one ("Boris Johnson"; not with "Dwayne Johnson" beside it).
        longer = {full_name(short, [r], ordinary) for t in texts for r in name_runs(t)} - {short}
        if len(longer) == 1:
            answer.short_answer = longer.pop()
    return answer


def picks_offered(question: Question, draft: Draft) -> bool:
    """Whether the short answer is picked from what the evidence offers, a name ("Who/Which ...?") or a
    figure ("How many ...?", `qa.quantities`), rather than a closed question's verdict or the model's words."""
    return question.asks_name or bool(draft.options) and not question.closed


def admissible_short(question: Question, draft: Draft) -> str:
    """The model's short answer, or "" when it cannot be the answer: "No" for "Who ...?" (a small model
    sometimes writes it anyway), or a capitalised name where the question asks for a kind that no name of the
    evidence is (`NameRanker` offered none for "which condiment", so the answer is a word such as "mustard",
    not "Middle Ages"), or only the question's own words ("Phasing out" for "Why is OpenAI phasing out Scale
    AI?"; a question offering alternatives, "... Google or Meta?", may be answered by one of them). Where some
    name fits the kind, names are offered and the kind does not apply."""
    short = draft.short.strip()
    if short.lower() in ("yes", "no") and not question.closed:
        return ""
    if restates(short, question.text):
        return ""
    named_kind = question.wanted not in ("", WHO_KIND)
    if question.asks_name and named_kind and not draft.options and short and all(w[0].isupper() for w in short.split()):
        return ""
    return short


def restates(short: str, question: str) -> bool:
    """Whether `short` is made only of `question`'s own words (by stem), but for words that only place it in
    time ("Meta’s new “superintelligence” unit" for "What is Meta's superintelligence unit?"), and the question
    offers no alternatives ("or") it could be one of."""
    said = content_terms(short) - _WHEN_WORDS
    return bool(said) and said <= content_terms(question) and not _ALTERNATIVES.search(question)


_WHEN_WORDS = content_terms("new newly current recent latest former")


_ALTERNATIVES = re.compile(r"\bor\b", re.I)


def checked_short_answer(short: str, question: Question, sentences: list[Sentence]) -> tuple[str, list[int]]:
    """The short answer and its citations, kept only when a verified sentence states it (for a closed
    question, when a verified sentence answers it at all): "Meta" is not kept as who founded Scale AI when
    the sentence kept says Alexandr Wang did."""
    kept = [s for s in sentences if s.supported and s.citations]
    if not short or not kept:
        return "", []
    if question.closed:
        return short, kept[0].citations
    stating = next((s for s in kept if short.lower() in s.text.lower()), None)
    return (short, stating.citations) if stating else ("", [])
