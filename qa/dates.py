"""Dates a question names, read as a `Filters` date range: explicit ones ("in October 2023", "before November
11, 2023") and, counted back from the day the question is asked, relative ones ("this week", "on Tuesday",
"last month", "recently").

It only reads dates; the retriever decides how a date range is used (`qa.retrieval.NewsRetriever`).
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from qa.filters import Filters
from qa.text import MONTH_NUMBERS, MONTH_PATTERN, WEEKDAY_PATTERN

_DATE = re.compile(
    r"\b(?P<rel>before|after|since|until|by|on|in|during|published on|published in)?\s*"
    rf"(?P<month>{MONTH_PATTERN[1:-1]})"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)


def date_filter(question: str) -> Filters:
    """The date range the question's first explicit date asks for ("in October 2023" is the whole month,
    "after October 2023" starts on its last day); an empty `Filters` when it names none."""
    m = _DATE.search(question)
    if not m:
        return Filters()
    year, month = int(m.group("year")), MONTH_NUMBERS[m.group("month").lower()]
    day = int(m.group("day")) if m.group("day") else None
    rel = (m.group("rel") or "").lower()
    first = f"{year:04d}-{month:02d}-{day or 1:02d}"
    last = f"{year:04d}-{month:02d}-{day or calendar.monthrange(year, month)[1]:02d}"
    if rel in ("before", "until", "by"):
        return Filters(date_to=first if rel == "before" else last)
    if rel in ("after", "since"):
        return Filters(date_from=last if rel == "after" else first)
    return Filters(date_from=first, date_to=last)


# ---- dates relative to when the question is asked ------------------------------------------------------------

def as_of_date(value: date | str | None, today: date | None = None) -> date:
    """The day a question is asked: `value` (a date or an ISO date string), else today."""
    if value is None or value == "":
        return today or date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as e:
        raise ValueError(f"as_of must be an ISO date such as 2022-06-03, got {value!r}") from e


_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
# (pattern, days back from as_of to start the range). News about an event is published on its day or the
# days after, so each range runs up to the day the question is asked.
_WINDOWS = (
    (re.compile(r"\b(today|tonight|this morning|this afternoon|this evening)\b", re.I), 1),
    (re.compile(r"\byesterday\b", re.I), 2),
    (re.compile(r"\b(this|past|last few|the past) (week|days)\b|\bthis week(end)?'?s?\b", re.I), 7),
    (re.compile(r"\blast week(end)?\b", re.I), 14),
    (re.compile(r"\b(this|past) month\b", re.I), 31),
    (re.compile(r"\blast month\b", re.I), 62),
)
# "Recently" and "latest" say the newer the better, not within which days: the newest articles are preferred,
# older ones still used.
_RECENT = re.compile(r"\b(recent|recently|latest|newest|most recent|this year)\b", re.I)
RECENT_DAYS = 92
_RELATIVE = (*_WINDOWS, (_RECENT, RECENT_DAYS))
_ON_WEEKDAY = re.compile(rf"\b(?:on|last|this) {WEEKDAY_PATTERN}\b|\b{WEEKDAY_PATTERN}'s\b", re.I)


def relative_filter(question: str, as_of: date) -> Filters:
    """The date range a question's relative time words ask for, counted back from `as_of` ("this week": the
    seven days up to it; "on Tuesday": the latest Tuesday up to it and the two days after); empty when the
    question has none."""
    m = _ON_WEEKDAY.search(question)
    if m:
        wanted = _WEEKDAYS[next(g for g in m.groups() if g).lower()]
        day = as_of - timedelta(days=(as_of.weekday() - wanted) % 7)
        return Filters(date_from=day.isoformat(), date_to=min(day + timedelta(days=2), as_of).isoformat())
    for pattern, days in _RELATIVE:
        if pattern.search(question):
            return Filters(date_from=(as_of - timedelta(days=days)).isoformat(), date_to=as_of.isoformat())
    return Filters()


def within_window(question: str) -> bool:
    """Whether the question's relative time words bound what it asks about ("this week", "yesterday", "on
    Tuesday", "last month"): an article from outside those days does not answer it. "Recently" and "latest"
    do not bound it. An explicit date ("in October 2023") names the reports asked about, not always the event,
    and does not bound it either."""
    return not date_filter(question) and bool(_ON_WEEKDAY.search(question)
                                               or any(p.search(question) for p, _ in _WINDOWS))


def question_dates(question: str, as_of: date | None) -> Filters:
    """The dates a question names: an explicit date first; else, when it is asked on a known day, its
    relative time words."""
    explicit = date_filter(question)
    if explicit or as_of is None:
        return explicit
    return relative_filter(question, as_of)
