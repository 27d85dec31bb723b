"""The short answer a "Who/Which/Where ...?" question gets: the name its evidence holds that fits it best.

A name fits when it is the kind of thing asked for (the cosine, under the sentence embedder, of the name to the
question's own words for it: "Squid Game" to "wildly popular show", "Colombia" to "country"), when the
sentence holding it bears on the question (the evidence score), when it stands beside what is asked ("founded
in 2016 by Alexandr Wang" for "Who founded Scale AI?"), and when that sentence reads like the question answered
with the name (the cosine of "Google pulled back from Scale AI" to "Google ... decided to sever or pause ties
with Scale AI"; measured over the 127 answerable RealTimeQA name questions, the first name was right for 57
without it and 64 with it; over MultiHop-RAG's 92 answerable inference questions, 31 and 47). One-word names
that the articles also write in lower case ("Now", "Many", "Meanwhile" opening a sentence) are not names.

Which of them the model may choose from: where the question names a kind ("Which state ...?"), the best name
alone: on 173 RealTimeQA questions not used for tuning, the model choosing among near-ties picked worse than
the ranker (Argo AI for Ford, New Jersey for Maryland). For "Who ...?", or with no kind named, the kind tells
little and the names scoring within `tie` of the best are offered (on MultiHop-RAG's "Which individual ...?"
the model's pick among them was right where the first name was not: 6 of 15 inference questions against 3).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, replace
from itertools import islice

import numpy as np

from index.embedding import Embedder
from qa.answerability import asked_stems, asking_verb, near_asked
from qa.definitions import role_owner
from qa.entailment import EntailmentJudge
from qa.evidence import Evidence, as_named, name_candidates
from qa.question import POSSESSIVE, WHO_KIND, Question, answered_with, asked_clause, named_thing
from qa.text import (
    AUXILIARIES,
    CALENDAR_WORDS,
    DEMONYMS,
    capitalised_words,
    content_terms,
    flat,
    name_runs,
    names_leader,
    question_names,
    says_leads,
    singular,
    words,
)

KIND_WEIGHT = 1.0  # the kind's cosine against the sentence's relevance (0..1), equal weights measured best
# A name within a few words of what is asked ("founded in 2016 by Alexandr Wang"). For "Who ...?" the kind
# ("person or organization") tells little, and nearness puts Alexandr Wang before Meta for "Who founded Scale
# AI?"; where the question names a kind, nearness counts less: at 0.5 it put "Iranian" before "Iran" for "Which
# country's lawmakers ...?" and lost 5 of 139 held-out RealTimeQA answers.
NEAR_BONUS = {WHO_KIND: 0.5}
NEAR_BONUS_NAMED_KIND = 0.1
# A name a passage gives as whose role the question asks of a name it gives: "Scale" for "What company did
# Alexandr Wang found?" from "... a 49% stake in Scale and hired its founder, Alexandr Wang" (`asked_roles`).
ROLE_BONUS = 0.5
# A name doing what a "Who <verb> ...?" question asks, the verb right after it: "Bloomberg reported" for
# "Who reported that OpenAI was phasing out Scale AI?" (not "The OpenAI spokesperson’s confirmation ...", near
# the same words), "Sam Altman accused Meta" for "Who accused Meta ...?". Only for "Who ...?": where a kind is
# named it misleads, as nearness does ("Chile, Peru and Honduras elected leftist presidents in 2021" for "What
# country elected its first-ever leftist leader this week?", RealTimeQA).
DOER_BONUS = 0.3
TIE = 0.15
# "Which condiment ...?", "Which age group ...?", "Which menu item ...?" are answered by words, not names: when
# no name in the evidence comes this close to the kind asked for (cosine), none is offered and the model writes
# the short answer itself. Measured on RealTimeQA's 233: below 0.25, 12 of 15 such questions had no right name
# among the names at all; for the other 3 ("White House" for "popular US tourist attraction") the model may
# still write the name.
MIN_FIT = 0.25
# Names are looked for in this many of the best sentences, more than the model reads: the answer's sentence is
# often just below them ("Google, one such competitor, has reportedly decided to sever or pause ties with Scale
# AI" was 8th for "Who else pulled back from Scale AI besides OpenAI?"). Measured on RealTimeQA's 127
# answerable name questions: the first name offered was right for 53 from the 6 sentences read, 56 from 8,
# and no more from 10, 12 or 16. The sentence giving an offered name is then added to what the model reads.
NAME_POOL = 8
ADDED_SENTENCES = 2
# With a judge, the names scoring within `JUDGED_WITHIN` of the best (at most `MAX_JUDGED`) are put to it side by
# side: reading the sentences that best state them, how likely is its reply to the question to open with each
# (`EntailmentJudge.choose`)? That log-probability, times `JUDGE_WEIGHT`, is added to their scores. Before
# (2026-12-03, README Models), each name was asked about in turn ("does the quote show that this answer is
# right?"): first name right 64 -> 74 of 123 RealTimeQA name questions, but for "Which company invested in Scale
# AI?" it leaned Yes for both OpenAI (0.40) and Meta (0.30) over "OpenAI relinquishes control over Scale AI
# following Meta's significant investment"; side by side, Meta leads by 5.4. Offline over RealTimeQA's 127
# (bench/name_check.py), first right 83 -> 80: gained "Taiwan" (was "Taipei") and "Seattle Storm" (was "Aces");
# lost "Idaho" to "Coeur d'Alene Pride" and "Florida" to "Kennedy Space Center" (the answers' quotes still say
# Idaho and Florida), "Rishi Sunak" to "Sunak" (made whole when shown, `full_name`), "Maryland" to "Missouri"
# (both voted yes; the benchmark accepts one) and "Avalanche" to "Panthers". End to end, all 233 (fa3a454
# against 068212f): answerable 124 -> 125 right, one more unanswerable question answered ("Gurugram"); answer
# p50 3.4 -> 3.5 s. One prompt for all the names, then one step for each name's tokens after its first.
JUDGED_WITHIN = 0.2
MAX_JUDGED = 4
JUDGE_WEIGHT = 0.2
# A name built on a name the question itself gives is what the question is about, not its answer: "Twitter
# Blue" for "Which color did Twitter use ...?", "Tesla AI Day" for "Which new product did Tesla debut ...?",
# "Camp Hale-Continental Divide National Monument" for "Camp Hale ... Where is it located?": a name opening
# with one. Words of the kind asked for ("WNBA" of "Which WNBA team ...?"), runs holding a title ("Google CEO
# Sundar Pichai" for "Who is the CEO of Google?") and names ending in one ("Jill Biden" for "Which member of
# the Biden administration ...?") do not count. So is a name ending in a common word the question uses of
# what it asks about (`named_as`): "Thwaites Glacier" for "... a so-called “doomsday glacier” ... Where is the
# glacier located?".
SUBJECT_PENALTY = 0.5
# A question describing its answer in several parts ("Which company, known for its Prime-themed sale day, saw its
# stock fall 4 percent after an antitrust lawsuit and offers sellers a life-changing opportunity?") is answered
# by the name that the sentences of every part hold, not by the one beside the words of one part ("Apple" of a
# passage on USB-C cables). For each part (`Question.descriptions`), the `PART_READ` sentences of the
# `PART_POOL` best ranked that read most like it (MiniLM cosine); a name gains `PART_WEIGHT` times the share of
# parts whose sentences hold it. Measured offline over MultiHop-RAG's 92 inference questions asking for a name
# (each describing its answer in 2-5 parts): first name right 53 -> 67 at 0.3 (0.1: 57, 0.2: 62, 0.5: 65).
PART_WEIGHT = 0.3
PART_READ = 3
PART_POOL = 40
# When no name offered is held by every part, the first one the sentences of all parts but one hold (two sentences
# at least: of three parts or more) is shown by them if the judge, reading those sentences, replies with it rather
# than None by at least this (log-probability, `EntailmentJudge.choose`). Over MultiHop-RAG's
# inference questions (/work/s35/desc2.py, 2026-12-07), the first name offered was so held for 20: 13 of the 17
# right ones read 1.08 to 3.10, the other 4 -0.01 to 0.62; the 3 wrong ones ("FTX" for Sam Bankman-Fried, "EU"
# for the European Commission, "Kelce" for Taylor Swift) -2.9, -4.8 and -5.4. At 1.0, two answers the model had
# refused or quoted ("Google") are given, and none wrong; the margin is thin (two right ones within 0.1 of it),
# and the judge alone does not tell right from wrong: "Kelce", held by 2 of 4 parts of another question, reads
# 1.1. None of RealTimeQA's questions, the seeds' or the eighth set's has three parts.
MOST_PARTS_CHOSEN = 1.0


# A title alone names nobody ("the CEO said"); a word ending in a lower-case part is a description
# ("AI-based", "Instagram-friendly"), not a name.
TITLES = frozenset("CEO CFO CTO COO Chairman Chairwoman President Chief Director Senator Governor Minister "
                   "Secretary Judge Officer Spokesperson".split())
HONORIFICS = frozenset("Prince Princess King Queen Pope Lord Lady Sir Dame Saint Dr Mr Mrs Ms Rep Sen Gov Gen "
                       "Coach Captain Archbishop Bishop Rabbi Sheikh Emperor Empress Duke Duchess".split())
_DESCRIPTION = re.compile(r"-[a-z]+$")
# Words that open sentences and prepositional phrases, capitalised there, and that no name is made of.
_OPENERS = frozenset("Despite Around Although Though Meanwhile Now Then Today Yesterday Tomorrow Instead Still "
                     "Even Many Most Some Several Every Each Such Other Another Anyone Everyone Nobody Unlike Like "
                     "Until Since Under Over Through During Without Within Across Among Amid Beginning Having "
                     "Being Once Last Next First Finally Later Earlier Overall Only Just Already".split())


# Kinds of answer that a nationality adjective is: "Which nationality ...?", "Which cuisine ...?"
_ADJECTIVE_KINDS = re.compile(r"\b(?:nationality|nationalities|language|cuisine|ethnicity|ethnic)\b", re.I)
# Acronyms of common nouns: "AI" in "the company's largest-ever outside expenditure on AI" names no one. Offered
# as a name, it was picked for "Which company took a 49% stake in Scale?" over Meta (the seed articles). They
# stay names where the kind asked for is what they are ("Which technology ...?").
COMMON_ACRONYMS = frozenset("AI IPO IPOs GDP EV EVs TV PR HR LLM LLMs".split())
_ACRONYM_KINDS = re.compile(r"\b(?:technolog\w*|field|sector|industry|acronym|abbreviation|term)\b", re.I)


def is_name(name: str, ordinary: frozenset[str], kind: str = "") -> bool:
    """Whether a capitalised run is a name: not a title alone, a description (a nationality, unless `kind`,
    the kind of answer asked for, is one), a common noun's acronym ("AI", unless `kind` is a technology) or a
    sentence's capitalised opening (a one-word run the articles also write in lower case)."""
    if _DESCRIPTION.search(name):
        return False
    if name.split()[-1] in DEMONYMS and not _ADJECTIVE_KINDS.search(kind):
        return False
    if name in COMMON_ACRONYMS and not _ACRONYM_KINDS.search(kind):
        return False
    return " " in name or not (name in TITLES or name in _OPENERS or name.lower() in ordinary)


def without_opening(name: str, texts: list[str], ordinary: frozenset[str]) -> str:
    """`name` without the words that open it only because it opens a sentence: "Camp Hale" of "Making Camp
    Hale", "Ye" of "Rapper Ye", "Budweiser" of "Hundreds of Budweiser", when the articles also write the
    opening word in lower case and every sentence holding the run opens with it. A run that also stands
    within a sentence ("Supreme Court") is a name as it is."""
    words = name.split()
    if len(words) < 2 or words[0].lower() not in ordinary or words[0] in TITLES or words[0] in HONORIFICS:
        return name
    holding = [t for t in texts if name in t]
    if not holding or not all(re.match(r"[\W]*" + re.escape(name), t) for t in holding):
        return name
    rest = words[1:]
    while rest and rest[0].islower():  # "of Budweiser"
        rest = rest[1:]
    return " ".join(rest)


_QUOTED_TITLE = re.compile(r"[“\"]([A-Z][\w'’-]+)[,.]?[”\"]")


def called_names(question: Question, evidence: list[Evidence]) -> list[str]:
    """What the passages call the thing a "What is the name of <thing>?" or "What is <thing> called?" question
    asks about (`named_thing`): at most three words in quotation marks before its head noun ("Meta’s new
    “superintelligence” unit"), or a name after "called", "named", "dubbed" or "known as" ("a unit called
    Superintelligence Labs", "the lab is known as “FAIR”"), in a passage holding every name the question gives
    ("Meta"), or when it gives none another of the thing's words. Such a name need not be capitalised,
    and nothing else in the passage is what the thing is called; [] for other questions or when no passage
    calls it anything."""
    thing, head = named_thing(question.text)
    if not head:
        return []
    owners = [o for w in asked_clause(question.text).split()[1:]  # not a short acronym ("AI")
              if w[:1].isupper() and not ((o := POSSESSIVE.sub("", w.strip("?,."))).isupper() and len(o) <= 3)]
    others = content_terms(thing) - content_terms(head)
    noun = rf"(?i:{re.escape(head)}(?:s|es)?)\b"
    calling = r"(?:(?:is|was|are|were)\s+)?(?:called|named|dubbed|known\s+as)"
    patterns = (re.compile(rf"[“\"](?P<name>[^”\"\s]+(?:\s[^”\"\s]+){{0,2}}?)[,.]?[”\"]\s+(?:[\w-]+\s+)?{noun}"),
                re.compile(rf"\b{noun},?\s+{calling}\s+(?:[“\"](?P<quoted>[^”\"]{{1,40}}?)[,.]?[”\"]|"
                           r"(?P<name>[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*))"))
    found: list[str] = []
    for e in evidence:
        if not all(holds_name(o, e.text) for o in owners) or not owners and not others & content_terms(e.text):
            continue
        for pattern in patterns:
            for m in pattern.finditer(e.text):
                name = (m.groupdict().get("quoted") or m.group("name")).strip()
                if name and name not in found:
                    found.append(name)
    return found


def holds_name(name: str, text: str) -> bool:
    """Whether `text` holds `name` as a whole word ("Meta" in "Meta’s new unit", not in "Metaverse")."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def _held_by(name: str, reads: list[list[Evidence]]) -> tuple[int, list[Evidence]]:
    """How many parts' sentences (`reads`) hold `name`, and the first sentence holding it of each such part,
    each sentence once, in the parts' order (by the words it says: a syndicated copy is no more)."""
    held = [e for read in reads for e in islice((e for e in read if _holds_word(name, e.text)), 1)]
    quotes: dict[str, Evidence] = {}
    for e in held:
        quotes.setdefault(flat(e.text), e)
    return len(held), list(quotes.values())


def _holds_word(name: str, text: str) -> bool:
    """Whether `text` holds `name` as a word or a word's start before a hyphen: "Amazon" in "Amazon-created
    sale day", not in "Amazonian"."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?!\w)", text) is not None


def quoted_titles(texts: Iterable[str]) -> frozenset[str]:
    """One-word titles the texts put in quotation marks ("“Succession,” the HBO drama"), in lower case: a show's
    or a song's name even where the articles also use the word ("royal succession")."""
    return frozenset(m.group(1).lower() for t in texts for m in _QUOTED_TITLE.finditer(t))


# An address, a handle or a path: "google.com", "@amazon", "twitter.com/nasa". Its lower-case letters are no
# ordinary word: "type in google.com in the URL field" had made "Google" a sentence's opening, never a name, and
# took it from "Which company ... default search engine deals ...?" (MultiHop-RAG), leaving Apple.
_ADDRESS = re.compile(r"\S*(?:\w\.[a-z]{2,}|[@#/]\w)\S*")


def ordinary_words(texts: Iterable[str]) -> frozenset[str]:
    """The words these texts also write in lower case ("now", "many", "limited"), outside web addresses and
    handles ("google.com", "@amazon"): a one-word name made of one of them is a sentence's capitalised opening,
    not a name."""
    return frozenset(w for t in texts for w in re.findall(r"\b[a-z][a-z'’-]+\b", _ADDRESS.sub(" ", t)))


@dataclass(frozen=True)
class RankedName:
    name: str
    score: float  # KIND_WEIGHT * fit + relevance + support
    fit: float  # cosine of the name to the kind asked for (0 when no kind is asked for)
    relevance: float  # the best evidence score of a sentence holding it, plus the nearness bonus
    support: float = 0.0  # the best cosine of the question answered with it to a sentence holding it
    quote: str = ""  # that sentence
    judged: float | None = None  # the judge's log-odds that `quote` shows it to be the answer (None: not asked)


class NameRanker:
    def __init__(self, embedder: Embedder, *, limit: int = 6, tie: float = TIE, judge: EntailmentJudge | None = None):
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        self.embedder = embedder
        self.limit = limit
        self.tie = tie  # names scoring within this of the best are offered too, and the model chooses
        self.judge = judge  # when given, reads the near-best names' sentences (`judged`)

    def run(self, question: Question, evidence: list[Evidence], article_texts: Iterable[str],
            exclude: Set[str] = frozenset(), pool: Sequence[Evidence] = ()) -> tuple[str, ...]:
        """At most `limit` names from `evidence`, best first; `article_texts` are the evidence's articles
        (their lower-case words tell ordinary words from names), `exclude` names never to offer, `pool` every
        ranked sentence (where each part of the question's description is looked for: `PART_WEIGHT`)."""
        called = called_names(question, evidence)
        if called:  # what the passages call the thing asked about ("Meta’s new “superintelligence” unit")
            return tuple(called[:1])
        ranked = self.rank(question, evidence, article_texts, exclude, pool)
        if self.judge is not None and question.names_asked == 1:  # it judges one name as the whole answer
            ranked = judged(ranked, question, self.judge)
        if question.wanted not in ("", WHO_KIND) and max((r.fit for r in ranked), default=0.0) < MIN_FIT:
            return ()  # no name here is the kind asked for: "mustard" answers "which condiment", not "Middle Ages"
        if question.names_asked > 1:  # "Which two countries ...?": the best that are not parts of each other
            return distinct_names([r.name for r in ranked], question.names_asked)
        tie = self.tie if question.wanted in ("", WHO_KIND) else 0.0  # a named kind picks the name itself
        near = (bare_name(r.name) for r in ranked[:self.limit] if r.score >= ranked[0].score - tie)
        return tuple(dict.fromkeys(near))

    def rank(self, question: Question, evidence: list[Evidence], article_texts: Iterable[str],
             exclude: Set[str] = frozenset(), pool: Sequence[Evidence] = ()) -> list[RankedName]:
        """Every name of `evidence` with its scores, best first."""
        texts = [e.text for e in evidence]
        ordinary = ordinary_words(article_texts) - quoted_titles(texts)
        found = name_candidates(question.text, evidence, exclude=exclude, limit=24)
        trimmed = dict.fromkeys(without_opening(n, texts, ordinary) for n in found)
        names = [n for n in trimmed
                 if n and is_name(n, ordinary, question.wanted) and any(n in e.text for e in evidence)
                 and not any(x in n for x in question.excluded)  # "OpenAI CEO Sam Altman" is "besides OpenAI"
                 and not titled_for_another(bare_name(n), n, question)]  # nor Meta's CEO
        if question.wanted == "place":  # "Where ...?": names standing as places, where some do
            names = [n for n in names if any(placed(n, t) for t in texts)] or names
        if not names:
            return []
        near, asked = NEAR_BONUS.get(question.wanted, NEAR_BONUS_NAMED_KIND), asked_stems(question)
        relevance = np.array([max(e.score + near * near_asked(asked, n, as_named(e.text, n, question.wanted))
                                  for e in evidence if n in e.text) for n in names])
        if owners := {r.owner for r in asked_roles(question, evidence, asked)}:  # not "OpenAI CEO Sam Altman"
            own = question_names(question.text)  # for Sam Altman's
            relevance += ROLE_BONUS * np.array([any(o in n for o in owners) and not any(q in n for q in own)
                                                for n in names])
        if question.wanted == WHO_KIND and (verb := asking_verb(question)):
            relevance += DOER_BONUS * np.array([any(does(n, verb, e.text) for e in evidence) for n in names])
        fit = np.zeros(len(names))
        if question.wanted:
            vectors = self.embedder.encode([*(beyond_kind(n, question.wanted) for n in names), question.wanted])
            fit = vectors[:-1] @ vectors[-1]
        support, quotes = self._support(question, names, evidence)
        subject, nouns = subject_words(question), subject_nouns(question)
        penalty = np.array([SUBJECT_PENALTY * (on_subject(n, subject) or named_as(n, nouns)) for n in names])
        held = self._parts_held(question, names, pool)
        score = KIND_WEIGHT * fit + relevance + support - penalty + PART_WEIGHT * held
        order = np.argsort(-score, kind="stable")
        return [RankedName(names[i], float(score[i]), float(fit[i]), float(relevance[i]), float(support[i]),
                           quotes[i]) for i in order]

    def part_quotes(self, question: Question, names: Sequence[str],
                    pool: Sequence[Evidence]) -> tuple[str, list[Evidence]] | None:
        """For a question describing its answer in two or more parts, the first of `names` that a sentence of
        every part holds, with a sentence holding it for each part (the first of the part's `PART_READ` that
        does), each sentence once, in the question's order: what shows that name to be the answer. Failing
        that, the first name offered when the sentences of all parts but one hold it, two sentences at least (so
        of three parts or more), and the judge reading them answers the question with it (`MOST_PARTS_CHOSEN`).
        None when no name is so held."""
        reads = self._part_reads(question, pool)
        held = [_held_by(name, reads) for name in (names if reads else ())]
        for name, (parts, quotes) in zip(names, held, strict=False):
            if parts == len(reads):
                return name, quotes
        first = held[0] if held else (0, [])  # all parts but one, by two sentences at least
        if first[0] == len(reads) - 1 and len(first[1]) >= 2 and self.judge is not None and self.judge.chosen(
                [flat(e.text) for e in first[1]], question.of_others, names[0], threshold=MOST_PARTS_CHOSEN):
            return names[0], first[1]
        return None

    def _parts_held(self, question: Question, names: list[str], pool: Sequence[Evidence]) -> np.ndarray:
        """For each name, the share of the question's description parts (two or more) whose sentences in
        `pool` hold it (`_part_reads`); zeros otherwise."""
        reads = self._part_reads(question, pool)
        if not reads:
            return np.zeros(len(names))
        return np.array([sum(any(_holds_word(n, e.text) for e in read) for read in reads) / len(reads) for n in names])

    def _part_reads(self, question: Question, pool: Sequence[Evidence]) -> list[list[Evidence]]:
        """For each part of the question's description (two or more, `Question.descriptions`), the `PART_READ`
        sentences of the best `PART_POOL` of `pool` reading most like it (MiniLM cosine), best first; []
        for a question of one part."""
        parts = question.descriptions
        pool = [e for e in pool[:PART_POOL] if e.vector is not None]
        if len(parts) < 2 or not pool:
            return []
        similar = self.embedder.encode(list(parts)) @ np.array([e.vector for e in pool]).T
        return [[pool[j] for j in np.argsort(-row, kind="stable")[:PART_READ]] for row in similar]

    def _support(self, question: Question, names: list[str], evidence: list[Evidence]) -> tuple[np.ndarray, list[str]]:
        """For each name, how closely a sentence holding it reads like the question answered with it: the
        best cosine of `answered_with(question, name)` ("Google pulled back from Scale AI") to such a
        sentence ("Google, one such competitor, has reportedly decided to sever or pause ties with Scale AI"),
        and that sentence."""
        pairs = [(i, e) for i, n in enumerate(names) for e in evidence if n in e.text]
        stated = self.embedder.encode([answered_with(question.text, n) for n in names])
        missing = [e.text for _, e in pairs if e.vector is None]
        fresh = iter(self.embedder.encode(missing)) if missing else iter(())
        support = np.full(len(names), -1.0)
        quotes = [""] * len(names)
        for i, e in pairs:
            vector = e.vector if e.vector is not None else next(fresh)
            cos = float(stated[i] @ vector)
            if cos > support[i]:
                support[i], quotes[i] = cos, e.text
        return support, quotes




def beyond_kind(name: str, kind: str) -> str:
    """`name` without the words it shares with what qualifies the kind asked for, when neither its own last word
    nor the kind's (the head: "team") is among them: what it adds is what tells whether it is one ("Finals" of
    "WNBA Finals" for "Which WNBA team ...?", which read as the kind by its "WNBA" alone: cosine 0.79, against
    0.45 for "Las Vegas Aces"). A name sharing a head ("Yellowstone National Park" for "Which US national
    park ...?", "Tony Awards" for "... which prestigious awards show?") is read whole. Over RealTimeQA's 128
    name questions (bench/name_check.py, 2026-12-07) the first name offered was right for 81 before and after:
    "Las Vegas Aces" gained; for "Which popular US tourist attraction ...?" no name is offered any more (it was
    "US Centers" that passed `MIN_FIT`, by its "US"), and the answer, read by the judge, still gives "White
    House"."""
    kind_words = [_plain(w) for w in words(kind)]
    own = [_plain(w) for w in name.split()]
    if not kind_words or not own or own[-1] in kind_words or kind_words[-1] in own:
        return name
    rest = [w for w, low in zip(name.split(), own, strict=True) if low not in kind_words]
    return " ".join(rest) if rest else name


def _plain(word: str) -> str:
    """A word compared as a kind's: lower case, without a possessive or a plural "s" ("Parks" is "park")."""
    w = POSSESSIVE.sub("", word.lower().strip(".,"))
    return singular(w) if len(w) > 3 else w


def does(name: str, verb: str, text: str) -> bool:
    """Whether `name` stands in `text` right before `verb` (in any of its forms), or before an auxiliary and it,
    or with others before it: "Bloomberg reported Wednesday", "Meta has acquired", "Jane Smith and John Smith
    met"; not "OpenAI is reportedly phasing out" nor "Bloomberg reporters" for "reported", not "OpenAI’s reported
    move" (a possessive names no doer), and never for an auxiliary asked ("Who is ...?")."""
    if verb.lower() in AUXILIARIES or len(verb) < 3:
        return False
    others = r"(?:(?:,|\s+and|\s+or)\s+[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})*"  # "Jane Smith and John Smith met"
    auxiliary = rf"(?:(?:{'|'.join(AUXILIARIES)})\s+)?"
    for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?!['’\w-]){others}\s+{auxiliary}(\w+)", text):
        if verb_form(m.group(1), verb):
            return True
    return False


_VERB_ENDING = re.compile(r"(?:ied|ies|ing|ed|es|e|s|d|y)$")


def verb_form(word: str, verb: str) -> bool:
    """Whether `word` is a form of `verb`: "reports", "reported", "reporting" of "reported"; "accuses" of
    "accused"; not "reporters", "reportedly", "founder"."""
    base = _VERB_ENDING.sub("", verb.lower())
    word = word.lower()
    return len(base) >= 2 and word.startswith(base) and _VERB_ENDING.fullmatch(word[len(base):]) is not None \
        or word == verb.lower()


@dataclass(frozen=True)
class Role:
    name: str  # a name the question gives: "Alexandr Wang"
    role: str  # "founder"
    owner: str  # whose: "Scale"
    passage: Evidence  # the sentence saying so


def asked_roles(question: Question, evidence: list[Evidence], asked: frozenset[str] | None = None) -> list[Role]:
    """The roles the evidence gives a name of the question, of someone else's (`role_owner`), where the role is
    what the question asks of it (`asked`, default `asked_stems`: "found" meets "founder"; "leads", "runs"
    meet "CEO", "president"), best passage first: Scale's founder for "What company did Alexandr Wang
    found?"."""
    asked = asked_stems(question) if asked is None else asked
    leads = says_leads(asked_clause(question.text))
    found = []
    for name in question_names(question.text):
        for e in evidence:
            role, owner = role_owner(name, e.text) if name in e.text else ("", "")
            if role and (role.lower()[:5] in asked or leads and names_leader(role)):
                found.append(Role(name, role, owner, e))
    return found


def subject_words(question: Question) -> frozenset[str]:
    """The words of the names the question gives, outside the kind of name it asks for ("Twitter" of "Which
    color did Twitter use ...?"; not "WNBA" of "Which WNBA team ...?"), without a possessive."""
    kind = set(question.wanted.split())
    return frozenset(POSSESSIVE.sub("", w) for w in capitalised_words(question.text) if w not in kind)


def on_subject(name: str, subject: frozenset[str]) -> bool:
    """Whether `name` is built on one of the question's own names (`subject_words`), opening with it: "Twitter
    Blue", "Camp Hale-Continental Divide National Monument"; not a run holding a title ("Google CEO Sundar
    Pichai"), nor a name ending in it ("Jill Biden" for "Which member of the Biden administration ...?")."""
    words = [POSSESSIVE.sub("", w) for w in re.split(r"[\s-]+", name)]
    return words[0] in subject and not any(w in TITLES or w in HONORIFICS for w in words)


def subject_nouns(question: Question) -> frozenset[str]:
    """The common words of four letters or more of the question's asking sentence, outside the kind of name it
    asks for, in the singular: "glacier" of "... Where is the glacier located?", "party" of "... the parties
    ...?", not "company" of "Which company ...?", nor "city" of a lead-in "... people are fleeing their
    expensive cities ... Where are many Americans moving?"."""
    kind = {w.lower() for w in question.wanted.split()}
    return frozenset(singular(w) for w in words(asked_clause(question.text))
                     if w.islower() and len(w) > 3 and w not in kind)


def named_as(name: str, nouns: frozenset[str]) -> bool:
    """Whether `name` ends in one of the question's common words (`subject_nouns`), so that it names what the
    question is about, not its answer: "Thwaites Glacier" for "Where is the glacier located?", "Box Office" for
    "Which movie is at the top of the box office?"."""
    parts = name.split()
    return bool(parts) and singular(POSSESSIVE.sub("", parts[-1]).lower()) in nouns


def is_subject(answer: str, question: Question) -> bool:
    """Whether `answer` is wholly the question's own names ("Meta" for "Which company does Meta see as its
    biggest competitor?"): what the question is about, not its answer."""
    subject = {w.lower() for w in subject_words(question)}
    parts = [POSSESSIVE.sub("", w).lower() for w in answer.split()]
    return bool(parts) and all(w in subject for w in parts)


# Titles that a company or country holds one of, asked of it as "X's CEO" or "the CEO of X".
OWNED_TITLES = frozenset("CEO CFO CTO COO Chairman Chairwoman President".split())


def title_owner(question: Question) -> tuple[str, frozenset[str]]:
    """The title the question asks about and the words of whom it asks it of: ("ceo", {"meta"}) for "Who is Meta's
    CEO?" and "Who is the CEO of Meta Platforms?"; ("", ∅) when it asks no such title of anyone."""
    for title in OWNED_TITLES:
        t = re.escape(title)
        m = (re.search(rf"((?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)['’]s\s+(?:new\s+|current\s+)?(?i:{t})\b", question.text)
             or re.search(rf"\b{t}\s+of\s+(?:the\s+)?((?:[A-Z][\w&.-]*\s*)+)", question.text, re.I))
        if m:
            return title.lower(), frozenset(w.lower() for w in m.group(1).split())
    return "", frozenset()


# A name standing as a place: after a preposition of place ("at her beloved ranch in Hurricane Mills", "near the
# Montana border"), or opening a dateline ("BLOOMINGTON, Minn. (AP) —").
_PLACE_BEFORE = (r"(?i:\b(?:in|at|near|outside|inside|into|across|around|throughout|off|within|along|"
                 r"(?<!according )(?<!due )(?<!thanks )(?<!next )(?<!close )to|"
                 r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of)\s+"
                 r"(?:the\s+)?(?:(?:downtown|central|(?:north|south|east|west)(?:ern)?)\s+)?)")


def placed(name: str, text: str) -> bool:
    """Whether `name` stands in `text` as a place: after "in", "at", "near", "outside" ... ("her home in Hurricane
    Mills", "in eastern Ukraine", "moved to Nashville"; not "known for 'Coal Miner's Daughter'", nor "on
    Monday", "from Meta", "according to Reuters"), or opening it in capitals as a dateline ("NASHVILLE, Tenn.
    –", "WASHINGTON (AP) —"; not "Apple — the iPhone maker — said")."""
    n = re.escape(name)
    return re.search(rf"{_PLACE_BEFORE}{n}(?![\w-])", text) is not None or name.isupper() and \
        re.match(rf"\s*{n}(?:,\s+[A-Z][\w.]*(?:\s+\d+)?)?(?:\s+\([A-Z][\w ]*\))?\s+[–—-]", text) is not None


def titled_for_another(name: str, text: str, question: Question) -> bool:
    """Whether `text` gives `name` the title the question asks of someone (`title_owner`), but of someone else:
    "OpenAI CEO Sam Altman" for "Who is Meta's CEO?". Words before the title that are a nationality, a title
    or an honorific name no one ("French President Emmanuel Macron" for "Who is France's president?"); one
    word shared with the owner asked of is enough ("Meta Platforms CEO Mark Zuckerberg" for Meta's CEO)."""
    title, owner = title_owner(question)
    if not name or not title:
        return False
    for run in name_runs(text):
        before = run[:-len(name)].split() if run.endswith(" " + name) else []
        at = next((i for i, w in enumerate(before) if w.lower() == title), None)
        if at is None:
            continue
        owners = {POSSESSIVE.sub("", w).lower() for w in before[:at]
                  if w not in TITLES and w not in HONORIFICS and w not in DEMONYMS}
        if owners and not owners & owner:  # "OpenAI" of "OpenAI CEO", "OpenAI's CEO"
            return True
    return False


def bare_name(name: str) -> str:
    """`name` after its last title, as an answer gives it: "Sam Altman" of "OpenAI CEO Sam Altman" (a run kept
    whole to be ranked, so that "besides OpenAI" sets it aside), "Rishi Sunak" of "British Prime Minister Rishi
    Sunak"; "Prince Harry" stays."""
    words = name.split()
    cut = max((i + 1 for i, w in enumerate(words) if w in TITLES), default=0)
    return " ".join(words[cut:]) or name


def judged(ranked: list[RankedName], question: Question, judge: EntailmentJudge) -> list[RankedName]:
    """`ranked` re-ranked after the judge reads the sentences best stating the near-best names (within
    `JUDGED_WITHIN` of the best, at most `MAX_JUDGED`; none when only one is that near) and the question, and
    gives how likely each is as its reply: "LeBron James" over "Kevin Durant" for who agreed to a contract
    extension, from "LeBron James ... agreed to a two-year extension" and "... surpassing Kevin Durant as the
    highest paid". The judge reads the question as asked of the names it does not set aside (`asked_of_others`).
    The names it read stay before those it did not: a low reading of all of them must not put a name it never
    read first."""
    near = [r for r in ranked[:MAX_JUDGED] if r.score >= ranked[0].score - JUDGED_WITHIN]
    if len(near) < 2:
        return ranked
    passages = list(dict.fromkeys(r.quote for r in near))
    chosen = judge.choose(passages, question.of_others, [bare_name(r.name) for r in near])[:-1]
    rescored = [replace(r, score=r.score + JUDGE_WEIGHT * c, judged=c) for r, c in zip(near, chosen, strict=True)]
    return [*sorted(rescored, key=lambda r: -r.score), *ranked[len(near):]]


def distinct_names(names: Sequence[str], count: int) -> tuple[str, ...]:
    """The first `count` of `names` (best first) none of which is part of another ("Houston" of "Houston
    Texans"); fewer when there are not that many."""
    picked: list[str] = []
    for n in names:
        if not any(f" {n} " in f" {p} " or f" {p} " in f" {n} " for p in picked):  # as whole words
            picked.append(n)
        if len(picked) == count:
            break
    return tuple(picked)


def names_together(names: Sequence[str], texts: Sequence[str]) -> str:
    """Names given together as one answer, "Sweden and Finland", in the order the first of `texts` holding
    them all gives them (so the answer reads as the article does); otherwise in the order given."""
    together = next((t for t in texts if all(n in t for n in names)), None)
    ordered = sorted(names, key=lambda n: together.index(n)) if together else list(names)
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " and " + ordered[-1]


def full_name(name: str, runs: Iterable[str], ordinary: frozenset[str]) -> str:
    """`name` with the given names that stand before it in a longer name of the evidence (`runs`): "Joe Biden"
    for "Biden" in "US President Joe Biden", "Rishi Sunak" in "British Prime Minister Rishi Sunak", "Los Angeles
    Dodgers" for "Dodgers". The words taken are capitalised, and none is a title, a sentence's opening, a word
    the articles also write in lower case ("Equatorial Launch Australia" stays "Australia"), a description
    ("UK-listed") or a possessive ("Elon Musk's Twitter" stays "Twitter").

    Applied to the name shown, after the model has picked it (`qa.assembly.with_full_name`), not to the names
    it picks from: offered as "Sam Bankman-Fried", the 0.5 B model picked "FTX" or "Rehn" for two MultiHop-RAG
    questions where it had picked "Bankman-Fried" (accuracy on its 60: 0.383 -> 0.350)."""
    best = name
    for run in runs:
        if not run.endswith(" " + name):
            continue
        taken: list[str] = []
        for w in reversed(run[:-len(name)].split()):
            if not w[:1].isupper() or POSSESSIVE.search(w) or not is_name(w, ordinary):
                break
            taken.insert(0, w)
        if taken and len(taken) + len(name.split()) > len(best.split()):
            best = " ".join([*taken, name])
    return best


def name_pool(evidence: list[Evidence], ranked: Sequence[Evidence], question: Question | None = None) -> list[Evidence]:
    """The best `NAME_POOL` of `ranked` (every ranked sentence) that `evidence` does not hold: where names are
    looked for besides what the model reads. When the question gives names, a sentence of an article the
    evidence does not draw on must hold a word of one ("Which team traded Russell Wilson to the Broncos?": not
    "The Cleveland Browns traded for Amari Cooper" from a story on another trade)."""
    read = {e.text for e in evidence}
    docs = {e.doc_id for e in evidence}
    named = _name_words(question) if question is not None else []
    return [e for e in ranked[:NAME_POOL] if e.text not in read and (
        not named or e.doc_id in docs or any(re.search(rf"(?<!\w){re.escape(w)}", e.text) for w in named))]


def _name_words(question: Question) -> list[str]:
    """The words of the names a question gives (capitalised, after its first word; parts of a hyphenated name
    apart: "Israel-Hamas"), not the outlets it names nor days and months."""
    outlets = {w for g in question.outlets for s in g for w in re.findall(r"\w+", s)}
    out = []
    for token in question.text.split()[1:]:
        for w in POSSESSIVE.sub("", token.strip(".,;:!?()\"“”‘'’")).split("-"):
            if len(w) > 2 and w[:1].isupper() and w not in outlets and w not in CALENDAR_WORDS:
                out.append(w)
    return out


def with_naming_sentences(names: tuple[str, ...], evidence: list[Evidence], extra: list[Evidence],
                          limit: int = ADDED_SENTENCES) -> list[Evidence]:
    """`evidence` and, numbered after it, the best sentence of `extra` (sentences not in `evidence`) holding
    each of `names` that no sentence so far holds (at most `limit`), so that the name offered can be read and
    cited. A sentence added for one name holds it, so it is never added twice."""
    out = list(evidence)
    for name in names:
        if len(out) - len(evidence) == limit:
            break
        if any(name in e.text for e in out):
            continue
        e = next((e for e in extra if name in e.text), None)
        if e is not None:
            out.append(replace(e, number=len(out) + 1))
    return out
