"""The entailment judge (`qa.entailment`): the real bundled 1.5 B model judges; the verifier drops what it
rejects. The judge's quality over many sentences is measured by bench/entail_check.py, not here."""
import pytest

from qa.entailment import EntailmentJudge, premises
from qa.types import Answer, Citation, Sentence

INDEPENDENT = ("The company said in the release: \u201cScale remains an independent leader in AI, committed to "
               "providing industry-leading AI solutions and safeguarding customer data.")  # seeds/001_...
REFRAIN = ("In response to Thaddeus' findings, Columbia University Provost Mary Boyce said in a June statement "
           "that the university would \u201crefrain from submitting data\u201d to U.S. News and World Report.")


@pytest.fixture(scope="module")
def judge():
    from qa.llm_llamacpp import LlamaCppLLM
    from qa.settings import DEFAULT_JUDGE, Settings

    return EntailmentJudge(LlamaCppLLM(DEFAULT_JUDGE, cache_dir=Settings.from_env().model_cache_dir))


@pytest.mark.llm
def test_the_judge_tells_a_sentence_its_quote_states_from_one_it_denies_or_does_not_state(judge):
    assert judge.entails(INDEPENDENT, "Scale AI is still independent.")
    assert not judge.entails(INDEPENDENT, "Scale AI is not independent.")  # shares every word with the quote
    assert judge.entails(REFRAIN, "Columbia said it would stop submitting data to U.S. News and World Report.")
    assert not judge.entails(REFRAIN, "Columbia acknowledged submitting inaccurate data to U.S. News.")
    assert not judge.entails(REFRAIN, "Scale AI is still independent.")  # a quote about something else


@pytest.mark.llm
def test_the_verifier_drops_a_sentence_that_passes_the_word_checks_but_is_not_entailed(judge, embedder):
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import NOT_ENTAILED, Verifier

    ev = [Evidence(1, "d", 0, len(REFRAIN), REFRAIN, 1.0, 1.0, 1.0, embedder.encode([REFRAIN])[0])]
    question = "What did Columbia University say about submitting data to U.S. News?"
    asked = Question(question, terms=frozenset(content_terms(question)))
    wrong = "Columbia University Provost Mary Boyce said the university would keep submitting data to U.S. News."
    right = "Columbia University Provost Mary Boyce said the university would refrain from submitting data."
    without, with_judge = Verifier(embedder), Verifier(embedder, judge)
    assert without.run([(wrong, [1])], ev, {1: REFRAIN}, asked)[0].supported  # shared words pass it
    checked = with_judge.run([(wrong, [1]), (right, [1])], ev, {1: REFRAIN}, asked)
    assert [(s.supported, s.reason) for s in checked] == [(False, NOT_ENTAILED), (True, "")]


def test_premises_pair_each_shipped_sentence_with_the_quotes_it_cites():
    a = Answer("q", "t", citations=[Citation(1, "d", "T", "Quote one.", 0, 10, 1.0),
                                    Citation(2, "d", "T", "Quote two.", 20, 30, 1.0)],
               sentences=[Sentence("Kept.", [1, 2], True), Sentence("Dropped.", [1], False),
                          Sentence("Uncited.", [], True)])
    assert [(s.text, p) for s, p in premises(a)] == [("Kept.", "Quote one. Quote two.")]


def test_a_judge_needs_a_model_that_gives_log_probabilities():
    from tests.conftest import ScriptedLLM

    with pytest.raises(ValueError, match="log-probabilities"):
        EntailmentJudge(ScriptedLLM())


def test_the_judge_model_is_a_setting_that_can_be_turned_off():
    from qa.settings import DEFAULT_JUDGE, Settings

    assert Settings.from_env({}).judge_model == DEFAULT_JUDGE
    assert Settings.from_env({"QA_JUDGE_MODEL": "none"}).judge_model == ""
    assert Settings.from_env({"QA_JUDGE_MODEL": "/models/x.gguf"}).judge_model == "/models/x.gguf"


@pytest.mark.llm
def test_a_sentence_its_quote_does_not_entail_is_re_cited_to_one_that_does(judge, embedder):
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import Verifier

    keep = "Columbia University Provost Mary Boyce said the university would keep submitting data to U.S. News."
    ev = [Evidence(n, "d", 0, len(t), t, 1.0, 1.0, 1.0, embedder.encode([t])[0])
          for n, t in ((1, keep), (2, REFRAIN))]
    question = "What did Columbia University say about submitting data to U.S. News?"
    asked = Question(question, terms=frozenset(content_terms(question)))
    right = "Columbia University Provost Mary Boyce said the university would refrain from submitting data."
    [words] = Verifier(embedder).run([(right, [1])], ev, {1: keep, 2: REFRAIN}, asked)
    assert (words.supported, words.evidence) == (True, [1])  # the word checks let the wrong quote stand
    [sup] = Verifier(embedder, judge).run([(right, [1])], ev, {1: keep, 2: REFRAIN}, asked)
    assert (sup.supported, sup.evidence) == (True, [2])


BANKRUPT = "The country is now bankrupt, its prime minister told parliament on Tuesday."


@pytest.mark.llm
def test_a_name_the_quote_leaves_to_the_sentence_before_it_is_found_there_and_judged_with_it(judge, embedder):
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import Verifier

    ev = [Evidence(1, "d", 0, len(BANKRUPT), BANKRUPT, 1.0, 1.0, 1.0, embedder.encode([BANKRUPT])[0])]
    question = "Which country is now bankrupt, according to its prime minister?"
    asked = Question(question, terms=frozenset(content_terms(question)))
    around = {1: "Sri Lanka crisis. Sri Lanka has run out of money to pay for imports of fuel and food."}
    verifier = Verifier(embedder, judge)
    said = "Sri Lanka is now bankrupt, its prime minister said."
    assert not verifier.run([(said, [1])], ev, {1: BANKRUPT}, asked)[0].supported  # "Sri Lanka" is not in [1]
    assert verifier.run([(said, [1])], ev, {1: BANKRUPT}, asked, around)[0].supported
    assert not Verifier(embedder).run([(said, [1])], ev, {1: BANKRUPT}, asked, around)[0].supported  # no judge
    # What stands around the quote lends it names, not claims: a denial is still dropped, and a name found
    # neither in the quote nor around it is still missing.
    denied = verifier.run([("Sri Lanka is not bankrupt, its prime minister said.", [1])], ev, {1: BANKRUPT}, asked,
                          around)[0]
    assert not denied.supported
    other = verifier.run([("India is now bankrupt, its prime minister said.", [1])], ev, {1: BANKRUPT}, asked,
                         around)[0]
    assert not other.supported and other.missing == ["India"]


FOUNDER = ("The OpenAI spokesperson’s confirmation of the move came days after Meta took a 49% stake in Scale and "
           "hired its founder, Alexandr Wang, to join Meta’s new “superintelligence” unit, according to the report.")
INVESTORS = ("With more than 100 investors, Scale AI provides annotated datasets for training and refining "
             "artificial intelligence models, making it a valuable asset for major AI players like Anthropic.")


@pytest.mark.llm
def test_the_judge_tells_a_quote_that_answers_the_question_from_one_that_only_shares_its_words(judge):
    assert judge.answers(FOUNDER, "Who founded Scale AI?")
    assert judge.answers(INVESTORS, "How many investors does Scale AI have?")
    assert not judge.answers(INVESTORS, "Who founded Scale AI?")
    assert not judge.answers(FOUNDER, "How many employees does Scale AI have?")


ALTMAN = ("It was reported Wednesday that OpenAI CEO Sam Altman accused Meta of making “giant offers” of $100 "
          "million to poach OpenAI workers as Meta tries to catch up in the AI race.")  # seeds/001_...
PAUSE = "Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI."  # seeds/000_...


@pytest.mark.llm
def test_an_opening_sentence_true_to_its_quote_but_off_the_question_is_dropped(judge, embedder):
    from qa.evidence import Evidence
    from qa.question import Question
    from qa.text import content_terms
    from qa.verify import OFF_QUESTION, Verifier

    ev = [Evidence(n, "d", 0, len(t), t, 1.0, 1.0, 1.0, embedder.encode([t])[0]) for n, t in ((1, ALTMAN), (2, PAUSE))]
    question = "Who else pulled back from Scale AI besides OpenAI?"
    asked = Question(question, terms=frozenset(content_terms(question)), asks_name=True, excluded=("OpenAI",))
    off = "OpenAI CEO Sam Altman accused Meta of making “giant offers” of $100 million to poach OpenAI workers."
    on = "Google decided to sever or pause ties with Scale AI."
    context = {1: ALTMAN, 2: PAUSE}
    checks = Verifier(embedder, judge).run([(off, [1]), (on, [2])], ev, context, asked)
    assert [(c.supported, c.reason) for c in checks] == [(False, OFF_QUESTION), (True, "")]
    assert Verifier(embedder).run([(off, [1])], ev, context, asked)[0].supported  # true to its quote
    # the answering sentence first: nothing after it is put to the judge for answering
    assert all(c.supported for c in Verifier(embedder, judge).run([(on, [2]), (off, [1])], ev, context, asked))


def test_switching_between_the_judges_questions_restores_the_system_prompt_without_changing_the_odds(judge):
    """Each kind of check has its own system prompt; the memory after reading each is kept and restored when the
    judge switches back. The log-odds are those of reading the whole prompt afresh."""
    from qa.entailment import NAMED_SYSTEM, NAMED_USER, NO, SYSTEM, USER, YES

    llm = judge.llm
    quote = "Dartmouth College announced Tuesday it was eliminating student loans for undergraduates."
    entail = USER.format(premise=quote, hypothesis="Dartmouth College is eliminating student loans.")
    named = NAMED_USER.format(quote=quote, question="Which Ivy League school will end student loans?",
                              name="Dartmouth College")
    first = [llm.logprob_margin(SYSTEM, entail, YES, NO), llm.logprob_margin(NAMED_SYSTEM, named, YES, NO)]
    again = [llm.logprob_margin(SYSTEM, entail, YES, NO), llm.logprob_margin(NAMED_SYSTEM, named, YES, NO)]
    assert {SYSTEM, NAMED_SYSTEM} <= set(llm._system_states)
    llm._system_states.clear()
    llm.llama_index_llm._model.n_tokens = 0  # nothing kept: read from the start
    fresh = llm.logprob_margin(SYSTEM, entail, YES, NO)
    assert again == pytest.approx(first, abs=1e-4) and fresh == pytest.approx(first[0], abs=1e-4)
    assert first[0] > 0.5 and first[1] > 0.5


ACQUIRED = ("In a significant move that's reshaping the AI industry, tech giant Meta has acquired Scale AI, a data "
            "labeling startup founded in 2016.")  # seeds/000_...


def _evidence(embedder, texts: list[str], scores: list[float]) -> list:
    from qa.evidence import Evidence

    return [Evidence(n, f"d{n}", 0, len(t), t, s, s, s, v)
            for n, (t, s, v) in enumerate(zip(texts, scores, embedder.encode(texts), strict=True), start=1)]


@pytest.mark.llm
def test_the_judge_puts_the_name_its_sentence_shows_to_be_the_answer_first(judge, embedder):
    from qa.candidates import NameRanker
    from qa.question import Question, wanted_kind

    text = "Who else pulled back from Scale AI besides OpenAI?"
    question = Question(text, asks_name=True, wanted=wanted_kind(text), excluded=("OpenAI",))
    evidence = _evidence(embedder, [ACQUIRED, ALTMAN, PAUSE], [0.46, 0.47, 0.40])  # as the seeds rank them
    texts = [e.text for e in evidence]
    assert NameRanker(embedder).run(question, evidence, texts)[0] == "Meta"  # by the embedder alone
    assert NameRanker(embedder, judge=judge).run(question, evidence, texts) == ("Google",)


@pytest.mark.llm
def test_the_judge_tells_the_player_who_signed_from_the_one_he_overtook(judge, embedder):
    from qa.candidates import NameRanker, judged
    from qa.question import Question, wanted_kind

    text = "Which basketball star agreed to a contract extension this week?"
    question = Question(text, asks_name=True, wanted=wanted_kind(text))
    evidence = _evidence(embedder, [
        "His contract extension this week makes him the highest-paid player in the league, surpassing Kevin Durant.",
        "LeBron James agreed on Wednesday to stay with the Los Angeles Lakers for two more seasons."], [0.55, 0.45])
    ranked = NameRanker(embedder).rank(question, evidence, [e.text for e in evidence])
    assert ranked[0].name == "Kevin Durant"  # by the embedder alone: his sentence shares the question's words
    assert [r.name for r in judged(ranked, question, judge)][:2] == ["LeBron James", "Kevin Durant"]


@pytest.mark.llm
def test_the_judge_reads_the_names_side_by_side_and_picks_the_one_the_passage_gives(judge):
    """Asked of each name in turn whether the passage shows it to be the answer, the 1.5 B judge leaned Yes for
    both, OpenAI more; asked for the answer, with both names to reply with, it gives Meta."""
    quote = ("AI giant OpenAI relinquishes control over Scale AI following Meta's significant investment in the "
             "emerging company")  # seeds/000_..., the title
    openai, meta, none = judge.choose([quote], "Which company invested in Scale AI?", ["OpenAI", "Meta"])
    assert meta > max(openai, none)


@pytest.mark.llm
def test_the_judge_reads_a_name_as_the_answer_only_from_a_passage_that_gives_it(judge):
    assert judge.chosen(PAUSE, "Who pulled back from Scale AI?", "Google")  # in other words than the question's
    clients = ("With more than 100 investors, Scale AI provides annotated datasets for training and refining "
               "artificial intelligence models, making it a valuable asset for major AI players like Anthropic, "
               "Cohere, and Adept, among others.")  # seeds/000_...
    assert not judge.chosen(clients, "Who pulled back from Scale AI?", "Anthropic")


@pytest.mark.llm
def test_the_judge_writes_the_answer_in_the_passage_s_words_or_none(judge):
    """What a passage says the answer is, written by the judge: the company OpenAI stopped working with, in the
    passage's words; None for a share price the passage does not give."""
    passage = ("OpenAI is reportedly phasing out its involvement with data-labeling startup Scale AI due to "
               "Scale\u2019s new ties to Meta, an OpenAI rival.")  # seeds/001_...
    assert judge.extract([passage], "Which company did OpenAI stop working with?") == "Scale AI"
    assert judge.extract([passage], "What is Scale AI's price per share?") == ""


@pytest.mark.llm
def test_the_judge_reads_yes_from_evidence_that_shows_it_and_not_from_evidence_that_does_not_say(judge):
    from qa.verdict import NO_THRESHOLD, YES_THRESHOLD

    evidence = ["OpenAI is reportedly phasing out its involvement with data-labeling startup Scale AI due to "
                "Scale\u2019s new ties to Meta, an OpenAI rival.",  # seeds/001_...
                "Scale AI initially relied on a large network of contractors to label images and text."]
    assert judge.polar_margin(evidence, "Is OpenAI phasing out its work with Scale AI?") >= YES_THRESHOLD
    assert judge.polar_margin(evidence, "Did Scale AI go public this year?") < NO_THRESHOLD


def test_a_check_asked_twice_is_read_once():
    class CountingMargins:
        def __init__(self):
            self.prompts = []

        def logprob_margin(self, system, user, yes, no):
            self.prompts.append(user)
            return 1.0 if "Dartmouth" in user else -1.0

        def choice_logprobs(self, system, user, choices, max_tokens=4):
            return [0.0] * len(choices)

        def stream(self, system, user, *, grammar=None, max_tokens=128, stop=None):
            yield "None"

    llm = CountingMargins()
    judge = EntailmentJudge(llm)
    quote = "Dartmouth College announced Tuesday it was eliminating student loans."
    assert judge.named_margin(quote, "Which school will end student loans?", "Dartmouth College") == 1.0
    assert judge.confirms(quote, "Which school will end student loans?", "Dartmouth College")  # the same prompt
    assert not judge.entails("Brown University said nothing.", "Brown ended loans.")
    assert len(llm.prompts) == 2


@pytest.mark.llm
def test_the_judge_finds_no_answer_in_a_sentence_naming_only_the_kind_asked_for(judge):
    from qa.question import Question, asks_for_name, wanted_kind
    from qa.text import content_terms
    from qa.verify import names_only_kind

    text = "Supermarkets in France are struggling to stock which condiment, sparking outrage across the country."
    asked = Question(text, terms=frozenset(content_terms(text)), asks_name=asks_for_name(text),
                     wanted=wanted_kind(text))
    assert names_only_kind("Condiment is running out.", asked, judge)
    assert not names_only_kind("The condiment mustard is running out.", asked, judge)
    assert not names_only_kind("France is struggling to stock mustard, a condiment.", asked, judge)
