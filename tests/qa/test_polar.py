"""Yes/no questions read by the judge (`qa.verdict.PolarJudge`): a clear Yes is answered with the quotes that
show it, without the reader model; a verdict of the model's that goes against the judge's reading becomes
"the articles do not say clearly". The judge is scripted here (its margin is given); the index, the embedding
model, evidence selection and verification are the real ones. The real judge's margins are tested in
test_entailment.py, the whole path with the real models in test_grounding.py."""
import dataclasses

from qa.answerability import NOT_CLEAR
from qa.verdict import NO_THRESHOLD, YES_THRESHOLD, PolarJudge
from tests.conftest import ScriptedLLM, make_engine

PHASING = "OpenAI is reportedly phasing out its involvement"  # seeds/001_...
QUESTION = "Is OpenAI phasing out its work with Scale AI?"


class ScriptedJudge:
    """The judge's margin for a yes/no question over all the evidence, and over one passage: `alone` for the one
    holding `answering` (high, unless given), low for the others."""

    def __init__(self, margin: float, answering: str = PHASING, alone: float | None = None, gives: bool = True):
        self.over_all, self.answering = margin, answering
        self.alone = 3.0 if alone is None else alone
        self.gives = gives  # whether the passage holding `answering` reads as answering the question at all
        self.read: list[str] = []  # the questions it was asked over all the evidence

    def polar_margin(self, evidence: list[str], question: str) -> float:
        if len(evidence) == 1:  # a passage on its own, to pick the one shown
            return self.alone if self.answering in evidence[0] else -1.0
        self.read.append(question)
        return self.over_all

    def margin(self, premise: str, hypothesis: str) -> float:
        return -3.0  # no passage states a denial (`PolarJudge.denied`)

    def answers(self, quote: str, question: str, threshold: float = 0.0) -> bool:
        return self.gives and self.answering in quote


def _engine(seed_store, llm, judge):
    engine = make_engine(seed_store, llm)
    engine.parts = dataclasses.replace(engine.parts, polar=PolarJudge(judge))
    return engine


def test_a_clear_yes_is_answered_with_the_quote_that_shows_it_and_the_model_is_not_asked(seed_store):
    winds_down = "As OpenAI winds down its contracts with Scale AI"  # seeds/000_...: the second best passage
    llm, judge = ScriptedLLM("unused"), ScriptedJudge(YES_THRESHOLD + 0.5, answering=winds_down)
    a = _engine(seed_store, llm, judge).answer(QUESTION)
    assert llm.calls == [] and judge.read == [QUESTION]
    assert not a.refused and a.short_answer == "Yes" and a.short_citations == [1]
    assert a.text.startswith("Yes: the articles say “") and a.text.endswith("[1].")
    assert len(a.citations) == 1 and winds_down in a.citations[0].quote  # the passage the judge reads as Yes
    c = a.citations[0]
    assert seed_store.snapshot().articles[c.doc_id].text[c.start:c.end] == c.quote
    assert [s.supported for s in a.sentences] == [True]


def test_a_yes_one_passage_shows_but_the_others_dilute_is_answered_with_that_passage(seed_store):
    # "Will Alexandr Wang remain a director of Scale?": 0.65 over all the evidence, 1.31 over the passage saying
    # he continues to serve as a director
    llm = ScriptedLLM("unused")
    judge = ScriptedJudge(YES_THRESHOLD - 0.4, alone=YES_THRESHOLD + 0.3)
    a = _engine(seed_store, llm, judge).answer(QUESTION)
    assert llm.calls == [] and a.short_answer == "Yes" and PHASING in a.citations[0].quote
    below = _engine(seed_store, ScriptedLLM("unused"), ScriptedJudge(YES_THRESHOLD - 0.4, alone=YES_THRESHOLD - 0.1))
    assert below.answer(QUESTION).short_answer != "Yes"


def test_a_yes_no_passage_gives_is_neither_yes_nor_no(seed_store):
    """"Did Muhammad Aziz get a settlement from New York City?" read as Yes (1.77) over "... Now, Aziz is suing
    New York City ...", a passage that does not answer it: no Yes, neither the judge's nor the model's, and no
    "No" either."""
    def reply(user: str) -> str:
        n = next(line[1] for line in user.splitlines() if PHASING in line)
        return f"Yes, OpenAI is phasing out its involvement with Scale AI [{n}].\nShort answer: Yes"

    llm = ScriptedLLM(reply)
    a = _engine(seed_store, llm, ScriptedJudge(YES_THRESHOLD + 0.8, gives=False)).answer(QUESTION)
    assert llm.calls, "without a judged Yes the model is asked"
    assert a.refused and a.text == NOT_CLEAR and a.short_answer == ""
    no = _engine(seed_store, ScriptedLLM(lambda u: reply(u).replace("Yes", "No")),
                 ScriptedJudge(YES_THRESHOLD + 0.8, gives=False)).answer(QUESTION)
    assert no.short_answer != "No"
    given = _engine(seed_store, ScriptedLLM("unused"), ScriptedJudge(YES_THRESHOLD + 0.8)).answer(QUESTION)
    assert given.short_answer == "Yes"


def test_an_open_question_is_not_put_to_the_yes_no_judge(seed_store):
    judge = ScriptedJudge(YES_THRESHOLD + 0.5)
    _engine(seed_store, ScriptedLLM("Alexandr Wang founded Scale AI [1].\nShort answer: Alexandr Wang"),
            judge).answer("Who founded Scale AI?")
    assert judge.read == []


def test_the_models_yes_that_the_judge_did_not_find_is_not_given(seed_store):
    def reply(user: str) -> str:
        n = next(line[1] for line in user.splitlines() if PHASING in line)
        return f"OpenAI is phasing out its involvement with Scale AI [{n}].\nShort answer: Yes"

    a = _engine(seed_store, ScriptedLLM(reply), ScriptedJudge(YES_THRESHOLD - 0.2, alone=0.0)).answer(QUESTION)
    assert a.refused and a.text == NOT_CLEAR and a.short_answer == "" and a.citations == []
    assert a.closest and [s.supported for s in a.sentences] == [False]
    assert a.sentences[0].reason


def test_the_models_no_stands_only_where_the_judge_did_not_lean_yes(seed_store):
    def reply(user: str) -> str:
        n = next(line[1] for line in user.splitlines() if "49% stake" in line)
        return f"No, Meta took a 49% stake in Scale [{n}].\nShort answer: No"

    question = "Did Meta take a majority stake in Scale AI?"
    leaning_yes = _engine(seed_store, ScriptedLLM(reply), ScriptedJudge(NO_THRESHOLD + 0.1, alone=0.0)).answer(question)
    assert leaning_yes.refused and leaning_yes.text == NOT_CLEAR
    leaning_no = _engine(seed_store, ScriptedLLM(reply), ScriptedJudge(NO_THRESHOLD - 1, alone=0.0)).answer(question)
    assert not leaning_no.refused and leaning_no.short_answer == "No"
    assert any("49% stake" in c.quote for c in leaning_no.citations)


def test_where_the_sources_disagree_a_yes_is_shown_by_a_passage_outside_the_dispute_or_by_both_sides():
    """"Meta has acquired Scale AI" is disputed ("Meta took a 49% stake"): a Yes is not shown by it alone, but
    by an undisputed passage the judge reads as Yes on its own; with none such, by the two sides together when
    each reads Yes (they disagree, but not on what is asked); else, or when the question asks about what is
    disputed, no Yes is shown."""
    import re

    from qa.conflicts import Conflict
    from qa.evidence import Evidence
    from qa.question import Question

    texts = ["Meta has acquired Scale AI.", "Scale received a significant investment from Meta.",
             "Meta took a 49% stake in Scale AI.", "Scale AI is a data labeling company."]
    ev = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate(texts, start=1)]
    conflict = Conflict(ev[0], ev[2], (re.compile(r"\bacquired\b"), re.compile(r"\b\d+% stake\b")))

    class ByPassage:
        def __init__(self, investment: float, stake: float = 3.0):
            self.margins = {"acquired": 3.0, "investment": investment, "stake": stake, "labeling": 0.0}

        def polar_margin(self, evidence, question):
            return next(m for part, m in self.margins.items() if part in evidence[0])

    money = Question("Did Scale AI get money from Meta?", options=("Yes", "No"))
    reads_yes = PolarJudge(ByPassage(YES_THRESHOLD))
    assert reads_yes.quotes(money, ev, {}) == [ev[0]]  # no dispute: the clearest
    assert reads_yes.quotes(money, ev, {}, conflict) == [ev[1]]
    no_investment = PolarJudge(ByPassage(YES_THRESHOLD - 0.1))
    assert no_investment.quotes(money, ev, {}, conflict) == [ev[0], ev[2]]  # each side reads Yes on its own
    sides_differ = PolarJudge(ByPassage(YES_THRESHOLD - 0.1, stake=YES_THRESHOLD - 0.1))
    assert sides_differ.quotes(money, ev, {}, conflict) == []
    for disputed in ("Did Meta acquire Scale AI?", "Did Meta take a majority stake in Scale AI?"):
        assert reads_yes.quotes(Question(disputed, options=("Yes", "No")), ev, {}, conflict) == []
    assert PolarJudge(ByPassage(YES_THRESHOLD, stake=0.0)).quotes(money, ev[:1], {}, conflict) == []


def test_a_passage_making_a_disputed_claim_shows_a_yes_it_states_apart_from_that_claim():
    import re

    from qa.conflicts import Conflict
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms

    texts = ["Meta has acquired Scale AI.", "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang."]
    ev = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate(texts, start=1)]
    conflict = Conflict(ev[0], ev[1], (re.compile(r"\bacquired\b"), re.compile(r"\b\d+% stake\b")))

    class ByPassage:
        def polar_margin(self, evidence, question):
            return 1.58 if "hired" in evidence[0] else 0.12  # the judge's readings of these seed passages

    def asked(text: str) -> Question:
        return Question(text, terms=frozenset(content_terms(text)), options=("Yes", "No"))

    judge = PolarJudge(ByPassage())
    assert judge.quotes(asked("Did Meta hire Scale's founder?"), ev, {}, conflict) == [ev[1]]
    # what the passage says apart from its claim does not hold what is asked: no Yes from it
    assert judge.quotes(asked("Did Scale AI get money from Meta?"), ev, {}, conflict) == []


def test_a_quote_stating_every_word_asked_gives_a_yes_where_the_judge_leans_yes():
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms, terms_meet
    from qa.verdict import polar_verdict, quote_agrees

    rival = "OpenAI is phasing out Scale AI due to Scale’s new ties to Meta, an OpenAI rival."
    hired = "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang."
    planned = "Musk said he planned to charge $8 a month for the blue check mark."
    ev = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate((rival, hired, planned), start=1)]

    def asked(text: str) -> Question:
        return Question(text, terms=frozenset(content_terms(text)), options=("Yes", "No"))

    assert polar_verdict(asked("Is OpenAI a rival of Meta?"), ev) == ("Yes", ev[0])
    assert polar_verdict(asked("Did Meta hire Scale's founder?"), ev) == ("Yes", ev[1])  # "hire", "hired"
    assert polar_verdict(asked("Did Musk charge $8 a month for the blue check mark?"), ev) is None  # planned only
    assert quote_agrees("Yes", NO_THRESHOLD) and not quote_agrees("Yes", NO_THRESHOLD - 0.1)
    assert quote_agrees("Yes", 0.62, 0.58) and not quote_agrees("Yes", 0.60, 0.23)  # the quote alone, too
    assert quote_agrees("No", NO_THRESHOLD - 0.1) and not quote_agrees("No", NO_THRESHOLD)
    assert terms_meet({"hire", "scale'"}, {"hired", "scale"}) and terms_meet({"rival"}, {"rivals"})
    assert not terms_meet({"stat"}, {"station"}) and not terms_meet({"hire"}, {"hiring"})


def test_a_quote_giving_what_is_asked_another_degree_of_the_same_size_says_no():
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verdict import degree_denied, polar_verdict

    deal = ("Tech giant Meta has acquired Scale AI, a data labeling startup founded in 2016. This deal, Meta's "
            "second-largest acquisition to date, has sparked a ripple effect.")  # as joined in the evidence
    ev = [Evidence(1, "d", 0, len(deal), deal, 0.9, 0.9, 0.9)]

    def asked(text: str) -> Question:
        return Question(text, terms=frozenset(content_terms(text)), options=("Yes", "No"))

    largest = asked("Is the Scale deal Meta's largest acquisition?")
    assert degree_denied(largest, ev) is ev[0]
    assert polar_verdict(largest, ev) is None  # no Yes from the words "largest acquisition"
    assert degree_denied(asked("Is the Scale deal Meta's second-largest acquisition?"), ev) is None
    assert degree_denied(asked("Is the Scale deal Meta's largest investment?"), ev) is None  # another thing
    assert degree_denied(Question("What was Meta's largest acquisition?", terms=frozenset()), ev) is None


class ContrastJudge:
    """A judge reading one passage against a statement (`margin`): the denial of `asked` at `no`, the statement
    itself at `yes`, for the passage holding `answering`; every other reading at -3."""

    def __init__(self, answering: str, no: float, yes: float):
        self.answering, self.no, self.yes = answering, no, yes
        self.read: list[tuple[str, str]] = []

    def margin(self, premise: str, hypothesis: str) -> float:
        self.read.append((premise, hypothesis))
        if self.answering not in premise:
            return -3.0
        return self.no if " not " in hypothesis else self.yes

    def answers(self, quote: str, question: str, threshold: float) -> bool:
        return self.answering in quote and self.answering != UNANSWERING


SEVER = "Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI."
UNANSWERING = "OpenAI, a leading player in the AI landscape, has been gradually reducing its use of Scale AI's services."


def _passages(*texts: str) -> list:
    from qa.evidence import Evidence
    return [Evidence(number=n, doc_id="d", start=0, end=len(t), text=t, score=0.5, overlap=0.5, dense=0.5, vector=None)
            for n, t in enumerate(texts, start=1)]


def _asked(text: str, outlets: tuple = ()):
    from qa.question import Question
    return Question(text=text, options=("Yes", "No"), outlets=outlets)


def test_a_no_is_read_from_the_passage_stating_the_denial_over_the_statement():
    question = _asked("Did Google keep working with Scale AI?")
    passages = _passages("Meta has acquired Scale AI.", SEVER)
    judge = ContrastJudge(SEVER, no=0.4, yes=-1.6)
    assert PolarJudge(judge).denied(question, passages) is passages[1]
    assert ("Meta has acquired Scale AI.", "Google did not keep working with Scale AI.") in judge.read
    assert (SEVER, "Google did keep working with Scale AI.") in judge.read


def test_no_no_where_the_denial_is_not_stated_plainly_or_not_over_the_statement():
    question = _asked("Did Google keep working with Scale AI?")
    passages = _passages(SEVER)
    assert PolarJudge(ContrastJudge(SEVER, no=-1.5, yes=-4.0)).denied(question, passages) is None  # unstated
    assert PolarJudge(ContrastJudge(SEVER, no=0.4, yes=0.0)).denied(question, passages) is None  # both read alike
    assert PolarJudge(ContrastJudge(SEVER, no=-1.0, yes=-2.0)).denied(question, passages) is passages[0]
    # a passage the judge does not read as answering the question at all ("Did Scale AI go public this year?")
    public = _passages(UNANSWERING)
    assert PolarJudge(ContrastJudge(UNANSWERING, no=-0.8, yes=-2.5)).denied(
        _asked("Did Scale AI go public this year?"), public) is None


def test_no_no_is_read_for_a_question_naming_reports_or_without_a_named_subject():
    passages = _passages(SEVER)
    judge = ContrastJudge(SEVER, no=2.0, yes=-2.0)
    assert PolarJudge(judge).denied(_asked("Did Google keep working with Scale AI?", (("Bloomberg",),)), passages) is None
    assert PolarJudge(judge).denied(_asked("Is the Scale deal Meta's largest acquisition?"), passages) is None
    assert PolarJudge(judge).denied(_asked("Didn't Google keep working with Scale AI?"), passages) is None
    assert judge.read == []
    assert PolarJudge(None).denied(_asked("Did Google keep working with Scale AI?"), passages) is None


def test_a_yes_about_two_reports_of_one_outlet_quotes_both():
    """The sentence of each outlet clause (`Selection.leaders`) is shown when the evidence holds them all; the
    best sentence of each outlet otherwise (one quote for two TechCrunch reports)."""
    from qa.evidence import Evidence

    texts = ["Acme Robotics raised $40 million.", "Acme will hire 200 engineers.", "Beta Freight cut 300 jobs."]
    ev = [Evidence(n, d, at, at + len(t), t, 0.9, 0.9, 0.9) for n, (d, at, t) in
          enumerate(zip(["tc-1", "tc-1", "tc-3"], [0, 34, 0], texts, strict=True), start=1)]
    groups = {"tc-1": 0, "tc-3": 0}
    question = _asked("Did the TechCrunch report say Acme raised money, while the TechCrunch report of "
                      "October 12 says Beta Freight cut jobs?", outlets=(("TechCrunch",),))
    judge = PolarJudge(None)
    assert judge.quotes(question, ev, groups) == [ev[0]]
    leaders = [dataclasses.replace(ev[0], number=0), dataclasses.replace(ev[2], number=0)]
    assert judge.quotes(question, ev, groups, leaders=leaders) == [ev[0], ev[2]]
    assert judge.quotes(question, ev[:2], groups, leaders=leaders) == [ev[0]]  # one of them not read: as before
    joined = dataclasses.replace(ev[2], start=0, end=21 + len(ev[2].text),  # read with the sentence before it
                                 text="Parcel volumes fell. " + ev[2].text)
    assert judge.quotes(question, [ev[0], ev[1], joined], groups, leaders=[ev[0], dataclasses.replace(
        ev[2], start=21, end=21 + len(ev[2].text))]) == [ev[0], joined]


def test_whether_reports_disagree_is_not_read_as_yes_without_a_disagreement_in_the_evidence():
    from qa.conflicts import Conflict
    from qa.question import asks_disagreement

    passages = _passages("OpenAI is phasing out Scale AI.", "OpenAI has been reducing its use of Scale AI.")
    judge = PolarJudge(ScriptedJudge(YES_THRESHOLD + 1.0))
    context = {e.number: e.text for e in passages}
    for text in ("Was there inconsistency in the portrayal of OpenAI's ties to Scale AI?",
                 "Do the reports contradict each other on OpenAI and Scale AI?",
                 "Did TechCrunch disagree with Fortune about Scale AI?"):
        assert asks_disagreement(_asked(text, outlets=(("TechCrunch",),)))
        assert judge.margin(_asked(text, outlets=(("TechCrunch",),)), context, passages) == NO_THRESHOLD
        conflict = Conflict(passages[0], passages[1])
        assert judge.margin(_asked(text, outlets=(("TechCrunch",),)), context, passages, conflict) == YES_THRESHOLD + 1
        # and the Yes shows the two sides
        assert judge.quotes(_asked(text, outlets=(("TechCrunch",),)), passages, {}, conflict) == passages
    assert asks_disagreement(_asked("Do the reports contradict each other on OpenAI?"))  # no outlet named
    for text in ("Did the Israel-Hamas conflict widen?", "Was the reporting consistent?", "Did OpenAI change course?",
                 "Did Musk contradict his earlier claim about layoffs?", "Is Apple at odds with the EU?",
                 "Has Tesla's delivery record been inconsistent?", "Did Russia's conflict with Ukraine escalate?"):
        assert not asks_disagreement(_asked(text))
