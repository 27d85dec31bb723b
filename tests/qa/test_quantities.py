"""Which figure a "How many/much ...?" answer gives: the figures a sentence holds, the unit a question asks
for, and the evidence's figures ranked by the real sentence embedder (no stand-in)."""
import pytest

from qa.evidence import Evidence
from qa.question import Question, answer_type
from qa.quantities import QuantityRanker, answered_with_figure, figures, wanted_unit
from qa.text import clip, content_terms


@pytest.mark.parametrize("text, found", [
    ("An anonymous bidder paid a record-breaking $19 million for a private lunch.", ["$19 million"]),
    ("In a new survey, 60% of US adults disapprove, while 40 percent approve.", ["60%", "40 percent"]),
    ("The recall affects 2 million MamaRoo swings and 220,000 RockaRoo rockers.", ["2 million", "220,000"]),
    ("A 17-year-old has become the youngest person to fly around the world solo.", ["17"]),
    ("Two million customers lost power.", ["Two million"]),
    ("Eleven million people and fourteen thousand firms filed.", ["Eleven million", "fourteen thousand"]),
    ("The quake hit at 8:43 a.m. on July 6, 2022, the 62nd of the year.", []),  # a time, a day, a year, an ordinal
    ("Gas costs $4.32 a gallon.", ["$4.32"]),
])
def test_figures_are_amounts_percentages_and_counts(text, found):
    assert [f for f, _, _ in figures(text)] == found
    assert all(text[s:e] == f for f, s, e in figures(text))  # spans of the text itself


@pytest.mark.parametrize("question, unit", [
    ("According to a recent survey, what percentage of US adults disapprove of the decision?", "percent"),
    ("Gas prices hit a record. On average, how much does a gallon of regular gas cost?", "money"),
    ("How much did Meta invest in Scale AI?", "money"),
    ("How many hot dogs did Joey Chestnut devour?", "count"),
    ("How old is he?", "count"),
    ("How much plastic in the US is actually recycled?", ""),  # a share or a weight: unsaid
    ("How big was Meta's planned investment in Scale reported to be?", "money"),  # not "100 investors"
    ("How big is the crowd?", ""),
    ("A new law could raise the minimum wage to which hourly amount?", "money"),
    ("US household debt passed which massive figure this week?", ""),
    ("What share of US adults disapprove of the decision to overturn Roe v. Wade?", "percent"),  # not "Wade?"
])
def test_the_unit_asked_for(question, unit):
    assert wanted_unit(question) == unit


def test_which_figure_questions_ask_for_a_quantity():
    assert answer_type("US household debt passed which massive figure this week?") == "quantity"
    assert answer_type("Which company's stock fell most?") == ""


def test_the_question_is_stated_with_the_figure_as_its_answer():
    assert answered_with_figure("How many hot dogs did Joey Chestnut devour?", "63") == \
        "63 hot dogs did Joey Chestnut devour"
    assert answered_with_figure("Gas hit a record. On average, what price did a gallon reach?", "$5") == \
        "On average, $5 did a gallon reach"
    assert answered_with_figure("US household debt passed which massive figure this week?", "$16 trillion") == \
        "US household debt passed $16 trillion this week"


def _ev(n: int, text: str, score: float) -> Evidence:
    return Evidence(n, f"d{n}", 0, len(text), text, score, score, score)


def _question(text: str) -> Question:
    return Question(text, terms=frozenset(content_terms(text)), answer_type=answer_type(text))


def test_the_figure_answering_what_is_asked_comes_first(embedder):
    question = _question("According to a recent survey, what percentage of US adults disapprove of the "
                         "Supreme Court's decision to overturn Roe v. Wade?")
    evidence = [
        _ev(1, "That is similar to another poll: 56% of US adults oppose the court's decision, 40% support it.", 0.79),
        _ev(2, "In a new Monmouth University survey released on Tuesday, 60% of US adults disapprove of the "
               "Supreme Court's decision to overturn Roe v. Wade, with just 37% approving of the ruling.", 0.94),
        _ev(3, "The survey of 1,200 adults was conducted by telephone in 2022.", 0.5),
    ]
    ranked = QuantityRanker(embedder).rank(question, evidence)
    assert ranked[0].figure == "60%"
    assert "1,200" not in [r.figure for r in ranked]  # not a percentage
    assert QuantityRanker(embedder).run(question, evidence) == ("60%",)  # the best alone


def test_no_figure_is_offered_when_none_stands_near_what_is_asked(embedder):
    """"100 investors" and "$100 million" offers to poach workers do not count Scale AI's employees."""
    question = _question("How many employees does Scale AI have?")
    evidence = [
        _ev(1, "With more than 100 investors, Scale AI provides annotated datasets for training AI models.", 0.6),
        _ev(2, "Sam Altman accused Meta of making giant offers of $100 million to poach OpenAI workers.", 0.5),
    ]
    assert QuantityRanker(embedder).run(question, evidence) == ()


def test_a_figure_standing_among_two_names_the_question_relates_answers_it(embedder):
    """"acquire" is not said, but "49%" stands between Meta and Scale; a figure beside one of them only
    ("$100 million" offers to poach OpenAI workers, "6 to 12 months") is not offered."""
    question = _question("How much of Scale did Meta acquire?")
    evidence = [
        _ev(1, "Sam Altman accused Meta of making giant offers of $100 million to poach OpenAI workers.", 0.7),
        _ev(2, "The confirmation came days after Meta took a 49% stake in Scale and hired its founder.", 0.6),
        _ev(3, "Scale's relationship with OpenAI was winding down over the past six to 12 months.", 0.6),
    ]
    assert QuantityRanker(embedder).run(question, evidence) == ("49%",)
    assert QuantityRanker(embedder).run(question, evidence[:1] + evidence[2:]) == ()
    # a share of something else the name has must stand near it; "per share" asks for money
    assert QuantityRanker(embedder).run(_question("What percentage of Scale's revenue comes from Meta?"),
                                        evidence) == ()
    assert QuantityRanker(embedder).run(_question("How much did Meta pay per share for Scale AI?"), evidence) == ()


def test_a_figure_beside_another_form_of_the_word_asked_answers_it(embedder):
    """"sell" is asked; "sold", "sale" and "bought" stand by the price."""
    question = _question("How much did the Broncos sell for?")
    evidence = [_ev(1, "Walmart heir Rob Walton and his family bought the Broncos for $4.65 billion, a global "
                       "record for a professional sports franchise.", 0.7),
                _ev(2, "The Broncos' stadium, 21 years old, lacks the revenue-producing features of new venues.", 0.6)]
    assert QuantityRanker(embedder).run(question, evidence) == ("$4.65 billion",)
    sale = [_ev(1, "The record $4.65 billion sale of the Denver Broncos was approved on Tuesday.", 0.7)]
    assert QuantityRanker(embedder).run(question, sale) == ("$4.65 billion",)
    revenue = [_ev(1, "Walmart, whose sales reached $611 billion, is run by the Walton family.", 0.7)]
    assert QuantityRanker(embedder).run(question, revenue) == ()  # sales are revenue, not a sale
    paid = _question("How much did Walton pay for the Broncos?")
    assert QuantityRanker(embedder).run(paid, evidence) == ("$4.65 billion",)


def test_a_words_forms_count_once_near_a_figure():
    from qa.quantities import _asked_near, with_forms
    asked = with_forms(frozenset({"sell"}))
    assert {"sold", "bough", "sale"} <= asked and "sales" not in asked
    assert _asked_near({"sold", "bough", "purch"}, asked) == 1
    assert _asked_near({"sold", "stake"}, with_forms(frozenset({"sell", "stake"}))) == 2


def test_an_age_stands_by_the_name_asked_of(embedder):
    question = _question("How old is Rob Walton?")
    evidence = [_ev(1, "With an estimated worth of $60 billion, the 77-year-old Walton becomes the wealthiest owner "
                       "in the league.", 0.6),
                _ev(2, "The stadium is only 21 years old, and Hackett, 46, is the new coach.", 0.6)]
    assert QuantityRanker(embedder).run(question, evidence) == ("77",)
    assert QuantityRanker(embedder).run(question, evidence[1:]) == ()  # ages, but of others
    for other in ("Rob Walton's 5-year-old grandson was there.", "Walton's 46-year-old coach spoke.",
                  "Sam Walton, 74, founded Walmart.", "Walton, $60 billion, is the richest.",
                  "Walton repealed a 77-year-old law."):
        assert QuantityRanker(embedder).run(question, [_ev(1, other, 0.6)]) == (), other
    for given in ("Rob Walton, 77, bought the team.", "The deal was led by the 77-year-old Rob Walton."):
        assert QuantityRanker(embedder).run(question, [_ev(1, given, 0.6)]) == ("77",), given
    assert QuantityRanker(embedder).run(_question("How old is Nathaniel Hackett?"), evidence) == ("46",)


def test_figures_the_question_gives_are_not_answers(embedder):
    question = _question("Which country was shaken by a 7.0-magnitude earthquake that killed how many people?")
    evidence = [_ev(1, "The 7.0-magnitude quake killed at least 5 people in northern Luzon.", 0.8)]
    assert QuantityRanker(embedder).run(question, evidence) == ("5",)


def test_a_long_quote_is_clipped_around_the_answer_it_is_shown_for():
    text = ("At the same time, a public consensus has emerged that former President Donald Trump acted at least "
            "unethically in trying to hold on to his office after the 2020 election (79% feel he acted either "
            "unethically or illegally, including 45% who believe his actions were illegal), and more besides.")
    shown = clip(text, around="79%")
    assert "79%" in shown and shown.startswith("… ") and shown.endswith(" …") and len(shown) <= 164
    assert shown.strip("… ") in text  # an exact part of the quote
    assert clip(text) == clip(text, around="At the same")  # the opening holds it: cut as before
    assert clip("short", around="79%") == "short"


def test_a_long_quote_shown_for_a_verdict_is_clipped_to_the_part_about_the_question():
    from qa.text import content_terms

    text = ("Scale announced in a June 12 press release that it received a “significant investment” from Meta, that "
            "the companies’ agreement will “substantially expand” their commercial relationship, and that Wang will "
            "join Meta while also continuing to serve as a director on Scale’s board of directors.")
    shown = clip(text, terms=content_terms("Will Wang stay on Scale's board?"))
    assert "Wang" in shown and "board" in shown and shown.startswith("… ") and shown.strip("… ") in text
    assert clip(text, terms=content_terms("Did Meta make a significant investment?")) == clip(text)  # the opening



def test_a_figure_given_twice_is_stated_once(embedder):
    """The question answered with a figure is embedded once per figure, not once per place it stands."""
    seen: list[str] = []

    class Counting:
        def encode(self, texts):
            seen.extend(texts)
            return embedder.encode(texts)

    question = _question("What percentage of US adults disapprove of the decision?")
    evidence = [_ev(1, "60% of US adults disapprove of the decision, a new poll finds.", 0.8),
                _ev(2, "In the poll, 60% of adults said they disapprove; 37% approve.", 0.7)]
    ranked = QuantityRanker(Counting()).rank(question, evidence)
    assert [r.figure for r in ranked][:1] == ["60%"]
    assert seen.count(answered_with_figure(question.text, "60%")) == 1


def test_a_percent_sign_stands_for_the_percentage_asked_about(embedder):
    """"What percentage ...?" is answered by "49%", though the sentence says "took a stake", not "bought"."""
    question = _question("What percentage of Scale did Meta buy?")
    evidence = [_ev(1, "The confirmation came days after Meta took a 49% stake in Scale and hired its founder.", 0.7),
                _ev(2, "Scale AI was founded in 2016 and has more than 100 investors.", 0.5)]
    assert QuantityRanker(embedder).run(question, evidence) == ("49%",)
    from qa.text import spelled_percent

    assert spelled_percent("a 49% stake, 3.5 % more") == "a 49 percent stake, 3.5 percent more"
    assert spelled_percent("100%-owned") == "100 percent-owned"
