"""Fast tests of the answering path's components with the real index, embedding model and verifier, and a
scripted LLM in place of the GGUF model: reply parsing, citation numbering, verification (re-citing and
dropping), refusal before generation, assembly, and the typed stream events."""
from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import numpy as np
import pytest

from qa.answerability import AnswerabilityPolicy, Thresholds
from qa.events import Done, EvidenceFound, TextDelta
from qa.question import Question, QuestionAnalyzer
from qa.reply import VisibleText, parse_reply
from qa.text import marker_numbers, strip_markers, with_markers
from tests.conftest import META_DOC, OTHER_SEED_DOC, ScriptedLLM, make_engine

STAKE = "Meta took a 49% stake in Scale"  # in evidence sentence of META_DOC, not in the "acquired" one


def evidence_lines(user: str) -> dict[int, str]:
    """The numbered evidence of an answer prompt, as the model reads it."""
    return {int(n): t for n, t in re.findall(r"^\[(\d+)\] (.*)$", user, re.M)}


def cite(*needles: str, short: str = "49%"):
    """A reply that copies, for each needle, the evidence sentence holding it, cited by its number."""
    def reply(user: str) -> str:
        lines = evidence_lines(user)
        out = []
        for needle in needles:
            n = next(k for k, t in lines.items() if needle in t)
            out.append(f"{re.sub(r'^[(][^)]*[)] ', '', lines[n]).rstrip('.')} [{n}].")
        return "\n".join(out) + f"\nShort answer: {short}"
    return reply


def check_contract(a, store) -> None:
    assert sorted(set(marker_numbers(a.text))) == [c.number for c in a.citations]
    snap = store.snapshot()
    for c in a.citations:
        assert snap.articles[c.doc_id].text[c.start:c.end] == c.quote


# ---- reading the reply ------------------------------------------------------------------------------------------

def test_a_sentence_cut_off_by_the_grammars_length_limit_is_not_kept():
    from qa import prompts

    cut = "T" + "he pilots were identified, Mary Cernicek, spokesperson with the Salmon-Challis Nat" * 4
    cut = cut[:prompts.MAX_SENTENCE_CHARS]
    whole = "The National Transportation Safety Board is investigating the crash."
    sentences, short, _ = parse_reply(f"{whole} [1]\n{cut}[2].\nShort answer: NTSB", 3)
    assert sentences == [(whole, [1])] and short == "NTSB"
    assert parse_reply(f"{cut[:-1]}[2].", 3)[0] == [(cut[:-1] + ".", [2])]  # one character shorter: whole
    spaced = cut[:prompts.MAX_SENTENCE_CHARS - 1] + " "  # cut right after a space
    assert parse_reply(f"{spaced}[2].", 3)[0] == []


def test_parse_reply_drops_out_of_range_markers_and_reads_the_short_answer():
    sentences, short, refused = parse_reply("Meta took a 49% stake [1][7].\nShort answer: 49%", 3)
    assert sentences == [("Meta took a 49% stake.", [1])] and short == "49%" and not refused
    assert parse_reply("NOT IN THE ARTICLES", 3) == ([], "", True)
    assert parse_reply("A claim with no marker at all.", 3)[0] == []
    two, _, _ = parse_reply("First claim here [1]. Second claim here [2][2].\nShort answer: x", 2)
    assert two == [("First claim here.", [1]), ("Second claim here.", [2])]
    # the model closed the sentence before its marker and again after it: one stop is kept
    assert parse_reply("Scale has new ties to Meta, an OpenAI rival. [1].\nShort answer: x", 1)[0] == [
        ("Scale has new ties to Meta, an OpenAI rival.", [1])]


def test_an_opening_yes_or_no_is_dropped_from_the_answer_to_a_question_that_is_not_yes_no(seed_store):
    from qa.reply import without_verdict

    assert without_verdict("No. The lawmakers left out background checks.") == "The lawmakers left out background checks."
    assert without_verdict("Yes, Google cut ties.") == "Google cut ties."
    for kept in ("No one knows.", "No. 1 seed Kansas won.", "Nothing changed.", "Yesterday Meta said so."):
        assert without_verdict(kept) == kept

    def verdict_first(user: str) -> str:
        n = next(k for k, t in evidence_lines(user).items() if STAKE in t)
        return f"No. Meta took a 49% stake in Scale [{n}].\nShort answer: 49%"

    a = make_engine(seed_store, ScriptedLLM(verdict_first)).answer("What share of Scale AI did Meta take?")
    assert a.sentences[0].text == "Meta took a 49% stake in Scale." and not a.text.startswith("No")


def test_visible_text_hides_the_short_answer_line_however_it_is_split():
    v = VisibleText()
    pieces = ["Meta took", " 49% [1].", "\nShort", " answer: 4", "9%"]
    assert "".join(v.feed(p) for p in pieces) == "Meta took 49% [1]. "


def test_markers_are_written_before_the_closing_stop():
    assert with_markers("Meta took 49%.", [1, 2]) == "Meta took 49% [1][2]."
    assert strip_markers("Meta took 49% [1][2].") == "Meta took 49%."


# ---- numbering and verification ------------------------------------------------------------------------------------

def test_citations_are_numbered_in_order_of_use_and_quote_exact_spans(seed_store):
    llm = ScriptedLLM(cite(STAKE, "has acquired Scale AI"))
    a = make_engine(seed_store, llm).answer("What share of Scale AI did Meta take?")
    assert not a.refused and len(llm.calls) == 1
    check_contract(a, seed_store)
    assert [c.doc_id for c in a.citations][:2] == [META_DOC, OTHER_SEED_DOC]  # [1] is the first sentence's
    assert a.text.index("[1]") < a.text.index("[2]")
    assert a.short_answer == "49%"


def test_a_right_sentence_with_a_wrong_marker_is_re_cited(seed_store):
    def wrong_marker(user: str) -> str:
        lines = evidence_lines(user)
        wrong = next(k for k, t in lines.items() if STAKE not in t)
        return f"Meta took a 49% stake in Scale [{wrong}].\nShort answer: 49%"

    a = make_engine(seed_store, ScriptedLLM(wrong_marker)).answer("What share of Scale AI did Meta take?")
    first = a.sentences[0]
    assert first.supported and STAKE in a.citations[first.citations[0] - 1].quote
    check_contract(a, seed_store)


def test_an_invented_number_is_dropped_and_kept_as_unsupported(seed_store):
    llm = ScriptedLLM("Meta took a 75% stake in Scale AI [1].\nShort answer: 75%")
    a = make_engine(seed_store, llm).answer("What share of Scale AI did Meta take?")
    assert "75" not in a.text and [s.supported for s in a.sentences if "75%" in s.text] == [False]
    check_contract(a, seed_store)


def test_a_true_sentence_that_does_not_touch_the_question_is_not_kept(embedder):
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import Verifier

    text = "Acme Corp opened a factory in Oslo in 2021."
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]
    verify = Verifier(embedder)

    def supported(question: str, sentence: str = text) -> bool:
        asked = Question(question, terms=frozenset(content_terms(question)))
        return verify.run([(sentence, [1])], ev, {1: text}, asked)[0].supported

    assert supported("Where did Acme open a factory?")
    assert not supported("Who won the election?")  # true to its evidence, but not about what was asked
    assert not supported("Where did Acme open a factory?", "Acme Corp opened a factory in Bergen in 2021.")


def test_a_sentence_that_only_restates_an_open_question_does_not_answer_it(embedder):
    from qa.evidence import Evidence
    from qa.question import Question, answer_type
    from qa.text import content_terms
    from qa.verify import NO_NUMBER, RESTATES, Verifier

    text = "An anonymous bidder paid $19 million for a private lunch with investor Warren Buffett."
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]
    verify = Verifier(embedder)

    def why(question: str, sentence: str) -> str:
        asked = Question(question, terms=frozenset(content_terms(question)), answer_type=answer_type(question),
                         options=("Yes", "No") if question.startswith("Did") else ())
        sup = verify.run([(sentence, [1])], ev, {1: text}, asked)[0]
        return "" if sup.supported else sup.why()

    asked = ("An anonymous bidder paid a record sum for a private lunch with Warren Buffett. "
             "How much did the bidder pay?")
    assert why(asked, "An anonymous bidder paid for a private lunch with Warren Buffett") == RESTATES
    assert why("How much did the bidder pay for lunch with Warren Buffett?",
               "An anonymous bidder paid for a private lunch with investor Warren Buffett") == NO_NUMBER
    assert why(asked, "An anonymous bidder paid $19 million for a private lunch with Warren Buffett") == ""
    # a yes/no question is answered by restating it: the verdict is the answer
    assert why("Did a bidder pay for a private lunch with Warren Buffett?",
               "A bidder paid for a private lunch with Warren Buffett") == ""


def test_a_sentence_adding_only_when_it_was_said_does_not_answer_what_was_said(embedder):
    """"OpenAI's spokesperson told Bloomberg Wednesday (June 18) citing an OpenAI spokesperson" is true to its
    quote and says nothing of what the spokesperson said; for a question asking when, the time is the answer."""
    from qa.question import Question, answer_type
    from qa.text import content_terms
    from qa.verify import RESTATES, unanswering

    def why(question: str, sentence: str) -> str:
        return unanswering(sentence, Question(question, terms=frozenset(content_terms(question)),
                                              answer_type=answer_type(question)))

    said = "What did OpenAI's spokesperson tell Bloomberg?"
    assert why(said, "OpenAI's spokesperson told Bloomberg Wednesday (June 18) citing an OpenAI spokesperson.") \
        == RESTATES
    assert why(said, "OpenAI's spokesperson told Bloomberg last week.") == RESTATES
    assert why(said, "OpenAI's spokesperson told Bloomberg on June 18 that Scale provided a small fraction of its "
                     "data.") == ""
    assert why("When did OpenAI's spokesperson talk to Bloomberg?",
               "OpenAI's spokesperson told Bloomberg on Wednesday (June 18).") == ""
    assert why("Which year was Scale AI founded?", "Scale AI was founded in 2016.") == ""  # a time asked for
    assert why(said, "OpenAI's spokesperson told Bloomberg on Jun. 18, citing the report.") == RESTATES


def test_a_sentence_giving_no_time_does_not_answer_a_when_question(embedder):
    from qa.evidence import Evidence
    from qa.question import Question, answer_type
    from qa.text import content_terms
    from qa.verify import NO_TIME, Verifier

    text = ("OpenAI has been gradually reducing its use of Scale AI's services over the past year; it stopped "
            "using them completely last week.")
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]
    question = "When will OpenAI stop using Scale AI completely?"
    asked = Question(question, terms=frozenset(content_terms(question)), answer_type=answer_type(question))

    def why(sentence: str) -> str:
        sup = Verifier(embedder).run([(sentence, [1])], ev, {1: text}, asked)[0]
        return "" if sup.supported else sup.why()

    assert why("OpenAI has been gradually reducing its use of Scale AI's services over the past year.") == NO_TIME
    assert why("OpenAI stopped using Scale AI's services completely last week.") == ""


def test_a_sentence_giving_no_place_does_not_answer_a_where_question(embedder):
    from qa.evidence import Evidence
    from qa.question import Question, wanted_kind
    from qa.text import content_terms
    from qa.verify import NO_PLACE, Verifier

    text = ("Loretta Lynn, the “Coal Miner’s Daughter” whose gutsy lyrics made her a queen of country music, has "
            "died. She died at her beloved ranch in Hurricane Mills, her family said.")
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]

    def why(question: str, sentence: str) -> str:
        asked = Question(question, terms=frozenset(content_terms(question)), wanted=wanted_kind(question))
        sup = Verifier(embedder).run([(sentence, [1])], ev, {1: text}, asked)[0]
        return "" if sup.supported else sup.why()

    where = "Where did Loretta Lynn die?"
    assert why(where, "Loretta Lynn, the “Coal Miner’s Daughter” whose gutsy lyrics made her a queen of country "
                      "music, has died.") == NO_PLACE
    assert why(where, "Loretta Lynn died at her ranch in Hurricane Mills.") == ""
    assert why(where, "Loretta Lynn died at her beloved ranch.") == ""  # a place without a name
    from qa.verify import unanswering
    assert unanswering("Loretta Lynn died peacefully at home.", Question(where, wanted="place")) == ""  # no new name
    # "where" asked of no place: a new name answers it
    assert why("Where did Loretta Lynn's family make its statement?", "Her family said it in Hurricane Mills.") == ""


@pytest.mark.parametrize("name, text, is_place", [
    ("Hurricane Mills", "at home in her beloved ranch in Hurricane Mills,” the statement read.", True),
    ("Montana", "a rural area near the Montana border", True),
    ("Yosemite", "The Oak Fire, which started southwest of Yosemite, prompted evacuations", True),
    ("NASHVILLE", "NASHVILLE, Tenn. – Loretta Lynn ... has died.", True),
    ("BLOOMINGTON", "BLOOMINGTON, Minn. (AP) — The record $4.65 billion sale", True),
    ("Nashville", "In Nashville, fans gathered at the Ryman.", True),
    ("Ukraine", "Fighting is heaviest in eastern Ukraine, according to the Pentagon.", True),
    ("Pentagon", "Fighting is heaviest in eastern Ukraine, according to the Pentagon.", False),
    ("WASHINGTON", "WASHINGTON (AP) — The Senate voted", True),
    ("Monday", "The sale was approved on Monday.", False),
    ("Nashville", "She moved to Nashville in 1960.", True),
    ("Reuters", "Prices rose, according to Reuters.", False),
    ("Apple", "Apple — the iPhone maker — said on Monday", False),
    ("Loretta Lynn", "Loretta Lynn, singer — dead at 90", False),
    ("Coal Miner's Daughter", "Country music legend known for 'Coal Miner's Daughter' dies at 90", False),
    ("Loretta Lynn", "“Our precious mom, Loretta Lynn, passed away peacefully", False),
])
def test_a_name_standing_as_a_place(name, text, is_place):
    from qa.candidates import placed
    assert placed(name, text) is is_place


def test_a_time_is_a_date_a_day_or_a_span_not_any_number():
    from qa.verify import _TIME

    for timed in ("in a June 12 press release", "in 2016", "on Wednesday", "by the end of the year", "soon",
                  "at 3 p.m.", "in a few weeks", "last month"):
        assert _TIME.search(timed), timed
    for untimed in ("Meta took a 49% stake.", "It may happen.", "They march on.", "over the past year"):
        assert not _TIME.search(untimed), untimed


def test_a_sentence_that_says_its_subject_is_itself_does_not_answer(embedder):
    from qa.evidence import Evidence
    from qa.question import Question, answer_type
    from qa.text import content_terms
    from qa.verify import RESTATES, SAYS_NOTHING, Verifier, restates_itself

    text = ("Meta has acquired Scale AI, a data labeling startup founded in 2016. This deal, Meta's second-largest "
            "acquisition to date, has sparked a ripple effect.")  # seeds/000_...
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]
    question = "What was Meta's second-largest acquisition?"
    asked = Question(question, terms=frozenset(content_terms(question)), answer_type=answer_type(question))
    sup = Verifier(embedder).run([("Meta's second-largest acquisition is Meta's second-largest acquisition to date",
                                   [1])], ev, {1: text}, asked)[0]
    assert not sup.supported and sup.why() in (SAYS_NOTHING, RESTATES)  # "to date" adds nothing to the question
    sup = Verifier(embedder).run([("Meta's second-largest acquisition to date", [1])], ev, {1: text}, asked)[0]
    assert not sup.supported and sup.why() == RESTATES  # "to date" adds nothing
    assert not restates_itself("Meta's second-largest acquisition is Scale AI")  # a name it does not hold
    assert not restates_itself("The deal was the deal of the year 2025")  # a number
    assert not restates_itself("The company is a company that makes cars for families")  # says what it does


# ---- refusal ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["What is the capital of France?",
                                      "What did Zorblax Quuxington say about Scale AI?"])
def test_unanswerable_questions_are_refused_before_the_model_is_called(seed_store, question):
    llm = ScriptedLLM("should never be read [1].\nShort answer: x")
    events = list(make_engine(seed_store, llm).stream_answer(question))
    assert llm.calls == []
    assert [type(e) for e in events] == [TextDelta, Done]
    a = events[-1].answer
    assert a.refused and a.citations == [] and "do not cover" in a.text and a.closest is not None


def test_the_policy_reads_its_thresholds_from_one_object(seed_store, embedder):
    engine = make_engine(seed_store, ScriptedLLM())
    q = "What share of Scale AI did Meta take?"
    snap = seed_store.snapshot()
    asked = QuestionAnalyzer().run(q, snap)
    result = engine.retrieve(q)
    evidence = engine.parts.selector.run(asked, result).evidence
    assert AnswerabilityPolicy().decide(asked, result, evidence).answerable
    strict = AnswerabilityPolicy(Thresholds(min_dense=1.01, min_overlap=1.01, min_sentence_dense=1.01))
    assert strict.decide(asked, result, evidence).reason == "weak retrieval"


def test_a_question_retrieval_would_refuse_goes_on_when_the_judge_reads_its_closest_sentence_as_answering():
    """Below every retrieval threshold, the closest sentence (if close enough) is read by the judge: a clear
    Yes lets the question go on to the model; a weaker one, or a sentence too far, is refused unread."""
    from qa.answerability import Thresholds
    from qa.entailment import EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question

    board = ("Scale announced that Wang will join Meta while also continuing to serve as a director on Scale’s board "
             "of directors.")
    far = "Scale will continue to partner with leading AI labs."
    question = Question("Will Wang stay on Scale's board?", options=("Yes", "No"))
    t = Thresholds()
    close = Evidence(1, "d", 0, len(board), board, 0.5, 0.1, t.min_sentence_dense - 0.01)
    distant = Evidence(2, "d", 0, len(far), far, 0.5, 0.1, t.min_judged_dense - 0.01)
    result = SimpleNamespace(hits=[object()], max_dense=t.min_dense - 0.1)  # what the policy reads of a search
    for margin, answerable in ((t.judged_answers + 0.5, True), (t.judged_answers - 0.5, False)):
        llm = _ScriptedMargins({board: margin, far: 5.0})
        policy = AnswerabilityPolicy(judge=EntailmentJudge(llm))
        refused = policy.decide(question, result, [close, distant])  # type: ignore[arg-type]
        assert refused.reason == "weak retrieval" and policy.worth_judging(refused, [close, distant])
        assert policy.judged(question, [close, distant], refused).answerable is answerable and llm.asked == [board]
    policy = AnswerabilityPolicy(judge=EntailmentJudge(_ScriptedMargins({far: 5.0})))
    assert not policy.worth_judging(policy.decide(question, result, [distant]), [distant])  # type: ignore[arg-type]
    assert not AnswerabilityPolicy().worth_judging(refused, [close, distant])  # no judge


def test_a_question_in_another_language_is_told_to_ask_in_english(seed_store):
    a = make_engine(seed_store, ScriptedLLM()).answer("Qui est le président de la République française?")
    assert a.refused and "ask in English" in a.text


# ---- events --------------------------------------------------------------------------------------------------

def test_evidence_is_reported_before_the_first_piece_of_text(seed_store):
    llm = ScriptedLLM(cite(STAKE))
    events = list(make_engine(seed_store, llm).stream_answer("What share of Scale AI did Meta take?"))
    kinds = [type(e) for e in events]
    first_text = kinds.index(TextDelta)
    assert kinds[0] is EvidenceFound and kinds[-1] is Done and set(kinds[first_text:-1]) == {TextDelta}
    found = [e.evidence for e in events[:first_text]]  # shown at once; again, longer, with a figure's passage
    assert all(type(e) is EvidenceFound for e in events[:first_text]) and len(found) <= 2
    assert all(later[:len(found[0])] == found[0] and len(later) > len(found[0]) for later in found[1:])
    shown = {(c.doc_id, c.start) for c in events[first_text - 1].evidence}
    assert {(c.doc_id, c.start) for c in events[-1].answer.citations} <= shown
    assert "Short answer" not in "".join(e.text for e in events if isinstance(e, TextDelta))
    assert events[-1].to_dict()["answer"]["text"] == events[-1].answer.text
    timings = events[-1].answer.timings  # when the evidence was shown, for `qa eval`'s evidence_p50_s
    assert 0 < timings["evidence_s"] <= timings["first_token_s"] <= timings["total_s"]
    refusal = make_engine(seed_store, llm).answer("What did Apple say about its new headset?").timings
    assert refusal["evidence_s"] == refusal["total_s"]  # a refusal shows its closest passages with it


def test_the_evidence_is_shown_before_the_names_are_ranked_and_again_with_the_passage_naming_the_one_offered(
        seed_store):
    llm = ScriptedLLM("Google pulled back [1].\nShort answer: Google")
    events = list(make_engine(seed_store, llm).stream_answer("Who else pulled back from Scale AI besides OpenAI?"))
    found = [e.evidence for e in events if isinstance(e, EvidenceFound)]
    assert len(found) == 2 and found[1][:len(found[0])] == found[0]  # the same passages, same numbers, first
    added = found[1][len(found[0]):]
    assert [c.number for c in added] == list(range(len(found[0]) + 1, len(found[1]) + 1))
    assert any("Google" in c.quote for c in added) and not any("Google" in c.quote for c in found[0])
    assert "Google" in llm.calls[-1].user  # the model reads the added passage


def test_a_follow_up_is_rewritten_by_the_model_before_retrieval(seed_store):
    def reply(user: str) -> str:
        return "Who founded Scale AI?" if "Rewritten question" in user else cite("founded in 2016")(user)

    llm = ScriptedLLM(reply)
    a = make_engine(seed_store, llm).answer("And who founded it?",
                                            history=[("What share of Scale AI did Meta take?", "49% [1].")])
    assert a.standalone_question == "Who founded Scale AI?" and len(llm.calls) == 2


def test_a_passage_is_quoted_only_when_it_holds_what_is_asked_about(seed_store, embedder):
    from qa.evidence import Evidence
    from qa.question import QuestionAnalyzer

    text = "With more than 100 investors, Scale AI provides annotated datasets for training AI models."
    e = Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)
    asked = QuestionAnalyzer().run("How many employees does Scale AI have?", seed_store.snapshot())
    assert not AnswerabilityPolicy().quotable(asked, e)  # a number, but not of employees
    asked = QuestionAnalyzer().run("How many investors does Scale AI have?", seed_store.snapshot())
    assert AnswerabilityPolicy().quotable(asked, e)
    # "which figure" asks for a number, not for a name the passage holds besides the question's
    text = "US household debt surpassed $16 trillion for the first time, the New York Federal Reserve said."
    e = Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)
    asked = QuestionAnalyzer().run("US household debt passed which figure, according to the New York Federal "
                                   "Reserve?", seed_store.snapshot())
    assert asked.asks_name and asked.answer_type == "quantity" and AnswerabilityPolicy().quotable(asked, e)


def test_a_disagreement_is_noted_only_for_an_answer_stating_one_of_its_claims():
    import re

    from qa.conflicts import Conflict
    from qa.evidence import Evidence

    side = Evidence(1, "a", 0, 1, "x", 1, 1, 1)
    c = Conflict(side, side, (re.compile(r"\bacquired\b"), re.compile(r"\d+% stake")))
    assert c.about("Meta took a 49% stake in Scale.") and c.about("Meta acquired Scale AI.")
    assert not c.about("Scale AI was founded in 2016.")


def test_a_name_counts_as_the_answer_only_next_to_what_is_asked(seed_store):
    from qa.evidence import Evidence
    from qa.question import QuestionAnalyzer

    text = "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang, to join Meta's new unit."
    e = Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)
    asked = QuestionAnalyzer().run("Who founded Scale AI?", seed_store.snapshot())
    assert AnswerabilityPolicy().names_answer(asked, "Alexandr Wang", e)
    assert not AnswerabilityPolicy().names_answer(asked, "Meta", e)  # in the passage, but not as the founder


def test_a_name_answers_a_question_asking_the_biggest_or_the_head_only_where_its_passage_says_so(seed_store):
    from qa.answerability import says_as_asked
    from qa.evidence import Evidence
    from qa.question import QuestionAnalyzer

    snap = seed_store.snapshot()
    joining = "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang, to join Meta’s new “superintelligence” unit."
    e = Evidence(1, "d", 0, len(joining), joining, 0.9, 0.9, 0.9)
    leads = QuestionAnalyzer().run("Who leads Meta's superintelligence unit?", snap)
    assert not says_as_asked(leads, joining) and not AnswerabilityPolicy().names_answer(leads, "Alexandr Wang", e)
    assert says_as_asked(QuestionAnalyzer().run("Who joined Meta's superintelligence unit?", snap), joining)
    assert says_as_asked(QuestionAnalyzer().run("Who runs OpenAI?", snap), "OpenAI CEO Sam Altman accused Meta.")
    biggest = QuestionAnalyzer().run("Who is Scale AI's biggest customer?", snap)
    assert not says_as_asked(biggest, "Scale AI is a valuable asset for major AI players like Anthropic.")
    assert says_as_asked(biggest, "Anthropic is the largest customer of Scale AI.")
    # the degree is the stars', not the answer's
    stars = QuestionAnalyzer().run("Broadway's biggest stars were recognized at which awards show?", snap)
    assert says_as_asked(stars, "The Tony Awards were hosted by Broadway veteran Ariana DeBose.")


def test_a_question_asking_what_someone_said_is_told_apart():
    from qa.question import Question, asks_statement

    assert asks_statement(Question("What did Scale say about its independence after the deal?"))
    assert asks_statement(Question("What did the OpenAI spokesperson tell Bloomberg?"))
    assert not asks_statement(Question("What did Meta buy?"))
    assert not asks_statement(Question("Did Scale say it remains independent?", options=("Yes", "No")))


@pytest.mark.parametrize("question, why", [
    ("Why did Google cut ties with Scale AI?", True),
    ("What fear led Google to step back from Scale AI?", True),
    ("What prompted OpenAI's move away from Scale?", True),
    ("What concerns did competitors raise about the deal?", False),  # the concerns, in a few words
    ("What did Meta buy?", False),
])
def test_a_question_asking_why_in_other_words_is_told_apart(question, why):
    from qa.question import Question, asks_reason

    assert asks_reason(Question(question)) is why


def test_a_passage_about_another_companys_ceo_is_not_quoted_for_this_one(seed_store):
    from qa.evidence import Evidence

    text = "It was reported Wednesday that OpenAI CEO Sam Altman accused Meta of making giant offers."
    e = Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)
    policy = AnswerabilityPolicy()
    assert not policy.quotable(QuestionAnalyzer().run("Who is the CEO of Google?", seed_store.snapshot()), e)
    assert policy.quotable(QuestionAnalyzer().run("Who is the CEO of OpenAI?", seed_store.snapshot()), e)


def test_a_name_the_question_sets_aside_is_not_its_answer(seed_store):
    """"Who else ... besides OpenAI?": the set-aside name is read and left out of the ranking query, and a
    sentence naming nothing but the question's own names is not kept as the answer."""
    from qa.question import without_excluded

    snap = seed_store.snapshot()
    q = QuestionAnalyzer().run("Who else pulled back from Scale AI besides OpenAI?", snap)
    assert q.excluded == ("OpenAI",) and without_excluded(q.text) == "Who else pulled back from Scale AI?"
    assert QuestionAnalyzer().run("Who pulled back from Scale AI?", snap).excluded == ()
    llm = ScriptedLLM(cite("Scale remains an independent leader", short="OpenAI"))
    a = make_engine(seed_store, llm).answer(q.text)
    assert "(The answer is not OpenAI.)" in llm.calls[-1].user
    assert [s.reason for s in a.sentences if "independent leader" in s.text] == [
        "names only what the question sets aside"]
    assert "independent leader" not in a.text and a.short_answer != "OpenAI"


def test_a_capitalised_function_word_is_not_offered_as_a_name():
    from qa.evidence import Evidence, name_candidates

    text = "Are you paying too much? GasBuddy, the fuel-savings app, says US prices fell. Does Exxon agree?"
    names = name_candidates("Which app tracks fuel prices?", [Evidence(1, "d", 0, len(text), text, 1, 1, 1)])
    assert "GasBuddy" in names and "US" in names and "Exxon" in names
    assert not {"Are", "Does"} & set(names)


def test_a_quote_need_not_name_the_outlet_the_question_names():
    from qa.answerability import key_words
    from qa.question import Question

    q = Question("Who was convicted of fraud, as reported by Fortune and TechCrunch?",
                 outlets=(("Fortune",), ("TechCrunch",)))
    assert key_words(q) == frozenset()  # the outlets are the articles' own, not words their quotes hold
    assert key_words(Question("Who is the CEO of Google?")) == {"ceo", "google"}
    # a nationality describes who was polled; a passage on a poll of US adults need not say "Americans"
    assert key_words(Question("What percentage of Americans approve of President Biden?")) == {"president", "biden"}


def test_a_sentence_opening_with_the_questions_own_first_word_is_not_held_to_it_as_a_name(embedder):
    from qa.evidence import Evidence
    from qa.question import Question, answer_type
    from qa.text import content_terms
    from qa.verify import Verifier, opening_as_asked

    text = "Since mid-May, more than 6,600 probable or confirmed monkeypox cases have been detected in the US."
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]
    question = "Approximately how many monkeypox cases have been detected in the US?"
    asked = Question(question, terms=frozenset(content_terms(question)), answer_type=answer_type(question))
    sentence = "Approximately 6,600 monkeypox cases have been detected in the US."
    assert Verifier(embedder).run([(sentence, [1])], ev, {1: text}, asked)[0].supported
    assert opening_as_asked(sentence, "How many cases?") == sentence  # capitalised by its place only here
    assert opening_as_asked("Toyota said so.", "Toyota is doing what?") == "toyota said so."
    assert opening_as_asked("US officials said so.", "US officials said what?") == "US officials said so."


def test_a_lead_in_is_given_to_the_model_apart_from_the_asking_sentence(seed_store):
    llm = ScriptedLLM("Meta took a 49% stake in Scale AI [1].\nShort answer: 49%")
    make_engine(seed_store, llm).answer("Meta invested in Scale AI this year. What share of Scale AI did Meta take?")
    assert ("Background: Meta invested in Scale AI this year.\nQuestion: What share of Scale AI did Meta take?"
            in llm.calls[0].user)
    make_engine(seed_store, llm).answer("What share of Scale AI did Meta take?")
    assert "Background" not in llm.calls[1].user and "Question: What share of Scale AI did Meta take?" in llm.calls[1].user


def test_names_in_a_lead_in_are_not_key_words_of_the_question():
    from qa.answerability import key_words
    from qa.question import Question

    q = Question("Meta CEO Mark Zuckerberg announced layoffs this week. Approximately how many employees were "
                 "affected at the parent company of Facebook?")
    assert key_words(q) == {"facebook"}


def test_a_question_close_to_one_evidence_sentence_is_not_refused_for_a_far_chunk(seed_store):
    engine = make_engine(seed_store, ScriptedLLM())
    q = "What share of Scale AI did Meta take?"
    asked = QuestionAnalyzer().run(q, seed_store.snapshot())
    result = engine.retrieve(q)
    evidence = engine.parts.selector.run(asked, result).evidence
    assert max(e.dense for e in evidence) >= Thresholds().min_sentence_dense
    sentence_only = AnswerabilityPolicy(Thresholds(min_dense=1.01, min_overlap=1.01))
    assert sentence_only.decide(asked, result, evidence).answerable


def test_the_kind_of_apostrophe_does_not_make_a_name_missing(embedder):
    from qa.evidence import Evidence
    from qa.verify import check

    quote = "Abbott’s office indicated that New York is now a designated drop-off location."
    e = Evidence(1, "d", 0, len(quote), quote, 1.0, 1.0, 1.0, embedder.encode([quote])[0])
    sentence = "Abbott's office indicated that New York is now a designated drop-off location."
    sup = check(sentence, embedder.encode([sentence])[0], [e], {})
    assert sup.supported and sup.missing == []


def test_surroundings_are_the_title_and_the_sentence_before(seed_store):
    from index.sentences import split_sentences
    from qa.evidence import Evidence, surroundings

    snap = seed_store.snapshot()
    article = snap.articles[META_DOC]
    (s0, e0), (s1, e1) = split_sentences(article.text)[:2]
    ev = [Evidence(1, META_DOC, s1, e1, article.text[s1:e1], 1.0, 1.0, 1.0),
          Evidence(2, META_DOC, s0, e0, article.text[s0:e0], 1.0, 1.0, 1.0)]
    around = surroundings(ev, snap)
    title = f"{article.title.rstrip('.')}." if article.title else ""
    assert around[1] == f"{title} {article.text[s0:e0]}".strip()
    assert around[2] == title  # the first sentence has none before it


class _ScriptedMargins:
    """A judge's model that gives each prompt of one kind (by default "does it answer") a fixed log-odds by the
    sentence or name it holds, and passes every other check: the one narrow part scripted, to test what is put
    to it."""

    def __init__(self, margins: dict[str, float], system: str = "", chosen: dict[str, float] | None = None,
                 written: str = "None"):
        from qa.entailment import ANSWERS_SYSTEM

        self.margins, self.asked, self.system = margins, [], system or ANSWERS_SYSTEM
        self.chosen = chosen or {}  # a name's log-probability as the reply over "None" (0), when read alone
        self.written = written  # the reply written when asked for the answer in the evidence's words

    def stream(self, system, user, *, grammar=None, max_tokens=128, stop=None):
        self.asked.append(f"written from {sum(line.startswith('[') for line in user.splitlines())} passages")
        yield self.written

    def logprob_margin(self, system, user, yes, no):
        if system != self.system:
            return 5.0
        sentence = next(s for s in self.margins if s in user)
        self.asked.append(sentence)
        return self.margins[sentence]

    def choice_logprobs(self, system, user, choices, max_tokens=4):
        self.asked += [f"chosen {c}" for c in choices[:-1]]
        return [*(self.chosen.get(c, -1.0) for c in choices[:-1]), 0.0]  # the last choice is "None"


def test_opening_sentences_off_the_question_are_dropped_until_one_answers_it_at_most_two_checked(embedder):
    from qa.entailment import EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import OFF_QUESTION, Verifier

    quote = "Meta took a 49% stake in Scale AI and hired its founder, Alexandr Wang, the report said."
    ev = [Evidence(1, "d", 0, len(quote), quote, 1.0, 1.0, 1.0, embedder.encode([quote])[0])]
    a, b, c = ("Meta took a 49% stake in Scale AI.", "Meta hired Alexandr Wang, the report said.",
               "Alexandr Wang was hired by Meta.")
    question = "Who did Meta hire from Scale AI?"
    asked = Question(question, terms=frozenset(content_terms(question)))

    def run(margins, sentences):
        llm = _ScriptedMargins(margins)
        checks = Verifier(embedder, EntailmentJudge(llm)).run([(s, [1]) for s in sentences], ev, {1: quote}, asked)
        return [(ch.supported, ch.reason) for ch in checks], llm.asked

    checks, asked_about = run({a: -3.0, b: 2.0, c: -3.0}, [a, b, c])
    assert checks == [(False, OFF_QUESTION), (True, ""), (True, "")] and asked_about == [a, b]
    checks, asked_about = run({a: -3.0, b: -2.0, c: -3.0}, [a, b, c])
    assert checks == [(False, OFF_QUESTION), (False, OFF_QUESTION), (True, "")] and asked_about == [a, b]
    checks, _ = run({a: -0.5, b: -3.0, c: -3.0}, [a, b, c])  # leaning No, but not clearly: kept
    assert checks == [(True, ""), (True, ""), (True, "")]
    closed = Question("Did Meta hire Alexandr Wang?", terms=frozenset(content_terms(question)),
                      options=("Yes", "No"))
    llm = _ScriptedMargins({a: -3.0})
    Verifier(embedder, EntailmentJudge(llm)).run([(a, [1])], ev, {1: quote}, closed)
    assert llm.asked == []  # a yes/no question is answered by its verdict, not put to this check


def test_an_opening_sentence_naming_only_the_kind_asked_for_is_dropped(embedder):
    """"Condiment is running out." for "... struggling to stock which condiment ...?" is true to its quote and
    names no condiment: the judge, reading it alone, finds only the question's word in it."""
    from qa.entailment import EntailmentJudge
    from qa.question import Question, asks_for_name, wanted_kind
    from qa.text import content_terms
    from qa.verify import KIND_ONLY, Verifier

    quote = "France’s most famous condiment is running out, and mustard is nowhere to be found."
    ev = _evidence(embedder, quote)
    text = "Supermarkets in France are struggling to stock which condiment?"
    asked = Question(text, terms=frozenset(content_terms(text)), asks_name=asks_for_name(text),
                     wanted=wanted_kind(text))
    assert asked.asks_name and asked.wanted == "condiment"

    def run(sentence: str, written: str, question=asked) -> tuple[tuple[bool, str], list[str]]:
        llm = _ScriptedMargins({sentence: 3.0}, written=written)  # read as answering the question
        sup = Verifier(embedder, EntailmentJudge(llm)).run([(sentence, [1])], ev, {1: quote}, question)[0]
        return (sup.supported, sup.reason), llm.asked

    assert run("Condiment is running out.", "Condiment")[0] == (False, KIND_ONLY)
    assert run("France’s most famous condiment is running out.", "None")[0] == (False, KIND_ONLY)
    assert run("The condiment mustard is running out.", "mustard")[0] == (True, "")
    checked, read = run("France is running out of mustard.", "Condiment")  # no kind word: the judge is not asked
    assert checked == (True, "") and not any(r.startswith("written") for r in read)


class _AloneThenConfirmed(_ScriptedMargins):
    """Reads every sentence alone as clearly not answering, and a given answer with its quote at `confirmed`."""

    def __init__(self, confirmed: float):
        super().__init__({})
        self.confirmed = confirmed

    def logprob_margin(self, system, user, yes, no):
        from qa.entailment import ANSWERS_SYSTEM, NAMED_SYSTEM

        self.asked += ["alone"] if system == ANSWERS_SYSTEM else ["confirmed"] if system == NAMED_SYSTEM else []
        return -3.0 if system == ANSWERS_SYSTEM else self.confirmed if system == NAMED_SYSTEM else 5.0


def test_a_bare_answer_is_read_again_with_its_quote_as_the_answer_given(embedder):
    """"187 minutes." alone reads to the judge as not answering anything; read again as the answer its quote
    gives, it is kept when the judge confirms it and dropped as off the question when not. A sentence saying
    more than a bare answer is not read again."""
    from qa.entailment import EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import OFF_QUESTION, Verifier

    quote = "Here are some key questions and answers about the 187 minutes of January 6 ahead of the final hearing."
    ev = [Evidence(1, "d", 0, len(quote), quote, 1.0, 1.0, 1.0, embedder.encode([quote])[0])]
    question = "How many minutes did then-President Donald Trump let violence play out on January 6?"
    asked = Question(question, terms=frozenset(content_terms(question)), answer_type="quantity")
    for confirmed, expected in ((2.0, (True, "")), (0.0, (False, OFF_QUESTION))):
        llm = _AloneThenConfirmed(confirmed)
        [checked] = Verifier(embedder, EntailmentJudge(llm)).run([("187 minutes.", [1])], ev, {1: quote}, asked)
        assert (checked.supported, checked.reason) == expected and llm.asked == ["alone", "confirmed"]
    llm = _AloneThenConfirmed(2.0)
    longer = "The questions are about the 187 minutes of January 6."
    [checked] = Verifier(embedder, EntailmentJudge(llm)).run([(longer, [1])], ev, {1: quote}, asked)
    assert (checked.supported, checked.reason) == (False, OFF_QUESTION) and llm.asked == ["alone"]


def test_the_kind_of_name_asked_for_is_not_a_word_the_quoted_passage_must_hold(seed_store):
    """"Which Ivy League school ...?" is answered by "Dartmouth College announced ...": "Ivy League" says what
    kind of name is wanted. The question's other names are still required, compared by their parts."""
    from qa.answerability import holds_words, key_words
    from qa.evidence import Evidence

    snap = seed_store.snapshot()
    text = "Dartmouth College announced Tuesday it was eliminating student loans for undergraduates."
    e = Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)
    asked = QuestionAnalyzer().run("Which Ivy League school announced it will eliminate student loans?", snap)
    assert key_words(asked) == frozenset() and AnswerabilityPolicy().quotable(asked, e)
    assert AnswerabilityPolicy().names_answer(asked, "Dartmouth College", e)
    asked = QuestionAnalyzer().run("Which school in the Ivy League will eliminate student loans?", snap)
    assert key_words(asked) == {"ivy", "league"} and not AnswerabilityPolicy().quotable(asked, e)
    assert key_words(QuestionAnalyzer().run("Which city paid the men wrongly convicted of Malcolm X’s murder?",
                                            snap)) == {"malcolm"}
    assert holds_words(frozenset({"gop", "senate"}), "Democrats will pick up a GOP-held Senate seat.")
    assert not holds_words(frozenset({"gop", "house"}), "Democrats will pick up a GOP-held Senate seat.")


def test_a_long_name_from_the_question_may_be_held_by_its_last_word(embedder):
    """The model repeats "House Speaker Nancy Pelosi" from the question; the quote calls her "Pelosi". The
    sentence's other names and numbers must still be in the quote, and a possessive is compared without "’s"."""
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import Verifier, as_named_in_question, key_facts

    quote = "Taiwan’s President Tsai Ing-wen, who met with Pelosi during her visit to Taiwan, called the drills reckless."
    ev = [Evidence(1, "d", 0, len(quote), quote, 1.0, 1.0, 1.0, embedder.encode([quote])[0])]
    question = "House Speaker Nancy Pelosi made a visit to which place this week?"
    asked = Question(question, terms=frozenset(content_terms(question)))

    def supported(sentence: str) -> bool:
        return Verifier(embedder).run([(sentence, [1])], ev, {1: quote}, asked)[0].supported

    assert supported("House Speaker Nancy Pelosi met Tsai Ing-wen during her visit to Taiwan.")
    assert not supported("House Speaker Nancy Pelosi met Tsai Ing-wen during her visit to Japan.")  # not quoted
    assert not supported("Senator Nancy Pelosi met Tsai Ing-wen during her visit to Taiwan.")  # not as asked
    assert as_named_in_question("Nancy Pelosi went.", question) == "Nancy Pelosi went."  # only the whole name
    assert key_facts("LeBron James became the NBA’s highest paid player.") == ["LeBron", "James", "NBA"]


def _asked(text: str):
    """A question with its content terms, as `QuestionAnalyzer` gives them."""
    from qa.question import FRAME_TERMS, Question
    from qa.text import content_terms

    return Question(text, terms=frozenset(content_terms(text) - FRAME_TERMS))


def _evidence(embedder, *texts: str) -> list:
    from qa.evidence import Evidence

    return [Evidence(n, "d", 0, len(t), t, 1.0, 1.0, 1.0, embedder.encode([t])[0]) for n, t in enumerate(texts, 1)]


def test_words_a_sentence_repeats_from_the_question_are_not_counted_against_it(embedder):
    """"made a controversial visit" is the question's premise: a sentence repeating it with the answer its
    quote gives is checked on what it adds; one adding a word its quote lacks, or adding nothing, is not."""
    from qa.verify import Verifier, check, premise_unheld

    quote = "Well in advance of Pelosi’s near 24-hour visit to Taiwan, China had warned her presence was not welcome."
    ev = _evidence(embedder, quote)
    asked = _asked("House Speaker Nancy Pelosi made a controversial visit to which area this week?")

    def supported(sentence: str, q=asked, evidence=ev) -> bool:
        return Verifier(embedder).run([(sentence, [1])], evidence, {e.number: e.text for e in evidence}, q)[0] \
            .supported

    def checked(sentence: str, evidence=ev, q=asked) -> bool:
        return check(sentence, embedder.encode([sentence])[0], evidence, {}, q.terms).supported

    assert supported("House Speaker Nancy Pelosi made a controversial visit to Taiwan.")
    assert not supported("House Speaker Nancy Pelosi made a controversial visit to Taiwan.",
                         _asked("Where did House Speaker Nancy Pelosi go?"))  # "made", "controversial": not asked
    assert not supported("House Speaker Nancy Pelosi made a controversial state visit to Taiwan.")  # "state"
    assert checked("Pelosi made a controversial visit to Taiwan.")
    other = "China fired missiles toward waters near Taiwan on Thursday, the island’s Defense Ministry said."
    assert not checked("Pelosi made a controversial visit to Taiwan.", _evidence(embedder, quote, other))  # one only
    assert premise_unheld({"pelosi", "made", "visit"}, {"pelosi", "visit"}, asked.terms) == set()  # adds nothing
    assert premise_unheld({"pelosi", "made", "taiwan"}, {"pelosi", "taiwan"}, asked.terms) == {"made"}
    # the question's words excused, a name is all the quote must hold: too few of the sentence's words then
    spoke = _evidence(embedder, "Linda Yaccarino, who ran advertising at NBCUniversal, spoke at Cannes.")
    assert not checked("Linda Yaccarino was named chief executive of the social network.", spoke,
                       _asked("Who was named chief executive of the social network?"))
    # the quote must hold at least half of what the sentence repeats: not only "Meta" of "Meta's new unit works"
    deal = _evidence(embedder, "In a significant move that's reshaping the AI industry, tech giant Meta has acquired "
                               "Scale AI, a data labeling startup founded in 2016.")
    unit = _asked("What does Meta's new unit work on?")
    assert not checked("Meta's new unit works on data labeling startups.", deal, unit)
    assert checked("Meta acquired Scale AI, a data labeling startup.", deal, unit)  # the words the quote holds
    assert premise_unheld({"meta", "new", "unit", "work", "data"}, {"meta", "data"}, unit.terms) == set()
    assert premise_unheld({"meta", "new", "unit", "work", "data"}, {"meta", "unit", "data"}, unit.terms) \
        == {"new", "work"}
    fire = _evidence(embedder, "The Oak Fire prompted evacuations and damaged at least 10 structures, Cal Fire said.")
    counted = _asked("How many people were told to evacuate because of the Oak Fire?")
    assert not checked("10 people were told to evacuate because of the Oak Fire.", fire, counted)  # "people"
    spelled = _evidence(embedder, "The Oak Fire prompted evacuations and damaged at least ten structures.")
    assert not checked("Ten people were told to evacuate because of the Oak Fire.", spelled, counted)


def test_a_figure_one_quote_gives_is_not_joined_to_another_quotes_words(embedder):
    """Two quotes taken together hold every word of "40% of US adults disapprove ...": the first gives the
    disapproval at 60%, the second 40% as support. A figure the other quote does not contradict may join."""
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.verify import JOINED, Verifier, figures_apart

    texts = ["In a new Monmouth University survey released on Tuesday, 60% of US adults disapprove of the Supreme "
             "Court’s decision to overturn Roe v. Wade, with just 37% approving.",
             "That’s similar to the finding of two other polls conducted after the ruling: an NPR/PBS NewsHour/Marist "
             "survey (56% of US adults oppose the court’s decision, 40% support it)."]
    ev = [Evidence(n, "d", 0, len(t), t, 1.0, 1.0, 1.0, embedder.encode([t])[0]) for n, t in enumerate(texts, 1)]
    question = Question("What percentage of US adults disapprove of the Supreme Court’s decision?")
    sentence = "40% of US adults disapprove of the Supreme Court’s decision to overturn Roe v. Wade."
    sup = Verifier(embedder).run([(sentence, [1, 2])], ev, {1: texts[0], 2: texts[1]}, question)[0]
    assert not sup.supported and sup.reason == JOINED
    assert not figures_apart("60% disapprove of the decision, and 40% support it.", texts)
    assert not figures_apart("Meta took a 49% stake in Scale and hired Wang in 2016.",
                             ["Meta took a 49% stake in Scale.", "Wang founded it in 2016."])  # a year: no unit met
    assert figures_apart("1,200 people were arrested.", ["More than 1,000 people were arrested.", "1,200 held."])
    assert not figures_apart("Police arrested 31 men.", ["Police arrested 31 men.", "It hit as a Category 4 storm."])


def test_another_regular_form_of_a_short_word_holds_it(embedder):
    from qa.evidence import Evidence
    from qa.text import content_terms, held_terms
    from qa.verify import check

    quote = "Loretta Lynn obituary:Country music legend known for 'Coal Miner's Daughter' dies at 90"
    e = Evidence(1, "d", 0, len(quote), quote, 1.0, 1.0, 1.0, embedder.encode([quote])[0])
    sentence = "Loretta Lynn died at 90."
    assert check(sentence, embedder.encode([sentence])[0], [e], {}).supported
    assert held_terms(content_terms("died traded played cost"), content_terms("dies trade plays")) == {
        "died", "traded", "played"}
    assert held_terms(content_terms("plane care dying"), content_terms("plans cars die")) == set()


def _cite_picked(seed_store, doc: str, text: str, question: str, pick: str, llm, scores=(0.9, 0.9, 0.9), **kw):
    """The assembler quoting the one passage `text` (of `doc`) for the name or figure the model picked (`pick`),
    the judge scripted by `llm`: (whether it was given, the answer, the answer's parts)."""
    from qa.assembly import Assembler, _Numbering
    from qa.entailment import EntailmentJudge
    from qa.evidence import Evidence
    from qa.generation import Draft
    from qa.types import Answer

    snap = seed_store.snapshot()
    ev = [Evidence(1, doc, 0, len(text), text, *scores)]
    asked = QuestionAnalyzer().run(question, snap)
    answer, parts = Answer(question, ""), []
    given = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._cite_picked_name(
        answer, asked, Draft([], pick, (pick,), 0.0), ev, _Numbering(snap), [], parts, **kw)
    return given, answer, parts


def test_a_quoted_name_answer_is_given_only_when_the_judge_confirms_it(seed_store):
    """No sentence the model wrote survives, so the passage giving its pick is quoted as "Name: “quote”": only
    when the judge reads the passage as showing that name to be the answer."""
    from qa.entailment import NAMED_SYSTEM

    text = "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang, to join Meta's new unit."

    def short(margins):
        llm = _ScriptedMargins(margins, NAMED_SYSTEM)
        given, answer, _ = _cite_picked(seed_store, META_DOC, text, "Who founded Scale AI?", "Alexandr Wang", llm)
        return (answer.short_answer if given else None), llm.asked

    assert short({"Alexandr Wang": 2.0}) == ("Alexandr Wang", ["Alexandr Wang"])
    assert short({"Alexandr Wang": -1.0}) == (None, ["Alexandr Wang", "chosen Alexandr Wang"])


def test_a_figure_the_judge_read_as_not_answering_in_the_model_s_sentence_does_not_lead_the_answer(seed_store):
    from qa.entailment import NAMED_SYSTEM

    text = "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang, to join Meta's new unit."

    def short(off):
        llm = _ScriptedMargins({"49%": 2.0}, NAMED_SYSTEM)
        return _cite_picked(seed_store, META_DOC, text, "How large a stake did Meta take in Scale?", "49%", llm,
                            judged_off=off)[1].short_answer

    assert short(()) == "49%"
    assert short(("Meta took a 49% stake.",)) == ""


def test_a_name_far_from_the_question_s_words_is_given_when_the_judge_reads_it_as_the_answer(seed_store):
    """"Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI" answers who
    else pulled back from Scale AI in other words: no word asked stands near the name, so the yes/no reading is
    not asked; the passage is quoted when the judge, reading it alone, replies "Google" rather than "None"."""
    from qa.entailment import CHOSEN_MARGIN, NAMED_SYSTEM

    text = "Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI."
    question = "Who else pulled back from Scale AI besides OpenAI?"

    def given(chosen):
        llm = _ScriptedMargins({"Google": 2.0}, NAMED_SYSTEM, chosen)
        _, answer, parts = _cite_picked(seed_store, OTHER_SEED_DOC, text, question, "Google", llm, (0.4, 0.4, 0.2))
        return answer.short_answer, parts, llm.asked

    short, parts, asked_of_judge = given({"Google": CHOSEN_MARGIN + 0.5})
    assert short == "Google" and parts == [f"Google: “{text}” [1]."]
    assert asked_of_judge == ["chosen Google"]  # far from "pulled back": only the reading as the answer counts
    assert given({"Google": CHOSEN_MARGIN - 0.5})[0] == ""


def test_asked_terms_are_looked_for_word_by_word_on_their_first_five_letters():
    from qa.text import word_stems, words

    assert word_stems(words("Meta took a 49% stake; the 17-year-old FOUNDER said")) == \
        ["meta", "took", "a", "49", "stake", "the", "17-ye", "found", "say"]  # "said" as "say"


@pytest.mark.parametrize("figure, text", [
    ("$20,000", "Borrowers can now apply online for up to $20,000 in debt forgiveness."),
    ("$4.32", "The average gallon of regular gas cost $4.32 on Thursday, AAA said."),
    ("2.5 million", "About 2.5 million customers lost power as the storm hit."),
    ("17", "A 17-year-old has become the youngest person to fly solo around the world."),
])
def test_a_figure_with_commas_or_a_decimal_point_stands_near_what_is_asked(figure, text):
    """A number is one word with its commas and point ("20,000", not "20" and "000"), so the passage giving
    the picked figure beside what is asked can lead the answer."""
    from qa.answerability import near_asked
    from qa.text import words

    asked = frozenset({"debt", "forgi", "gallo", "gas", "custo", "power", "young"})
    assert near_asked(asked, figure, text)
    assert not near_asked(frozenset({"unrel"}), figure, text)
    assert words("up to $20,000 in debt, at $4.32.") == ["up", "to", "20,000", "in", "debt", "at", "4.32"]


@pytest.mark.parametrize("question, asked", [
    ("Who reported that OpenAI was phasing out Scale AI?", {"report", "phasin", "out"}),  # the verb is asked
    ("Who said Meta sees OpenAI as its biggest competitor?", {"say", "see", "bigges", "compet"}),
    ("What did Bloomberg report about OpenAI?", set()),  # here "report" only says what kind of answer
    ("Which news outlet reported OpenAI's move away from Scale?", {"outlet", "report", "move", "away"}),
])
def test_a_reporting_verb_is_what_a_who_question_asks_and_generic_elsewhere(seed_store, question, asked):
    """"Bloomberg reported Wednesday" stands beside what "Who reported ...?" or "Which news outlet reported ...?"
    asks, so Bloomberg is near it."""
    from qa.answerability import asked_terms, asked_stems, near_asked

    q = QuestionAnalyzer().run(question, seed_store.snapshot())
    assert asked_terms(q) == asked
    if "say" in asked:  # "said" met by its plain form, as the question's is
        assert near_asked(asked_stems(q), "Altman", "“Meta thinks of us as their biggest competitor,” Altman said.")
    if "report" in asked:
        reported = "Scale provided only a small fraction of the data needed by OpenAI, Bloomberg reported Wednesday."
        assert near_asked(asked_stems(q), "Bloomberg", reported)


@pytest.mark.parametrize("written, confirmed, expected, asked_of_judge", [
    ("Scale AI.", 1.0, ("Scale AI", 1), ["written from 1 passages", "Scale AI"]),  # the answer in its words
    ("Scale AI [1]", 0.4, ("Scale AI", 1), ["written from 1 passages", "Scale AI"]),  # above EXTRACTED_THRESHOLD
    ("scale ai", 0.0, ("", None), ["written from 1 passages", "Scale AI"]),  # not confirmed: quoted as it is
    ("None", 1.0, None, ["written from 1 passages", "written from 3 passages"]),  # no answer here or wider
    ("Tesla", 1.0, None, ["written from 1 passages", "written from 3 passages"]),  # words the passages lack
    ("Meta", 1.0, ("Meta", 2), ["written from 1 passages", "written from 3 passages", "Meta"]),  # found wider
    ("Meta", 0.4, None, ["written from 1 passages", "written from 3 passages", "Meta"]),  # wider: 0.5 needed
    ("OpenAI", 1.0, None, ["written from 1 passages", "written from 3 passages"]),  # the name set aside
])
def test_when_nothing_survives_the_judge_reads_the_answer_in_the_passages_own_words(written, confirmed, expected,
                                                                                     asked_of_judge):
    """The passages about to be quoted are read by the judge for the answer: words standing in one of them
    and confirmed lead the answer; words none holds, or "None", there and in the wider evidence, refuse; words
    found only in the wider evidence must be confirmed as a name would be."""
    from qa.assembly import Assembler
    from qa.entailment import NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question

    texts = ["OpenAI is reportedly phasing out its involvement with data-labeling startup Scale AI.",
             "Meta took a 49% stake in Scale.", "Scale AI was founded in 2016."]
    evidence = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate(texts, start=1)]
    llm = _ScriptedMargins({"Scale AI": confirmed, "Meta": confirmed}, NAMED_SYSTEM, written=written)
    asked = Question("Which company did OpenAI stop working with besides OpenAI?", terms=frozenset({"openai"}),
                     excluded=("OpenAI",))
    read = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._read_answer(asked, evidence[:1], evidence)
    if expected is None:
        assert read.refuse and read.passage is None
    else:
        words, number = expected
        assert not read.refuse and read.words == words
        assert (read.passage.number if read.passage else None) == number
    assert llm.asked == asked_of_judge


@pytest.mark.parametrize("asks_name, chosen, expected, asked_of_judge", [
    (True, 3.0, "Scale AI", ["written from 1 passages", "Scale AI", "chosen Scale AI"]),  # over None by 3: given
    (True, 1.0, "", ["written from 1 passages", "Scale AI", "chosen Scale AI"]),  # by 1 only: quoted as it is
    (False, 3.0, "", ["written from 1 passages", "Scale AI"]),  # not a name question: only the yes/no reading
])
def test_a_name_read_in_the_passages_is_given_when_the_judge_replies_with_it_over_none(asks_name, chosen, expected,
                                                                                       asked_of_judge):
    """A name the judge writes from the passages about to be quoted, which its yes/no reading does not confirm
    ("Mercor" for which emerging company OpenAI works with for data instead: 0.27), is given when, reading its
    passage alone, the judge replies with it rather than None by `CHOSEN_MARGIN` (3.7 there), as for a name the
    model picked; otherwise the passages are quoted as they are."""
    from qa.assembly import Assembler
    from qa.entailment import CHOSEN_MARGIN, NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question

    assert 1.0 < CHOSEN_MARGIN <= 3.0
    text = "OpenAI is reportedly phasing out its involvement with data-labeling startup Scale AI."
    evidence = [Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)]
    llm = _ScriptedMargins({"Scale AI": 0.0}, NAMED_SYSTEM, chosen={"Scale AI": chosen}, written="Scale AI")
    asked = Question("Which company did OpenAI stop working with?", terms=frozenset({"openai"}), asks_name=asks_name)
    read = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._read_answer(asked, evidence, evidence)
    assert not read.refuse and read.words == expected
    assert (read.passage is not None) == bool(expected)
    assert llm.asked == asked_of_judge


def test_words_read_as_the_answer_are_found_whole_in_a_passage_from_a_word_s_start():
    from qa.assembly import MAX_READ_WORDS, located
    from qa.evidence import Evidence

    text = "This week, the European Union required Apple and the pirates' phones to use one charger."
    ev = [Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)]
    assert located("european union", ev) == ("European Union", ev[0])  # as the passage writes it
    assert located("Europe", ev) == ("European", ev[0])  # the last word may go on
    assert located("rates", ev) is None  # but must start where a word does
    assert located("Google", ev) is None and located("", ev) is None
    assert located(" ".join(["the"] * (MAX_READ_WORDS + 1)), ev) is None  # a sentence, not an answer
    assert located("a", ev) is None  # one letter is not an answer
    figures = [Evidence(1, "d", 0, 21, "Gas cost $50 in 2022.", 0.9, 0.9, 0.9)]
    assert located("$50", figures)[0] == "$50" and located("5", figures) is None  # never a longer number
    assert located("$5", figures) is None and located("202", figures) is None
    counted = [Evidence(1, "d", 0, 40, "Tallinn ordered four electric ferries.", 0.9, 0.9, 0.9)]
    assert located("4", counted)[0] == "four" and located("Four", counted)[0] == "four"
    assert located("14", counted) is None and located("fo", counted) is None  # a count whole, not a word's start
    twice = [Evidence(1, "d", 0, 20, "The Europeans met.", 0.9, 0.9, 0.9), *ev]
    assert located("Europe", twice)[0] == "Europeans" and located("European", twice)[0] == "European"  # whole first
    assert located("Pirates' phones", ev)[0] == "pirates' phones" and located("pirates’ phones", ev)


def test_a_refusal_after_the_judge_reads_no_answer_lists_each_passage_once(seed_store):
    from qa.answerability import NOT_CLEAR
    from qa.assembly import Assembler
    from qa.entailment import NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence
    from qa.retrieval import SearchResult
    from qa.types import Answer

    snap = seed_store.snapshot()
    article = snap.articles[META_DOC].text
    start = article.index("Meta took a 49% stake")
    texts = [article[start:start + 60], article[:80]]
    evidence = [Evidence(n, META_DOC, 0, 0, t, 0.9, 0.9, 0.9) for n, t in enumerate(texts, start=1)]
    evidence = [dataclasses.replace(e, start=article.index(e.text), end=article.index(e.text) + len(e.text))
                for e in evidence]
    question = "How large a stake did Meta take in Scale?"
    asked = QuestionAnalyzer().run(question, snap)
    result = SearchResult([], np.zeros(1), 0.0, 0.0, snap)

    def answer(written, dropped=()):
        llm = _ScriptedMargins({"49%": 1.0}, NAMED_SYSTEM, written=written)
        return Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._nothing_survived(
            Answer(question, ""), asked, evidence, result, {}, list(dropped))

    refused = answer("None")
    assert refused.refused and refused.text == NOT_CLEAR and refused.citations == []
    assert [s.start for s in refused.closest] == [e.start for e in evidence]  # each once, the quoted one first
    given = answer("49%")
    assert given.text.startswith("49%: “") and given.short_answer == "49%" and given.short_citations == [1]
    assert [c.number for c in given.citations] == [1] and "[1]" in given.text
    assert article[given.citations[0].start:given.citations[0].end] == given.citations[0].quote
    # the judge read the model's sentence giving 49% as not answering the question: 49% is not then its answer
    from qa.types import Sentence
    from qa.verify import OFF_QUESTION
    off = Sentence("Meta took a 49% stake in Scale.", [], False, 0.9, OFF_QUESTION)
    assert answer("49%", [off]).refused
    assert not answer("49%", [dataclasses.replace(off, reason="its citation does not say this")]).refused
    assert not answer("49%", [dataclasses.replace(off, text="Meta took a 149% stake in Scale.")]).refused


SHIFTED = "Which kind of workers has Scale AI shifted to employing?"


@pytest.mark.parametrize("question, written, confirmed, given", [
    (SHIFTED, "skilled professionals", 1.0, True),  # confirmed as a name would be: it leads the answer
    (SHIFTED, "skilled professionals", 0.9, False),  # confirmed below UNQUOTED_CONFIRMED: refused
    (SHIFTED, "None", 1.0, False),  # no answer read
    ("Why has Scale AI shifted to employing skilled professionals?", "skilled professionals", 1.0, False),  # why
    ("Which new hires did Scale AI announce this season?", "skilled professionals", 1.0, False),  # its passage
    # shares no word asked ("Martin Short, “Only Murders in the Building”", a list of nominees, for which actor
    # joins the show's upcoming season)
])
def test_when_no_passage_is_quotable_the_answer_read_in_the_evidence_may_still_lead(seed_store, question, written,
                                                                                  confirmed, given):
    """No passage may be quoted as it stands ("... the company has shifted to employing more skilled
    professionals." names neither Scale AI nor anyone, for a "Which ...?" question; likewise "France is the
    largest consumer of mustard in the world ..." for which condiment French supermarkets lack): the judge reads
    the answer in the best passages and, when it confirms it clearly (`UNQUOTED_CONFIRMED`), it leads the
    answer, cited."""
    from qa.answerability import NOT_CLEAR
    from qa.assembly import Assembler
    from qa.entailment import NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence
    from qa.retrieval import SearchResult
    from qa.types import Answer

    from qa.assembly import UNQUOTED_CONFIRMED
    assert 0.9 < UNQUOTED_CONFIRMED <= 1.0  # the scripted readings stand either side of it
    snap = seed_store.snapshot()
    doc = next(d for d, a in snap.articles.items() if "skilled professionals" in a.text)
    article = snap.articles[doc].text
    text = "Over the years, the company has shifted to employing more skilled professionals."
    start = article.index(text)
    evidence = [Evidence(1, doc, start, start + len(text), text, 0.9, 0.9, 0.9)]
    asked = QuestionAnalyzer().run(question, snap)
    assert not AnswerabilityPolicy().quotable(asked, evidence[0])
    llm = _ScriptedMargins({"skilled professionals": confirmed}, NAMED_SYSTEM, written=written)
    answer = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._nothing_survived(
        Answer(question, ""), asked, evidence, SearchResult([], np.zeros(1), 0.0, 0.0, snap), {}, [])
    if given:
        assert answer.text.startswith("Skilled professionals: “Over the years") and not answer.refused
        assert answer.short_answer == "skilled professionals" and answer.citations[0].quote == text
    else:
        assert answer.refused and answer.text == NOT_CLEAR


def test_a_figure_is_stated_by_a_text_only_as_a_whole():
    from qa.assembly import judged_off
    from qa.verify import stated_in
    from qa.question import Question
    from qa.verify import OFF_QUESTION
    assert stated_in("1,300", ["at least 1,300 people were detained"])
    assert stated_in("about 1,300", ["1,300 people were detained"])
    assert not stated_in("1,300", ["11,300 people", "1,300,000 people", "1.1,300"])
    many = Question("How many Russians could soon be conscripted?", answer_type="quantity")
    said = [("1,300 people were detained.", OFF_QUESTION), ("300,000 reservists.", "")]
    assert judged_off(many, said) == ("1,300 people were detained.",)
    assert judged_off(Question("Who was detained?", answer_type="person"), said) == ()


@pytest.mark.parametrize("margin, read, led", [
    (-2.0, "Las Vegas Aces", True),  # the picked name is not the team that won: the answer the judge reads leads
    (0.5, "Las Vegas Aces", False),  # confirmed (at or above SHORT_THRESHOLD): the model's answer stands
    (0.0, "Las Vegas Aces", False),  # at the threshold itself
    (-2.0, "WNBA Finals", False),  # not confirmed, but the judge reads the same answer in the passages: it stands
])
def test_a_short_answer_the_judge_does_not_confirm_gives_way_to_the_one_it_reads(seed_store, margin, read, led):
    """A kept sentence states the name the model picked, but its quote does not show that name to answer the
    question ("WNBA Finals" for which team won its first title): the short answer is dropped, and the answer
    the judge reads in the passages leads, cited; unless the judge, writing the answer from the passages
    itself, writes the same name. The judge writes it once, though both steps ask for it."""
    from qa.assembly import ANOTHER_ANSWER, Assembler
    from qa.entailment import NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence
    from qa.generation import Draft
    from qa.retrieval import SearchResult
    from qa.types import Answer
    from qa.verify import Support

    texts = ["Her team clinched a spot in the WNBA Finals on Tuesday.",
             "A’ja Wilson and the Las Vegas Aces won the franchise’s first WNBA title on Sunday."]
    evidence = [Evidence(n, META_DOC, 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate(texts, start=1)]
    question = "Which WNBA team recently won its first championship title?"
    asked = QuestionAnalyzer().run(question, seed_store.snapshot())
    draft = Draft([(texts[0], [1])], "WNBA Finals", ("WNBA Finals",), 0.0)
    llm = _ScriptedMargins({"WNBA Finals": margin, "Las Vegas Aces": 1.0}, NAMED_SYSTEM, written=read)
    result = SearchResult([], np.zeros(1), 0.0, 0.0, seed_store.snapshot())
    answer = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm)).run(
        Answer(question, ""), asked, draft, [Support(True, 0.9, [1], [])], evidence, result, {}, None)
    if led:
        assert answer.text.startswith("Las Vegas Aces: “A’ja Wilson and the Las Vegas Aces won")
        assert answer.short_answer == "Las Vegas Aces" and answer.short_citations == [1]
        assert "WNBA Finals" not in answer.text  # the model's sentence gives the name the judge did not confirm
        assert [s.reason for s in answer.sentences if s.text == texts[0]] == [ANOTHER_ANSWER]
    else:
        assert answer.text == texts[0][:-1] + " [1]." and answer.short_answer == "WNBA Finals"
    assert llm.asked[0] == "WNBA Finals"  # the picked name's quote is read first
    assert llm.asked.count("written from 2 passages") == (1 if margin < 0 else 0)  # written once, memoised


def test_a_sentence_beside_the_passage_leading_the_answer_neither_repeats_it_nor_gives_another_name():
    from qa.assembly import ANOTHER_ANSWER, ELSEWHERE, REPEATS_LEAD, beside_lead
    from qa.question import Question
    asked = Question("Baseball broadcasting legend Vin Scully died this week at the age of 94. Which team did he "
                     "famously call games for during his long and remarkable career?", asks_name=True, names_asked=1)
    passage = "“Legendary broadcaster Vin Scully, the voice of the Los Angeles Dodgers for more than six decades, died.”"
    options = ("Dodgers", "Houston Texans", "Los Angeles")
    watson = "Watson was suspended for six games while he was with the Houston Texans."
    assert beside_lead(watson, "Dodgers", passage, options, asked) == ANOTHER_ANSWER
    assert beside_lead("Scully called Dodgers games for 67 seasons.", "Dodgers", passage, options, asked) == ""
    assert beside_lead("Scully was born in the Bronx.", "Dodgers", passage, options, asked) == ""  # no other name
    assert beside_lead("He called games in Los Angeles.", "Dodgers", passage, options, asked) == ""  # part of the lead's
    on_watson = ["Deshaun Watson will make his Browns debut. Watson was suspended for six games this season."]
    assert beside_lead(watson, "Dodgers", passage, ("Dodgers",), asked, on_watson) == ELSEWHERE  # not offered
    assert beside_lead(watson, "Dodgers", passage, ("Dodgers",), asked) == ""  # its article unknown
    assert beside_lead(watson, "Dodgers", passage, ("Dodgers",), asked,
                       [on_watson[0] + " Vin Scully called it."]) == ""  # its article names the question's name
    assert beside_lead(watson, "Dodgers", passage, ("Dodgers",), asked,
                       [on_watson[0] + " The Dodgers won."]) == ""  # or the answer
    assert beside_lead("Scully was born in the Bronx.", "Dodgers", passage, ("Dodgers",), asked,
                       on_watson) == ""  # it names the question's name
    assert beside_lead("The team announced it Tuesday.", "Dodgers", passage, ("Dodgers",), asked,
                       on_watson) == ""  # it names no one
    assert beside_lead("Fans mourned him.", "Dodgers", passage, ("Dodgers",), asked,
                       on_watson) == ""  # nor does a capitalised word opening it
    assert beside_lead("Watson was suspended by the NFL.", "Los Angeles Dodgers", passage, ("Dodgers",), asked,
                       [on_watson[0] + " Los Angeles fans booed."]) == ""  # its article names a word of the lead
    biden = Question("Which agency did President Joe Biden visit?", asks_name=True, names_asked=1)
    assert beside_lead("Watson was suspended by the NFL.", "FEMA", "“FEMA staff met him.”", ("FEMA",), biden,
                       [on_watson[0] + " Biden spoke."]) == ""  # or a word of the question's names
    assert beside_lead("Watson was suspended by the NFL.", "FEMA", "“FEMA staff met him.”", ("FEMA",), biden,
                       on_watson) == ELSEWHERE
    two = Question("Which two teams met in the final?", asks_name=True, names_asked=2)
    assert beside_lead(watson, "Dodgers", passage, options, two) == ""  # more than one name asked for
    assert beside_lead(passage.strip("“”"), "Dodgers", passage, options, asked) == REPEATS_LEAD
    assert beside_lead(passage.strip("“”").replace("Scully,", "Scully’s,"), "Dodgers", passage.replace(
        "Scully,", "Scully's,"), options, asked) == REPEATS_LEAD  # apostrophes written either way
    squid = "“Squid Game” is officially coming back.\n\nNetflix announced Sunday that the show is green lit."
    assert beside_lead("Netflix announced Sunday that the show is green lit.", "Squid Game", squid, (),
                       asked) == REPEATS_LEAD  # one of the passage's sentences again
    assert beside_lead("Netflix announced Sunday that the show is green lit for a second season.", "Squid Game",
                       squid, (), asked) == ""  # more than the passage says
    how_many = Question("How many games did Watson miss?", answer_type="quantity")
    assert beside_lead("He sat out 11 games last season.", "six", "Watson missed six games.",
                       ("six", "11"), how_many) == ""  # figures: no names asked for
    yuan = Question("Which currency plummeted to a record low?", asks_name=True)
    assert beside_lead("China's yuan hovered near record lows.", "Chinese yuan", "“The Chinese yuan has weakened.”",
                       ("Chinese yuan", "China", "British pound"), yuan) == ""  # China: the lead's kin
    heat = Question("Which team won the title?", asks_name=True)
    assert beside_lead("The heated final went to the Nuggets.", "Heat", "“The Heat lost.”", ("Heat", "Nuggets"),
                       heat) == ANOTHER_ANSWER  # "Heat" is no word of "heated"
    assert beside_lead("Legendary broadcaster Vin Scully, the voice of the Los Angeles Dodgers for more than six "
                       "decades, died", "Duke", passage, (), asked) == REPEATS_LEAD


@pytest.mark.parametrize("margin, kept, led", [
    (1.0, "M&M’s added a brand new character to the mix.", True),  # no short answer kept: the read one leads
    (0.4, "M&M’s added a brand new character to the mix.", False),  # not confirmed (below NAMED_THRESHOLD)
    (1.0, "M&M’s added the purple peanut M&M to the mix.", False),  # the kept sentence already says it
])
def test_a_kept_answer_without_a_short_answer_is_led_by_the_one_the_judge_reads(seed_store, margin, kept, led):
    from qa.assembly import Assembler, _Numbering
    from qa.entailment import NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.types import Answer

    text = "The purple peanut M&M is the first new character in 10 years, according to the brand."
    ev = [Evidence(1, META_DOC, 0, len(text), text, 0.9, 0.9, 0.9)]
    question = "Which new character did M&M’s add to the brand’s lineup this week?"
    llm = _ScriptedMargins({"purple peanut M&M": margin}, NAMED_SYSTEM, written="purple peanut M&M")
    answer, parts = Answer(question, ""), []
    Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._cite_read_answer(
        answer, Question(question), ev, [kept], _Numbering(seed_store.snapshot()), [], parts)
    if led:
        assert parts == [f"Purple peanut M&M: “{text}” [1]."] and answer.short_answer == "purple peanut M&M"
        assert answer.short_citations == [1]
    else:
        assert parts == [] and answer.short_answer == ""
    assert llm.asked[0] == "written from 1 passages"


@pytest.mark.parametrize("question, text, written, otherwise", [
    # the question's own name: Altman's "us" is OpenAI, which the judge cannot see
    ("Which company does Meta see as its biggest competitor?",
     "“I’ve heard that Meta thinks of us as their biggest competitor,” Altman said.", "Meta",
     "Which company thinks of OpenAI as its biggest competitor?"),
    # a name its passage gives the title asked about for another company
    ("Who is Meta's CEO?", "It was reported Wednesday that OpenAI CEO Sam Altman accused Meta of making offers.",
     "Sam Altman", "Who is OpenAI's CEO?"),
])
def test_the_questions_own_name_read_by_the_judge_is_quoted_not_given_nor_anothers_officer(seed_store, question, text,
                                                                                       written, otherwise):
    """The 1.5 B judge wrote these and confirmed them (yes/no at 0.5 and up) on the seed articles."""
    from qa.assembly import Assembler, _Read
    from qa.entailment import NAMED_SYSTEM, EntailmentJudge
    from qa.evidence import Evidence

    ev = [Evidence(1, META_DOC, 0, len(text), text, 0.9, 0.9, 0.9)]
    asked = QuestionAnalyzer().run(question, seed_store.snapshot())
    llm = _ScriptedMargins({written: 2.0}, NAMED_SYSTEM, written=written)
    assembler = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))
    if written == "Meta":  # what the passage is about: quoted as it is, not given as the answer
        assert assembler._read_answer(asked, ev, ev) == _Read()
        assert assembler._read_confirmed(asked, ev) is None
    else:  # the passage answers another question: no answer from it
        assert assembler._read_in(asked, ev) is None
    other = QuestionAnalyzer().run(otherwise, seed_store.snapshot())
    assert assembler._read_in(other, ev) == (written, ev[0])  # asked otherwise, the same reading stands
    assert assembler._read_answer(other, ev, ev) == _Read(written, ev[0])


@pytest.mark.parametrize("question, short", [
    ("Which new character did M&M’s add to the brand’s lineup this week?", True),
    ("NASA released astonishing images from space this week. What did the images show?", True),
    ("Supermarkets in France are struggling to stock which condiment, sparking outrage.", True),
    ("How many Russians could soon be conscripted into the country’s military?", True),
    ("Where is the glacier located?", True),
    ("Why did some cities cancel their Fourth of July fireworks displays?", False),
    ("How does Scale AI label its data?", False),
])
def test_questions_asking_for_a_few_words_are_told_from_why_and_how(question, short):
    from qa.question import Question, asks_short_answer

    assert asks_short_answer(Question(question)) is short
    assert not asks_short_answer(Question(question, options=("Yes", "No")))  # a closed question has its verdict


def test_the_judge_s_reply_is_found_with_a_few_of_its_passage_s_words_among_its_own():
    """The judge shortens what it copies ("AI" for "artificial intelligence (AI)"): the words, in order, with at
    most three of the passage's between them, are the answer as the passage words it; never over a negation."""
    from qa.assembly import located
    from qa.evidence import Evidence

    text = ("While Scale has provided data to both Meta and OpenAI, the deal raised concerns that Meta would be able "
            "to access information about rival companies’ artificial intelligence (AI) development efforts.")
    ev = [Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)]
    found = located("Information about rival companies' AI development efforts", ev)
    assert found == ("information about rival companies’ artificial intelligence (AI) development efforts", ev[0])
    assert located("rival companies' efforts", ev) is None  # four words between: too far apart
    never = [Evidence(1, "d", 0, 30, "Meta never invested in Scale.", 0.9, 0.9, 0.9)]
    assert located("Meta invested in Scale", never) is None


def test_the_judge_s_reply_is_found_by_its_longest_ending_a_passage_holds():
    """The judge often opens its reply with the question's own words, then copies the passage: the ending the
    passage holds, after words that restate the question, is the answer; never after a word of the judge's own
    or a negation, and at least three words and half of the reply."""
    from qa.assembly import located
    from qa.evidence import Evidence

    text = "This deal has sparked a ripple effect, with competitors raising concerns about fairness and conflicts."
    ev = [Evidence(1, "d", 0, len(text), text, 0.9, 0.9, 0.9)]
    asked = "What concerns did competitors raise about the deal?"
    reply = "Competitors raised concerns about fairness and conflicts"
    assert located(reply, ev, asked) == ("concerns about fairness and conflicts", ev[0])
    assert located(reply, ev) is None  # no question: nothing restates it
    assert located("Rivals raised concerns about fairness and conflicts", ev, asked) is None  # "Rivals": its own
    assert located("Competitors did not raise concerns about fairness", ev, asked + " not") is None  # "not"
    assert located("Competitors raised concerns about the deal and fairness", ev, asked) is None  # none held
    short = [Evidence(1, "d", 0, 40, "The ripple effect was about fairness.", 0.9, 0.9, 0.9)]
    assert located("Competitors raised concerns about fairness", short, asked) is None  # 2 words: fewer than 3
    half = [Evidence(1, "d", 0, 40, "It is all about the deal now.", 0.9, 0.9, 0.9)]
    assert located("What concerns did competitors raise about the deal", half, asked) is None  # 3 of 8: not half
    assert located("concerns did competitors raise about the deal", half + ev, asked) is None
    assert located("raise about the deal", half, asked) == ("about the deal", half[0])  # 3 of 4



def test_words_read_as_the_answer_that_are_the_subject_or_a_bare_predicate_do_not_lead_it():
    from qa.assembly import not_the_answer
    from qa.question import Question

    said = Question("What did OpenAI say about Scale AI?")
    assert not_the_answer("is reportedly phasing out its involvement with data-labeling", said)
    assert not_the_answer("OpenAI", said)  # what it is about
    assert not not_the_answer("a small fraction of the data", said)
    assert not not_the_answer("Google", Question("Who else pulled back from Scale AI besides OpenAI?"))
    acquisition = Question("What was Meta's second-largest acquisition?")
    assert not_the_answer("Meta's second-largest acquisition", acquisition)  # the question's own words
    assert not not_the_answer("Scale AI", acquisition)


@pytest.mark.parametrize("question, answers, refused", [
    ("Why did Google cut ties with Scale AI?", 0.5, False),
    ("Why did Google cut ties with Scale AI?", -0.5, True),
    ("What did Google cut ties with?", 1.5, True),  # asks for a few words: none found, refused
    ("How did Google cut ties with Scale AI?", 1.5, True),  # a way is not a reason
    ("Why did Google cut ties with Scale AI? ", 1.5, True),  # the passage gives no reason (below)
])
def test_a_why_question_whose_passage_the_judge_reads_as_answering_it_is_quoted(question, answers, refused):
    """A reason is a passage, not a few words: when the judge writes no words a passage holds, the best passage
    giving a reason is quoted if the judge reads it as answering the question (`REASON_THRESHOLD`); else the
    refusal stands, as it does for a question asking for a few words, or how."""
    from qa.assembly import REASON_THRESHOLD, Assembler
    from qa.entailment import EntailmentJudge
    from qa.evidence import Evidence
    from qa.question import Question

    assert -0.5 < REASON_THRESHOLD < 0.5
    reason = ("Google has decided to sever ties with Scale AI. The reason for this decision stems from the fear "
              "that Meta's investment might give it an advantage.")
    if question.endswith(" "):
        reason = "Google has decided to sever ties with Scale AI, a data labeling company."
    evidence = [Evidence(1, "d", 0, len(reason), reason, 0.9, 0.9, 0.9)]
    llm = _ScriptedMargins({"sever ties": answers}, written="Because Meta might see their work")
    asked = Question(question, terms=frozenset({"google", "tie"}))
    read = Assembler(AnswerabilityPolicy(), judge=EntailmentJudge(llm))._read_answer(asked, evidence, evidence)
    assert read.refuse is refused and read.passage is None and read.words == ""


def test_an_answer_to_who_opening_without_naming_anyone_new_is_dropped_until_one_does():
    from qa.question import WHO_KIND, Question
    from qa.verify import NAMES_NO_ONE, Support, names_no_one

    who = Question("Who leads Scale AI now?", asks_name=True, wanted=WHO_KIND)
    sentences = [("Scale AI is now an independent leader in AI.", [1]), ("Jason Droege leads Scale AI.", [2]),
                 ("The company was founded in 2016.", [3])]
    checks = [Support(True, 0.9, [n], []) for n in (1, 2, 3)]
    names_no_one(sentences, checks, who)
    assert [c.supported for c in checks] == [False, True, True]  # after the name, it may say more of him
    assert checks[0].reason == NAMES_NO_ONE
    named_first = [Support(True, 0.9, [n], []) for n in (2, 3)]
    names_no_one(sentences[1:], named_first, who)
    assert all(c.supported for c in named_first)
    labelers = Question("Who does Scale AI use to label data?", asks_name=True, wanted=WHO_KIND)
    people = [("Scale AI initially relied on a large network of contractors to label images and text.", [1])]
    kept = [Support(True, 0.9, [1], [])]
    names_no_one(people, kept, labelers)  # no name, but people: "contractors"
    assert kept[0].supported
    leaders = [Support(True, 0.9, [1], [])]
    names_no_one([("Scale AI remains one of the leaders in AI.", [1])], leaders, who)  # "leaders" restates "leads"
    assert not leaders[0].supported


def test_a_possessive_and_a_reporting_verbs_past_meet_the_plain_word():
    """A question's "Meta's" (straight apostrophe, kept whole by the tokenizer) is the articles' "Meta" and
    "Meta’s"; "said" is "say"."""
    from qa.text import content_terms

    assert content_terms("What does Meta's new unit work on?") == {"meta", "new", "unit", "work"}
    assert content_terms("Scale’s board, the players' union") == {"scale", "board", "player", "union"}
    assert content_terms("The company said in the release") & content_terms("What did Scale say?") == {"say"}


def test_a_sentence_naming_the_thing_asked_needs_a_quote_speaking_of_it():
    from qa.verify import thing_unsaid
    asked = Question("What is the name of Meta's new AI unit?")
    deal = "This deal between Meta and Scale AI is a shift in OpenAI's outsourcing strategy, signalling a new chapter."
    assert thing_unsaid("Meta's new AI unit is Scale AI.", deal, asked)
    assert not thing_unsaid("Meta's new unit is the “superintelligence” unit.", "Meta’s new “superintelligence” unit",
                            asked)
    assert not thing_unsaid("Meta's new AI unit is Scale AI.", deal, Question("Which company did Meta invest in?"))


@pytest.mark.parametrize("question, owner, head", [
    ("What is Greg Penner's net worth?", "Greg Penner", "worth"),
    ("What was Twitter's revenue last year?", "Twitter", "revenue"),
    ("How large is Scale AI's workforce?", "Scale AI", "workforce"),
    ("What is Elon Musk's stake in Twitter?", "Elon Musk", "stake"),
    ("What was Twitter's revenue in 2021?", "Twitter", "revenue"),
    ("What is Walmart heir Rob Walton's net worth?", "Rob Walton", "worth"),
    ("What is Greg Penner's estimated net worth now?", "Greg Penner", "worth"),
    ("What is Meta's new unit called?", "", ""),
    ("Did Loretta Lynn's family sell her ranch?", "", ""),
    ("What did Penner's group pay?", "", ""),
    ("What is the name of Meta's new AI unit?", "", ""),  # `named_thing`
    ("Who is Meta's CEO?", "", ""),  # a title: `titled_for_another`
    ("How old is Rob Walton?", "", ""),
])
def test_the_thing_a_question_asks_of_a_name(question, owner, head):
    from qa.question import possessed
    assert possessed(question) == (owner, head)


def test_a_sentence_giving_as_ones_what_its_quote_gives_as_anothers_is_not_an_answer():
    from qa.verify import owned_by_another
    asked = Question("What is Greg Penner's net worth?")
    said = "Greg Penner's net worth is $60 billion."
    assert owned_by_another(said, "Walton’s estimated net worth is $60 billion.", asked)
    his = ("The son of Walmart founder Sam Walton, Rob Walton immediately becomes the wealthiest owner in the NFL "
           "thanks to his estimated personal net worth of around $60 billion, according to Forbes.")
    assert owned_by_another(said, his, asked)
    assert owned_by_another(said, "The group is headed by Greg Penner. " + his, asked)  # the sentence before names him
    assert not owned_by_another(said, "Greg Penner's net worth is $5 billion; Walton's net worth is $60 billion.",
                                asked)
    assert not owned_by_another(said, "Penner said his net worth was $5 billion.", asked)
    assert not owned_by_another(said, "His net worth is $5 billion.", asked)  # whose, the sentence before tells
    assert not owned_by_another(said, "Greg Penner chairs Walmart. According to Forbes, his net worth is $5 billion.",
                                asked)
    assert not owned_by_another(said, "Penner, 53, is Walmart chairman; on Monday, Forbes put his net worth at $5 "
                                      "billion.", asked)
    for before in ("Forbes puts his net worth at $5 billion.", "Speaking to CNBC, he said his net worth is $5 billion."):
        assert not owned_by_another(said, "Greg Penner chairs Walmart. " + before, asked)  # "his": not Forbes's
    valuation = Question("What is Scale AI's valuation?")
    assert not owned_by_another("Scale AI's valuation is $29 billion.", "Scale AI, the data-labeling startup, said "
                                "the deal puts the company's valuation at $29 billion.", valuation)
    assert not owned_by_another("Greg Penner is the chairman of Walmart.", his, asked)  # not of his net worth


def test_a_sentence_saying_another_did_what_the_question_asks_of_a_name_is_not_an_answer():
    from qa.verify import done_by_another
    asked = Question("Which unit will Alexandr Wang join at Meta?")
    quote = ("The OpenAI spokesperson’s confirmation of the move came days after Meta took a 49% stake in Scale and "
             "hired its founder, Alexandr Wang, to join Meta’s new “superintelligence” unit, according to the report.")
    assert done_by_another("Scale AI will join Meta's new “superintelligence” unit.", quote, asked)
    for right in ("Alexandr Wang will join Meta's new “superintelligence” unit.", "Wang will join the unit.",
                  "Scale's founder will join Meta's new “superintelligence” unit.", "He will join the unit.",
                  "Meta's new “superintelligence” unit."):
        assert not done_by_another(right, quote, asked)
    assert not done_by_another("Scale AI will join the unit.", "Scale AI will join the unit.", asked)  # no Wang
    acquired = Question("Which company did Meta acquire?")
    assert done_by_another("Google acquired Scale AI.", "Meta acquired Scale AI.", acquired)
    assert not done_by_another("Meta acquired Scale AI.", "Meta acquired Scale AI.", acquired)
    hired = Question("Who did Scale AI hire as CEO?")  # the passive names the one done to
    assert not done_by_another("Jason Droege was hired as interim CEO.", "Scale AI hired Jason Droege.", hired)
    assert done_by_another("The Bills played at home.", "The Chiefs played the Bills at home.",
                           Question("Where did the Chiefs still play?"))
    announced = "Patriots star Gronkowski announced his retirement."
    assert not done_by_another(announced, "NFL star Brady announced his retirement.",
                               Question("What NFL star announced his retirement?"))  # no "did <name> <verb>"
    apple = Question("What did Apple announce at WWDC?")
    assert done_by_another("Google announced Android 16.", "Apple announced iOS 26 on Monday.", apple)
    for right, quote in (("Tim Cook announced iOS 26.", "Apple CEO Tim Cook announced iOS 26 on Monday."),
                         ("Tim Cook announced iOS 26.", "Tim Cook, Apple's chief executive, announced iOS 26."),
                         ("Apple's Craig Federighi announced iOS 26.", "Apple announced iOS 26."),  # possessive
                         ("Executives announced iOS 26.", "Apple announced iOS 26."),  # a word for people
                         ("Google planned to announce Android.", "Apple announced iOS 26.")):  # "plan" is no form
        assert not done_by_another(right, quote, apple)
    folding = "Apple announced nothing; Samsung announced a foldable phone."
    assert done_by_another("Samsung announced one.", folding, Question("What did Apple announce?"))
    assert not done_by_another("No, Samsung announced one.", folding,
                               Question("Did Apple announce a foldable iPhone?", options=("Yes", "No")))
    assert not done_by_another("The Lakers plan to keep him.", "LeBron James will play for the Lakers next season.",
                               Question("Which team will LeBron James play for next season?"))  # "plan": not "play"


def test_the_verifier_drops_a_sentence_saying_another_did_what_was_asked_though_the_judge_entails_it(embedder):
    from qa.evidence import Evidence
    from qa.question import answer_type
    from qa.text import content_terms
    from qa.verify import DONE_BY_ANOTHER, Verifier
    text = "Meta took a 49% stake in Scale AI and hired its founder, Alexandr Wang, to join Meta’s new unit."
    ev = [Evidence(1, "d", 0, len(text), text, 1.0, 1.0, 1.0, embedder.encode([text])[0])]
    question = "Which unit will Alexandr Wang join at Meta?"
    asked = Question(question, terms=frozenset(content_terms(question)), answer_type=answer_type(question))

    class Judge:  # the 1.5 B judge read it as entailed (0.71)
        def entails(self, premise: str, hypothesis: str) -> bool:
            return True

        def answers(self, quote: str, question: str, threshold: float = 0.0) -> bool:
            return True

    verifier = Verifier(embedder, Judge())
    sup = verifier.run([("Scale AI will join Meta's new unit.", [1])], ev, {1: text}, asked)[0]
    assert not sup.supported and sup.why() == DONE_BY_ANOTHER
    assert verifier.run([("Wang will join Meta's new unit.", [1])], ev, {1: text}, asked)[0].supported


@pytest.mark.parametrize("question, statements", [
    ("Did Google keep working with Scale AI?",
     ("Google did keep working with Scale AI.", "Google did not keep working with Scale AI.")),
    ("Is Alexandr Wang leaving Scale's board?",
     ("Alexandr Wang is leaving Scale's board.", "Alexandr Wang is not leaving Scale's board.")),
    ("Will it stay independent?", ("It will stay independent.", "It will not stay independent.")),
    ("Is the Scale deal Meta's largest acquisition?", ("", "")),  # the subject is no name
    ("Didn't Google keep working with Scale AI?", ("", "")),
    ("Is OpenAI not working with Scale?", ("", "")),
    ("Is Wang no longer CEO?", ("", "")),
    ("Did Meta's deal close?", ("", "")),  # a possessive subject
    ("Did Wang and his team leave Scale?", ("", "")),
    ("Is Wang CEO of Scale AI?", ("", "")),  # where the subject ends is unclear
    ("Did Google or OpenAI cut ties?", ("", "")),  # a choice
    ("Scale AI lost Google. Did it lose OpenAI too?", ("", "")),  # "it" stands for a name before
    ("Who founded Scale AI?", ("", "")),
])
def test_a_yes_no_question_reads_as_a_statement_and_its_denial(question, statements):
    from qa.question import as_statements
    assert as_statements(question) == statements


def test_what_happened_to_someone_is_about_them_not_about_happening():
    from qa.question import FRAME_TERMS
    terms = QuestionAnalyzer().run("What happened to Alexandr Wang after the deal?", SimpleNamespace(
        sources=[], articles={}, sourced_share=0.0, keyword=SimpleNamespace(knows=lambda w: True))).terms
    assert not terms & FRAME_TERMS and {"wang", "deal"} <= terms
    assert QuestionAnalyzer().run("What happened?", SimpleNamespace(
        sources=[], articles={}, sourced_share=0.0, keyword=SimpleNamespace(knows=lambda w: True))).terms  # kept


def test_a_sentence_the_judge_moves_to_another_quote_is_checked_against_that_quote(embedder):
    """The judge finds the cited quote not entailing the sentence and another one entailing it: the sentence is
    re-cited, then checked against its new quote, which says nothing of the unit."""
    from qa.evidence import Evidence
    from qa.question import answer_type
    from qa.text import content_terms
    from qa.verify import THING_UNSAID, Verifier
    texts = ["Meta hired Wang to join Meta's new AI unit alongside the Scale AI deal team.",
             "This deal between Meta and Scale AI is a shift, signalling a new chapter for Meta."]
    ev = [Evidence(n, "d", 0, len(t), t, 1.0, 1.0, 1.0, embedder.encode([t])[0]) for n, t in enumerate(texts, 1)]
    question = "What is the name of Meta's new AI unit?"
    asked = Question(question, terms=frozenset(content_terms(question)), answer_type=answer_type(question))

    class Judge:  # entails only from the quote on the deal
        def entails(self, premise: str, hypothesis: str) -> bool:
            return premise.startswith("This deal")

        def answers(self, quote: str, question: str, threshold: float = 0.0) -> bool:
            return True

    sup = Verifier(embedder, Judge()).run([("Meta's new AI unit is Scale AI.", [1])], ev, {1: texts[0], 2: texts[1]},
                                          asked)[0]
    assert not sup.supported and sup.why() == THING_UNSAID and sup.evidence == [2]


def test_a_verb_in_scare_quotes_is_not_stated():
    """"Loretta Lynn and Kid Rock got 'married' over the weekend" (a joke) does not say whom she married; a noun
    in quotes is a name ("Meta's new “superintelligence” unit")."""
    from qa.answerability import says_as_asked
    from qa.question import Question
    from qa.text import content_terms, scare_quoted
    from qa.verify import overstates

    joke = "'Sorry girls, he's taken now':Loretta Lynn and Kid Rock got 'married' over the weekend"
    assert scare_quoted(joke) == {"marri"}
    assert scare_quoted("they got “married,” over the weekend") == {"marri"}
    assert not overstates("Biden said he was saddened by her death.",
                          "Biden said he was “saddened” by the death of Loretta Lynn")  # he is quoted
    assert overstates("Loretta Lynn married Kid Rock.", joke)
    assert not overstates("Loretta Lynn and Kid Rock got 'married' as a joke.", joke)
    assert not overstates("Wang joined Meta's superintelligence unit.", "hired Wang to join Meta’s new “superintelligence” unit")
    asked = "Who was Loretta Lynn married to?"
    question = Question(asked, terms=frozenset(content_terms(asked)))
    assert not says_as_asked(question, joke)
    assert says_as_asked(question, "The two married in January 1948, when she was 15. " + joke)  # stated too
