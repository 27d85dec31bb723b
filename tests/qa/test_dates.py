"""Dates a question names, explicit or relative to the day it is asked, and `as_of` through the engine."""
from datetime import date

import pytest

from index.articles import Article
from qa.dates import as_of_date, question_dates, relative_filter, within_window
from qa.filters import Filters
from tests.conftest import ScriptedLLM, make_engine

FRIDAY = date(2022, 6, 3)


@pytest.mark.parametrize("question, first, last", [
    ("Which company said this week it would cut jobs?", "2022-05-27", "2022-06-03"),
    ("What NFL star announced his retirement on Tuesday?", "2022-05-31", "2022-06-02"),  # Tuesday, May 31
    ("Who was elected yesterday?", "2022-06-01", "2022-06-03"),
    ("What did the Fed do last month?", "2022-04-02", "2022-06-03"),
])
def test_relative_dates_count_back_from_the_day_asked(question, first, last):
    assert relative_filter(question, FRIDAY) == Filters(date_from=first, date_to=last)


def test_explicit_dates_win_and_no_day_means_no_relative_reading():
    assert question_dates("What happened this week in October 2023?", FRIDAY) == Filters(
        date_from="2023-10-01", date_to="2023-10-31")
    assert question_dates("What happened this week?", None) == Filters()
    assert question_dates("Who founded Scale AI?", FRIDAY) == Filters()


def test_as_of_is_an_iso_date_or_today():
    assert as_of_date("2022-06-03") == FRIDAY and as_of_date(None, today=FRIDAY) == FRIDAY
    with pytest.raises(ValueError, match="ISO date"):
        as_of_date("last Friday")


def test_until_leaves_out_later_articles_and_keeps_undated_ones():
    f = Filters(until="2022-06-03")
    assert f.allows("CNN", "2022-06-03", "a") and f.allows("CNN", "", "b")
    assert not f.allows("CNN", "2022-06-04T09:00:00", "c")
    assert f.with_until("2022-05-01").until == "2022-05-01" and f.with_until("2023-01-01").until == "2022-06-03"


@pytest.fixture
def dated_store(empty_store):
    empty_store.add([
        Article("old", "Acme Corp named Jane Roe as its chief executive on Monday, the company said.",
                title="Acme names Roe", source="Wire", published_at="2022-05-30"),
        Article("new", "Acme Corp named John Doe as its chief executive on Monday, replacing Jane Roe.",
                title="Acme names Doe", source="Wire", published_at="2022-09-05"),
    ])
    return empty_store


def test_articles_dated_after_as_of_are_not_used(dated_store):
    engine = make_engine(dated_store, ScriptedLLM())
    q = "Who did Acme Corp name as chief executive?"
    assert {h.doc_id for h in engine.retrieve(q, as_of="2022-06-03").hits} == {"old"}
    assert {h.doc_id for h in engine.retrieve(q, as_of="2022-09-10").hits} == {"old", "new"}


def test_this_week_prefers_the_articles_of_that_week(dated_store):
    engine = make_engine(dated_store, ScriptedLLM())
    hits = engine.retrieve("Who did Acme Corp name as chief executive this week?", as_of="2022-09-10").hits
    assert hits[0].doc_id == "new"
    hits = engine.retrieve("Who did Acme Corp name as chief executive this week?", as_of="2022-06-03").hits
    assert [h.doc_id for h in hits] == ["old"]


@pytest.mark.parametrize("question, bounded", [
    ("Which company said this week it would cut jobs?", True),
    ("What did the senator say on Tuesday?", True),
    ("Who won the election yesterday?", True),
    ("What did Acme recently announce?", False),  # "recently": newer is better, older still answers
    ("What happened this week in October 2023?", False),  # an explicit date names the reports
    ("Who founded Scale AI?", False),
])
def test_this_week_bounds_the_question_and_recently_does_not(question, bounded):
    assert within_window(question) is bounded


def test_a_this_week_question_is_not_answered_from_an_older_article(dated_store):
    engine = make_engine(dated_store, ScriptedLLM())
    q = "Who did Acme Corp name as chief executive this week?"
    a = engine.answer(q, as_of="2022-07-15")  # the newest article is six weeks older
    assert a.refused and not a.citations
    assert "from 2022-07-08 to 2022-07-15" in a.text
    assert a.closest == []  # nothing from that week to list
    # without "this week", the older articles are searched
    assert engine.retrieve("Who did Acme Corp name as chief executive?", as_of="2022-07-15").hits
