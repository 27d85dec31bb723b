"""Outlets a question names: those of the library ("according to TechCrunch"), and well-known or
referred-to outlets the library may not hold ("as reported by Reuters").

A question that names outlets is about what those outlets reported: `qa.retrieval` searches each one, and
`qa.answerability` refuses by name when the library holds nothing from one. This module only reads names.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable


def _named(name: str) -> re.Pattern:
    """`name` as a whole word run: not inside a word nor after a possessive ("X's"), quotes allowed around."""
    return re.compile(rf"(?<!\w)(?<!\w['’]){re.escape(name)}(?!\w)")


def source_aliases(source: str) -> set[str]:
    """The names an outlet goes by: "BBC News - Technology" is also "BBC News"."""
    aliases = {source.strip()}
    for sep in (" | ", " - ", ": "):
        if sep in source:
            aliases.add(source.split(sep)[0].strip())
    return {a for a in aliases if len(a) >= 3}


# One mention of a known source in a question: (start, end, the group of sources that name matches).
Mention = tuple[int, int, tuple[str, ...]]


def named_sources(question: str, sources: list[str]) -> list[tuple[str, ...]]:
    """Groups of known sources the question names, in order of mention. Matching is case-sensitive
    (outlets are written capitalised), on word boundaries; the longest name at a position wins."""
    return groups_named(mentioned(question, sources))


def groups_named(named: list[Mention]) -> list[tuple[str, ...]]:
    """The groups of `named` (`mentioned`), each once, in order of first mention."""
    return list(dict.fromkeys(group for _, _, group in named))


def outlet_clauses(question: str, named: list[Mention]) -> list[tuple[tuple[str, ...], str]]:
    """(group, the words about it) for each mention (`named`, `mentioned` of the question), in order: the question
    cut where it turns from one mention to the next ("Does the Sporting News article credit Will Lutz with a
    field goal" and "while The New York Times article discusses Connor Bedard's efforts ...?"; "... covers her
    life" and "compared to the control over her career and music discussed in 'The Guardian' article?"), at the
    last strong turn (while, but, compared to, than, ...) between them, else the last "and"/"or", else at the
    mention itself. A question naming an outlet once is one clause, itself."""
    cuts = [0]
    for (_, end, _), (at, _, _) in itertools.pairwise(named):
        joins = list(_TURNS.finditer(question, end, at)) or list(_JOINS.finditer(question, end, at))
        cuts.append(joins[-1].start() if joins else at)
    cuts.append(len(question))
    return [(group, _clause(question, a, b)) for (_, _, group), a, b in zip(named, cuts, cuts[1:], strict=False)]


def _clause(question: str, start: int, end: int) -> str:
    """`question[start:end]`, with the commas, spaces and quotation marks at a cut taken off."""
    edge = " ,'‘’\"“”"
    text = question[start:end]
    text = text.lstrip(edge) if start > 0 else text
    return text.rstrip(edge) if end < len(question) else text


# Where a question turns from one outlet's part to the next ("..., while The New York Times article ...",
# "... compared to the control over her career discussed in 'The Guardian' article"); "and"/"or" only where
# no stronger turn is found ("... her career and music ...").
_TURNS = re.compile(r",?\s*\b(?:while|whereas|but|compared (?:to|with)|in contrast (?:to|with)|as opposed to|"
                    r"than|versus|vs\.?)\b", re.IGNORECASE)
_JOINS = re.compile(r",?\s*\b(?:and|or)\b", re.IGNORECASE)


def mentioned(question: str, sources: list[str]) -> list[Mention]:
    """Each mention of one of `sources` in the question, in order; the longest name at a place wins."""
    matches: list[tuple[int, int, str]] = []
    for alias in sorted({a for s in sources for a in source_aliases(s)}, key=len, reverse=True):
        for m in _named(alias).finditer(question):
            if not any(s <= m.start() < e for s, e, _ in matches):
                matches.append((m.start(), m.end(), alias))
    found: list[Mention] = []
    for at, end, alias in sorted(matches):
        group = tuple(sorted(s for s in sources if alias in source_aliases(s)))
        if group:
            found.append((at, end, group))
    return found


def mentions(question: str, group: tuple[str, ...]) -> int:
    """How many times the question names an outlet of `group` (under its longest matching name)."""
    return max((len(_named(a).findall(question)) for s in group for a in source_aliases(s)), default=0)


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


def outlets_named(question: str, known_words: Callable[[str], bool] | None = None) -> list[str]:
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


def missing_outlets(question: str, sources: list[str],
                    known_words: Callable[[str], bool] | None = None) -> list[str]:
    """Outlets the question names that none of `sources` (the library's outlets) is."""
    held = {_bare(a) for s in sources for a in source_aliases(s)}
    out: list[str] = []
    for name in outlets_named(question, known_words):
        bare = _bare(name)
        if bare in held or any(bare in h for h in held):  # "BBC" is held when "BBC News - Technology" is
            continue
        if name not in out and not any(_bare(o) == bare for o in out):
            out.append(name)
    # "Wall Street Journal" and "The Wall Street Journal" are one outlet: keep the longest spelling
    return [o for o in out if not any(o != p and _bare(o) in _bare(p) for p in out)]
