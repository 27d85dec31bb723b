"""Yes or no for a yes/no question: read by the judge model from the evidence, or from a quote.

`PolarJudge` asks the judge whether the evidence answers the question Yes, No or Unclear (one forward pass,
~1.5 s on 2 cores). When it leans clearly Yes, the answer is "Yes" with the quotes that show it, and the
reader model is not asked; otherwise the model writes its answer as for any question, but its "Yes" is not
given, nor its "No" where the judge leaned towards Yes: the answer is then that the articles do not say
clearly. The judge is trusted for Yes only: on "No" questions it often leans Yes (it reads a 49% stake as a
majority one) and it rarely picks Unclear, so a "No" needs the model's sentence and its checks too.

`polar_verdict` reads the verdict from a single quote, for a yes/no question whose sentences the model wrote
all failed checking. A quote decides the question when it holds every name the question is about (or names no
one, and its article's title or the sentence before it does) and every term it asks about, and a negation
governs none of them ("Yes": "Scale remains an independent leader in AI" for "Is Scale AI still independent?")
or all of them ("No": "no specific new data labeling providers have been named" for "Has OpenAI named a new data
labeling provider?"). The quote is shown, cited, with the verdict. Anything less clear (a term missing, a
question that is itself negated) gives no verdict: the refusal stands.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from index.sentences import split_sentences
from index.store import Snapshot
from qa.answerability import NOT_CLEAR, asked_terms, holds_words, key_words
from qa.assembly import closest, quoted_answer
from qa.conflicts import Conflict
from qa.entailment import EntailmentJudge
from qa.evidence import Evidence, group_leaders, surroundings
from qa.question import Question, as_statements, asks_disagreement
from qa.text import clip, content_terms, degrees_of, name_runs, polarity_terms, superlatives, terms_meet
from qa.types import Answer, Sentence
from qa.verify import overstates


def polar_verdict(question: Question, evidence: list[Evidence],
                  around: dict[int, str] | None = None) -> tuple[str, Evidence] | None:
    """("Yes" or "No", the quote that decides it), best evidence first; None when no quote decides it. A quote
    naming no one may leave the names the question gives to what stands around it in its article (`around`,
    by evidence number: its title and the sentence before): "However, no specific new data labeling providers
    have been named in the latest reports." under "AI giant OpenAI relinquishes control over Scale AI ..."."""
    if question.options != ("Yes", "No") or polarity_terms(question.text)[1]:
        return None
    asked = set(asked_terms(question))
    if not asked:
        return None
    keys = key_words(question)
    for e in evidence:
        setting = (around or {}).get(e.number, "") if not name_runs(e.text) else ""
        if not holds_words(keys, f"{e.text} {setting}"):
            continue
        said, denied = polarity_terms(e.text)
        if terms_meet(asked, said) and not any(terms_meet({t}, denied) for t in asked) \
                and not overstates(question.text, e.text) and as_high(question.text, e.text):
            return "Yes", e
        if terms_meet(asked, denied):
            return "No", e
    return None


def as_high(question: str, quote: str) -> bool:
    """Whether the quote sets what it speaks of at every degree the question asks (`superlatives`)."""
    return superlatives(question).keys() <= superlatives(quote).keys()


def degree_denied(question: Question, evidence: list[Evidence]) -> Evidence | None:
    """The first quote setting what a yes/no question asks about at another degree of the same size ("This
    deal, Meta's second-largest acquisition to date, ..." for "Is the Scale deal Meta's largest acquisition?");
    None when none does."""
    if question.options != ("Yes", "No"):
        return None
    asked = {(d, w) for d, w in degrees_of(question.text) if w}
    keys = key_words(question)
    for e in evidence:
        held = degrees_of(e.text)
        if holds_words(keys, e.text) and any(
                (d, w) not in held and any(h != d and h.split("-")[-1] == d.split("-")[-1] and v == w for h, v in held)
                for d, w in asked):
            return e
    return None


def verdict_answer(answer: Answer, verdict: tuple[str, Evidence], snapshot: Snapshot) -> Answer:
    """`answer` (a refusal) turned into the verdict with its quote, cited [1]; the model's dropped sentences
    stay in `sentences` with their reasons."""
    word, e = verdict
    return quoted_verdict(answer, word, [e], snapshot)


def quoted_verdict(answer: Answer, word: str, quotes: list[Evidence], snapshot: Snapshot) -> Answer:
    """`answer` as the verdict `word` ("Yes" or "No") shown by `quotes`, cited [1], [2], ...: "Yes: the
    articles say “...” [1]." The sentences it already holds (the model's, dropped) stay before the quotes."""
    answer = quoted_answer(answer, word, quotes, snapshot)
    asked = content_terms(answer.standalone_question or answer.question)
    answer.text = f"{word}: the articles say " + " and ".join(f"“{clip(e.text, terms=asked)}” [{n}]"
                                                              for n, e in enumerate(quotes, start=1)) + "."
    return answer


# The judge's log-odds of Yes over No (with Unclear offered) at or above which the evidence answers a yes/no
# question Yes, and below which the model's "No" may stand. Measured with the 1.5 B judge on the pipeline's
# evidence for MultiHop-RAG's 180 yes/no dev questions and 28 plain questions written here about the seed
# articles and realtimeqa22's (15 Yes, 7 No, 6 the articles cannot answer; listed in the README):
# - at >= 1.0, the plain questions: 16 answered Yes, 15 rightly (the wrong one: "Did Meta take a majority stake
#   in Scale AI?" against "Meta took a 49% stake", +1.25); none of the 6 unanswerable ones (all below +0.4);
#   MultiHop-RAG: 49 answered Yes, 32 rightly (0.8: 75 and 49; 1.3: 19 and 12).
# - below 0.5, 3 of the 7 plain "No" questions and 4 of the 6 unanswerable ones; 47 of the 66 MultiHop-RAG
#   questions there are "No".
YES_THRESHOLD = 1.0
# A "No" read from one passage by contrast (`PolarJudge.denied`): the judge reads the question as a statement
# and as that statement denied ("Google did keep working with Scale AI." / "Google did not keep working with
# Scale AI.") against the passage; it answers No when the passage states the denial clearly more than the
# statement, and the denial at least this plainly. Read on the seed articles (a /tmp script, 2026-12-06): the
# five "No" questions whose passage words it otherwise ("sever or pause ties", "no specific new data labeling
# providers have been named", "continuing to serve as a director", "phasing out", "shifted to employing more
# skilled professionals") read the denial over the statement by 1.18 to 2.14, the denial itself at -0.52 and
# up; four "Yes" questions by -2.42 to -3.30; and four the passages do not answer ("Did Amazon invest in
# Scale AI?", "Did OpenAI sign a contract with Mercor?") read the denial at -1.70 and below, one by 2.11 over
# the statement. The judge reads a denial apart from its statement poorly (it leans Yes on most "No"
# questions read over all the evidence), so both readings are needed.
# The passage must also read as answering the question at all ("Does the quote answer the question?", log-odds
# at least `DENIAL_ANSWERS`): "OpenAI ... has been gradually reducing its use of Scale AI's services over the
# past year" read the denial of "Did Scale AI go public this year?" at -0.84, over its statement by 1.62, but as
# answering it at -1.76; "OpenAI is reportedly phasing out ..." for "Does OpenAI use Mercor for data labeling?"
# -0.78, 1.77 and -1.73. The "No" passages above read -0.53 to -0.72 (-1.86 for "no specific new data labeling
# providers have been named", which `polar_verdict` answers from its words).
DENIED_AT_LEAST = -1.0
DENIED_OVER = 1.0
DENIAL_ANSWERS = -0.8
MAX_DENIAL_CHECKS = 3  # passages read this way, best first, each one to three judge calls (~0.5 s each)
NO_THRESHOLD = 0.5
# A judged Yes also needs one of the best `MAX_QUOTE_CHECKS` passages read by the judge as answering the question
# at all ("Does the quote answer the question?", log-odds at least this; Yes or No alike), else the reading is
# held at `NO_THRESHOLD`. Over all the evidence the judge read "Did Muhammad Aziz get a settlement from New
# York City?" as Yes at 1.77 from "... Now, Aziz is suing New York City ..." (a suit, no settlement: that
# passage reads -0.32 as answering it). The passages shown for the 16 plain questions it rightly reads Yes
# (bench/yes_no_questions.jsonl and the Broncos' sale, 2026-12-06, a /tmp script) read 1.49 to 4.83.
YES_ANSWERS = 0.5
MAX_QUOTE_CHECKS = 3  # passages the judge reads one by one to pick the one to show (~0.3 s each)


class PolarJudge:
    """The judge's reading of a yes/no question against the evidence; without a judge, no reading."""

    def __init__(self, judge: EntailmentJudge | None):
        self.judge = judge

    def margin(self, question: Question, context: dict[int, str],
               evidence: Sequence[Evidence] = (), conflict: Conflict | None = None) -> float | None:
        """log P(Yes) - log P(No) for `question` over the numbered evidence `context`, or reading one of the
        best `MAX_QUOTE_CHECKS` of `evidence` alone where that reads Yes more clearly (the other passages dilute
        it: "Will Alexandr Wang remain a director of Scale?" 0.65 over all, 1.31 over "... Wang will join Meta
        while also continuing to serve as a director on Scale’s board"); None when the question is not a yes/no
        one or there is no judge. A Yes that none of those passages reads as answering the question at all
        (`YES_ANSWERS`, either way) is held at `NO_THRESHOLD`: no judged Yes and no model's "No"; a quote stating
        every word asked (`polar_verdict`) or a denial (`denied`) may still decide. A question naming reports is
        read over all, and as it reads there: no single passage tells what two reports said. A question asking
        whether sources disagree ("Was there inconsistency in the portrayal of ...?", `asks_disagreement`) is held
        at `NO_THRESHOLD` unless the evidence holds a disagreement (`conflict`): the judge reads it Yes whenever
        the passages speak of what it names (MultiHop-RAG's 11 such dev questions, all "No": 8 read Yes at 1.0)."""
        if self.judge is None or question.options != ("Yes", "No") or not context:
            return None
        margin = self.judge.polar_margin([context[n] for n in sorted(context)], question.text)
        if conflict is None and asks_disagreement(question):
            return min(margin, NO_THRESHOLD)  # whether reports disagree is not read from what they say
        if question.outlets:
            return margin
        if margin < YES_THRESHOLD:
            margin = max([margin, *(self._reads(question, e) for e in evidence[:MAX_QUOTE_CHECKS])])
        if margin >= YES_THRESHOLD and not any(self.judge.answers(e.text, question.text, YES_ANSWERS)
                                               for e in evidence[:MAX_QUOTE_CHECKS]):
            return min(margin, NO_THRESHOLD)  # a Yes no passage gives: neither Yes nor No
        return margin

    def quotes(self, question: Question, evidence: list[Evidence], groups: dict[str, int],
               conflict: Conflict | None = None, leaders: Sequence[Evidence] = ()) -> list[Evidence]:
        """The passages a judged "Yes" shows: the sentence of each outlet clause the question has (`leaders`,
        `qa.evidence.clause_leaders`: two reports of one outlet are two quotes) when `evidence` holds all, else
        the best of each outlet the question names; else, of the best `MAX_QUOTE_CHECKS`, the one the judge
        reads most clearly as Yes on its own ("Musk on Tuesday said he planned to charge $8 a month ..." rather
        than the sentence before it, on his first plan). Where the sources disagree (`conflict`), the two sides
        when the question asks whether they do, else see `_undisputed`."""
        if conflict is not None:
            if asks_disagreement(question):  # "Do the reports contradict each other?": yes, these two
                return [conflict.first, conflict.second]
            return self._undisputed(question, evidence, groups, conflict)
        shown = [e for e in evidence if any(_holds(e, x) for x in leaders)]
        first = shown if shown and all(any(_holds(e, x) for e in shown) for x in leaders) \
            else group_leaders(evidence, groups)
        if first:
            return first
        if self.judge is None or len(evidence) < 2:
            return evidence[:1]
        return [max(evidence[:MAX_QUOTE_CHECKS], key=lambda e: self._reads(question, e))]

    def _undisputed(self, question: Question, evidence: list[Evidence], groups: dict[str, int],
                    conflict: Conflict) -> list[Evidence]:
        """Where the sources disagree, the Yes is shown by passages making neither opposing claim, each read
        as Yes on its own (`YES_THRESHOLD`): "received a “significant investment” from Meta" for "Did Scale AI
        get money from Meta?", not "Meta has acquired Scale AI", which another source contradicts; a passage
        making one claim counts when it states every word asked apart from it ("Meta took a 49% stake in Scale
        and hired its founder" for "Did Meta hire Scale's founder?"). When none
        is, by the two sides together, if each of them reads Yes on its own: they disagree, but not on what
        is asked ("Meta has acquired Scale AI" and "Meta took a 49% stake in Scale" both read Yes for that
        question; for "Did Meta buy Scale AI?" the stake reads 0.8, and the Yes is withheld). [] (no Yes) when
        neither holds, when a named outlet is left with only a disputed passage, or when the question asks in
        so many words about what is disputed ("Did Meta take a majority stake in Scale AI?" over "Meta took a
        49% stake", which the judge reads as Yes)."""
        if self.judge is None or conflict.disputes(question.text):
            return []
        asked = set(asked_terms(question))
        kept = [e for e in evidence if not conflict.about(e.text)  # or stating what is asked apart from its claim
                or asked and terms_meet(asked, content_terms(conflict.apart(e.text)))]
        leaders = group_leaders(kept, groups)
        if len(leaders) < len(group_leaders(evidence, groups)):
            return []  # an outlet the question names is left with only a disputed passage
        read = [(self._reads(question, e), e) for e in (leaders or kept[:MAX_QUOTE_CHECKS])]
        if leaders:
            return leaders if all(m >= YES_THRESHOLD for m, _ in read) else []
        best = max(read, key=lambda r: r[0], default=None)
        if best is not None and best[0] >= YES_THRESHOLD:
            return [best[1]]
        sides = [conflict.first, conflict.second]
        for side in sides:  # a side joined to a sentence before it that is not disputed and reads Yes
            rest = _rest(side, conflict)
            if rest is not None and self._reads(question, rest) >= YES_THRESHOLD:
                return [side]
        return sides if all(self._reads(question, _claim(e, conflict)) >= YES_THRESHOLD for e in sides) else []

    def with_verdict(self, answer: Answer, question: Question, evidence: list[Evidence], margin: float | None,
                     snapshot: Snapshot) -> Answer:
        """The assembled `answer` with the verdicts checked: the model's yes or no, when it goes against the
        judge's reading (`margin`), becomes "the articles do not say clearly"; a refusal of a yes/no question
        takes the verdict a single quote decides (`polar_verdict`), unless that goes against the judge too,
        reading the evidence or the quote alone (`quote_agrees`)."""
        if not answer.refused and question.closed and against_judge(answer.short_answer, margin):
            answer = not_clear(answer, evidence, snapshot)
        denied = degree_denied(question, evidence) if answer.refused else None
        if denied is not None:  # "second-largest" against "largest": the words decide, though the judge leans Yes
            return verdict_answer(answer, ("No", denied), snapshot)
        verdict = polar_verdict(question, evidence, surroundings(evidence, snapshot)) if answer.refused else None
        if verdict is None:
            if answer.refused and (margin is None or margin < YES_THRESHOLD) and (
                    denying := self.denied(question, evidence)) is not None:
                return verdict_answer(answer, ("No", denying), snapshot)  # the passage states the denial
            return answer
        # a "No" needs no second reading
        own = self._reads(question, verdict[1]) if verdict[0] == "Yes" and self.judge is not None else None
        if quote_agrees(verdict[0], margin, own):
            answer = verdict_answer(answer, verdict, snapshot)  # the model's failed checking, a quote decides
        return answer

    def denied(self, question: Question, evidence: list[Evidence]) -> Evidence | None:
        """The first of the best `MAX_DENIAL_CHECKS` passages naming what a yes/no question is about that
        states its denial: the judge reads the denial ("Google did not keep working with Scale AI.") at least
        at `DENIED_AT_LEAST` and over the statement asked ("Google did keep working with Scale AI.") by
        `DENIED_OVER` ("Google, one such competitor, has reportedly decided to sever or pause ties with Scale
        AI"), and reads the passage as answering the question (`DENIAL_ANSWERS`). None when none does, when
        the question's subject is not a name (`as_statements`), or when it names reports (what one passage
        states is not what a report says)."""
        if self.judge is None or question.options != ("Yes", "No") or question.outlets:
            return None
        statement, denial = as_statements(question.text)
        if not statement:
            return None
        keys = key_words(question)
        naming = [e for e in evidence if not keys or any(holds_words(frozenset({k}), e.text) for k in keys)]
        for e in naming[:MAX_DENIAL_CHECKS]:
            no = self.judge.margin(e.text, denial)
            if no >= DENIED_AT_LEAST and self.judge.answers(e.text, question.text, DENIAL_ANSWERS) \
                    and no - self.judge.margin(e.text, statement) >= DENIED_OVER:
                return e
        return None

    def _reads(self, question: Question, e: Evidence) -> float:
        """The judge's log-odds of Yes for `question` reading passage `e` alone."""
        assert self.judge is not None
        return self.judge.polar_margin([e.text], question.text)


def _holds(e: Evidence, sentence: Evidence) -> bool:
    """Whether passage `e` holds `sentence` (the same, or joined to the sentence before it)."""
    return e.doc_id == sentence.doc_id and e.start <= sentence.start and sentence.end <= e.end


def _rest(side: Evidence, conflict: Conflict) -> Evidence | None:
    """The sentences of a side of `conflict` joined to it that make neither claim ("Scale announced ... that it
    received a “significant investment” from Meta ..." before "The company said in the release: “Scale remains an
    independent leader ..."), to be read apart; None when there are none."""
    rest = _sentences(side, conflict, claims=False)
    return rest if rest is not side else None


def _claim(side: Evidence, conflict: Conflict) -> Evidence:
    """The sentences of a side of `conflict` that make its claim: a side joined to the sentence before it
    ("Scale announced ... a “significant investment” from Meta ... The company said in the release: “Scale
    remains an independent leader in AI ...") is read by its claim alone, as when it stood alone."""
    return _sentences(side, conflict, claims=True)


def _sentences(side: Evidence, conflict: Conflict, *, claims: bool) -> Evidence:
    """`side` read as only its sentences that make a claim of `conflict` (`claims`) or only those that do not;
    `side` itself when it is one sentence or holds no such sentence."""
    spans = split_sentences(side.text, 0, len(side.text))
    kept = [side.text[a:b] for a, b in spans if conflict.about(side.text[a:b]) is claims]
    return dataclasses.replace(side, text=" ".join(kept)) if kept and len(spans) > 1 else side


def against_judge(verdict: str, margin: float | None) -> bool:
    """Whether a verdict goes against the judge's reading of the evidence (`margin`; None: no reading): a "Yes"
    it did not find clearly, or a "No" where it leaned towards Yes."""
    if margin is None:
        return False
    word = verdict.lower()
    return word == "yes" and margin < YES_THRESHOLD or word == "no" and margin >= NO_THRESHOLD


def not_clear(answer: Answer, evidence: list[Evidence], snapshot: Snapshot) -> Answer:
    """`answer` turned into "the articles do not say clearly", the closest passages listed; the model's
    sentences stay in `sentences`, marked unsupported with why."""
    answer.refused, answer.text, answer.extractive = True, NOT_CLEAR, False
    answer.citations, answer.short_answer, answer.short_citations = [], "", []
    answer.sentences = [Sentence(s.text, [], False, s.support, s.reason or "a verdict the judge did not find")
                        for s in answer.sentences]
    answer.closest = closest(snapshot, evidence)
    return answer


def quote_agrees(verdict: str, margin: float | None, own: float | None = None) -> bool:
    """Whether the judge's reading of the evidence (`margin`) lets a quote's verdict stand: a "No" where it did
    not lean towards Yes; a "Yes" where it did (`NO_THRESHOLD`), and so did its reading of the quote alone
    (`own`), short of the clear Yes it would give alone: the quote states every word asked, unnegated and not
    only planned ("Scale’s new ties to Meta, an OpenAI rival" for "Is OpenAI a rival of Meta?": 0.62, and 0.58
    alone; "Meta's second-largest acquisition" for "Is the Scale deal Meta's largest acquisition?": 0.60, but
    0.23 alone)."""
    if margin is None:
        return True
    if verdict.lower() != "yes":
        return margin < NO_THRESHOLD
    return margin >= NO_THRESHOLD and (own is None or own >= NO_THRESHOLD)
