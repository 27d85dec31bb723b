"""What a "What/Who is <name>?" question is answered with when the reader only writes the name back."""
import pytest

from qa.definitions import defined_name, definition, described, role_owner
from qa.evidence import Evidence

ACQUIRED = ("In a significant move that's reshaping the AI industry, tech giant Meta has acquired Scale AI, a data "
            "labeling startup founded in 2016.")
HIRED = ("The OpenAI spokesperson’s confirmation of the move came days after Meta took a 49% stake in Scale and hired "
         "its founder, Alexandr Wang, to join Meta’s new “superintelligence” unit, according to the report.")
ACCUSED = ("It was reported Wednesday that OpenAI CEO Sam Altman accused Meta of making “giant offers” of $100 million "
           "to poach OpenAI workers.")


@pytest.mark.parametrize("question, asked", [
    ("What is Scale AI?", ("Scale AI", "is")),
    ("who was Queen Elizabeth II?", ("Queen Elizabeth II", "was")),
    ("Who is Meta's CEO?", ("", "")),  # asks for a name, not what one is
    ("What is the biggest threat to the region?", ("", "")),
    ("What is Scale AI's revenue?", ("", "")),
])
def test_only_a_question_asking_what_a_name_is_is_a_definition_question(question, asked):
    assert defined_name(question) == asked


@pytest.mark.parametrize("name, text, description", [
    ("Scale AI", ACQUIRED, "a data labeling startup founded in 2016"),  # an apposition after it
    ("Alexandr Wang", HIRED, "the founder of Scale"),  # a role before it, "its" owner the name before
    ("Sam Altman", ACCUSED, "the OpenAI CEO"),  # a title before it
    ("Mercor", "OpenAI is partnering with Mercor, a startup that hires experts.", "a startup"),
    ("Mercor", "Mercor is an emerging data company.", "an emerging data company"),
    ("Mercor", "the company is partnering with emerging companies like Mercor and focusing on infrastructure",
     "an emerging company"),  # an example of a kind
    ("Adept", "a valuable asset for major AI players like Anthropic, Cohere, and Adept, among others.",
     "a major AI player"),  # one of a list of examples
    ("Google", "Big tech firms such as Google invest.", "a tech firm"),  # a capitalised word is no description
    ("Mercor", "Analysts say rivals like Mercor grow.", "a rival"),  # not the verb before
    ("Meta", "Scale’s biggest clients like Meta", "a client"),  # nor a superlative or a possessive
    ("Oracle", "emerging companies like Mercor and focusing on partnerships with Oracle", ""),  # after the list
    ("Meta", ACQUIRED, ""),  # "Meta has acquired Scale AI, a ...": the apposition is Scale AI's
    ("Scale", HIRED, ""),
])
def test_what_a_passage_calls_a_name_is_read_next_to_it(name, text, description):
    assert described(name, text) == description


def test_the_first_passage_describing_the_name_answers_with_a_sentence_it_supports():
    ev = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate([HIRED, ACQUIRED], start=1)]
    found = definition("What is Scale AI?", ev)
    assert found is not None and found.passage is ev[1]
    assert found.sentence == "Scale AI is a data labeling startup founded in 2016"
    assert definition("Who founded Scale AI?", ev) is None


@pytest.mark.parametrize("name, text, role", [
    ("Alexandr Wang", HIRED, ("founder", "Scale")),  # "its": the name before it
    ("Sam Altman", ACCUSED, ("CEO", "OpenAI")),  # a title before it
    ("Sam Altman", "Meta’s CEO, Sam Altman, said so.", ("CEO", "Meta")),
    ("Scale", HIRED, ("", "")),
])
def test_whose_role_a_passage_gives_a_name_is_read_next_to_it(name, text, role):
    assert role_owner(name, text) == role


def test_a_question_asking_whose_role_a_name_has_is_answered_by_the_role_its_passage_gives(seed_store):
    from qa.candidates import asked_roles
    from qa.question import QuestionAnalyzer

    ev = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate([ACQUIRED, HIRED, ACCUSED], start=1)]
    snap = seed_store.snapshot()
    founded = asked_roles(QuestionAnalyzer().run("What company did Alexandr Wang found?", snap), ev)
    assert [(r.owner, r.role, r.passage.number) for r in founded] == [("Scale", "founder", 2)]
    runs = asked_roles(QuestionAnalyzer().run("Which company does Sam Altman run?", snap), ev)
    assert [(r.owner, r.role) for r in runs] == [("OpenAI", "CEO")]  # running is what a CEO does
    assert asked_roles(QuestionAnalyzer().run("Who did Sam Altman accuse?", snap), ev) == []  # not asked


ANNOUNCED = ("Scale announced in a June 12 press release that it received a “significant investment” from Meta, and "
             "that Wang will join Meta while also continuing to serve as a director on Scale’s board of directors.")


@pytest.mark.parametrize("question, asked", [
    ("What is Alexandr Wang's role on Scale's board?", ("Alexandr Wang", " on Scale's board")),
    ("What job does Sam Altman have?", ("Sam Altman", "")),
    ("What is Alexandr Wang's new role at Meta?", ("Alexandr Wang", " at Meta")),
    ("What is the role of Meta?", ("", "")),
    ("Who is Alexandr Wang?", ("", "")),
])
def test_a_question_asking_a_named_person_s_role_gives_the_person_and_where(question, asked):
    from qa.definitions import role_asked

    assert role_asked(question) == asked


def test_a_role_is_answered_from_the_first_passage_giving_one_where_the_question_asks():
    from qa.definitions import role_definition

    ev = [Evidence(n, "d", 0, len(t), t, 0.9, 0.9, 0.9) for n, t in enumerate([HIRED, ANNOUNCED, ACCUSED], start=1)]
    board = role_definition("What is Alexandr Wang's role on Scale's board?", ev)
    assert board is not None and board.passage is ev[1]  # "the founder of Scale" is no role on its board
    assert board.sentence == "Alexandr Wang serves as a director on Scale’s board of directors"
    anywhere = role_definition("What is Alexandr Wang's role?", ev)
    assert anywhere is not None and anywhere.sentence == "Alexandr Wang is the founder of Scale"
    assert role_definition("What is Alexandr Wang's role at Meta?", ev) is None  # no passage gives one there
    droege = "Wang will join Meta, and Scale chief strategy officer Jason Droege will serve as the interim CEO of Scale."
    other = [Evidence(1, "d", 0, len(droege), droege, 0.9, 0.9, 0.9)]
    assert role_definition("What is Alexandr Wang's role at Scale?", other) is None  # another's role
    job = role_definition("What job does Sam Altman have?", ev)
    assert job is not None and job.sentence == "Sam Altman is the OpenAI CEO" and job.passage is ev[2]
