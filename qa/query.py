"""Reading a question for retrieval: the outlets it names ("according to TechCrunch"), the dates it
names ("in October 2023", "before November 11, 2023"), and the proper names it asks about.

MultiHop-RAG's questions typically name two to four outlets, one per fact to find; a sub-query restricted to
each named outlet finds each fact, where one pooled query tends to find only the easiest.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from qa.retrieval import Filters

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_DATE = re.compile(
    r"\b(?P<rel>before|after|since|until|by|on|in|during|published on|published in)?\s*"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True)
class QueryPlan:
    source_filters: tuple[Filters, ...]  # one per named outlet (or group of outlets sharing the name)
    date_filter: Filters  # empty when the question names no date


def _named(name: str) -> re.Pattern:
    """`name` as a whole word run: not inside a word nor after a possessive ("X's"), quotes allowed around."""
    return re.compile(rf"(?<!\w)(?<!\w['’]){re.escape(name)}(?!\w)")


def source_aliases(source: str) -> set[str]:
    aliases = {source.strip()}
    for sep in (" | ", " - ", ": "):
        if sep in source:
            aliases.add(source.split(sep)[0].strip())
    return {a for a in aliases if len(a) >= 3}


def named_sources(question: str, sources: list[str]) -> list[tuple[str, ...]]:
    """Groups of known sources the question names, in order of mention. Matching is case-sensitive
    (outlets are written capitalised), on word boundaries; the longest name at a position wins."""
    matches = []  # (start, end, alias)
    for alias in sorted({a for s in sources for a in source_aliases(s)}, key=len, reverse=True):
        for m in _named(alias).finditer(question):
            if not any(s <= m.start() < e for s, e, _ in matches):
                matches.append((m.start(), m.end(), alias))
    groups = []
    for _s, _e, alias in sorted(matches):
        group = tuple(sorted(s for s in sources if alias in source_aliases(s)))
        if group and group not in groups:
            groups.append(group)
    return groups


def mentions(question: str, group: tuple[str, ...]) -> int:
    """How many times the question names an outlet of `group` (under its longest matching name)."""
    return max((len(_named(a).findall(question)) for s in group for a in source_aliases(s)), default=0)


def date_filter(question: str) -> Filters:
    m = _DATE.search(question)
    if not m:
        return Filters()
    year, month = int(m.group("year")), _MONTHS[m.group("month").lower()]
    day = int(m.group("day")) if m.group("day") else None
    rel = (m.group("rel") or "").lower()
    first = f"{year:04d}-{month:02d}-{day or 1:02d}"
    last = f"{year:04d}-{month:02d}-{day or calendar.monthrange(year, month)[1]:02d}"
    if rel in ("before", "until", "by"):
        return Filters(date_to=first if rel == "before" else last)
    if rel in ("after", "since"):
        return Filters(date_from=last if rel == "after" else first)
    return Filters(date_from=first, date_to=last)


def plan(question: str, sources: list[str]) -> QueryPlan:
    return QueryPlan(tuple(Filters(sources=g) for g in named_sources(question, sources)), date_filter(question))


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’.-]*[a-z0-9](?:\s+[A-Z][\w'’.-]*[a-z0-9])*")


def proper_names(question: str, ignore: set[str] = frozenset()) -> list[str]:
    """Capitalised word runs that are not the question's first word nor a named outlet."""
    names = []
    for m in _NAME.finditer(question):
        name = re.sub(r"['’]s$", "", m.group(0)).strip("'’")  # "Valve's" is about Valve
        if name and name not in ignore and not any(name in a for a in ignore):
            names.append(name)
    return names


def planned_search(retriever, question: str, *, filters: Filters | None = None, top_k: int = 10):
    """Search for `question`: with explicit `filters`, one filtered search; otherwise one search per outlet
    the question names (and one within the dates it names), interleaved with the plain search so that
    each named outlet contributes its best chunks. Returns a `SearchResult` whose scores-of-record
    (max_dense, max_keyword) come from the plain search."""
    if filters:
        return retriever.search(question, filters=filters, top_k=top_k)
    snap = retriever.store.snapshot()
    p = plan(question, snap.sources)
    base = retriever.search(question, top_k=top_k)
    base.source_groups = tuple(f.sources for f in p.source_filters)
    base.source_mentions = tuple(mentions(question, f.sources) for f in p.source_filters)
    subs = []
    for f in p.source_filters:
        f = Filters(sources=f.sources, date_from=p.date_filter.date_from, date_to=p.date_filter.date_to)
        subs.append(retriever.search(question, filters=f, top_k=top_k).hits)
    if p.date_filter and not p.source_filters:
        subs.append(retriever.search(question, filters=p.date_filter, top_k=top_k).hits)
    if not subs:
        return base
    merged, seen = [], set()
    lists = [*subs, base.hits]
    for i in range(top_k):
        for hits in lists:
            if i < len(hits) and hits[i].row not in seen and len(merged) < top_k:
                seen.add(hits[i].row)
                merged.append(hits[i])
    for rank, h in enumerate(merged, start=1):
        h.rank = rank
    base.hits = merged
    return base


# Outlets a question may ask about. A question that asks what an outlet reported ("according to Reuters", "a
# Bloomberg report") cannot be answered from a library that holds nothing from that outlet, however close
# other articles come: answering from other outlets would put words in that outlet's mouth. Outlets are
# recognised by name (well-known ones) or by how the question refers to them ("reported by X", "an X article").
KNOWN_OUTLETS = (
    "Reuters", "Bloomberg", "The Wall Street Journal", "Wall Street Journal", "WSJ", "The Washington Post",
    "Washington Post", "The New York Times", "New York Times", "CNN", "CNBC", "CNET", "ESPN", "BBC", "BBC News",
    "BBC Sport", "BBC Sports", "Associated Press", "AP News", "Forbes", "Business Insider", "Insider", "Axios",
    "Politico", "NPR", "NBC News", "ABC News", "CBS News", "Fox News", "Los Angeles Times", "USA Today",
    "The Economist", "Financial Times", "The Telegraph", "Daily Mail", "Al Jazeera", "The Atlantic", "Newsweek",
    "VentureBeat", "Ars Technica", "ZDNet", "Gizmodo", "Variety", "Billboard", "Rolling Stone",
    "The Hollywood Reporter", "Deadline", "IGN", "Kotaku", "GameSpot", "Yahoo Finance", "MarketWatch",
    "Barron's", "The Information", "Quartz", "The Hindu", "Times of India", "The Economic Times",
    "Economic Times", "YourStory", "Nikkei", "South China Morning Post", "Der Spiegel", "Le Monde",
    "Bleacher Report", "The Athletic", "Sky News", "The Guardian", "The Independent", "TechCrunch",
    "The Verge", "Wired", "Engadget", "Mashable", "Fortune", "Polygon", "Sporting News", "Yahoo News",
    "Sky Sports", "TalkSport", "Seeking Alpha", "Hacker News", "BBC Radio 1",
)
_OUTLET_NAME = r"(?:The\s+)?[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|&|of))*"
_OUTLET_CONTEXT = (
    re.compile(rf"(?:reported by|published by|according to|reports? (?:from|by|in)|articles? (?:from|by|in)|"
               rf"pieces? (?:from|by|in)|another (?:one )?(?:from|by|in))\s+(?:both\s+|the\s+|a\s+|an\s+)?"
               rf"['‘\"“]?({_OUTLET_NAME})"),
    re.compile(rf"({_OUTLET_NAME})['’\"”]?\s+(?:article|report|story|piece|blog)s?\b"),
)
_LEADING = re.compile(r"^(?:A|An|Both|Considering|Based|After|Before|Between|Does|Did|Do|Is|Was|Has|Had|If|"
                      r"In|On|While|When|What|Which|Who)\s+")


def _bare(name: str) -> str:
    name = re.sub(r"['’]s?$", "", name.strip(" '’\"”“‘"))
    return re.sub(r"^the\s+", "", name.lower())


def outlets_named(question: str, known_words=None) -> list[str]:
    """Names the question uses as outlets. `known_words(name)` (optional) tells whether the library's text
    mentions a name: a name found only by its context ("the Taylor Swift coverage") that the articles mention
    is a subject, not an outlet."""
    at = {}
    for name in KNOWN_OUTLETS:
        m = _named(name).search(question)
        if m:
            at[name] = m.start()
    found = sorted(at, key=lambda n: (at[n], -len(n)))  # in order of mention, the longest name first
    known = {_bare(n) for n in KNOWN_OUTLETS}
    for pattern in _OUTLET_CONTEXT:
        for m in pattern.finditer(question):
            name = _LEADING.sub("", m.group(1)).strip()
            bare = _bare(name)
            if not bare or bare in known:
                continue
            if known_words is not None and known_words(name):
                continue
            found.append(re.sub(r"['’]s?$", "", name))
            known.add(bare)
    return found


def missing_outlets(question: str, sources: list[str], known_words=None) -> list[str]:
    """Outlets the question names that none of `sources` (the library's outlets) is."""
    held = {_bare(a) for s in sources for a in source_aliases(s)}
    out = []
    for name in outlets_named(question, known_words):
        bare = _bare(name)
        if bare in held or any(bare in h for h in held):  # "BBC" is held when "BBC News - Technology" is
            continue
        if name not in out and not any(_bare(o) == bare for o in out):
            out.append(name)
    # "Wall Street Journal" and "The Wall Street Journal" are one outlet: keep the longest spelling
    return [o for o in out if not any(o != p and _bare(o) in _bare(p) for p in out)]
