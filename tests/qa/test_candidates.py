"""Which names a "Who/Which/Where ...?" answer may give, and in what order: the kind of name a question asks
for, read in whichever of its sentences asks it, and the evidence's names ranked by the real sentence
embedder (no stand-in) against that kind and against the relevance of their sentences."""
from dataclasses import replace

import pytest

from qa.candidates import NameRanker, ordinary_words
from qa.evidence import Evidence
from qa.question import Question, asked_clause, asks_for_name, wanted_kind


@pytest.mark.parametrize("question, asks, kind", [
    ("Which wildly popular show was recently green lit for a new season?", True, "wildly popular show"),
    ("Broadway's biggest stars were recognized this week at which prestigious awards show?", True,
     "prestigious awards show"),
    ("To help reduce cable clutter, which continent will soon require a common charger?", True, "continent"),
    ("About a billion records leaked. Where did the massive data leak occur?", True, "place"),
    ("What country elected its first-ever leftist leader this week?", True, "country"),
    ("Which country’s polarizing presidential race will go to a run-off?", True, "country"),
    ("Who else pulled back from Scale AI besides OpenAI?", True, "person or organization"),
    ("Which team won the 2022 NHL Stanley Cup Finals?", True, "team"),
    ("Which company said it will soon seek approval for the first vaccine?", True, "company"),
    ("What is the biggest security threat in the region?", False, ""),
    ("How many employees does Scale AI have?", False, ""),
    ("Is Scale AI still independent?", False, ""),
    ("Which two countries did NATO formally invite to join its alliance this week?", True, "countries"),
    ("Which AI companies rely on Scale AI's data?", True, "AI companies"),  # a plain-form verb ends it
    ("Which running back scored twice?", True, "running back"),  # "back" is no verb here
])
def test_the_kind_of_name_asked_for_is_read_in_the_asking_sentence(question, asks, kind):
    assert asks_for_name(question) is asks
    assert wanted_kind(question) == kind


def test_the_asking_sentence_is_the_last_question():
    q = "Gas prices hit a record. On average, how much did a gallon cost? Ignore this."
    assert asked_clause(q) == "On average, how much did a gallon cost?"
    assert asked_clause("no question mark here") == "no question mark here"
    roe = "According to a recent survey, what share of US adults disapprove of overturning Roe v. Wade?"
    assert asked_clause(roe) == roe  # not "Wade?"
    assert asked_clause("Prices rose in the U.S. Which item rose most?") == "Which item rose most?"
    assert asked_clause("Sen. T.J. Cox was hurt. Will he play?") == "Will he play?"


def test_ordinary_words_are_those_also_written_in_lower_case():
    words = ordinary_words(["Now the chain sells subs. Subway said now is the time.", "Many say so."])
    assert {"now", "the", "say"} <= words and "subway" not in words and "many" not in words


def test_a_web_address_or_handle_makes_no_word_ordinary():
    # "type in google.com" had made Google a sentence's capitalised opening, never a name
    words = ordinary_words(["You had to type in google.com in the URL field.", "Do follow @amazon and #apple now."])
    assert {"google", "amazon", "apple"}.isdisjoint(words) and {"type", "follow", "now"} <= words


def test_a_name_the_description_of_every_part_holds_comes_first(embedder):
    from qa.question import described_parts

    text = ("Which company, known for its Prime-themed sale day, saw its stock tumble after an antitrust lawsuit, "
            "and is called life-changing by its sellers?")
    question = Question(text, asks_name=True, wanted="company", descriptions=described_parts(text))
    assert len(question.descriptions) == 3
    pool = [
        _ev(1, "Apple sells a two-pack of cables; Apple said the deal is for sellers of all kinds.", 0.7),
        _ev(2, "With the latest Amazon-created Prime-themed sale day behind us, deals are slowing.", 0.5),
        _ev(3, "Amazon tumbled 4 per cent after regulators filed an antitrust lawsuit against it.", 0.5),
        _ev(4, "“Selling on Amazon is a life-changing opportunity,” one seller wrote.", 0.4),
        _ev(5, "Walmart said its own sale would start next week.", 0.3),
    ]
    pool = [replace(e, vector=v) for e, v in zip(pool, embedder.encode([e.text for e in pool]), strict=True)]
    ranker = NameRanker(embedder)
    texts = [e.text for e in pool] + ["Shops were selling more."]
    read = [pool[0], pool[3]]  # what the model would read
    assert ranker.rank(question, read, texts)[0].name == "Apple"  # without the parts: the best sentence's name
    assert ranker.rank(question, read, texts, pool=pool)[0].name == "Amazon"
    name, quotes = ranker.part_quotes(question, ["Apple", "Amazon"], pool)  # Apple: the lawsuit's sentences
    assert name == "Amazon" and [e.number for e in quotes] == [2, 3, 4]  # do not hold it
    assert ranker.part_quotes(question, ["Apple"], pool) is None
    copy = replace(pool[2], number=6, doc_id="d6")  # a syndicated copy of the lawsuit sentence: quoted once
    assert [e.number for e in ranker.part_quotes(question, ["Amazon"], [*pool[:3], copy, *pool[3:]])[1]] == [2, 3, 4]
    amazonian = [replace(e, text=e.text.replace("Amazon", "Amazonian")) for e in pool]
    assert ranker.part_quotes(question, ["Amazon"], amazonian) is None  # a longer word is not the name
    one = Question("Which company sells cables?", asks_name=True, wanted="company",
                   descriptions=described_parts("Which company sells cables?"))
    assert ranker.part_quotes(one, ["Apple"], pool) is None  # a question of one part: the model answers it


class _Choices:
    """A scripted stand-in for the judge's model, only its side-by-side reading of names: each name's
    log-probability as the reply, by name, and "None" -1; the prompts it read are kept."""

    def __init__(self, logprobs: dict[str, float]):
        self.logprobs = logprobs
        self.read: list[str] = []

    def choice_logprobs(self, system: str, user: str, choices: list[str], max_tokens: int = 4) -> list[float]:
        self.read.append(user)
        return [*(self.logprobs[c] for c in choices[:-1]), -1.0]  # the last choice is "None"

    def logprob_margin(self, system, user, yes, no):
        raise AssertionError("only names side by side are read here")

    def stream(self, system, user, *, grammar=None, max_tokens=128, stop=None):
        raise AssertionError("nothing is written here")


@pytest.mark.parametrize("logprob, first, text, answered", [
    (1.5, "Amazon", None, True),  # read as the answer over None by 2.5 (at least MOST_PARTS_CHOSEN): two parts show it
    (-0.5, "Amazon", None, False),  # by 0.5 only: the model answers
    (1.5, "Apple", None, False),  # all but one part must hold the first name offered; a later one needs every part
    (1.5, "Amazon", "Which company, known for its Prime-themed sale day, is called life-changing by its sellers?",
     False),  # of two parts, one is not enough: two sentences at least must show it
])
def test_a_name_all_parts_but_one_hold_is_shown_by_them_when_the_judge_reads_it_there(embedder, logprob, first,
                                                                                       text, answered):
    from qa.candidates import MOST_PARTS_CHOSEN
    from qa.entailment import CHOOSE_USER, EntailmentJudge, numbered
    from qa.question import described_parts

    assert 0.5 < MOST_PARTS_CHOSEN <= 2.5
    three = text is None
    text = text or ("Which company, known for its Prime-themed sale day, saw its stock tumble after an antitrust "
                    "lawsuit, and is called life-changing by its sellers?")
    question = Question(text, asks_name=True, wanted="company", descriptions=described_parts(text))
    assert len(question.descriptions) == (3 if three else 2)
    pool = [
        _ev(1, "With the latest Amazon-created Prime-themed sale day behind us, deals are slowing.", 0.5),
        _ev(2, "Amazon tumbled 4 per cent after regulators filed an antitrust lawsuit against it.", 0.5),
        _ev(3, "“Selling there is a life-changing opportunity,” one seller wrote.", 0.4),  # the name unsaid
        _ev(4, "Sellers called the program life-changing for their small businesses.", 0.4),
        _ev(5, "Many sellers say the platform changed their lives.", 0.4),
        _ev(6, "Apple sells cables.", 0.3),
    ]
    pool = [replace(e, vector=v) for e, v in zip(pool, embedder.encode([e.text for e in pool]), strict=True)]
    llm = _Choices({"Amazon": logprob, "Apple": -5.0})
    names = [first, "Amazon"] if first != "Amazon" else ["Amazon"]
    got = NameRanker(embedder, judge=EntailmentJudge(llm)).part_quotes(question, names, pool)
    assert (got is not None) is answered
    if got is not None:
        assert got[0] == "Amazon" and [e.number for e in got[1]] == [1, 2]
    if three and first == "Amazon":  # the judge read the two parts' sentences holding the name, nothing else
        assert llm.read == [CHOOSE_USER.format(evidence=numbered([pool[0].text, pool[1].text]),
                                               question=question.of_others)]
    else:
        assert llm.read == []  # a later name, or two parts: the judge is not asked
    assert NameRanker(embedder).part_quotes(question, ["Amazon"], pool) is None  # no judge: every part needed


@pytest.mark.parametrize("run, name", [("Alexandr Wang", True), ("Colombia", True), ("CEO", False),
                                       ("AI-based", False), ("Instagram-friendly", False), ("Despite", False),
                                       ("Now", False), ("Bankman-Fried", True), ("Coeur d'Alene", True)])
def test_titles_descriptions_and_openings_are_not_names(run, name):
    from qa.candidates import is_name

    assert is_name(run, ordinary_words(["Now it is done."])) is name


def _ev(n: int, text: str, score: float) -> Evidence:
    return Evidence(n, f"d{n}", 0, len(text), text, score, score, score)


def test_the_name_of_the_kind_asked_for_comes_first(embedder):
    ranker = NameRanker(embedder)
    evidence = [
        _ev(1, "Gustavo Petro, a former guerrilla, won the runoff on Sunday, official results showed.", 0.6),
        _ev(2, "Colombia elected Gustavo Petro as its first leftist president on Sunday.", 0.6),
        _ev(3, "Now voters in Bogota celebrated into the night.", 0.4),
    ]
    question = Question("What country elected its first-ever leftist leader this week?", asks_name=True,
                        wanted=wanted_kind("What country elected its first-ever leftist leader this week?"))
    articles = [e.text for e in evidence] + ["Turnout was high now that voting was easier."]
    names = [r.name for r in ranker.rank(question, evidence, articles)]
    assert names[0] == "Colombia"
    assert "Now" not in names  # a capitalised opening, written "now" elsewhere in the articles
    assert set(names) == {"Colombia", "Gustavo Petro", "Bogota"}
    assert NameRanker(embedder, limit=1).run(question, evidence, articles) == ("Colombia",)
    assert NameRanker(embedder, tie=0.0).run(question, evidence, articles) == ("Colombia",)


def test_where_a_name_stands_as_a_place_it_is_offered_before_names_that_do_not(embedder):
    evidence = [
        _ev(1, "Loretta Lynn obituary: Country music legend known for 'Coal Miner's Daughter' dies at 90", 0.7),
        _ev(2, "“Our precious mom, Loretta Lynn, passed away peacefully this morning in her sleep at home in her "
               "beloved ranch in Hurricane Mills,” the statement read.", 0.6),
    ]
    where = "Where did Loretta Lynn die?"
    question = Question(where, asks_name=True, wanted=wanted_kind(where))
    texts = [e.text for e in evidence] + ["the miner's mom sang and died"]
    assert NameRanker(embedder).run(question, evidence, texts)[:1] == ("Hurricane Mills",)


def test_names_in_a_near_tie_are_offered_for_the_model_to_choose_only_when_no_kind_is_named(embedder):
    evidence = [_ev(1, "Jane Smith and John Smith met the ministers of Chile and Peru on Sunday.", 0.6)]
    texts = [evidence[0].text, "Turnout among voters was high."]
    who = Question("Who met the ministers on Sunday?", asks_name=True, wanted=wanted_kind("Who met ...?"))
    assert {"Jane Smith", "John Smith"} <= set(NameRanker(embedder).run(who, evidence, texts))  # the model reads, picks
    country = Question("Which country's minister was met on Sunday?", asks_name=True, wanted="country")
    assert len(NameRanker(embedder).run(country, evidence, texts)) == 1  # the kind decides: the best fit only


def test_without_a_kind_the_more_relevant_sentence_wins(embedder):
    evidence = [_ev(1, "The deal was announced by Acme Corp on Monday.", 0.9),
                _ev(2, "Zenith Labs had talked to Acme Corp and to Borealis before.", 0.3)]
    question = Question("Which firm announced the deal?", asks_name=True, wanted="")
    names = NameRanker(embedder, limit=6, tie=10.0).run(question, evidence, [])
    assert names[0] == "Acme Corp" and set(names) == {"Acme Corp", "Zenith Labs", "Borealis"}


def test_a_ranker_needs_room_for_one_name(embedder):
    with pytest.raises(ValueError, match="at least 1"):
        NameRanker(embedder, limit=0)


def test_names_keep_the_small_words_inside_them():
    from qa.text import name_runs

    assert name_runs("A report from Bank of America says so.") == ["Bank of America"]
    assert name_runs("The event was at Coeur d'Alene, Idaho, on Saturday.") == ["Coeur d'Alene", "Idaho"]
    assert name_runs("The Verge of Monday") == ["Verge"]  # the weekday goes, and the "of" left dangling
    # a photo credit on the line before: no "Gothenburg Thwaites Glacier"
    assert name_runs("Anna Mazur/University of Gothenburg\n\nThe Thwaites Glacier, in West Antarctica") == [
        "Anna Mazur", "University of Gothenburg", "Thwaites Glacier", "West Antarctica"]
    assert name_runs("But Bed Bath & Beyond (BBBY) and Procter & Gamble said so.") == [
        "Bed Bath & Beyond", "BBBY", "Procter & Gamble"]  # not "Bed Bath"
    assert name_runs("He said & then Apple left.") == ["Apple"]


@pytest.mark.parametrize("sentence, text, answer, subject", [
    # a name opening with a name the question gives
    ("Biden traveled to Camp Hale in Colorado to establish the Camp Hale-Continental Divide National Monument.",
     "President Biden designated Camp Hale as a new national monument this week. Where is it located?",
     "Colorado", "Camp Hale-Continental Divide National Monument"),
    # a name ending in a common word of the asking sentence
    ("The Thwaites Glacier in Antarctica, capable of raising sea level by several feet, is eroding along its "
     "underwater base.",
     "Scientists say a so-called “doomsday glacier” could raise sea level by feet. Where is the glacier located?",
     "Antarctica", "Thwaites Glacier"),
])
def test_a_name_that_is_what_the_question_is_about_is_not_its_answer(embedder, sentence, text, answer, subject):
    evidence = [_ev(1, sentence, 0.7)]
    question = Question(text, asks_name=True, wanted=wanted_kind(text))
    assert NameRanker(embedder).run(question, evidence, [])[0] == answer
    ranked = {r.name: r for r in NameRanker(embedder).rank(question, evidence, [])}
    assert subject not in ranked or ranked[subject].score < ranked[answer].score  # not standing as a place


def test_a_one_word_title_in_quotation_marks_is_a_name_though_the_articles_use_the_word(embedder):
    from qa.candidates import quoted_titles

    evidence = [_ev(1, "“Succession,” the HBO drama, took home best drama series on Monday.", 0.7)]
    texts = [evidence[0].text, "It was a week of royal succession in London."]
    question = Question("Which show took home the award for outstanding drama series?", asks_name=True,
                        wanted="show")
    assert "Succession" in [r.name for r in NameRanker(embedder).rank(question, evidence, texts)]
    assert quoted_titles(texts) == {"succession"}
    assert quoted_titles(["“We are here,” she said."]) == frozenset()  # a quoted sentence is no title


@pytest.mark.parametrize("name, question, wanted, built_on", [
    ("Twitter Blue", "Which color did Twitter use for its new check mark?", "color", True),
    ("Tesla AI Day", "Which new product did Tesla debut at an event this week?", "new product", True),
    ("WNBA Finals", "Which WNBA team won its first title?", "WNBA team", False),  # a word of the kind asked for
    ("Google CEO Sundar Pichai", "Who is the CEO of Google?", "person or organization", False),  # a title
    ("Jill Biden", "Which member of the Biden administration tested positive?", "member", False),  # ends in it
    ("Colorado", "Where is Camp Hale?", "place", False),
])
def test_which_names_are_built_on_the_questions_own(name, question, wanted, built_on):
    from qa.candidates import on_subject, subject_words

    assert on_subject(name, subject_words(Question(question, asks_name=True, wanted=wanted))) is built_on


@pytest.mark.parametrize("name, question, wanted, named", [
    ("Thwaites Glacier", "Where is the glacier located?", "place", True),
    ("Box Office Mojo", "Which movie is at the top of the box office?", "movie", False),  # ends in another word
    ("Box Office", "Which movie is at the top of the box office?", "movie", True),
    ("Republican Party", "Who leads the parties in the Senate?", "person or organization", True),  # plural
    ("Kraft Heinz Company", "Which company bought the brand?", "company", False),  # the kind asked for
    ("Antarctica", "Where is the glacier located?", "place", False),
])
def test_which_names_end_in_what_the_question_is_about(name, question, wanted, named):
    from qa.candidates import named_as, subject_nouns

    assert named_as(name, subject_nouns(Question(question, asks_name=True, wanted=wanted))) is named


def test_a_name_holding_what_the_question_sets_aside_is_not_offered(embedder):
    evidence = [_ev(1, "OpenAI CEO Sam Altman spoke, and Google paused its work with Scale AI.", 0.6)]
    question = Question("Who else pulled back from Scale AI besides OpenAI?", asks_name=True,
                        wanted=wanted_kind("Who else pulled back from Scale AI besides OpenAI?"), excluded=("OpenAI",))
    assert NameRanker(embedder, tie=10.0).run(question, evidence, []) == ("Google",)


def test_no_name_is_offered_when_none_is_the_kind_asked_for(embedder):
    ranker = NameRanker(embedder)
    evidence = [_ev(1, "Shoppers are struggling to find mustard, a staple since the Middle Ages, on the shelves.",
                    0.6),
                _ev(2, "Supermarkets in Marseille ran out of mustard on Monday, Reuters said.",
                    0.6)]
    texts = [e.text for e in evidence] + ["Many shoppers came to the supermarkets early."]
    condiment = Question("Supermarkets are struggling to stock which condiment?", asks_name=True, wanted="condiment")
    assert ranker.run(condiment, evidence, texts) == ()  # the model writes "mustard" itself
    city = Question("Which city ran out of mustard?", asks_name=True, wanted="city")
    assert ranker.run(city, evidence, texts)[0] == "Marseille"


@pytest.mark.parametrize("question, name, stated", [
    ("Who else pulled back from Scale AI besides OpenAI?", "Google", "Google pulled back from Scale AI"),
    ("Which country’s lawmakers urged no leniency?", "Iran", "Iran’s lawmakers urged no leniency"),
    ("Broadway’s stars were honoured this week at which awards show?", "Tony Awards",
     "Broadway’s stars were honoured this week at Tony Awards"),
    ("Which US national park was flooded this week?", "Yellowstone", "Yellowstone was flooded this week"),
    ("Tell me the founder.", "Alexandr Wang", "Alexandr Wang: Tell me the founder."),
])
def test_a_name_question_is_stated_with_a_name_as_its_answer(question, name, stated):
    from qa.question import answered_with

    assert answered_with(question, name) == stated


def test_the_name_a_sentence_gives_as_the_answer_ranks_above_one_merely_beside_it(embedder):
    evidence = [_ev(1, "Meta invested heavily in Scale AI and hired its founder last year.", 0.5),
                _ev(2, "Google, one such competitor, has decided to sever ties with Scale AI.", 0.5)]
    question = Question("Who pulled back from Scale AI?", asks_name=True, wanted=wanted_kind("Who pulled back?"))
    ranked = NameRanker(embedder).rank(question, evidence, [e.text for e in evidence])
    assert ranked[0].name == "Google" and ranked[0].support > ranked[1].support


def test_the_sentence_giving_an_offered_name_is_added_to_what_the_model_reads():
    from qa.candidates import with_naming_sentences

    evidence = [_ev(1, "Meta invested in Scale AI.", 0.6)]
    extra = [_ev(0, "Google decided to pause ties with Scale AI.", 0.4),
             _ev(0, "Google and Cohere were customers.", 0.3), _ev(0, "Adept and Cohere were too.", 0.3)]
    out = with_naming_sentences(("Google", "Meta", "Cohere", "Adept"), evidence, extra, limit=2)
    assert [(e.number, e.text) for e in out] == [(1, "Meta invested in Scale AI."),
                                                (2, "Google decided to pause ties with Scale AI."),
                                                (3, "Google and Cohere were customers.")]  # two at most


def test_a_free_short_answer_is_no_name_where_no_name_fits_the_kind_asked():
    from qa.assembly import admissible_short
    from qa.generation import Draft

    condiment = Question("Supermarkets in France are struggling to stock which condiment?", asks_name=True,
                         wanted="condiment")
    # no name of the evidence was the kind asked for, so none was offered: "Middle Ages" is not the answer
    assert admissible_short(condiment, Draft([], "Middle Ages", (), 0.0)) == ""
    assert admissible_short(condiment, Draft([], "mustard", (), 0.0)) == "mustard"
    # a name the ranker offered stays; "No" never answers "Which ...?"
    assert admissible_short(condiment, Draft([], "Dijon", ("Dijon",), 0.0)) == "Dijon"
    assert admissible_short(condiment, Draft([], "No", (), 0.0)) == ""
    who = Question("Who founded Scale AI?", asks_name=True, wanted=wanted_kind("Who founded Scale AI?"))
    assert admissible_short(who, Draft([], "Alexandr Wang", (), 0.0)) == "Alexandr Wang"


def test_a_short_answer_made_only_of_the_questions_words_is_no_answer():
    from qa.assembly import admissible_short
    from qa.generation import Draft

    why = Question("Why is OpenAI phasing out Scale AI?")
    assert admissible_short(why, Draft([], "Phasing out", (), 0.0)) == ""
    assert admissible_short(why, Draft([], "Meta ties", (), 0.0)) == "Meta ties"
    ceo = Question("Who is the CEO of OpenAI?", asks_name=True, wanted=wanted_kind("Who is the CEO of OpenAI?"))
    assert admissible_short(ceo, Draft([], "OpenAI", ("OpenAI",), 0.0)) == ""
    assert admissible_short(ceo, Draft([], "Sam Altman", ("Sam Altman",), 0.0)) == "Sam Altman"
    either = Question("Which company invested in Scale AI, Google or Meta?", asks_name=True, wanted="company")
    assert admissible_short(either, Draft([], "Meta", ("Meta",), 0.0)) == "Meta"  # one of the alternatives



@pytest.mark.parametrize("name, runs, full", [
    ("Biden", ["US President Joe Biden"], "Joe Biden"),
    ("Sunak", ["British Prime Minister Rishi Sunak", "Sunak"], "Rishi Sunak"),
    ("Dodgers", ["Los Angeles Dodgers"], "Los Angeles Dodgers"),
    ("Australia", ["Equatorial Launch Australia"], "Australia"),  # "launch" is an ordinary word here
    ("Twitter", ["Elon Musk's Twitter"], "Twitter"),
    ("HSF", ["UK-listed HSF"], "HSF"),
    ("Bankman-Fried", ["Two of Sam Bankman-Fried"], "Sam Bankman-Fried"),  # up to the lower-case "of"
])
def test_a_name_is_given_in_its_full_form_from_the_evidence(name, runs, full):
    from qa.candidates import full_name

    assert full_name(name, runs, ordinary_words(["the launch was delayed"])) == full


def test_the_short_answer_is_shown_in_full_as_its_quote_or_article_names_it():
    from types import SimpleNamespace

    from qa.assembly import with_full_name
    from qa.types import Answer, Citation

    full = "US President Joe Biden tested positive for Covid-19 on Thursday."
    other = "Biden is experiencing very mild symptoms, said Dr. Kevin O'Connor."
    snapshot = SimpleNamespace(articles={"a": SimpleNamespace(text=f"{full} {other}"),
                                         "b": SimpleNamespace(text=f"{full} Hunter Biden said so. {other}")})
    cites = [Citation(1, "a", "", other, len(full) + 1, len(full) + 1 + len(other), 0.9),
             Citation(2, "a", "", full, 0, len(full), 0.8)]
    assert with_full_name(Answer("q", "", cites, short_answer="Biden", short_citations=[2]),
                          snapshot).short_answer == "Joe Biden"
    # the quote it cites says only "Biden": its article names one Biden in full
    assert with_full_name(Answer("q", "", cites, short_answer="Biden", short_citations=[1]),
                          snapshot).short_answer == "Joe Biden"
    # ... but not where the article names two
    start = len(full) + len(" Hunter Biden said so. ")
    cites_b = [Citation(1, "b", "", other, start, start + len(other), 0.9)]
    assert with_full_name(Answer("q", "", cites_b, short_answer="Biden", short_citations=[1]),
                          snapshot).short_answer == "Biden"


def test_a_nationality_is_not_a_name_unless_a_nationality_is_asked_for():
    from qa.candidates import is_name

    assert not is_name("British", frozenset())
    assert not is_name("Southeast Asian", frozenset())
    assert is_name("British", frozenset(), kind="nationality")
    assert is_name("Britain", frozenset()) and is_name("British Airways", frozenset())


def test_a_word_that_opens_a_name_only_because_it_opens_the_sentence_is_left_out():
    from qa.candidates import without_opening

    ordinary = frozenset({"making", "rapper", "hundreds", "supreme", "prince"})
    assert without_opening("Making Camp Hale", ["Making Camp Hale a monument was urged."], ordinary) == "Camp Hale"
    assert without_opening("Rapper Ye", ["Rapper Ye lost his deal."], ordinary) == "Ye"
    assert without_opening("Hundreds of Budweiser", ["Hundreds of Budweiser workers went on strike."],
                           ordinary) == "Budweiser"
    # a name that also stands inside a sentence, or that opens with a title, is kept whole
    assert without_opening("Supreme Court", ["Supreme Court rules.", "The Supreme Court ruled."],
                           ordinary) == "Supreme Court"
    assert without_opening("Prince William", ["Prince William is next in line."], ordinary) == "Prince William"


def test_a_common_nouns_acronym_is_not_a_name_unless_a_technology_is_asked_for():
    from qa.candidates import is_name

    assert not is_name("AI", frozenset(), kind="company")  # "expenditure on AI" names no company
    assert not is_name("IPO", frozenset())
    assert is_name("AI", frozenset(), kind="technology")
    assert is_name("Scale AI", frozenset(), kind="company") and is_name("NFL", frozenset())


@pytest.mark.parametrize("question, count", [
    ("Which two countries did NATO formally invite to join its alliance this week?", 2),
    ("Who are the two candidates in the runoff?", 2),
    ("Which 3 teams reached the semifinals?", 3),
    ("Which country won two gold medals?", 1),
    ("Two companies announced a merger. Which company is buying the other?", 1),  # not in the asking sentence
])
def test_how_many_names_a_question_asks_for(question, count):
    from qa.question import names_asked

    assert names_asked(question) == count


def test_a_question_asking_for_two_names_gets_the_best_two_together_as_the_article_orders_them(embedder):
    from qa.candidates import distinct_names, names_together
    from qa.generation import Generator

    text = "Which two countries did NATO formally invite to join its alliance this week?"
    question = Question(text, asks_name=True, wanted=wanted_kind(text), names_asked=2)
    evidence = [_ev(1, "NATO formally invited Sweden and Finland to join the alliance on Wednesday.", 0.7),
                _ev(2, "Finland shares a long border with Russia, whose invasion of Ukraine prompted it.", 0.5)]
    names = NameRanker(embedder).run(question, evidence, [e.text for e in evidence])
    assert set(names) == {"Sweden", "Finland"}

    class Snap:  # what `short_answers` reads of a library snapshot
        articles = {"d1": type("A", (), {"text": evidence[0].text}), "d2": type("A", (), {"text": evidence[1].text})}
        sources: dict = {}

    options, _read = Generator(None, names=NameRanker(embedder)).short_answers(question, evidence, Snap())
    assert options == ("Sweden and Finland",)  # one short answer, in the order the article gives them
    assert distinct_names(["Houston", "Houston Texans", "Cleveland Browns"], 2) == ("Houston", "Cleveland Browns")
    assert distinct_names(["Al", "Albertsons"], 2) == ("Al", "Albertsons")  # parts as whole words only
    assert names_together(("A", "B", "C"), ["no"]) == "A, B and C"


class _Judge:
    """A scripted stand-in for the judge's reading of names side by side: each name's log-probability, by name,
    and "None" the rest."""

    def __init__(self, logprobs: dict[str, float]):
        self.logprobs = logprobs
        self.asked: list[tuple[str, str]] = []

    def choose(self, passages: list[str], question: str, names: list[str]) -> list[float]:
        self.asked += [(question, n) for n in names]
        return [*(self.logprobs[n] for n in names), -1.0]


def _ranked(*scores: tuple[str, float]):
    from qa.candidates import RankedName

    return [RankedName(n, s, 0.0, s, 0.0, f"{n} did it.") for n, s in scores]


def test_the_judge_re_ranks_only_the_near_best_names_and_those_it_read_stay_first():
    from qa.candidates import JUDGE_WEIGHT, JUDGED_WITHIN, judged

    question = Question("Who else pulled back from Scale AI besides OpenAI?", asks_name=True, excluded=("OpenAI",))
    ranked = _ranked(("Meta", 1.37), ("Google", 1.34), ("Cohere", 1.37 - JUDGED_WITHIN - 0.01))
    judge = _Judge({"Meta": -3.0, "Google": -0.1})
    out = judged(ranked, question, judge)  # type: ignore[arg-type]
    assert [r.name for r in out] == ["Google", "Meta", "Cohere"]  # Cohere, never read, stays last
    assert out[0].score == pytest.approx(1.34 + JUDGE_WEIGHT * -0.1) and out[0].judged == -0.1
    assert {q for q, _ in judge.asked} == {"Who pulled back from Scale AI?"}  # asked of the others
    alone = _ranked(("Meta", 1.37), ("Google", 1.0))
    assert judged(alone, question, judge) == alone  # one name that near: nothing to choose between


def test_the_judge_is_not_asked_to_rank_names_given_together(embedder):
    judge = _Judge({})
    evidence = [_ev(1, "NATO invited Sweden and Finland to join the alliance.", 0.6)]
    question = Question("Which two countries did NATO invite?", asks_name=True, wanted="countries", names_asked=2)
    names = NameRanker(embedder, judge=judge).run(question, evidence, [e.text for e in evidence])  # type: ignore[arg-type]
    assert set(names) == {"Sweden", "Finland"} and judge.asked == []


@pytest.mark.parametrize("run, bare", [
    ("OpenAI CEO Sam Altman", "Sam Altman"),
    ("British Prime Minister Rishi Sunak", "Rishi Sunak"),
    ("Prince Harry", "Prince Harry"),  # an honorific is how he is named
    ("Alexandr Wang", "Alexandr Wang"),
    ("White House Press Secretary", "White House Press Secretary"),  # nothing after the title: kept whole
])
def test_a_name_is_offered_and_read_by_the_judge_without_the_title_before_it(run, bare):
    from qa.candidates import bare_name

    assert bare_name(run) == bare


def test_the_ranker_offers_the_person_not_the_run_with_the_title(embedder):
    from qa.candidates import NameRanker

    question = Question("Who is the CEO of OpenAI?", asks_name=True, wanted=wanted_kind("Who is the CEO of OpenAI?"))
    evidence = [_ev(1, "It was reported Wednesday that OpenAI CEO Sam Altman accused Meta of making giant offers.",
                    0.9)]
    assert NameRanker(embedder).run(question, evidence, [e.text for e in evidence])[0] == "Sam Altman"


@pytest.mark.parametrize("question, text, name, elsewhere", [
    ("Who is Meta's CEO?", "It was reported Wednesday that OpenAI CEO Sam Altman accused Meta.", "Sam Altman", True),
    ("Who is OpenAI's CEO?", "It was reported Wednesday that OpenAI CEO Sam Altman accused Meta.", "Sam Altman", False),
    ("Who is the CEO of OpenAI?", "OpenAI CEO Sam Altman accused Meta.", "Sam Altman", False),
    ("Who is the CEO?", "OpenAI CEO Sam Altman accused Meta.", "Sam Altman", False),  # of no one in particular
    ("Who accused Meta of giant offers?", "OpenAI CEO Sam Altman accused Meta.", "Sam Altman", False),  # no title asked
    ("Who is the UK's prime minister?", "British Prime Minister Rishi Sunak spoke.", "Rishi Sunak", False),
    ("Who is OpenAI's CEO?", "OpenAI's CEO Sam Altman spoke.", "Sam Altman", False),  # a possessive owner
    ("Who is Meta's CEO?", "OpenAI's CEO Sam Altman spoke.", "Sam Altman", True),
    ("Who is Meta's CEO?", "Meta Platforms CEO Mark Zuckerberg spoke.", "Mark Zuckerberg", False),  # one word shared
    ("Who is France's president?", "French President Emmanuel Macron spoke.", "Emmanuel Macron", False),
    ("Who is France's president?", "US President Joe Biden spoke.", "Joe Biden", True),
    ("Which judge blocked Trump's order?", "District Judge Tanya Chutkan ruled.", "Tanya Chutkan", False),  # no owner
    ("Who is Meta's CEO?", "OpenAI CEO Sam Altman spoke.", "", False),
])
def test_a_name_titled_for_someone_the_question_does_not_name_is_not_its_answer(question, text, name, elsewhere):
    from qa.candidates import titled_for_another

    assert titled_for_another(name, text, Question(question, asks_name=True, wanted=wanted_kind(question))) \
        is elsewhere


def test_the_ranker_does_not_offer_another_companys_ceo(embedder):
    question = Question("Who is Meta's CEO?", asks_name=True, wanted=wanted_kind("Who is Meta's CEO?"))
    evidence = [_ev(1, "It was reported Wednesday that OpenAI CEO Sam Altman accused Meta of making giant offers.",
                    0.9)]
    assert NameRanker(embedder).run(question, evidence, [e.text for e in evidence]) == ()  # Meta is what is asked of
    of_openai = Question("Who is OpenAI's CEO?", asks_name=True, wanted=wanted_kind("Who is OpenAI's CEO?"))
    assert NameRanker(embedder).run(of_openai, evidence, [e.text for e in evidence])[0] == "Sam Altman"


def test_the_questions_own_name_is_its_subject():
    from qa.candidates import is_subject

    question = Question("Which company does Meta see as its biggest competitor?", asks_name=True, wanted="company")
    assert is_subject("Meta", question) and is_subject("Meta's", question)
    assert not is_subject("OpenAI", question) and not is_subject("Meta Platforms", question)
    assert not is_subject("", question)


@pytest.mark.parametrize("name, verb, text, done", [
    ("Bloomberg", "reported", "... from other suppliers, Bloomberg reported Wednesday (June 18).", True),
    ("Meta", "acquired", "tech giant Meta has acquired Scale AI", True),  # an auxiliary between
    ("Jane Smith", "met", "Jane Smith and John Smith met the ministers.", True),  # one of two doers
    ("OpenAI", "reported", "OpenAI is reportedly phasing out its involvement", False),  # an adverb, not the verb
    ("OpenAI", "reported", "The OpenAI spokesperson’s confirmation came days after", False),
    ("Sam Altman", "is", "Sam Altman is the CEO", False),  # "Who is ...?" asks no deed
    ("OpenAI", "reported", "OpenAI’s reported move away from Scale AI", False),  # a possessive names no doer
    ("Meta", "founded", "Meta founder Mark Zuckerberg", False),  # a noun, not the verb
    ("Bloomberg", "reported", "Bloomberg reporters said so", False),
    ("Meta", "accused", "Meta accuses OpenAI of poaching", True),  # another form of the verb
])
def test_a_name_does_what_is_asked_when_the_verb_stands_right_after_it(name, verb, text, done):
    from qa.candidates import does

    assert does(name, verb, text) is done


UNIT = ("The OpenAI spokesperson’s confirmation of the move came days after Meta took a 49% stake in Scale and hired "
        "its founder, Alexandr Wang, to join Meta’s new “superintelligence” unit, according to the report.")


@pytest.mark.parametrize("question, thing", [
    ("What is the name of Meta's new AI unit?", ("Meta's new AI unit", "unit")),
    ("What is Meta's new unit called?", ("Meta's new unit", "unit")),
    ("What was the name of the unit that Wang joined?", ("the unit", "unit")),
    ("What's Meta's new unit called?", ("Meta's new unit", "unit")),
    ("What is the name of the startup founded by Wang?", ("the startup", "startup")),
    ("What is the name of the lab Meta created?", ("the lab", "lab")),
    ("What is Scale AI?", ("", "")),
    ("Which unit did Wang join?", ("", "")),
])
def test_a_question_asking_what_a_thing_is_called_gives_the_thing_and_its_noun(question, thing):
    from qa.question import named_thing
    assert named_thing(question) == thing
    assert not thing[0] or asks_for_name(question)


def test_what_the_passages_call_the_thing_asked_is_its_name_even_in_lower_case():
    from qa.candidates import called_names
    ev = [Evidence(n, "d", 0, len(t), t, 0.5, 0.5, 0.5) for n, t in enumerate(
        ["This deal between Meta and Scale AI is a shift in OpenAI's outsourcing strategy.", UNIT,
         "Google runs a research unit called DeepMind.", "Meta set up a unit known as “TBD Lab”.",
         "Meta units named after people fail.", "Meta said “this is very big” for its units."], start=1)]
    assert called_names(Question("What is the name of Meta's new AI unit?"), ev) == ["superintelligence", "TBD Lab"]
    assert called_names(Question("What is Google's research unit called?"), ev) == ["DeepMind"]  # Meta's are not
    assert called_names(Question("Which unit did Wang join?"), ev) == []


def test_names_beyond_the_evidence_come_from_its_articles_or_name_what_the_question_names():
    from qa.candidates import name_pool

    read = [Evidence(1, "wilson", 0, 40, "Russell Wilson will start for Denver.", 0.6, 0.5, 0.6)]
    ranked = [read[0],
              Evidence(0, "browns", 0, 50, "The Cleveland Browns traded for Amari Cooper in March.", 0.5, 0.3, 0.5),
              Evidence(0, "trade", 0, 60, "The Seattle Seahawks traded Wilson in March.", 0.4, 0.3, 0.4),
              Evidence(0, "wilson", 41, 90, "The team sent two first-round picks in the deal.", 0.3, 0.2, 0.3)]
    question = Question("Which team traded Russell Wilson to the Broncos?")
    assert [e.doc_id for e in name_pool(read, ranked, question)] == ["trade", "wilson"]
    for naming_none in ("Which team made the biggest trade?", "Which team made a trade in March?",
                        "Which team made the trade, according to the Cleveland Courier?"):  # nor days, nor outlets
        asked = Question(naming_none, outlets=(("Cleveland Courier",),))
        assert [e.doc_id for e in name_pool(read, ranked, asked)] == ["browns", "trade", "wilson"]
    # a name's word is found at the start of a longer one ("OpenAI" in "OpenAI's"), parts of a hyphenated name apart
    pool = [Evidence(0, "o", 0, 30, "OpenAI's board met on Friday.", 0.5, 0.3, 0.5),
            Evidence(0, "h", 0, 30, "Hamas fighters crossed at dawn.", 0.5, 0.3, 0.5)]
    assert len(name_pool(read, pool, Question("Who leads OpenAI?"))) == 1
    assert len(name_pool(read, pool, Question("Where did the Israel-Hamas war start?"))) == 1


def test_a_name_is_read_as_the_kind_asked_for_by_what_it_adds_to_the_kinds_qualifier(embedder):
    """"WNBA Finals" is no WNBA team: read whole, it fits "WNBA team" by its "WNBA" alone, better than "Las Vegas
    Aces". A name sharing the kind's head, or ending in a word of the kind, is read whole."""
    from qa.candidates import beyond_kind

    assert beyond_kind("WNBA Finals", "WNBA team") == "Finals"
    assert beyond_kind("Las Vegas Aces", "WNBA team") == "Las Vegas Aces"
    assert beyond_kind("Yellowstone National Park", "US national park") == "Yellowstone National Park"
    assert beyond_kind("Tony Awards", "prestigious awards show") == "Tony Awards"
    assert beyond_kind("Major League Pickleball", "major sports league") == "Major League Pickleball"
    assert beyond_kind("WNBA", "WNBA team") == "WNBA"  # nothing else to read
    assert beyond_kind("Yellowstone National Park", "US national parks") == "Yellowstone National Park"
    finals, aces, kind = embedder.encode([beyond_kind("WNBA Finals", "WNBA team"), "Las Vegas Aces", "WNBA team"])
    assert aces @ kind > finals @ kind


def test_the_ranker_reads_a_names_fit_to_the_kind_beyond_the_kinds_qualifier(embedder):
    from qa.candidates import NameRanker
    from qa.evidence import Evidence
    from qa.question import Question, asks_for_name, wanted_kind
    from qa.text import content_terms

    texts = ["The Las Vegas Aces celebrated their first championship on Sunday.",
             "Her team clinched a spot in the WNBA Finals on Tuesday."]
    ev = [Evidence(n, "d", 0, len(t), t, 1.0, 1.0, 1.0, embedder.encode([t])[0]) for n, t in enumerate(texts, 1)]
    text = "Which WNBA team recently won its first championship title?"
    question = Question(text, terms=frozenset(content_terms(text)), asks_name=asks_for_name(text),
                        wanted=wanted_kind(text))
    fit = {r.name: r.fit for r in NameRanker(embedder).rank(question, ev, texts)}
    assert fit["Las Vegas Aces"] > fit["WNBA Finals"]
