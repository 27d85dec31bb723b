"""What the articles call the name a "What is X?" or "Who is X?" question asks about.

News sentences say what a name is in passing, rarely in a sentence of their own: "Meta has acquired Scale AI, a
data labeling startup founded in 2016", "hired its founder, Alexandr Wang", "OpenAI CEO Sam Altman". A small
reader asked "What is Scale AI?" tends to write the name back ("Scale AI."), which checking rightly drops; the
description is then read off the passage itself and stated as the answer: "Scale AI is a data labeling startup
founded in 2016", cited to the sentence it comes from. Every word of it but the verb (and "the ... of" around a
role whose owner the passage gives as "its") stands in that sentence, next to the name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from qa.evidence import Evidence
from qa.text import content_terms, name_runs, singular

# "What is Scale AI?", "Who was Alexandr Wang?": a name (capitalised words) and nothing else asked of it.
_ASKS_WHAT = re.compile(r"^\s*(?i:what|who)\s+(?P<verb>is|was)\s+(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})"
                        r"\s*\?*\s*$")
# What a description may hold: words up to the end of its clause (comma, semicolon, parenthesis, full stop
# followed by a space or the end, a quote mark, or a relative clause's opening).
_PHRASE = r"[^,;:()“”\"]+?(?=[,;:()“”\"]|\.(?:\s|$)|\s+(?:who|which|that|whose)\b|$)"
_TITLES = r"CEO|CFO|CTO|COO|chief executive|founder|co-founder|chairman|chairwoman|president|spokesperson"
MAX_WORDS = 14  # a description longer than this is a clause, not what the name is


@dataclass(frozen=True)
class Definition:
    sentence: str  # "Scale AI is a data labeling startup founded in 2016"
    description: str  # "a data labeling startup founded in 2016"
    passage: Evidence  # the sentence it is read from


def defined_name(question: str) -> tuple[str, str]:
    """(the name, "is" or "was") when `question` asks only what or who a name is; else ("", "")."""
    m = _ASKS_WHAT.match(question)
    if not m or re.search(r"['’]s?\b", m.group("name")):  # "Who is Meta's CEO?" asks for a name
        return "", ""
    return m.group("name"), m.group("verb")


def definition(question: str, evidence: list[Evidence]) -> Definition | None:
    """What the first of `evidence` that says what the asked name is calls it, as a sentence; None when the
    question is not "What/Who is <name>?" or no passage describes the name in one of the ways above."""
    name, verb = defined_name(question)
    if not name:
        return None
    for e in evidence:
        description = described(name, e.text)
        if description:
            return Definition(f"{name} {verb} {description}", description, e)
    return None


# "What is Alexandr Wang's role on Scale's board?", "What job does Sam Altman have?": a name's role asked.
_NAME = r"(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&.-]*){0,3}?)"
_ROLE_WORDS = r"(?:role|job|position|title|post)"
_ASKS_ROLE = (
    re.compile(rf"^\s*(?i:what)\s+(?:is|was|will\s+be)\s+{_NAME}['’]s?\s+(?:(?i:new|current|former)\s+)?"
               rf"(?i:{_ROLE_WORDS})\b(?P<rest>[^?]*)\?*\s*$"),
    re.compile(rf"^\s*(?i:what)\s+(?i:{_ROLE_WORDS})\s+(?:does|did|will|do)\s+{_NAME}\s+(?:have|hold|play|take|fill)"
               rf"\b(?P<rest>[^?]*)\?*\s*$"),
)
# "Wang will join Meta while also continuing to serve as a director on Scale’s board of directors".
_SERVES = r"\b(?:serve|serves|served|serving|act|acts|acting|remain|remains|stay|stays)\s+as\s+"


def role_asked(question: str) -> tuple[str, str]:
    """(the name, where) when `question` asks what role a name has (a person's, mostly): ("Alexandr Wang", " on Scale's
    board") for "What is Alexandr Wang's role on Scale's board?"; else ("", "")."""
    for pattern in _ASKS_ROLE:
        m = pattern.match(question)
        if m:
            return m.group("name"), m.group("rest")
    return "", ""


def role_definition(question: str, evidence: list[Evidence]) -> Definition | None:
    """What the first passage giving the asked person a role (holding the words the question gives for where)
    says it is: "Alexandr Wang serves as a director on Scale’s board of directors" from "... Wang will join Meta
    while also continuing to serve as a director on Scale’s board of directors"; "Sam Altman is the OpenAI CEO"
    from "OpenAI CEO Sam Altman accused Meta ...". None when no passage does: "the founder of Scale" is not his
    role at Meta."""
    name, where = role_asked(question)
    if not name:
        return None
    last = re.escape(name.split()[-1])
    for e in evidence:
        m = re.search(rf"(?<![\w-]){last}(?![\w-])(?P<gap>[^.;]{{0,120}}?){_SERVES}(?P<what>(?:a|an|the|its)\s+"
                      rf"{_PHRASE})", e.text)
        found = [(f"{name} serves as {m.group('what').strip()}", m.group("what").strip())] if m and _same_subject(
            m.group("gap")) else []
        description = described(name, e.text)
        found += [(f"{name} is {description}", description)] if description else []
        for sentence, what in found:
            if len(what.split()) <= MAX_WORDS and content_terms(where) <= content_terms(what):
                return Definition(sentence, what, e)
    return None


def _same_subject(gap: str) -> bool:
    """Whether the words between a name and "serve as ..." keep the name as who serves: "Wang will join Meta while
    also continuing to"; not "Wang will join Meta, and Scale chief strategy officer Jason Droege will" (another
    clause, another person)."""
    return not re.search(r",\s*(?:and|but|while|as)\b|\b(?:who|whom|whose)\b|[A-Z][\w.-]*\s+[A-Z][\w.-]*", gap) \
        and not any(t in gap.split() for t in _TITLES.split("|"))


def described(name: str, text: str) -> str:
    """What `text` calls `name`: an apposition after it ("Scale AI, a data labeling startup"), a copula ("Scale AI
    is a ..."), a title before it ("OpenAI CEO Sam Altman": "the OpenAI CEO"), a kind it is an example of
    ("emerging companies like Mercor": "an emerging company") or a role before it ("its founder,
    Alexandr Wang", with "its" taken as the name just before it: "the founder of Scale"); "" when none."""
    n = re.escape(name)
    for pattern in (rf"(?<![\w-]){n},\s+(?P<what>(?:a|an|the)\s+{_PHRASE})",
                    rf"(?<![\w-]){n}\s+(?:is|was)\s+(?P<what>(?:a|an|the)\s+{_PHRASE})"):
        m = re.search(pattern, text)
        if m and len(m.group("what").split()) <= MAX_WORDS:
            return m.group("what").strip()
    m = re.search(_org_title(n), text)
    if m and name_runs(m.group("org")):
        return f"the {m.group('org').strip()} {m.group('title')}"
    kind = _kind_of(n, text)
    if kind:
        return kind
    m = re.search(_owner_role(n), text)
    if m:
        owner = m.group("owner")
        if owner == "its":
            before = _its(name, text[:m.start()])
            return f"the {m.group('role')} of {before}" if before else ""
        return f"{owner} {m.group('role')}"
    return ""


# "emerging companies like Mercor", "major AI players like Anthropic, Cohere, and Adept": a plural noun, the
# words describing it before it, and the names given as examples of it.
_EXAMPLES = re.compile(r"(?P<before>[^,;:()“”\"]{0,60}?)\b(?P<noun>[a-z][a-z-]*[^s\W]s)\s+(?:like|such as)\s+"
                       r"(?P<names>[A-Z][^.;:()]*)")
_LIST_NAME = re.compile(r"[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*)*")
# Words that end a kind's description when read backwards from its noun: function words, verbs ("Analysts say
# rivals like ..."), superlatives ("Scale’s biggest clients": "a client").
_NOT_DESCRIBING = frozenset("a an the with for of to in on at by from and or as its their his her our other many some "
                            "several few such these those all both say says said is are was were be been has have had "
                            "like likes include includes including".split())


def _kind_of(n: str, text: str) -> str:
    """The kind `text` gives the (escaped) name `n` as an example of, in the singular: "an emerging company" from
    "partnering with emerging companies like Mercor and ..."; "" when none. The name must be one of the listed
    examples ("like Anthropic, Cohere, and Adept, among others"), not a name further on."""
    for m in _EXAMPLES.finditer(text):
        if not any(re.fullmatch(n, name) for name in _listed(m.group("names"))):
            continue
        kind = [singular(m.group("noun"))]
        for w in reversed(m.group("before").split()[-2:]):
            describing = w.isupper() and len(w) <= 5 or w.islower() and not w.endswith(("est", "ly", "s", "'", "’"))
            if not describing or w in _NOT_DESCRIBING:
                break
            kind.insert(0, w)
        phrase = " ".join(kind)
        return f"{'an' if re.match(r'[aeio]|u(?!s[aeiou])', phrase) else 'a'} {phrase}"
    return ""


def _listed(names: str) -> list[str]:
    """The names a list opens with: ["Anthropic", "Cohere", "Adept"] from "Anthropic, Cohere, and Adept, among
    others"; ["Mercor"] from "Mercor to support their AI projects"."""
    found = []
    for item in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", names):
        run = _LIST_NAME.match(item)
        if not run:
            break
        found.append(run.group(0))
        if run.end() < len(item.rstrip()):
            break  # words after the name: the list ends here
    return found


def _org_title(n: str) -> str:
    """A title before the (escaped) name `n`, an organisation's name before it: "OpenAI CEO Sam Altman"."""
    return rf"(?P<org>(?:[A-Z][\w&.-]*\s+){{1,3}}?)(?P<title>{_TITLES})\s+{n}(?![\w-])"


def _owner_role(n: str) -> str:
    """A role before the (escaped) name `n`, whose before it: "its founder, Alexandr Wang", "Meta’s CEO, X"."""
    return rf"\b(?P<owner>its|[A-Z][\w&.-]*['’]s)\s+(?P<role>{_TITLES}),\s+{n}(?![\w-])"


def role_owner(name: str, text: str) -> tuple[str, str]:
    """(role, whose) when `text` gives `name` a role of someone else's, in one of the ways `described` reads:
    ("founder", "Scale") from "Meta took a 49% stake in Scale and hired its founder, Alexandr Wang"; ("CEO",
    "OpenAI") from "OpenAI CEO Sam Altman"; else ("", "")."""
    n = re.escape(name)
    m = re.search(_org_title(n), text)
    if m and name_runs(m.group("org")):
        return m.group("title"), name_runs(m.group("org"))[-1]
    m = re.search(_owner_role(n), text)
    if not m:
        return "", ""
    owner = _its(name, text[:m.start()]) if m.group("owner") == "its" else re.sub(r"['’]s$", "", m.group("owner"))
    return (m.group("role"), owner) if owner else ("", "")


def _its(name: str, before: str) -> str:
    """Whom "its" stands for: the last name before it other than `name`; "" when none."""
    runs = [r for r in name_runs(before) if r != name]
    return runs[-1] if runs else ""
