"""Checking each generated sentence against the evidence it cites.

No PyPI wheel here ships an NLI or cross-encoder model, so support is decided from three signals that run
offline and cheaply:
  1. every number and every name (capitalised word not opening the sentence) in the sentence must appear in
     the cited evidence: this is what catches a small model's invented facts;
  2. the share of the sentence's content words found in the cited evidence (a word in another regular form
     counts; words it repeats from the question that one quote lacks are not held against it, `check`);
  3. the cosine similarity of the sentence to the cited evidence (MiniLM).
A sentence citing the wrong evidence is re-attached to the evidence that does support it, when one does; a
sentence true to its evidence but sharing no word with the question is not counted as answering it.
Thresholds were calibrated on the MultiHop-RAG dev queries (see `qa eval`).

A sentence that passes them is then put to the entailment judge (`qa.entailment`, the 1.5 B model by default)
against the quotes it cites: shared words pass "Columbia acknowledged submitting inaccurate data" cited to
"Columbia said it would refrain from submitting data"; the judge does not.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from index.embedding import Embedder
from index.sentences import split_sentences
from qa.candidates import TITLES, placed, titled_for_another
from qa.entailment import OFF_QUESTION_THRESHOLD, EntailmentJudge
from qa.evidence import Evidence
from qa.quantities import figures, unit
from qa.question import POSSESSIVE, WHO_KIND, Question, asks_statement, named_thing, possessed
from qa.text import (
    AUXILIARIES,
    COUNT_WORDS,
    MONTH_PATTERN,
    NOT_NAMES,
    WEEKDAY_PATTERN,
    capitalised_words,
    content_terms,
    flat,
    hedged_terms,
    held_terms,
    name_runs,
    names_leader,
    polarity_terms,
    says_leads,
    superlatives,
    words,
)

MIN_OVERLAP = 0.5
# Other quotes the judge tries for a sentence its own quote does not entail, best first: each costs a judge
# call (about a second on 2 cores), so a sentence that no quote entails costs at most three.
MAX_RECITES = 2
# The opening sentences of an answer to an open question that the judge reads as answering it: the first
# supported sentence is put to it, and while it finds one not answering, the next, up to this many.
MAX_OPENING_CHECKS = 2
OFF_QUESTION = "does not answer the question"
# A sentence of at most this many words is a bare answer ("187 minutes.", "Alexandr Wang."): the judge asked
# whether it answers the question reads such a fragment alone as not answering (-1.0 for "187 minutes." to "How
# many minutes did ... let violence play out ...?", -2.0 for "2 million customers." to "... how many customers
# ... were without power ...?"), so one it reads that way is read again with its quote as the answer given
# (`NAMED_THRESHOLD`: 0.47 and 2.3 for the two quotes on the 187 minutes, 0.73 for "2 million customers";
# "15 people" from "at least 15 people were reported dead" 0.34, "49%" for Scale AI's employees -1.7).
MAX_BARE_WORDS = 4
MIN_SCORE = 0.5
MAX_UNSUPPORTED_WORDS = 0.2  # share of a sentence's content words allowed to be absent from its evidence

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# Letters beyond Latin (with its accents), general punctuation, currency signs and letter-like symbols.
_OTHER_SCRIPT = re.compile(r"[^\x00-\u024f\u2000-\u20cf\u2100-\u214f]+")
@dataclass
class Support:
    supported: bool
    score: float
    evidence: list[int]  # evidence numbers that support the sentence
    missing: list[str]  # numbers or names not found in the evidence
    reason: str = ""  # why it is not supported, for the reader

    def why(self) -> str:
        if self.supported:
            return ""
        if self.reason:
            return self.reason
        if self.missing:
            return "its citation does not hold " + ", ".join(self.missing)
        return "its citation does not say this"


class Verifier:
    """Checks each generated sentence against the evidence it cites (re-citing it where other evidence
    supports it instead)."""

    def __init__(self, embedder: Embedder, judge: EntailmentJudge | None = None):
        self.embedder = embedder
        self.judge = judge  # when given, a sentence passing the checks above must also be entailed

    def run(self, sentences: list[tuple[str, list[int]]], evidence: list[Evidence], context: dict[int, str],
            question: Question, around: dict[int, str] | None = None) -> list[Support]:
        """One `Support` per sentence, in order. `around[n]` is what stands around evidence n in its article
        (`qa.evidence.surroundings`): with a judge, a name or number the cited sentence leaves to its title or
        to the sentence before it may be found there, and the judge then reads them with the quote."""
        if not sentences:
            return []
        vectors = self.embedder.encode([s for s, _ in sentences])
        out = []
        for (text, cited), vec in zip(sentences, vectors, strict=True):
            sup, checked = self._words_checked(text, vec, cited, evidence, context, question)
            premises = {e.number: e.text for e in evidence}
            if not sup.supported and sup.missing and not sup.reason and self.judge is not None and around:
                wider = {n: f"{around.get(n, '')} {t}" for n, t in context.items()}
                # Never two quotes joined with their neighbours: the judge passed "The record high price, set
                # in June, was $4.42" against a quote giving $4.42 last Thursday beside one giving $5.02 on June 14.
                alt = verify_sentence(checked, vec, cited, evidence, wider, pairs=False, asked=question.terms)
                if alt.supported:  # what was missing stands around the quote: the judge reads it there too
                    sup = alt
                    premises.update({n: f"{around[n]} {premises[n]}" for n in alt.evidence if around.get(n)})
            why = _unanswering(text, sup, premises, question) if sup.supported else ""
            if why:
                sup.supported, sup.reason = False, why
            elif sup.supported and self.judge is not None:
                cited_first = sup.evidence
                sup = self._entailed(text, checked, vec, sup, evidence, context, premises, self.judge,
                                     question.terms)
                if sup.supported and sup.evidence != cited_first and (
                        why := _unanswering(text, sup, premises, question)):  # re-cited: read against its new quote
                    sup.supported, sup.reason = False, why
            out.append(sup)
        if question.wanted == WHO_KIND:
            names_no_one(sentences, out, question)
        elif self.judge is not None:
            self._kind_named(sentences, out, question, self.judge)
        if self.judge is not None and not question.closed:
            self._opening_answers(sentences, out, question, self.judge, {e.number: e.text for e in evidence})
        return out

    @staticmethod
    def _words_checked(text: str, vector: np.ndarray, cited: list[int], evidence: list[Evidence],
                       context: dict[int, str], question: Question) -> tuple[Support, str]:
        """The word checks' support of `text` (`verify_sentence`), and the form of it they passed. The names it
        misses may be the question's, given in full where the quote uses a short form: it is then checked with
        them cut to their last word (`as_named_in_question`), which is also preferred when it keeps the quote
        cited where the full form would move to another quote holding the full name but saying less."""
        checked = opening_as_asked(text, question.text)
        sup = verify_sentence(checked, vector, cited, evidence, context, asked=question.terms)
        shorter = opening_as_asked(as_named_in_question(text, question.text), question.text)
        cited = [n for n in cited if any(e.number == n for e in evidence)]
        if shorter == checked or sup.supported and set(sup.evidence) == set(cited) \
                or not sup.supported and (sup.reason or not sup.missing):
            return sup, checked
        alt = verify_sentence(shorter, vector, cited, evidence, context, asked=question.terms)
        if alt.supported and (not sup.supported or set(alt.evidence) == set(cited)):
            return alt, shorter
        return sup, checked

    @staticmethod
    def _kind_named(sentences: list[tuple[str, list[int]]], checks: list[Support], question: Question,
                    judge: EntailmentJudge) -> None:
        """Drop the first kept sentence of an answer to "Which <kind> ...?" when it speaks of the kind asked and
        names no name the question lacks, and the judge, reading it alone, finds in it no answer but the
        question's own words: "Condiment is running out." for "... struggling to stock which condiment ...?"
        (it reads "Condiment"; "mustard" from "The condiment mustard is running out."). A thing may be named
        in lower case, so the judge is asked rather than the words' case."""
        if not question.asks_name or question.closed or question.wanted in ("", "place"):
            return
        first = next(((text, sup) for (text, _cited), sup in zip(sentences, checks, strict=True) if sup.supported),
                     None)
        if first is not None and names_only_kind(first[0], question, judge):
            first[1].supported, first[1].reason = False, KIND_ONLY

    @staticmethod
    def _opening_answers(sentences: list[tuple[str, list[int]]], checks: list[Support], question: Question,
                         judge: EntailmentJudge, quotes: dict[int, str]) -> None:
        """Drop the answer's opening sentences that the judge finds clearly do not answer the question (true
        to their quotes, but off it: "OpenAI CEO Sam Altman accused Meta of making giant offers ..." for "Who
        else pulled back from Scale AI besides OpenAI?"), until one does, checking at most
        `MAX_OPENING_CHECKS`. A bare answer ("187 minutes.") that the judge reads alone as not answering is read
        again as the answer its quotes give (`EntailmentJudge.confirms`); so are the few words a sentence adds to
        a question asking for a date or a figure ("Wednesday June 18" of "Bloomberg reported Wednesday (June
        18)." for "On what date did Bloomberg report that OpenAI was phasing out Scale?", -1.14 read alone,
        confirmed at 1.2; a name question's are not: "Ash Carter served under President Barack Obama's final
        defense secretary" would stand, where the passage giving the name leads instead)."""
        checked = 0
        for (text, _cited), sup in zip(sentences, checks, strict=True):
            if not sup.supported:
                continue
            if judge.answers(text, question.of_others, threshold=OFF_QUESTION_THRESHOLD):
                return
            bare = text.rstrip(". ") if len(words(text)) <= MAX_BARE_WORDS else (
                added_to(text, question) if question.answer_type in ("date", "quantity") else "")
            if bare and judge.confirms(" ".join(quotes[n] for n in sup.evidence if n in quotes),
                                       question.of_others, bare):
                return
            sup.supported, sup.reason = False, OFF_QUESTION
            checked += 1
            if checked == MAX_OPENING_CHECKS:
                return

    @staticmethod
    def _entailed(text: str, checked: str, vector: np.ndarray, sup: Support, evidence: list[Evidence],
                  context: dict[int, str], premises: dict[int, str], judge: EntailmentJudge,
                  asked: frozenset[str]) -> Support:
        """`sup` when the judge finds the sentence `text` entailed by what it cites (`premises[n]`: quote n,
        with what stands around it where the word checks needed that); else the support of another single
        quote that passes the word checks (made on `checked`, as for `sup`) and that the judge finds entailing
        it (the sentence is re-cited; the best `MAX_RECITES` are tried); else `sup` marked not entailed."""
        if judge.entails(" ".join(premises[n] for n in sup.evidence), text):
            return sup
        others = [check(checked, vector, [e], context, asked) for e in evidence if e.number not in sup.evidence]
        for other in sorted((o for o in others if o.supported), key=lambda o: -o.score)[:MAX_RECITES]:
            if judge.entails(premises[other.evidence[0]], text):
                return other
        return Support(False, sup.score, sup.evidence, sup.missing, NOT_ENTAILED)


_NUMBER_WORDS = re.compile(rf"\b(?:{'|'.join(COUNT_WORDS[1:])}|dozens?|"
                           r"hundreds?|thousands?|millions?|billions?|trillions?|half|quarter)\b", re.I)


def _unanswering(text: str, sup: Support, premises: dict[int, str], question: Question) -> str:
    """Why a sentence its quotes support (`sup`, quote n's text in `premises[n]`) still does not answer the
    question as they say it; "" when it does."""
    quoted = " ".join(premises[k] for k in sup.evidence)
    if not (content_terms(text) & question.terms):
        return "not about what was asked"  # true to the evidence
    if any(titled_for_another(n, quoted, question) for n in name_runs(text)):
        return TITLED  # "Sam Altman" for Meta's CEO: "OpenAI CEO Sam Altman"
    if thing_unsaid(text, quoted, question):
        return THING_UNSAID  # "Meta's new AI unit is Scale AI" from a quote on the deal
    if owned_by_another(text, quoted, question):
        return OWNED_BY_ANOTHER  # "Greg Penner's net worth is $60 billion" from "Walton’s estimated net worth ..."
    if done_by_another(text, quoted, question):
        return DONE_BY_ANOTHER  # "Scale AI will join Meta's new unit" for which unit Alexandr Wang will join
    if question.excluded and not new_names(text, question):
        return "names only what the question sets aside"
    if not question.closed:
        return unanswering(text, question)
    return ""


def thing_unsaid(sentence: str, quote: str, question: Question) -> bool:
    """Whether a sentence answering "What is the name of <thing>?" or "What is <thing> called?" speaks of the
    thing (its head noun: "unit") where its quote does not: such a quote cannot say what the thing is called.
    Every other word of "Meta's new AI unit is Scale AI" stands in "This deal between Meta and Scale AI is a
    shift ..., signalling a new chapter ...", and the judge read it as entailed (0.84)."""
    head = content_terms(named_thing(question.text)[1])
    return bool(head) and head <= content_terms(sentence) and not head <= content_terms(quote)


_HIS = frozenset("his her their its".split())


def owned_by_another(sentence: str, quote: str, question: Question) -> bool:
    """Whether a sentence speaks of what the question asks of a name ("Greg Penner's net worth", `possessed`)
    where its quote gives that thing only as someone else's: "Walton’s estimated net worth is $60 billion", or
    "... Rob Walton immediately becomes the wealthiest owner ... thanks to his estimated personal net worth of
    around $60 billion" (a "his" after another full name, in a sentence not naming the one asked of). The judge read
    "Greg Penner's net worth is $60 billion" as entailed by the latter with the sentence before it, which names
    Penner (0.68). Only a name's possessive counts ("the company's valuation" may be the one asked of's)."""
    owner, head = possessed(question.text)
    if not head or head not in {w.lower() for w in words(sentence)}:
        return False
    mine = {w.lower() for w in words(owner)}
    another = False
    for a, b in split_sentences(quote, 0, len(quote)):
        ws = quote[a:b].split()
        for i, w in enumerate(ws):
            if w.lower().strip(".,;:!?\"”’") != head:
                continue
            before = ws[max(0, i - 4):i]
            his = next((j for j in range(len(before) - 1, -1, -1)
                        if POSSESSIVE.search(before[j]) or before[j].lower() in _HIS), None)
            if his is None:
                continue
            word = before[his]
            if word.lower() in _HIS:  # whose: a name before it in this sentence, when it is not the one asked of
                lead = re.sub(r"\b(?i:according to)\s+(?:the\s+)?(?:[A-Z][\w&.-]*\s*)+", " ",
                              " ".join(ws[:i - len(before) + his]))  # "According to Forbes, his ..."
                earlier = {x.lower() for n in name_runs(lead) if len(n.split()) > 1 for x in words(n)}
                if mine & {x.lower() for n in name_runs(quote[a:b]) for x in words(n)} or not earlier:
                    return False  # whose, unclear: only a full name before it ("Rob Walton"), not "Forbes"
                another = True
            elif not word[:1].isupper():
                continue  # "the company's": whose, the words before tell
            elif {POSSESSIVE.sub("", x).lower() for x in words(word)} & mine:
                return False  # the thing is also given as the one asked of's
            else:
                another = True
    return another


# Words that may stand between a name and its verb: "Scale AI will join", "Meta has also acquired".
_AUXILIARIES = AUXILIARIES | frozenset("also to soon then".split())
_BE = frozenset("is are was were be been".split())
_ADVERBS = frozenset("still also ever now just really actually first recently finally already not".split())


def done_by_another(sentence: str, quote: str, question: Question) -> bool:
    """Whether a sentence says another name does what the question asks a name it gives does, where its quote
    speaks of the one asked of: "Scale AI will join Meta's new “superintelligence” unit" for "Which unit will
    Alexandr Wang join at Meta?", cited to "... hired its founder, Alexandr Wang, to join Meta’s new
    “superintelligence” unit" (the judge read it as entailed, 0.71). The question asks it of the name as "will
    <name> <verb>" ("did the Chiefs play"); the sentence lacks every word of that name and puts before a form of
    the verb, auxiliaries aside, a name the question lacks, not in the passive ("Scale AI was founded in 2016"),
    and not one the quote writes within three words of the name asked of (Apple's "Apple CEO Tim Cook")."""
    if question.closed:
        return False
    asked = question.text
    qs = asked.rstrip("?").split()
    for name in name_runs(asked):
        verb = _asked_verb(qs, name)
        mine = _bare_words(name)
        if not verb or mine & _bare_words(sentence) or not mine & _bare_words(quote):
            continue
        doer = _another_before(sentence, verb, _bare_words(asked))
        if doer and not _beside(_bare_words(doer), mine, quote):
            return True
    return False


def _asked_verb(qs: list[str], name: str) -> str:
    """The verb a question (its words `qs`) asks of `name` as "did <name> <verb>", in lower case; else ""."""
    first, size = name.split()[0], len(name.split())
    at = next((i for i, w in enumerate(qs) if w == first), -1)
    if at < 0 or at + size > len(qs) or POSSESSIVE.search(qs[at + size - 1]):
        return ""
    before = [w.lower() for w in qs[max(0, at - 2):at] if w.lower() != "the"]
    after = [w for w in qs[at + size:] if w.lower() not in _ADVERBS]
    if not before or before[-1] not in AUXILIARIES or not after or not after[0].isalpha() or not after[0].islower() \
            or not content_terms(after[0]):
        return ""
    return after[0].lower()


def _bare_words(text: str) -> set[str]:
    """A text's words in lower case, without possessives ("Apple's" is "apple")."""
    return {POSSESSIVE.sub("", w).lower() for w in words(text)}


def _inflects(word: str, verb: str) -> bool:
    """Whether `word` is `verb` or a regular form of it ("joins", "joined", "joining"; not "plan" for "play")."""
    w = word.lower().strip(".,;:!?\"'”’")
    forms = {verb, verb + "s", verb + "es", verb + "d", verb + "ed", verb + "ing", verb + verb[-1] + "ed",
             verb + verb[-1] + "ing", verb[:-1] + "ing", verb[:-1] + "ies", verb[:-1] + "ied"}
    return w in forms


def _another_before(sentence: str, verb: str, asked: set[str]) -> str:
    """The name `sentence` puts before a form of `verb`, in the active voice, when the question (its words
    `asked`) lacks it and it is no word for people ("Executives announced ..."); else ""."""
    names = name_runs(sentence)
    ws = sentence.split()
    for i, w in enumerate(ws):
        if not _inflects(w, verb):
            continue
        j = i - 1
        while j >= 0 and ws[j].lower() in _AUXILIARIES:
            j -= 1
        passive = any(x.lower() in _BE for x in ws[j + 1:i]) and not w.lower().endswith("ing")
        doer = POSSESSIVE.sub("", ws[j].strip(",;:")) if j >= 0 else ""
        name = next((n for n in names if doer and n.endswith(doer)), "")
        if not passive and doer[:1].isupper() and name and doer.lower() not in asked \
                and doer.lower() not in PEOPLE_WORDS:
            return name
    return ""


_BETWEEN = frozenset("the of a an its their his her and former new chief executive founder co-founder leader "
                     "head boss star player coach".split())


def _beside(theirs: set[str], mine: set[str], quote: str) -> bool:
    """Whether `quote` writes a word of one name (`theirs`) beside a word of another (`mine`), with at most two
    words between them, each capitalised or a title ("Apple CEO Tim Cook", "Tim Cook, Apple's chief"; not "the
    Chiefs played the Bills")."""
    raw = words(quote)
    ws = [POSSESSIVE.sub("", w).lower() for w in raw]
    a = [i for i, w in enumerate(ws) if w in theirs]
    b = [i for i, w in enumerate(ws) if w in mine]
    return any(abs(i - j) <= 3 and all(raw[k][:1].isupper() or ws[k] in _BETWEEN or ws[k] in PEOPLE_WORDS
                                       for k in range(min(i, j) + 1, max(i, j)))
               for i in a for j in b)


def added_to(sentence: str, question: Question) -> str:
    """The words of `sentence` that the question does not hold (compared on their first five letters), in
    order, when there are at most `MAX_BARE_WORDS` of them: the answer it gives; else ""."""
    asked = {w.lower()[:5] for w in words(question.text)}
    new = [w for w in words(sentence) if w.lower()[:5] not in asked]
    return " ".join(new) if len(new) <= MAX_BARE_WORDS else ""


def numbers(text: str) -> set[str]:
    """The numbers a text gives, in digits or words ("$19 million", "two million", "a dozen")."""
    return set(_NUMBER.findall(text)) | {w.lower() for w in _NUMBER_WORDS.findall(text)}


def stated_in(words: str, texts: Sequence[str]) -> bool:
    """Whether any of `texts` states a number `words` gives in digits, as a whole ("1,300" of "about 1,300", not in
    "11,300")."""
    return any(re.search(rf"(?<![\w,.]){re.escape(f)}(?!\w|[,.]\d)", t) for f in _NUMBER.findall(words) for t in texts)


RESTATES = "only restates the question"
# Words that add nothing to what a sentence restates: "Meta's second-largest acquisition to date" for "What was
# Meta's second-largest acquisition?".
_ADDS_NOTHING = frozenset({"date", "now", "today", "curre", "still", "also", "repor", "recen", "accor", "say", "sayin",
                           "tell", "telli", "citin", "cite", "cited"})
# A day of a month, as a sentence may give it: "June 18", "(June 18)", "Jun. 18, 2025", "18 June".
_MONTH_SHORT = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\."  # "Jun.", as `_TIME` reads it too
_MONTH = rf"(?:{MONTH_PATTERN}|{_MONTH_SHORT})"
_DAY_OF_MONTH = re.compile(rf"\b{_MONTH}\s+\(?\d{{1,2}}(?:st|nd|rd|th)?\)?(?:,?\s+\d{{4}})?"
                           rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_PATTERN}\b")
NO_NUMBER = "gives no number for a question asking how much or how many"


def unanswering(sentence: str, question: Question) -> str:
    """Why a sentence true to its evidence still does not answer an open question, else "": it says nothing
    the question does not already say ("An anonymous bidder paid a record sum for lunch with Warren Buffett"
    for "... How much did the bidder pay?"), a "how much/how many" question gets no number of its own, a
    "when" question no time, or a "where" question, for a place, only a quoted title ("Loretta Lynn, the “Coal
    Miner’s Daughter” ..., has died": no name standing as a place (`placed`), no "at her home")."""
    if not _added_terms(sentence, question):
        return RESTATES
    if asks_statement(question) and not _added_terms(_untimed(sentence), question):
        return RESTATES  # and when: "OpenAI's spokesperson told Bloomberg Wednesday (June 18)" for what they said
    if restates_itself(sentence):
        return SAYS_NOTHING
    if question.answer_type == "quantity" and not numbers(sentence) - numbers(question.text):
        return NO_NUMBER
    if question.answer_type == "date" and not _TIME.search(sentence):
        return NO_TIME
    new = [n for n in name_runs(sentence) if n not in question.text]
    if question.wanted == "place" and new and not any(placed(n, sentence) for n in new) \
            and not _AT_HOME.search(sentence) and all(re.search(rf"[\"“‘']{re.escape(n)}", sentence) for n in new):
        return NO_PLACE  # a title for a place; any other new name may answer "Where is Wang going to work?" (Meta)
    return ""


def _added_terms(sentence: str, question: Question) -> set[str]:
    """The content terms of `sentence` (by their first five letters) that the question lacks, apart from
    words that add nothing (`_ADDS_NOTHING`)."""
    return {t[:5] for t in content_terms(sentence)} - {t[:5] for t in question.terms} - _ADDS_NOTHING


def _untimed(sentence: str) -> str:
    """`sentence` without the times it gives ("Wednesday (June 18)", "last week"): what it says apart from
    when."""
    return _TIME.sub(" ", _DAY_OF_MONTH.sub(" ", sentence))


NO_TIME = "gives no time for a question asking when"
NO_PLACE = "gives no place for a question asking where"
# A place given without a name: "at her home", "in a hospital".
_AT_HOME = re.compile(r"\b(?:at|in|inside|outside|near)\s+(?:her|his|their|its|a|an|the)\s+(?:\w+\s+)?(?:home|house|"
                      r"residence|ranch|farm|hospital|apartment|hotel|school|stadium|office|airport|prison|church)\b")
# A time, exact or not: "June 12", "2016", "Wednesday", "3 p.m.", "last week", "a few weeks", "days after ...",
# "soon", "by the end of the year"; not "over the past year" for "When will OpenAI stop using Scale AI
# completely?", nor "a 49% stake" (a number), nor "may" (a month only capitalised).
_TIME = re.compile(rf"(?-i:\b{MONTH_PATTERN}\b|\b{_MONTH_SHORT}"
                   rf"|\b{WEEKDAY_PATTERN}\b)|"
                   r"\b(?:1[6-9]|20)\d\d\b|\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}(?:st|nd|rd|th)\b|"
                   r"\b(?:today|tonight|yesterday|tomorrow|ago|decade|century|spring|summer|autumn|winter|weekend|"
                   r"overnight|morning|afternoon|evening|noon|midnight|minutes|hours|days|weeks|months|years|soon|"
                   r"recently|shortly|quarter|within|until|once)\b|\bend of\b|"
                   r"\b(?:this|last|next|coming|later|earlier)\s+(?:week|month|year|fall|season)\b", re.I)


SAYS_NOTHING = "says of its subject only that it is itself"
_COPULA = re.compile(r"\s(?:is|was|are|were|remains|remained)\s")


def restates_itself(sentence: str) -> bool:
    """Whether a sentence says of its subject only that it is itself: "Meta's second-largest acquisition is Meta's
    second-largest acquisition to date" (the words after its verb hold every word before it and add at most
    one, and no name or number the subject does not hold)."""
    verb = _COPULA.search(sentence)
    if verb is None:
        return False
    subject, told = sentence[:verb.start()], sentence[verb.end():]
    before, after = {t[:5] for t in content_terms(subject)}, {t[:5] for t in content_terms(told)}
    names = {w.lower() for w in capitalised_words(told)} - {w.lower() for w in capitalised_words(subject)}
    return bool(before) and before <= after and len(after - before) <= 1 and not names \
        and not numbers(told) - numbers(subject)


def names_no_one(sentences: list[tuple[str, list[int]]], checks: list[Support], question: Question) -> None:
    """Drop the opening sentences of an answer to "Who ...?" that name no one the question does not already
    name ("Scale AI is now an independent leader in AI" for "Who leads Scale AI now?"): true to their quotes,
    they leave the question unanswered. At most `MAX_OPENING_CHECKS`; the sentences after the first that
    names someone may say more about them without naming anyone new."""
    kept = [(text, sup) for (text, _cited), sup in zip(sentences, checks, strict=True) if sup.supported]
    for text, sup in kept[:MAX_OPENING_CHECKS]:
        if new_names(text, question) or new_people(text, question):
            return
        sup.supported, sup.reason = False, NAMES_NO_ONE


NAMES_NO_ONE = "names no one for a question asking who"
KIND_ONLY = "names only the kind of thing asked for"


def names_only_kind(sentence: str, question: Question, judge: EntailmentJudge) -> bool:
    """Whether `sentence` speaks of the kind of thing a "Which <kind> ...?" question asks for and names nothing
    the question does not: no name new to it, and the judge, reading the sentence alone, finds no answer in it
    but the question's own words ("Condiment" in "Condiment is running out."; "mustard" in "The condiment mustard
    is running out."). Without the kind word the judge is not asked."""
    kind = content_terms(question.wanted.split()[-1]) if question.wanted.split() else set()
    asked = {POSSESSIVE.sub("", w).lower() for w in words(question.text)}  # "Condiment" opening a sentence: no name
    if not kind or not kind <= content_terms(sentence) \
            or any(POSSESSIVE.sub("", n).lower() not in asked for n in new_names(sentence, question)):
        return False
    read = judge.extract([sentence], question.of_others)
    return not {t[:5] for t in content_terms(read)} - {t[:5] for t in question.terms}


# Words for people that answer "Who ...?" without a name: "a large network of contractors" for "Who does Scale
# AI use to label data?", "a jury", "officials". Plural agent nouns count too ("workers", "investors").
PEOPLE_WORDS = frozenset("people police staff personnel public jury court committee panel government officials "
                         "official professionals spokesperson spokesman spokeswoman executive executives "
                         "representative representatives lawyer lawyers attorney attorneys judge judges "
                         "experts employees volunteers residents citizens men women children students".split())
_AGENTS = re.compile(r"[a-z]{3,}(?:ers|ors|ists|ians|ants)$")


def new_people(sentence: str, question: Question) -> list[str]:
    """The words for people in a sentence (`PEOPLE_WORDS`, plural agent nouns) that the question does not hold,
    by their first four letters ("leaders" is not new for "Who leads ...?")."""
    asked = {w.lower()[:4] for w in words(question.text)}
    return [w for w in words(sentence.lower()) if (w in PEOPLE_WORDS or _AGENTS.match(w)) and w[:4] not in asked]


def new_names(sentence: str, question: Question) -> list[str]:
    """The names in a sentence that the question does not hold ("Google" in "Google paused its work with
    Scale AI" for "Who else pulled back from Scale AI besides OpenAI?")."""
    asked = {w.lower() for w in capitalised_words(question.text)}
    return [w for w in capitalised_words(sentence) if w.lower() not in asked]


def opening_as_asked(sentence: str, question: str) -> str:
    """`sentence` with its first word in lower case when the question opens with the same word: "Approximately
    6,600 cases ..." for "Approximately how many cases ...?" is capitalised by its place in both, and is not a
    name its evidence must hold."""
    first, q_first = sentence.split(" ", 1)[0], question.split(" ", 1)[0]
    if first[:1].isupper() and first.lower() == q_first.lower() and first[1:].islower():
        return first.lower() + sentence[len(first):]
    return sentence


def key_facts(sentence: str) -> list[str]:
    """The numbers and the capitalised words of a sentence (a possessive's "’s" left off: "NBA’s" is held by
    "NBA player"), and any run of letters in another script than its Latin and punctuation (the 0.5 B model
    once wrote "the公司 is" into an English sentence): each must appear in the evidence it cites."""
    words = [POSSESSIVE.sub("", w) for w in capitalised_words(sentence)]
    return ([n.replace(",", "") for n in _NUMBER.findall(sentence)] + [w for w in words if w]
            + _OTHER_SCRIPT.findall(sentence))


def degrees_unsaid(sentence: str, quote: str) -> list[str]:
    """The degrees the sentence sets something at that the quote does not ("biggest" in "Scale AI's biggest
    customer is Anthropic" against "major AI players like Anthropic", `superlatives`), and "leads" when the
    sentence says someone leads something and the quote gives no one as a head (`names_leader`: "Alexandr Wang
    leads Meta's superintelligence unit" against "... hired its founder, Alexandr Wang, to join Meta’s new
    “superintelligence” unit")."""
    held = superlatives(quote)
    unsaid = [word for degree, word in superlatives(sentence).items() if degree not in held]
    return unsaid + (["leads"] if says_leads(sentence) and not names_leader(quote) else [])


def as_named_in_question(sentence: str, question: str) -> str:
    """`sentence` with each longer name it repeats from the question cut to that name's last word: "House
    Speaker Nancy Pelosi made a visit to Taiwan" is checked as "Pelosi made a visit to Taiwan", so that a quote
    calling her "Pelosi" can back it. The question fixes who is meant; what the sentence says of her is still
    checked, and the judge reads the sentence as written."""
    for run in sorted({r for r in name_runs(question) if len(r.split()) > 1}, key=len, reverse=True):
        sentence = re.sub(rf"(?<![\w-]){re.escape(run)}(?![\w-])", run.split()[-1], sentence)
    return sentence


_TYPOGRAPHIC = str.maketrans("’‘“”", "''\"\"")


def _contains(haystack: str, fact: str) -> bool:
    """Whether `haystack` holds `fact`, a number (commas ignored) or a word (case and the kind of apostrophe
    ignored: the model writes "Abbott's" for the article's "Abbott’s")."""
    if fact[0].isdigit():
        return fact in haystack.replace(",", "")
    return fact.lower().translate(_TYPOGRAPHIC) in haystack.lower().translate(_TYPOGRAPHIC)


def check(sentence: str, vector: np.ndarray | None, evidence: list[Evidence], context: dict[int, str],
          asked: frozenset[str] = frozenset()) -> Support:
    """Support of `sentence` by the given evidence items taken together. `context[n]` is the text the model
    saw for evidence n (source, date and sentence), against which names and numbers are checked. `asked` are
    the question's content terms: the words a sentence repeats from the question's premise ("made a
    controversial visit" of "House Speaker Nancy Pelosi made a controversial visit to which area?") are not
    counted among the words its quote may lack when it holds every other word of it (`premise_unheld`; one quote
    only); the share of its words the quote holds must still reach `MIN_OVERLAP`, and names and numbers are never
    excused."""
    if not evidence:
        return Support(False, 0.0, [], [])
    joined = " ".join(context.get(e.number, e.text) for e in evidence)
    missing = [f for f in key_facts(sentence) if not _contains(joined, f)] + degrees_unsaid(sentence, joined)
    terms = content_terms(sentence)
    ev_terms = content_terms(joined)
    held = held_terms(terms, ev_terms)
    overlap = len(held) / len(terms) if terms else 0.0
    # Joined quotes lend a premise's words to another's figure ("40% of US adults disapprove ..." from "60% ...
    # disapprove" and "... 40% support it"); what a figure counts is never excused.
    excused = premise_unheld(terms, held, asked - figure_nouns(sentence)) if len(evidence) == 1 else set()
    allowed_missing = int(MAX_UNSUPPORTED_WORDS * len(terms))  # a short claim must be fully backed
    cos = 0.0
    if vector is not None:
        cos = max(float(vector @ e.vector) for e in evidence if e.vector is not None)
    score = round(0.5 * overlap + 0.5 * max(cos, 0.0), 4)
    # The outlet and date lines the model sees may back a name or a date, but a sentence must also say
    # something the evidence sentences themselves say ("TechCrunch, 2023-10-02 [1]." says nothing).
    quoted = " ".join(e.text for e in evidence)  # the evidence sentences alone, without outlet and date
    says = terms & content_terms(quoted)
    ok = (not missing and len(terms - held - excused) <= allowed_missing and overlap >= MIN_OVERLAP
          and score >= MIN_SCORE and bool(says))
    if ok and len(evidence) > 1 and (joined_names(sentence, [context.get(e.number, e.text) for e in evidence])
                                     or subject_elsewhere(sentence, [e.text for e in evidence])
                                     or equated_apart(sentence, [e.text for e in evidence])
                                     or figures_apart(sentence, [e.text for e in evidence])):
        return Support(False, score, [e.number for e in evidence], missing, JOINED)
    texts = [e.text for e in evidence]
    failed: tuple[tuple[str, Callable[[], bool]], ...] = (
        (TITLED, lambda: titles_apart(sentence, quoted)),
        (SAID_OF_ANOTHER, lambda: said_of_another(sentence, quoted) or said_of_another(sentence, joined)),
        (UNQUOTED, lambda: speech_unquoted(sentence, texts)), (CONTRADICTS, lambda: contradicts(sentence, quoted)),
        (COUNTS_OTHERS, lambda: counts_others(sentence, quoted)),
        # each quote read alone: one that only weighs what another states done lends the sentence its date
        # ("reported June 8 that Meta was weighing")
        (OVERSTATES, lambda: any(overstates(sentence, t) for t in texts)))
    reason = next((r for r, fails in failed if fails()), "") if ok else ""  # the first that fails, in this order
    return Support(ok and not reason, score, [e.number for e in evidence], missing, reason)


def premise_unheld(terms: set[str], held: set[str], asked: frozenset[str]) -> set[str]:
    """The terms of a sentence (`terms`, of which its quotes hold `held`) that its quotes do not hold but the
    question gives: excused only when the sentence adds to the question's words and its quotes hold all it adds
    (the answer), and when its quotes hold at least half the words it repeats: so that a sentence restating the
    question whole, adding words its quotes lack, or speaking of a thing asked of that its quote never names
    ("Meta's new unit works on data labeling startups" of "What does Meta's new unit work on?", from a quote on
    Meta acquiring "a data labeling startup": the judge read it as entailed, 1.43), is checked word for word."""
    repeated = held_terms(terms, asked)
    added = terms - repeated
    about = 2 * len(repeated & held) >= len(repeated)  # the quote speaks of what is asked, not of one word of it
    return (terms - held) & repeated if added and added <= held and about else set()


CONTRADICTS = "contradicts its citation"
COUNTS_OTHERS = "gives a number its citation gives of other people"
OVERSTATES = "states as done what its citation only reports as possible or planned"
NOT_ENTAILED = "its citation does not state this"
JOINED = "joins names from different quotes"
TITLED = "gives a title its citation gives someone else"
UNQUOTED = "says someone said what its citation does not report them saying"
THING_UNSAID = "names a thing its citation does not speak of"
OWNED_BY_ANOTHER = "gives as one's what its citation gives as someone else's"
DONE_BY_ANOTHER = "says another did what the question asks of the one it names"
SAID_OF_ANOTHER = "says of one name what its citation says of another"


_OWNED = re.compile(r"['’]s?\b")  # "OpenAI's CEO" is "OpenAI CEO"


def titles_apart(sentence: str, quote: str) -> bool:
    """Whether the sentence gives a title with whose it is ("Meta CEO Sam Altman", "Meta's CEO") that the quote
    does not hold whole ("OpenAI CEO Sam Altman accused Meta ..."): every word is in the quote, but there the
    title is another's."""
    held = _OWNED.sub("", quote).lower()
    for run in name_runs(sentence):
        ws = _OWNED.sub("", run).split()
        at = next((i for i, w in enumerate(ws) if w in TITLES), None)
        if at and " ".join(ws[:at + 1]).lower() not in held:
            return True
    return False


# A sentence saying that someone said something: "Google said it would sever ties", "Altman told ...". Lower case
# only ("the United States" is no verb).
_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|stated|announced|announces|claimed|claims|wrote|writes|added|"
                     r"noted|confirmed|confirms|denied|denies|insisted|argued|warned|explained|acknowledged|"
                     r"admitted|accused|accuses)\b")
# What shows a quote reporting words: a verb of saying (above, and these), or where they were said.
_SPOKEN = re.compile(_SPEECH.pattern[:-3] + r"|reported|reports|according|saying|statement|release|spokesperson|"
                     r"spokesman|spokeswoman|interview|quoted|announcement|tweet\w*|posted|asked|replied)\b")
# Who may stand for the speaker in the quote: "The company said in the release: ...", "he said".
_SPEAKER_WORDS = frozenset("he she they it we i company firm group spokesperson spokesman spokeswoman statement "
                           "release officials official executive ceo".split())
SPEAKER_WINDOW = 10  # words between the speaker's name and the verb of saying in the quote
# "..., the report said": the words are the report's, whatever name stands before.
_REPORT_WORDS = frozenset("report reports article story outlet".split())


def speech_unquoted(sentence: str, quotes: list[str]) -> bool:
    """Whether the sentence has a name say something ("Google said it would sever or pause ties with Scale AI")
    that no quote reports that name saying: a quote naming it, with the name (any word of it, or a pronoun,
    "the company") before a verb of saying and no other name between ("Altman said", "The company said in the
    release"), or just after one ("said Altman", "according to Meta"). "Google ... has reportedly decided to
    sever or pause ties" reports a decision, not words; "Meta was weighing ..., the report said", "Google ...
    ties with Scale AI, Bloomberg reported" and "..., according to people familiar with the matter" give
    others' words. Shared words pass such a sentence, and so did the judge."""
    # each quote as it is, and without what it says in passing between commas ("Rob Gronkowski, a tight end in
    # the NFL for 11 seasons ..., announced")
    quoted = [words(t) for q in quotes for t in (q, _APPOSITION.sub(" ", q))]
    for m in _SPEECH.finditer(sentence):
        before = sentence[:m.start()].rstrip()
        speakers = name_runs(" ".join(before.split()[-3:]))
        if not speakers or not before.endswith(speakers[-1]):
            continue
        names = {_OWNED.sub("", w).lower() for w in speakers[-1].split()}
        if not any(_reported_saying(names, ws) for ws in quoted):
            return True
    return False


def _reported_saying(speaker: set[str], ws: list[str]) -> bool:
    """Whether the words `ws` of a quote report one of the words `speaker` saying something (`speech_unquoted`)."""
    low = [_OWNED.sub("", w).lower() for w in ws]  # "Scale’s" is "scale"
    if not speaker & set(low):
        return False
    for i, w in enumerate(low):
        if not _SPOKEN.fullmatch(w):
            continue
        if w in _AFTER_SPEAKER and speaker & set(low[i + 1:i + 4]):
            return True  # "said Altman", "according to Meta"
        if w == "according":
            continue  # "..., according to people familiar with the matter": their words
        before = low[max(0, i - SPEAKER_WINDOW):i]
        if _REPORT_WORDS & set(before[-2:]) or before[-1:] in (["was"], ["is"], ["were"], ["been"], ["be"]):
            continue  # "..., the report said", "It was reported that Meta ..."
        if _SPEAKER_WORDS & set(before[-3:]):
            return True  # "The company said in the release"
        at = max((j for j in range(max(0, i - SPEAKER_WINDOW), i) if low[j] in speaker), default=None)
        if at is not None and not any(ws[j][:1].isupper() and low[j] not in speaker for j in range(at + 1, i)):
            return True  # "Altman said", "Meta spokesperson Joe Smith said" (no other name between) ...
    return False


_APPOSITION = re.compile(r",[^,;:“”\"]{1,160},")
_AFTER_SPEAKER = frozenset("said says told according wrote added".split())  # "said Altman", "according to Meta"


def joined_names(sentence: str, quotes: list[str]) -> list[str]:
    """Runs of names in the sentence ("Google CEO Sam Altman") that no single quote holds whole: a sentence
    citing two quotes must not make one name out of "Google" in one and "CEO Sam Altman" in the other."""
    out = []
    for run in name_runs(sentence):
        words = run.lower().split()
        if len(words) > 1 and not any(all(w in q.lower() for w in words) for q in quotes):
            out.append(run)
    return out


def equated_apart(sentence: str, quotes: list[str]) -> bool:
    """Whether a sentence citing several quotes says that one thing is another ("Scale AI's new CEO is Alexandr
    Wang") where no quote names both: "CEO" from "OpenAI CEO Sam Altman accused Meta ..." and "Alexandr Wang"
    from "... hired its founder, Alexandr Wang". The names and numbers on each side of the verb must stand
    in one quote together."""
    verb = _COPULA.search(sentence)
    if verb is None:
        return False
    left, right = key_facts(sentence[:verb.start()]), key_facts(sentence[verb.end():])
    return bool(left and right) and not any(all(_contains(q, f) for f in left + right) for q in quotes)


def figures_apart(sentence: str, quotes: list[str]) -> bool:
    """Whether a sentence checked against quotes taken together gives a figure that one of them gives while
    another gives figures of the same unit, none of them the sentence's, and holds what the sentence's figure
    counts (`figure_nouns`), when it says: "40% of US adults disapprove of the
    Supreme Court’s decision" from "60% of US adults disapprove of the Supreme Court’s decision ..., with just 37%
    approving" and "... (56% of US adults oppose the court’s decision, 40% support it)"."""
    said = {_figure_key(f) for f, _, _ in figures(sentence)}
    units, nouns = {u for _, u in said}, figure_nouns(sentence)
    for quote in quotes:  # a quote counting something else ("a Category 4 storm" beside "31 men") is no matter
        given = {_figure_key(f) for f, _, _ in figures(quote)}
        if not said & given and units & {u for _, u in given} and (not nouns or nouns & content_terms(quote)):
            return True
    return False


def _figure_key(figure: str) -> tuple[str, str]:
    """A figure as (its digits and scale word, its unit): "60%" and "60 percent" are one figure."""
    plain = re.sub(r"\s*(?:%|percent)|[$£€¥,]", "", figure.lower()).strip()
    return plain, unit(figure)


# How many words after a sentence's opening name must stand together in its quote to be what the quote says of
# whoever it names just before them.
SAID_RUN = 4


def said_of_another(sentence: str, quote: str) -> bool:
    """Whether a sentence opening on a name says of it what its quote says only of another name: "Hyundai is
    recalling 2016-2018 K900 sedans and 2014-2016 Sportage SUVs" cited to "... Kia is recalling 2016-2018 K900
    sedans and 2014-2016 Sportage SUVs." The first `SAID_RUN` words after the name stand together in the quote
    right after a capitalised word of another name, and nowhere in the quote after a sentence holding a word
    of the name before them ("North Korea declared victory ..." for "North Korea's leader Kim Jong Un declared
    victory ..."); a word opening the quote's sentence counts as a name unless the quote also writes it in lower
    case or it is a common opening ("The", "However"). Titles do not count as the name's words ("President
    Biden" is not "President Trump"), and a lone word opening the sentence that the quote writes in lower case
    is no name ("Researchers found ...")."""
    runs = name_runs(sentence)
    if not runs or not sentence.startswith(runs[0]):
        return False
    rest = sentence[len(runs[0]):].split()[:SAID_RUN]
    mine = _bare_words(runs[0]) - {t.lower() for t in TITLES} - {"of", "the", "and"}
    text = flat(quote)
    if len(rest) < SAID_RUN or not rest[0][:1].islower() or not mine \
            or " " not in runs[0] and re.search(rf"\b{re.escape(runs[0].lower())}\b", text):
        return False
    found = list(re.finditer(r"(?<!\w)" + r"\s+".join(map(re.escape, rest)), text))
    if not found:  # the common case: the quote does not say these words at all
        return False
    others, spans = {w for n in name_runs(text) for w in n.split()}, split_sentences(text)
    another = False
    for m in found:
        start = max((s for s, _e in spans if s <= m.start()), default=0)
        before = text[start:m.start()].split()
        if mine & _bare_words(" ".join(before)):
            return False  # said of the name itself somewhere
        prev = POSSESSIVE.sub("", before[-1].strip(",;:“”\"'‘’()")) if before else ""
        another = another or prev[:1].isupper() and (prev in others or len(before) == 1 and prev not in NOT_NAMES
                                                     and prev.lower() not in text)  # "Kia is recalling ..."
    return another


def subject_elsewhere(sentence: str, quotes: list[str]) -> bool:
    """Whether a sentence citing several quotes takes its subject from one and what it says of it from
    another: "Twitter is rolling out new features to help users spot fake accounts" cited to "LinkedIn is
    rolling out new features to help users evaluate ... accounts" and "There are also many harmless bots on
    Twitter". The name opening the sentence must be in the quote sharing most of its other words."""
    runs = name_runs(sentence)
    if not runs or not sentence.startswith(runs[0].split()[0]):
        return False
    subject = runs[0]
    rest = content_terms(sentence.replace(subject, " "))
    main = max(quotes, key=lambda q: len(rest & content_terms(q)))
    return subject.lower() not in main.lower()


def contradicts(sentence: str, evidence: str) -> bool:
    """Whether the sentence denies what the evidence says, or says what the evidence denies: "Scale AI is not
    independent" against "Scale remains an independent leader". Shared words alone cannot tell "is" from "is
    not"; this check can, for negations (it does not judge other contradictions)."""
    said, denied = polarity_terms(sentence)
    ev_said, ev_denied = polarity_terms(evidence)
    return bool(denied & ev_said - ev_denied) or bool(ev_denied & said - denied)


_ANYONE = frozenset("people persons individuals public".split())  # words for anyone: no other people than any
_SCALE_WORDS = frozenset("hundred thousand million billion trillion more than about nearly over some".split())


def counted(text: str) -> dict[str, list[str]]:
    """Each number of `text` with the words for people it counts, in order of the number's occurrences: the
    word right after it (past "million", "%" and the like), when that is a word for people (`PEOPLE_WORDS`,
    plural agent nouns; not "people", which may be anyone), else "": {"100": ["investor"]} for "With more than
    100 investors, ..."."""
    out: dict[str, list[str]] = {}
    for number, rest in _after_numbers(text, 3):
        noun = rest[0] if rest else ""
        people = (noun in PEOPLE_WORDS or bool(_AGENTS.match(noun))) and noun not in _ANYONE
        out.setdefault(number.replace(",", ""), []).append(noun.removesuffix("s") if people else "")
    return out


def _after_numbers(text: str, span: int, *, spelled: bool = False) -> Iterator[tuple[str, list[str]]]:
    """Each number of `text` (lower case), in digits or, with `spelled`, a count word from "two" ("one of the ..."
    counts nothing), with the words among the `span` after it that are not "million", "more", "than" and the like."""
    ws = words(text.lower())
    for i, w in enumerate(ws):
        if _NUMBER.fullmatch(w) or spelled and w in COUNT_WORDS[2:]:
            yield w, [x for x in ws[i + 1:i + 1 + span] if x not in _SCALE_WORDS]


def figure_nouns(text: str) -> set[str]:
    """The stem of the first content word after each of `text`'s numbers, in digits or words (past "million",
    "%", "of" and the like), what it counts: "people" of "10 people were told to evacuate", which a quote giving
    "at least 10 structures" does not hold; "voters" of "60% of voters"."""
    out: set[str] = set()
    for _number, rest in _after_numbers(text, 4, spelled=True):
        out |= next((t for x in rest if (t := content_terms(x))), set())
    return out


def counts_others(sentence: str, quote: str) -> bool:
    """Whether the sentence gives a number as a count of people its quote gives only of other people: "Scale AI
    has 100 employees" against "With more than 100 investors, Scale AI provides ...". A count the quote gives
    without saying of whom, or of the same people, does not."""
    held = counted(quote)
    for number, nouns in counted(sentence).items():
        theirs = held.get(number, [])
        if any(nouns) and theirs and all(t and t[:5] not in {n[:5] for n in nouns if n} for t in theirs):
            return True
    return False


def overstates(sentence: str, evidence: str) -> bool:
    """Whether the sentence states as a fact what the evidence gives only as weighed, planned or possible:
    "Meta invested in Scale AI on June 8" against "It was reported June 8 that Meta was weighing a
    multibillion-dollar investment in Scale". A sentence keeping the hedge ("Meta was weighing an investment",
    "Meta will invest") does not."""
    stated, hedged = hedged_terms(sentence)
    ev_stated, ev_hedged = hedged_terms(evidence)
    return bool(ev_hedged & stated - hedged - ev_stated)


def verify_sentence(sentence: str, vector: np.ndarray | None, cited: list[int], evidence: list[Evidence],
                    context: dict[int, str], *, pairs: bool = True, asked: frozenset[str] = frozenset()) -> Support:
    """Check against the cited evidence; if that fails, find the evidence that does support the sentence
    (one item, or with `pairs` the two best together), so that a right fact with a wrong marker is re-cited,
    not lost. Not when a quote says what the sentence says of one name of another (`said_of_another`)."""
    by_number = {e.number: e for e in evidence}
    first = check(sentence, vector, [by_number[n] for n in cited if n in by_number], context, asked)
    if first.supported or first.reason in (CONTRADICTS, SAID_OF_ANOTHER):  # a sentence denying its own quote,
        return first  # or saying of one name what it says of another, is not re-cited
    singles = sorted((check(sentence, vector, [e], context, asked) for e in evidence), key=lambda s: -s.score)
    swapped = next((s for s in singles if s.reason == SAID_OF_ANOTHER), None)
    if swapped is not None:  # a quote says these words of another name: "Hyundai is recalling ... K900 sedans"
        return swapped  # for "Kia is recalling ... K900 sedans", though another quote names Hyundai recalling
    for s in singles:
        if s.supported:
            return s
    if pairs and len(singles) >= 2:
        pair = check(sentence, vector, [by_number[singles[0].evidence[0]], by_number[singles[1].evidence[0]]],
                     context, asked)
        if pair.supported:
            return pair
    return first
