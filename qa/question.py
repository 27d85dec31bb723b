"""Question analysis: what a question asks, read once into a frozen `Question` that every later step reads.

What it reads: whether the question is closed (yes/no, or a choice between two opposites it offers) and its
options; whether it asks for a name ("Who ...?", "Which company ...?") or for a quantity, a date or a
person; its content terms; the library's outlets it names and how often; the dates it names; outlets it
names that the library does not hold; proper names that no article mentions; whether it looks English.
What it does not do: search, rewrite follow-ups (`qa.followup`), or decide anything (`qa.answerability`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from index.keyword import tokenize
from index.store import Snapshot
from qa.dates import question_dates, within_window
from qa.filters import Filters
from qa.outlets import Mention, groups_named, mentioned, mentions, missing_outlets, outlet_clauses, source_aliases
from qa.text import AUXILIARIES, CALENDAR_WORDS, content_terms, looks_english, negated, question_names


@dataclass(frozen=True)
class OutletClause:
    """The part of a question about one outlet it names ("while The New York Times article discusses ...")."""
    group: int  # the outlet's place in `Question.outlets`
    text: str  # the clause's words (`qa.outlets.outlet_clauses`)
    dates: Filters  # the dates the clause names ("published on October 28, 2023"), else those before any outlet


@dataclass(frozen=True)
class Question:
    text: str  # what is searched and answered: the user's question, or a follow-up rewritten to stand alone
    options: tuple[str, ...] = ()  # a closed question's short answers ("Yes", "No"), else ()
    asks_name: bool = False  # "Who ...?", "Which company ...?": the short answer is a name from the evidence
    wanted: str = ""  # the kind of name asked for: "place", "wildly popular show"; "" if unsaid
    answer_type: str = ""  # "quantity", "date", "person" or "" (what kind of sentence answers it)
    terms: frozenset[str] = frozenset()  # content terms (stems)
    outlets: tuple[tuple[str, ...], ...] = ()  # the library's outlets it names, a group per outlet, in order
    outlet_mentions: tuple[int, ...] = ()  # how often it names each group ("the TechCrunch report of May 2
    # and the TechCrunch report of May 9" asks about two TechCrunch articles)
    outlet_clauses: tuple[OutletClause, ...] = ()  # what it asks of each outlet, a clause per mention
    dates: Filters = field(default_factory=Filters)  # the date range it names
    within_dates: bool = False  # only articles of `dates` answer it ("this week", "yesterday": `within_window`)
    missing_outlets: tuple[str, ...] = ()  # outlets it asks about that the library holds nothing from
    unknown_names: tuple[str, ...] = ()  # proper names no article mentions
    excluded: tuple[str, ...] = ()  # names the question sets aside ("besides OpenAI"): not the answer
    names_asked: int = 1  # how many names the answer gives: 2 for "Which two countries ...?"
    english: bool = True
    # What a name question says of its answer, part by part (`described_parts`): ("known for its Prime-themed
    # sale day", "experienced a 4 percent stock drop after an antitrust lawsuit", ...); () for other questions.
    descriptions: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        return bool(self.options)

    @property
    def of_others(self) -> str:
        """The question as the judge reads it: asked of the names it does not set aside (`asked_of_others`)."""
        return asked_of_others(self.text)


class QuestionAnalyzer:
    """Reads a question against a library snapshot (its outlets and vocabulary). Cheap. `multihop_rules` reads
    MultiHop-RAG's either-or template ("consistent or inconsistent?") as a closed question with those two
    options; off by default (a rule for one benchmark's phrasing, see `Settings.multihop_rules`)."""

    def __init__(self, *, multihop_rules: bool = False):
        self.multihop_rules = multihop_rules

    def run(self, text: str, snapshot: Snapshot, as_of: date | None = None) -> Question:
        """`as_of`, the day the question is asked, resolves its relative dates ("this week")."""
        named = mentioned(text, snapshot.sources)
        groups = tuple(groups_named(named))
        return Question(
            text=text,
            options=answer_options(text, either_or=self.multihop_rules),
            asks_name=asks_for_name(text),
            wanted=wanted_kind(text),
            answer_type=answer_type(text),
            terms=frozenset(content_terms(text) - FRAME_TERMS or content_terms(text)),
            outlets=groups,
            outlet_mentions=tuple(mentions(text, g) for g in groups),
            outlet_clauses=_clauses(text, named, groups, as_of),
            dates=question_dates(text, as_of),
            within_dates=as_of is not None and within_window(text),
            missing_outlets=tuple(_missing_outlets(text, snapshot)),
            unknown_names=tuple(unknown_names(text, snapshot)),
            excluded=tuple(excluded_names(text)),
            names_asked=names_asked(text),
            english=looks_english(text),
            descriptions=described_parts(text, groups) if asks_for_name(text) else (),
        )


def _clauses(text: str, named: list[Mention], groups: tuple[tuple[str, ...], ...],
             as_of: date | None) -> tuple[OutletClause, ...]:
    """`outlet_clauses`, by group number, each with the dates it names ("the TechCrunch report of October 7 and
    The Verge report of October 28": a date per report), else those named before the first outlet ("On October
    28, did TechCrunch ..., while The Verge ...?"). A clause saying nothing but its outlet's name and words such
    as "report" or a date ("Did TechCrunch on October 2" of "Did TechCrunch on October 2 and The Verge on October
    28 both report ...?") is the whole question, with its dates. The same clause twice is searched once."""
    shared = question_dates(text[:named[0][0] if named else 0], as_of)
    out: list[OutletClause] = []
    for group, clause in outlet_clauses(text, named):
        if not _says_something(clause, _outlet_words((group,)) | _CLAUSE_FILLER):
            clause = text
        dates = question_dates(clause, as_of)
        found = OutletClause(groups.index(group), clause, dates if clause == text or dates else shared)
        if found not in out:
            out.append(found)
    return tuple(out)


# Where a question's description of its answer turns to another part: a comma (not one inside a number or a
# date, "4,000", "October 5, 2023") or semicolon, and the "and", "but", "while", "or" or "also" after it; or
# "and" before an auxiliary ("... and is accused of ...").
_PART_CUT = re.compile(r"(?:,(?!\s?\d)|;)\s*(?:(?:and|but|while|or)\s+)?(?:also\s+)?"
                       r"|\s+and\s+(?:also\s+)?(?=(?:is|was|has|had|are|were)\b)")


def described_parts(text: str, outlets: tuple[tuple[str, ...], ...] = ()) -> tuple[str, ...]:
    """The parts in which a question describes its answer, from its question word on: "Which company, known for
    its Prime-themed sale day as reported by Wired, experienced a 4 percent stock drop after an antitrust lawsuit
    and offers ...?" gives ("known for its Prime-themed sale day as reported by Wired", "experienced a 4 percent
    stock drop after an antitrust lawsuit and offers ..."). What comes before the question word sets the scene
    ("For a brief period this week, which color did Twitter use ...?", "King Charles III became monarch ... Who is
    next in line?"; "When inflation peaked, which retailer ...?") and is no part, nor is a name the question sets
    aside ("besides OpenAI"). A part saying fewer than two things beyond the kind of name asked for, the outlets
    it names, figures and words of reporting ("Which tech company", "as reported by both TechCrunch and The
    Verge"), or of two words or fewer (an item of a list: "... to verify government accounts, media, and major
    brands?"), is left out; a question of one part gives that part alone."""
    asking = asked_clause(without_excluded(text))
    start = _ASKS_FOR_NAME.search(asking)  # where it asks for the name: "which retailer", not "When inflation"
    asking = asking[start.start():] if start else asking
    said = _outlet_words(outlets) | content_terms(wanted_kind(asking)) | _CLAUSE_FILLER
    parts = (p.strip() for p in _PART_CUT.split(asking.strip().rstrip("?.! ")))
    return tuple(p for p in parts if len(p.split()) > 2  # "media, and major brands" are a list's items
                 and _says_something(p, said))


def _outlet_words(groups: tuple[tuple[str, ...], ...]) -> set[str]:
    """The content terms of every name of the outlets of `groups`."""
    return {t for g in groups for s in g for a in source_aliases(s) for t in content_terms(a)}


def _says_something(words: str, said: set[str] | frozenset[str]) -> bool:
    """Whether `words` say at least two things beyond `said` (terms) and figures or dates."""
    return len({t for t in content_terms(words) - said if not t[:1].isdigit()}) >= 2


# Words a clause may hold besides its outlet's name that say nothing of what it asks.
_CLAUSE_FILLER = frozenset(content_terms(" ".join([
    "report reports reported reporting article articles story stories piece coverage say says said published "
    "publish according", *CALENDAR_WORDS])))


def _missing_outlets(text: str, snap: Snapshot) -> list[str]:
    """Only asked when nearly every article names its outlet: otherwise an unnamed article may be from it."""
    if not snap.articles or snap.sourced_share < 0.8:
        return []
    return missing_outlets(text, snap.sources, snap.keyword.knows)


def unknown_names(question: str, snap: Snapshot) -> list[str]:
    """Proper names in the question that no article mentions (most of their words absent from every
    chunk). Outlet names are exempt: a question may name an outlet the library does not hold."""
    aliases = {a for s in snap.sources for a in source_aliases(s)}
    missing = []
    for name in question_names(question, ignore=aliases):
        words = tokenize(name)
        absent = [w for w in words if not snap.keyword.knows(w)]
        if words and len(absent) * 2 > len(words):
            missing.append(name)
    return missing


_EXCLUDING = re.compile(r"\b(?:besides|other than|apart from|aside from|except(?: for)?|in addition to|"
                        r"as well as|not counting|excluding)\s+(?:the\s+)?([A-Z][\w&'’.-]*\w(?:\s+[A-Z][\w&'’.-]*\w)*)")


def excluded_names(question: str) -> list[str]:
    """Names a question sets aside as answers: "OpenAI" in "Who else pulled back besides OpenAI?"."""
    return [m.group(1) for m in _EXCLUDING.finditer(question)]


def without_excluded(question: str) -> str:
    """The question without what it sets aside ("Who else pulled back from Scale AI?"): what the answer's
    sentence is about, which the set-aside name would otherwise pull towards sentences about itself."""
    return re.sub(r"\s+([?.!])", r"\1", _EXCLUDING.sub("", question)).strip()


def asked_of_others(question: str) -> str:
    """The question as asked of the names it does not set aside, without "besides OpenAI" and the "else" that
    goes with it: "Who pulled back from Scale AI?". A judge reading a quote about Google against "Who else
    pulled back from Scale AI besides OpenAI?" looks for OpenAI in it (margins -0.01 for Google, -0.00 for
    Meta, against +0.26 and -0.68 for the question put this way)."""
    plain = without_excluded(question)
    return re.sub(r"\s+else\b", "", plain, flags=re.I) if plain != question else question


# ---- closed questions ----------------------------------------------------------------------------------------

# The auxiliaries a question can open with (`qa.text.AUXILIARIES` but for "be" and its participles); a yes/no
# question is recognised by these without "must" and "shall" (`_AUX`).
_OPENING_AUXILIARIES = AUXILIARIES - {"be", "been", "being"}
_AUX = rf"(?:{'|'.join(sorted(_OPENING_AUXILIARIES - {'must', 'shall'}, key=len, reverse=True))})"
# "Does ...?" or, after a leading phrase, "Between the report of May 2 and the one of May 9, was ...?"
_YES_NO = re.compile(
    rf"^\s*{_AUX}\b|^\s*(?:after|before|between|following|given|considering|comparing|according|based|from|in|"
    rf"when|while|since)\b[^?]*?,\s*(?:and\s+)?{_AUX}\s+(?:there|the|it|they|this|that|these|those|[A-Z'\"‘“])",
    re.I)
# Either-or questions ("was the account consistent or inconsistent?") are answered with one of the two
# words offered; only pairs of opposites count, so "TechCrunch or The Verge" is not read as a choice.
OPPOSITE_OPTIONS = [
    {"consistent", "inconsistent"}, {"consistent", "change"}, {"consistency", "change"},
    {"agreement", "disagreement"}, {"agree", "disagree"}, {"before", "after"}, {"earlier", "later"},
    {"larger", "smaller"}, {"bigger", "smaller"}, {"higher", "lower"}, {"more", "less"}, {"more", "fewer"},
    {"increase", "decrease"}, {"increased", "decreased"}, {"rise", "fall"}, {"same", "different"},
    {"similar", "different"}, {"positive", "negative"}, {"align", "differ"}]
_EITHER_OR = re.compile(r"\b([A-Za-z]+) or ([A-Za-z]+)\b")


def is_yes_no(question: str) -> bool:
    return bool(_YES_NO.match(question))


def answer_options(question: str, either_or: bool = True) -> tuple[str, ...]:
    """The short answers a closed question admits: with `either_or`, the two opposites it offers
    ("consistent or inconsistent" gives ("Consistent", "Inconsistent")); ("Yes", "No") for another yes/no
    question; () for an open question."""
    for m in _EITHER_OR.finditer(question) if either_or else ():
        pair = {m.group(1).lower(), m.group(2).lower()}
        if pair in OPPOSITE_OPTIONS:
            return (m.group(1).capitalize(), m.group(2).capitalize())
    return ("Yes", "No") if is_yes_no(question) else ()


# ---- what kind of answer ---------------------------------------------------------------------------------------

_NAME_NOUNS = (r"company|companies|team|organi[sz]ation|firm|person|individual|entity|exchange|platform|brand|"
               r"country|city|state|app|tool|product|service|network|bank|agency|startup|player|club|show|film|"
               r"movie|song|book|school|university|park|retailer|airline|chain|award|singer|star|celebrity")
_ASKS_FOR_NAME = re.compile(
    r"^\s*(?:who|whom)\b|(?:^|\s)(?:at |in |for |from |by |of |to )?which\b(?!\s+(?:type|kind|group|sort|of)\b)"
    rf"|^\s*what\s+(?:{_NAME_NOUNS}|(?:is|was) the name)\b|^\s*where\b"
    r"|^\s*what(?:['’]s|\s+(?:is|was|are|were))\s+(?:the\s+(?:name|title)s?\s+of\b|[^?]+?\s+(?:called|named|known as|"
    r"dubbed)\s*\?)", re.I)
# What follows "which"/"what" up to the verb: the kind of name asked for ("wildly popular show").
_KIND = re.compile(r"\b(?:which|what)\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)", re.I)
POSSESSIVE = re.compile(r"['’]s?$")  # a possessive word: "country's", "companies'"
_KIND_STOP = frozenset("is was were are will would has have had did does do can could may might to of in on at for "
                       "by from with that the a an this these those it its recently reportedly".split())
# Verbs that end the kind without "-ed": "Which team won ...?" asks for a team, not a "team won"; "Which AI
# companies rely on ...?" for AI companies. Not those that are also the last word of common kinds ("running
# back", "hedge fund", "Broadway play", "business partner", "female lead").
_KIND_VERBS = frozenset("won wins became becomes said says cost costs made makes took takes gave gives got gets "
                        "went goes came comes lost loses sold sells bought buys hit hits led leads ran runs saw "
                        "sees told tells found finds began begins broke breaks chose chooses drew fell held holds "
                        "kept keeps paid pays sent sends set sets shot spent stood struck wrote plans wants "
                        "faces face hopes rely relies depend depends use uses need needs own owns offers "
                        "supports oppose opposes compete competes provide provides sell buy win lose get make take "
                        "give see say plan want join joins invest invests receive receives".split())


# A word ending in "." that does not end a sentence: "v." of "Roe v. Wade", "U.S.", "T.J.", "Dr.".
_ABBREVIATION = re.compile(r"(?:^|[\s.])(?:[A-Za-z]|vs|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|Gov|Sen|Rep|Gen|Inc|Corp|Co)\.$")
_QUESTION_WORD = re.compile(rf"(?:who|whom|whose|what|which|when|where|why|how|{_AUX})\b", re.I)


# "What is the name of Meta's new AI unit?", "What is Meta's new unit called?": the name of a thing asked, and the
# words for the thing ("Meta's new AI unit"), up to a clause or phrase after it ("the unit that Wang joined").
_WHAT_IS = r"^\s*what(?:['’]s|\s+(?:is|was|are|were))\s+"
_NAME_OF = (re.compile(_WHAT_IS + r"the\s+(?:name|title)s?\s+of\s+(?P<thing>[^?]+?)\s*\?*\s*$", re.I),
            re.compile(_WHAT_IS + r"(?P<thing>[^?]+?)\s+(?:called|named|known as|dubbed)\s*\?*\s*$", re.I))
_THING_END = re.compile(r"\s+(?:that|which|who|whom|where|when|in|on|at|for|of|with|by|from|to|after|before|between|"
                        r"about|over|against|during|across|among|under|near|being|is|was)\b.*$", re.I)


def _thing_words(text: str, stops: frozenset[str] = frozenset()) -> list[str]:
    """The words naming a thing, up to a clause or phrase after it (`_THING_END`), a participle or adverb after
    its first word ("the startup founded by Wang", "the lab Meta created", "commonly known as"), or one of
    `stops`."""
    kept: list[str] = []
    for w in _THING_END.sub("", text).split():
        if kept and w.endswith(("ed", "ly")) or w in stops:
            break
        kept.append(w)
    return kept


def named_thing(question: str) -> tuple[str, str]:
    """(the thing whose name is asked, its head noun) for "What is the name of <thing>?" or "What is <thing>
    called?": ("Meta's new AI unit", "unit"); ("", "") for other questions."""
    clause = asked_clause(question)
    for pattern in _NAME_OF:
        m = pattern.match(clause)
        if m:
            kept = _thing_words(m.group("thing"))
            while len(kept) > 1 and kept[-1][:1].isupper() and not POSSESSIVE.search(kept[-1]):
                kept.pop()  # "the lab Meta" of "the lab Meta created"
            thing = " ".join(kept)
            head = POSSESSIVE.sub("", kept[-1]) if kept else ""
            return (thing, head) if head.isalpha() and head.islower() else ("", "")
    return "", ""


# "What is Greg Penner's net worth?": a name, its possessive, and the lower-case words of what it has.
_DETERMINERS = frozenset("a an the his her its their our my your this that these those last next now today "
                         "currently".split())
_POSSESSED = re.compile(r"^\s*(?i:what|how much|how many|how big|how large)\s+(?i:is|was|are|were)\s+"
                        r"(?:(?:the\s+)?(?!(?:of|name|title)\b)[A-Z]?[a-z-]+\s+){0,2}?"  # "Walmart heir Rob Walton's"
                        r"((?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)['’]s\s+((?:[a-z][\w-]*\s+)*[a-z][\w-]*)"
                        r"(?:\s+[^?]*)?\s*\?*\s*$")  # "... stake in Twitter?", "... revenue in 2021?"


def possessed(question: str) -> tuple[str, str]:
    """(the name whose thing a question asks about, the thing's head noun) for "What/How much is <name>'s
    <thing>?": ("Greg Penner", "worth") for "What is Greg Penner's net worth?", ("Twitter", "revenue") for "What
    was Twitter's revenue last year?"; ("", "") for other questions ("Who is Meta's chief executive?", "Did
    Apple's shares rise?")."""
    m = _POSSESSED.match(asked_clause(question))
    if m is None or named_thing(question)[0]:  # "What is the name of Meta's new AI unit?"
        return "", ""
    owner = m.group(1)
    kept = _thing_words(" " + m.group(2), _DETERMINERS)  # "Meta's new unit created", "Twitter's revenue last year"
    return (owner, kept[-1]) if kept and kept[-1].isalpha() else ("", "")


# A yes/no question whose subject is a name or a pronoun: "Did Google keep working with Scale AI?", "Is Alexandr
# Wang leaving Scale's board?", "Does it ...?". The auxiliary, the subject (capitalised words, "of" or "and"
# only between two of them), and the rest, opening in lower case.
_POLAR = re.compile(rf"^\s*(?P<aux>(?i:{'|'.join(sorted(_OPENING_AUXILIARIES))}))\s+"
                    r"(?P<subject>[A-Z][\w&.-]*(?:\s+(?:(?:of|de|and)\s+)?[A-Z][\w&.-]*)*|it|he|she|they)\s+"
                    r"(?P<rest>[a-z][^?]*?)\s*\?\s*$")
# A rest opening with a preposition or "and" leaves the subject's end unclear ("Is Wang CEO of Scale AI?", "Did
# Wang and his team leave?").
_OPENS_WITH_PREPOSITION = re.compile(r"^(?:of|in|on|at|for|to|from|by|with|about|as|and)\b")


def as_statements(question: str) -> tuple[str, str]:
    """A yes/no question as the statement it asks about and that statement denied: ("Google did keep working
    with Scale AI.", "Google did not keep working with Scale AI.") for "Did Google keep working with Scale
    AI?"; ("", "") when its subject is not a name (nor a pronoun in a question standing alone), when it is
    negated itself ("Didn't ...?", "Is Wang no longer CEO?") or offers a choice ("..., or has it stopped?")."""
    clause = asked_clause(question)
    m = _POLAR.match(clause)
    if not m or negated(clause) or re.search(r"\bor\b", clause) \
            or _OPENS_WITH_PREPOSITION.match(m.group("rest")) or m.group("subject").islower() and clause != question:
        return "", ""
    subject, aux, rest = m.group("subject"), m.group("aux").lower(), m.group("rest")
    subject = subject[0].upper() + subject[1:]
    return f"{subject} {aux} {rest}.", f"{subject} {aux} not {rest}."


def asked_clause(question: str) -> str:
    """The sentence of a question that asks it: the last one ending in "?" ("... this week. Which measure did
    lawmakers leave out?" gives "Which measure did lawmakers leave out?"), else the whole question. A
    sentence does not end at an abbreviation ("... to overturn Roe v. Wade?")."""
    parts: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z])", question.strip()):
        if parts and _ABBREVIATION.search(parts[-1]) and not _QUESTION_WORD.match(piece):
            parts[-1] += " " + piece
        elif piece.strip():
            parts.append(piece)
    asking = [p for p in parts if p.rstrip().endswith("?")]
    return asking[-1] if asking else question


_COUNTED = re.compile(r"\b(?:which|what|who are the|who were the|name the)\s+(two|three|2|3)\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "2": 2, "3": 3}


def names_asked(question: str) -> int:
    """How many names the answer gives: 2 for "Which two countries did NATO invite?", else 1."""
    m = _COUNTED.search(asked_clause(question))
    return _NUMBERS[m.group(1).lower()] if m else 1


def asks_for_name(question: str) -> bool:
    """Whether the question asks for a name ("Who ...?", "Which company ...?", "... at which awards show?",
    "Where ...?", "What is the name of ...?"), which the short answer then picks from the names in the evidence."""
    return bool(_ASKS_FOR_NAME.search(asked_clause(question)))


# The asking words of a name question, up to the verb or the possessive: "Who", "Where", "Which US national
# park" (in "Which US national park was impacted ...?"), "which country" (in "which country's lawmakers").
_ASKING_WORDS = re.compile(
    r"\b(?:who|whom|where|(?:which|what)(?:\s+[\w-]+){0,3}?(?=\s+(?:is|was|were|are|will|would|has|have|had|"
    r"did|does|do|can|could|to|of|in|on|at|for|by|from|with|that|recently|\w+ed)\b|['’]s\b|\?))", re.I)


def answered_with(question: str, name: str) -> str:
    """The asking sentence of a name question stated with `name` as its answer, without what it sets aside:
    "Google pulled back from Scale AI" for ("Who else pulled back from Scale AI besides OpenAI?", "Google");
    "Google: <question>" when its asking words are not found. A sentence that gives the name as the answer
    reads close to it."""
    # without "besides OpenAI" (`without_excluded`) and without the "else" that goes with it
    clause = re.sub(r"\s+else\b", "", asked_clause(without_excluded(question)), flags=re.I)
    stated, found = _ASKING_WORDS.subn(name.replace("\\", r"\\"), clause, count=1)
    return stated.rstrip(" ?") if found else f"{name}: {clause}"


_WH = re.compile(r"\b(who|whom|whose|which|what|where|when|why|how)\b(\s+(?:much|many|long|old|far|large|big|high|"
                 r"low|often)\b)?", re.I)


def asks_short_answer(question: Question) -> bool:
    """Whether an open question asks for something a few words give (a name, a thing, a place, a figure, a
    date): its first asking word is who/which/what/where/when or "how many/much/long ..."; not "Why ...?" or
    "How does ...?", and not a yes/no question."""
    m = _WH.search(asked_clause(question.text))
    return not question.closed and m is not None and (m.group(1).lower() not in ("why", "how") or bool(m.group(2)))


def asks_reason(question: Question) -> bool:
    """Whether an open question asks why: "Why did Google cut ties with Scale AI?", "What fear led Google to
    step back from Scale AI?"."""
    clause = asked_clause(question.text)
    m = _WH.search(clause)
    return not question.closed and m is not None and (m.group(1).lower() == "why" or bool(_WHAT_REASON.match(clause)))


# "What fear led Google to ...?", "What prompted the move?": a "Why ...?" question in other words.
_WHAT_REASON = re.compile(r"\s*what\s+(?:\w+\s+){0,2}(?:led|prompted|caused|drove|pushed)\s", re.I)



_STATEMENT = re.compile(r"^\s*what\s+(?:did|does|do|has|have|had|will|would)\s+.+?\s+(?:say|tell|announce|claim|"
                        r"report|write|state|reveal|admit)\b", re.I)


def asks_statement(question: Question) -> bool:
    """Whether an open question asks what someone said: "What did Scale say about its independence after the
    deal?"."""
    return not question.closed and _STATEMENT.search(asked_clause(question.text)) is not None


# A question asking whether sources disagree ("Was there inconsistency in the portrayal of ...?", "Do the reports
# contradict each other?"): a word of disagreement and a word for what the sources said. "Did Musk contradict his
# earlier claim?", "Is Apple at odds with the EU?", "the Israel-Hamas conflict" ask about the world.
_DISAGREEMENT = re.compile(r"\b(?:inconsisten\w*|contradict\w*|disagree\w*|at odds|conflicting)\b", re.IGNORECASE)
_SOURCES_SAID = re.compile(r"\b(?:reports?|reporting|reported|articles?|sources?|coverage|portrayals?|accounts?|"
                           r"narratives?|stor(?:y|ies)|outlets?|each other|one another)\b", re.IGNORECASE)


def asks_disagreement(question: Question) -> bool:
    """Whether `question` asks if sources disagree (are inconsistent, contradict each other): a word of
    disagreement, and outlets named or a word for what sources said."""
    return bool(_DISAGREEMENT.search(question.text)
                and (question.outlets or _SOURCES_SAID.search(question.text)))


# Words that frame a question without saying what it is about: "What happened to Alexandr Wang after the deal?"
# is about Wang and the deal; the passage answering it ("... hired its founder, Alexandr Wang, to join Meta’s new
# unit") has no "happened", and counting it among the words to find made the question look unanswered.
FRAME_TERMS = frozenset(content_terms("happen happened happens happening"))
WHO_KIND = "person or organization"  # "Who else pulled back from Scale AI?" asks for a company


def wanted_kind(question: str) -> str:
    """What kind of name a question asks for, in its own words: "person or organization" for "Who ...?",
    "place" for "Where ...?", "wildly popular show" for "Which wildly popular show was ...?"; "" when it
    does not say."""
    clause = asked_clause(question)
    if re.match(r"\s*(?:who|whom)\b", clause, re.I):
        return WHO_KIND
    if re.match(r"\s*where\b", clause, re.I):
        return "place"
    m = _KIND.search(clause)
    if not m:
        return ""
    words: list[str] = []
    for w in m.group(1).split():
        if not words and w.lower() in _NUMBERS:  # "Which two countries ...?" asks for countries
            continue
        if w.lower() in _KIND_STOP or words and (w.lower().endswith("ed") or w.lower() in _KIND_VERBS):
            break  # the verb: "country elected", "team won"
        if POSSESSIVE.search(w):  # "Which country's race ...?" asks for a country
            words.append(POSSESSIVE.sub("", w))
            break
        words.append(w)
    return " ".join(words)


_ANSWER_TYPES = (
    ("quantity", re.compile(r"\b(how (much|many|large|big|long|old|high|low)|what (share|percentage|percent|"
                            r"proportion|amount|price|number|stake|valuation|fraction|sum)|(which|what) ([\w-]+ )?"
                            r"(figure|amount|sum|total))\b", re.I)),
    ("date", re.compile(r"^\s*when\b|\bwhat (year|date|day|month)\b|\bin which (year|month)\b", re.I)),
    ("person", re.compile(r"^\s*(who|whom)\b|\bwhich (person|executive|ceo|founder|official)\b", re.I)),
)


def answer_type(question: str) -> str:
    """"quantity", "date" or "person" when the question asks for one (the first that matches), else ""."""
    return next((kind for kind, asks in _ANSWER_TYPES if asks.search(question)), "")
