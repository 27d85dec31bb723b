"""Dates a question names ("in October 2023", "before November 11, 2023"), read as a `Filters` date range.

It reads only explicit month-and-year dates; it does not resolve relative dates ("last week").
"""
from __future__ import annotations

import calendar
import re

from qa.filters import Filters
from qa.text import MONTH_NUMBERS, MONTH_PATTERN

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
