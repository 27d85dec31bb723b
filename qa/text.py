"""Text helpers shared by the answering path: content terms and their stems, names, citation markers, months.

Every other module of `qa` reads names, markers and months through this one, so that a change (a word that is
not a name, a new marker form) is made once. It knows nothing of questions, evidence or answers.
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable

from index.keyword import STOPWORDS, tokenize

# ---- content terms -------------------------------------------------------------------------------------------


def stem(word: str) -> str:
    """A crude stem good enough for overlap counting: "acquisition" and "acquired" share "acquis"/"acquir"
    only partly, but "stakes"/"stake" and "reported"/"reports" meet. (Porter stems, with irregular past forms
    taken to their plain form, were tried on RealTimeQA's 233 at 7678b42: the first name or figure offered was
    right for 82 answerable questions against 83. Common verbs then meet more often, "becoming" beside
    Theresa May for "Who became the new prime minister?", and nearness tells less.)"""
    word = _REPORTED.get(word, word)
    if word.endswith(("'s", "'")):  # "meta's" of a question's "Meta's" is the article's "Meta" (its "Meta’s"
        word = word.removesuffix("s").removesuffix("'")  # is split at the curly apostrophe)
    return word[:6] if len(word) > 6 else word.rstrip("s") if len(word) > 3 else word


# Reporting verbs' past forms, met by their plain form: "What did Scale say about its independence?" is answered
# by "The company said in the release: ...". (Only these: see `stem` on irregular forms at large.)
_REPORTED = {"said": "say", "told": "tell"}


# A word, or a number with the commas and points inside it kept ("20,000", "4.32", "2.5-mile").
_WORD_OR_NUMBER = re.compile(r"\d[\d,.]*\d(?:-[\w'’-]+)?|[\w'’-]+")


def words(text: str) -> list[str]:
    """The words of `text` in order, a number with its commas and decimal point being one word ("$20,000"
    gives "20,000"; "17-year-old" is one word)."""
    return _WORD_OR_NUMBER.findall(text)


def word_stems(ws: list[str]) -> list[str]:
    """The first five letters of each of `ws` (from `words`), lower case, in order: what a question's asked
    terms (`qa.answerability.asked_stems`) are looked for among, word by word."""
    return [_REPORTED.get(w.lower(), w.lower())[:5] for w in ws]


def terms_meet(asked: set[str] | frozenset[str], held: set[str] | frozenset[str]) -> bool:
    """Whether every term of `asked` (`content_terms`) meets one of `held`: the same first five letters, or one
    is the other with an ending of at most two letters ("hire" and "hired", "rival" and "rivals"); a
    possessive's apostrophe is not part of it ("scale'" of "Scale's")."""
    have = {h.rstrip("'’") for h in held}
    return all(any(_meet(a.rstrip("'’"), h) for h in have) for a in asked)


def _meet(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a[:5] == b[:5] or len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 2


# The regular endings cut to compare a word's forms ("died" and "dies", which `stem` keeps whole as words of at most
# six letters; "traded" and "trade"). A bare "e" is not one: "plane" is not "plans" ("plan"), nor "care" "cars".
_ENDINGS = ("ing", "ed", "es", "s", "d")


def _bases(term: str) -> set[str]:
    """`term` and what is left of it without each regular ending it has, of two letters at least."""
    return {term} | {term[:-len(e)] for e in _ENDINGS if term.endswith(e) and len(term) - len(e) >= 2}


def held_terms(terms: set[str] | frozenset[str], among: set[str] | frozenset[str]) -> set[str]:
    """The terms of `terms` (`content_terms`) that `among` holds as they are or in another regular form: "died"
    is held by "dies" (both "die"), "traded" by "trade"; "plane" is not held by "plans"."""
    bases = set().union(*(_bases(t) for t in among)) if among else set()
    return {t for t in terms if t in among or _bases(t) & bases}


_PERCENT_SIGN = re.compile(r"(?<=\d)\s?%")


def spelled_percent(text: str) -> str:
    """`text` with a percent sign written as the word ("49 percent stake" for "49% stake"), so that a question
    asking for a "percentage" or "percent" finds what it asks about beside the figure."""
    return _PERCENT_SIGN.sub(" percent", text)


# The auxiliary verbs: "did" of "Did Google ...?", "has" of "Meta has acquired", "should" of "Meta should ...".
AUXILIARIES = frozenset("is are was were be been being has have had will would did does do can could may might must "
                        "shall should".split())


def singular(word: str) -> str:
    """"party" of "parties", "glacier" of "glaciers", "business" of "businesses"; "glass" stays."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def content_terms(text: str) -> set[str]:
    """The stems of a text's words, without stopwords."""
    return {stem(w) for w in tokenize(text)}


# A negation and the clause it governs: "is not independent", "wasn't acquired", "no longer works with".
_NO_IDIOMS = r"doubt|matter|surprise|wonder"  # "no doubt", "no matter": they deny nothing
_NEGATED = re.compile(rf"\b(?:not|never|no longer|no(?!\s+(?:{_NO_IDIOMS})\b)|none|neither|nor|without|"
                      r"cannot)\b|n['’]t\b", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?]|\b(?:but|and|while|although|though|whereas|because)\b", re.I)


# "No" opening a noun phrase denies the whole clause: "no specific new data labeling providers have been named"
# says nothing was named (not "no doubt", "no matter", "no surprise", which deny nothing).
_NO_CLAUSE = re.compile(rf"\b(?:no(?!\s+(?:{_NO_IDIOMS}|longer|later|less|more|one knows)\b)|none|"
                        r"nobody|nothing)\b(?!\.)", re.I)


def negated(text: str) -> bool:
    """Whether `text` holds a negation ("not", "n't", "no longer", "never", "none", ...)."""
    return _NEGATED.search(text) is not None


def polarity_terms(text: str, window: int = 4) -> tuple[set[str], set[str]]:
    """(terms said, terms denied): the content terms of `text`, split by whether a negation governs them (the
    first `window` content words after "not", "never", "n't", "no longer" ... up to the clause's end; after a
    "no" opening a noun phrase, the rest of its clause)."""
    denied = set(_governed(text, _NEGATED, window)) | set(_governed(text, _NO_CLAUSE, None))
    return content_terms(text) - denied, denied


def _governed(text: str, governor: re.Pattern[str], window: int | None) -> Counter[str]:
    """The stems of the first `window` content words (all, with None) after each match of `governor`, within its
    clause, each counted as often as it is governed."""
    governed: Counter[str] = Counter()
    for m in governor.finditer(text):
        rest = text[m.end():]
        end = _CLAUSE_END.search(rest)
        governed.update(stem(w) for w in tokenize(rest[:end.start()] if end else rest)[:window])
    return governed


# A word that makes what follows it a possibility, a plan or a report of intent rather than a fact: "Meta was
# weighing a multibillion-dollar investment", "a deal that would give Meta access".
_HEDGED = re.compile(r"\b(?:weigh(?:s|ed|ing)?|consider(?:s|ed|ing)?|mull(?:s|ed|ing)?|explor(?:es|ed|ing)|"
                     r"plan(?:s|ned|ning)? to|aim(?:s|ed|ing)? to|seek(?:s|ing)? to|sought to|hop(?:es|ed|ing) to|"
                     r"expect(?:s|ed)? to|propos(?:es|ed|ing)|in talks|intend(?:s|ed)? to|"
                     r"(?-i:may|might|could|would|will))\b", re.I)  # not "May 2022", "Will Smith"


# A verb in scare quotes: "Loretta Lynn and Kid Rock got 'married' over the weekend" (a joke; she was married to
# Oliver Lynn). Not a quoted noun: Meta's new “superintelligence” unit is that unit's name.
_SCARE_QUOTED = re.compile(r"(?<!\w)['‘“\"]([a-z]+ed)[,.]?['’”\"](?!\w)")
# ... unless someone is quoted: "Biden said he was “saddened” by her death".
_SAID_BEFORE = re.compile(r"\b(?:said|says|say|told|tells|called|calls|described|describes)\b(?:\s+\S+){0,3}\s*$")


def _scare_words(text: str) -> list[str]:
    """The verbs `text` holds in scare quotes, not quoting what someone said."""
    return [m.group(1) for m in _SCARE_QUOTED.finditer(text) if not _SAID_BEFORE.search(text[:m.start()])]


def scare_quoted(text: str) -> set[str]:
    """The first five letters of each word `text` holds only in scare quotes ("marri" of "got 'married'")."""
    outside = {w.lower()[:5] for w in words(_SCARE_QUOTED.sub(" ", text))}
    return {w[:5] for w in _scare_words(text)} - outside


def hedged_terms(text: str, window: int = 4) -> tuple[set[str], set[str]]:
    """(terms stated, terms hedged): the content terms of `text`, split by whether a word of possibility or
    intent governs them ("investment" in "Meta was weighing a multibillion-dollar investment") or scare quotes
    hold them ("got 'married'"), as `polarity_terms` splits them by negation."""
    governed = _governed(text, _HEDGED, window)
    governed.update(stem(w) for w in _scare_words(text))
    found = Counter(stem(w) for w in tokenize(text))
    # a term is stated when it stands outside a hedge at least once ("an emergency committee meeting" will be
    # convened "to assess whether the outbreak is a public health emergency")
    return {t for t, n in found.items() if n > governed[t]}, set(governed)


# Degrees that set one thing above the rest: "Scale AI's biggest customer", "Meta's second-largest acquisition".
# A claim or an answer holding one needs a source saying as much: "a valuable asset for major AI players like
# Anthropic" does not make Anthropic the biggest customer. Words of one size stand for each other.
_SUPERLATIVE = re.compile(
    r"\b(?:(second|third|fourth|fifth)[- ])?(biggest|largest|greatest|top|highest|lowest|smallest|richest|"
    r"wealthiest|poorest|oldest|youngest|fastest|slowest|longest|shortest|tallest|strongest|weakest|best|worst|"
    r"deadliest|busiest|hottest|coldest|cheapest|costliest)\b|\bthe (most|least)\b", re.I)  # not "most people"
_SAME_DEGREE = {"biggest": "most", "largest": "most", "greatest": "most", "top": "most", "highest": "most",
                "costliest": "most", "smallest": "least", "lowest": "least"}  # "comes out on top": "the most"


def superlatives(text: str) -> dict[str, str]:
    """The degrees `text` sets something at, each as written, by one word standing for those of the same size
    ("most" for "biggest", "largest", "top": "comes out on top" is "the most nominations"), an ordinal kept
    ("second-most" for "second-largest")."""
    found: dict[str, str] = {}
    for m in _SUPERLATIVE.finditer(text):
        found.setdefault(_degree(m), m.group(0))
    return found


def degrees_of(text: str) -> set[tuple[str, str]]:
    """Each degree `text` sets something at (as `superlatives` names it) with the first five letters of the
    word after it: {("second-most", "acqui")} for "Meta's second-largest acquisition to date"."""
    found = set()
    for m in _SUPERLATIVE.finditer(text):
        after = re.match(r"[\s-]+(?:ever\s+)?([A-Za-z]+)", text[m.end():])
        found.add((_degree(m), after.group(1).lower()[:5] if after else ""))
    return found


def _degree(m: re.Match[str]) -> str:
    word = (m.group(2) or m.group(3)).lower()
    degree = _SAME_DEGREE.get(word, word)
    return f"{m.group(1).lower()}-{degree}" if m.group(1) else degree


# Who leads something: "Who leads/heads/runs Meta's superintelligence unit?" asks for its head, which a passage
# gives by a title or such a verb ("OpenAI CEO Sam Altman"); joining the unit is not leading it.
_LEADS = re.compile(r"\b(?:lead|leads|led|head|heads|headed|run|runs|ran|chair|chairs|chaired|manage|manages|"
                    r"managed|oversee|oversees|oversaw|directs|directed)\b(?!\s+(?:by|to|of|from|for)\b)", re.I)
_LEADING = re.compile(r"\b(?:lead|leads|leader|led|head|heads|headed|chief|CEO|chair|chairs|chaired|chairman|"
                      r"chairwoman|president|run|runs|ran|running|helm|boss|manage|manages|managed|manager|oversee|"
                      r"oversees|oversaw|directs|directed|in charge)\b", re.I)  # every verb of _LEADS too


def says_leads(text: str) -> bool:
    """Whether `text` says someone leads something, by a verb ("heads", "runs")."""
    return _LEADS.search(text) is not None


def names_leader(text: str) -> bool:
    """Whether `text` gives someone as the head of something, by a verb or a title ("CEO", "chairman")."""
    return _LEADING.search(text) is not None


_FOREIGN_FUNCTION_WORDS = frozenset((
    "der", "die", "das", "ist", "und", "nicht", "ein", "eine", "einen", "von", "zu", "mit", "für", "auf", "wie",
    "wer", "warum", "le", "la", "les", "est", "et", "une", "des", "du", "qui", "quoi", "pourquoi", "el", "los",
    "las", "es", "y", "una", "por", "para", "con", "quién", "quien", "cómo", "qué", "il", "che", "è", "per", "di",
    "del"))


def looks_english(text: str) -> bool:
    """False when a text has more function words of German, French, Spanish or Italian than of English."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    foreign = sum(w in _FOREIGN_FUNCTION_WORDS for w in words)
    return foreign < 2 or foreign <= sum(w in STOPWORDS for w in words) - foreign


# ---- names ---------------------------------------------------------------------------------------------------

# Capitalised words that are not names: sentence openers, pronouns, titles.
NOT_NAMES = frozenset({
    "The", "A", "An", "In", "On", "At", "It", "Its", "This", "That", "These", "Those", "He", "She", "They", "We",
    "I", "But", "And", "Or", "So", "If", "When", "While", "After", "Before", "As", "For", "From", "By", "Of", "To",
    "With", "According", "However", "Yes", "No", "Both", "Also", "Mr", "Ms", "Mrs", "Dr", "What", "Who", "Which",
    "Why", "How", "There", "Here", "Our", "Their",
})
# Weekdays and months are not names either, but they are facts a sentence must not change.
CALENDAR_WORDS = frozenset({*calendar.day_name, *calendar.month_name[1:]})

# Nationality and regional adjectives: "British" in "the British throne", "Southeast Asian" describe someone or
# something; they do not name a person, an organisation or a place. Offered as names, they were picked for
# "Who is next in the line of royal succession?" and "Liz Truss became prime minister of which country?".
DEMONYMS = frozenset("""American British English Scottish Welsh Irish French German Italian Spanish Portuguese
Dutch Belgian Swiss Austrian Swedish Norwegian Danish Finnish Icelandic Polish Czech Slovak Hungarian Romanian
Bulgarian Greek Turkish Russian Ukrainian Belarusian Armenian Serbian Croatian Bosnian Albanian Lithuanian
Latvian Estonian Chinese Japanese Korean Taiwanese Vietnamese Thai Filipino Indonesian Malaysian Singaporean
Indian Pakistani Afghan Bangladeshi Lankan Nepalese Iranian Iraqi Syrian Lebanese Israeli Palestinian
Jordanian Saudi Emirati Qatari Kuwaiti Yemeni Egyptian Libyan Tunisian Algerian Moroccan Nigerian Ghanaian
Kenyan Ethiopian Somali Sudanese Zimbabwean Ugandan Rwandan Congolese Canadian Mexican Cuban Haitian Jamaican
Brazilian Argentine Argentinian Chilean Colombian Peruvian Venezuelan Ecuadorian Bolivian Australian Asian
African European Arab Hispanic Latino Latina Soviet Nordic Scandinavian Caribbean Mediterranean Kurdish Uyghur
Tibetan Hawaiian""".split())

# A run of capitalised words ("Alexandr Wang", "Bank of America"), not inside a word or after an apostrophe.
# Lower-case words a name keeps inside it ("Bank of America", "Ludwig van Beethoven"; and "d'" of "Coeur d'Alene").
# "&" joins the words of one name too: "Bed Bath & Beyond", "Procter & Gamble", "Johnson & Johnson".
_PARTICLE_WORDS = ("of", "de", "del", "da", "van", "von", "der", "&")
# A name never runs across a line break: a photo credit ends "... University of Gothenburg" on the line before
# "The Thwaites Glacier, located in West Antarctica ...", which gave "Gothenburg Thwaites Glacier".
_GAP = r"[^\S\n]+"  # white space within a line
_NAME_RUN = re.compile(rf"(?<![\w'’])[A-Z][\w&'’.-]*[\w](?:{_GAP}(?:(?:{'|'.join(_PARTICLE_WORDS)}){_GAP})?(?:d['’])?"
                       r"[A-Z][\w&'’.-]*[\w])*")
_PARTICLES = re.compile(rf"(?:{'|'.join(_PARTICLE_WORDS)}|d['’]\S+)$")
# One capitalised word, or a lone capital letter ("Plan B").
_CAPITALISED_WORD = re.compile(r"\b[A-Z][\w&'’.-]*[\w]|\b[A-Z]\b")
# Names in a question: runs that neither open it nor open one of its sentences.
_QUESTION_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’.-]*[a-z0-9](?:\s+[A-Z][\w'’.-]*[a-z0-9])*")
_POSSESSIVE = re.compile(r"['’]s$")


def name_runs(text: str) -> list[str]:
    """The names a text holds, in order, without the words of `NOT_NAMES` and `CALENDAR_WORDS` ("The Verge"
    gives "Verge") and without a possessive ("Valve's" gives "Valve"); "of", "de", "van", "d'" inside a name
    stay ("Bank of America", "Coeur d'Alene")."""
    out = []
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        words = [w for i, w in enumerate(words)
                 if 0 < i < len(words) - 1 and _PARTICLES.match(w)
                 or w not in NOT_NAMES and w not in CALENDAR_WORDS and not _function_word(w)]
        while words and words[-1] in _PARTICLE_WORDS:  # "Verge of" once "Monday" is left out
            words.pop()
        name = _POSSESSIVE.sub("", " ".join(words)).strip(" .'’")
        if len(name) >= 2:
            out.append(name)
    return out


def capitalised_words(text: str) -> list[str]:
    """Every capitalised word of a text that may be a name or a date word (the words of `NOT_NAMES` left
    out): the facts, besides numbers, that a sentence must share with its evidence."""
    words = (m.group(0).rstrip(".") for m in _CAPITALISED_WORD.finditer(text))
    return [w for w in words if w not in NOT_NAMES and len(w) > 1 and not _function_word(w)]


def _function_word(word: str) -> bool:
    """A capitalised function word ("Are", "Will", "Does" opening a sentence), not a name; "US" stays one."""
    return word[1:].islower() and word.lower() in STOPWORDS


def question_names(question: str, ignore: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Capitalised word runs of a question that are not its first word nor in (or part of) `ignore`."""
    names = []
    for m in _QUESTION_NAME.finditer(question):
        name = _POSSESSIVE.sub("", m.group(0)).strip("'’")
        if name and name not in ignore and not any(name in a for a in ignore):
            names.append(name)
    return names


# ---- citation markers ----------------------------------------------------------------------------------------

MARKER = re.compile(r"\[(\d+)\]")
_MARKER_WITH_SPACE = re.compile(r"\s*\[(\d+)\]")


def marker_numbers(text: str) -> list[int]:
    """The numbers of the [n] markers in `text`, in order, repeats included."""
    return [int(n) for n in MARKER.findall(text)]


def strip_markers(text: str) -> str:
    """`text` without its [n] markers (and the space before each)."""
    return _MARKER_WITH_SPACE.sub("", text)


def with_markers(sentence: str, numbers: list[int]) -> str:
    """The sentence with its markers before the closing punctuation: "Meta took 49% [1][2]."."""
    marks = "".join(f"[{n}]" for n in numbers)
    if sentence.endswith((".", "!", "?")):
        return f"{sentence[:-1]} {marks}{sentence[-1]}"
    return f"{sentence} {marks}"


def flat(text: str) -> str:
    """`text` with its white space collapsed: a passage of two sentences may span a paragraph break."""
    return " ".join(text.split())


def clip(text: str, limit: int = 160, around: str = "", terms: Iterable[str] = ()) -> str:
    """At most `limit` characters, cut at word boundaries with an ellipsis; the part holding `around` (the
    answer a quote is shown for) when the opening does not, or else the part holding more of `terms` (the
    question's content terms) than the opening ("… Wang will join Meta while also continuing to serve as a
    director on Scale’s board of directors." for "Will Wang stay on Scale's board?"); its white space
    collapsed (`flat`)."""
    text = flat(text)
    if len(text) <= limit:
        return text
    start = _densest(text, frozenset(terms), limit) if terms and not around else 0
    if start:
        piece = text[start:start + limit]
        return "… " + (piece if start + limit >= len(text) else piece.rsplit(" ", 1)[0] + " …")
    at = text.find(around) if around else -1
    if at == -1 or at + len(around) <= limit - 2:
        return text[:limit].rsplit(" ", 1)[0] + " …"
    start = text.find(" ", max(0, at - limit // 2)) + 1
    piece = text[start:start + limit]
    return "… " + (piece if start + limit >= len(text) else piece.rsplit(" ", 1)[0] + " …")


def _densest(text: str, terms: frozenset[str], limit: int) -> int:
    """Where the stretch of `limit` characters (from a word's start) holding the most of `terms` starts; 0 when
    the opening holds as many."""
    starts = [0] + [m.end() for m in re.finditer(r"\s+", text) if m.end() < len(text)]
    counts = [len(content_terms(text[i:i + limit]) & terms) for i in starts]
    best = max(range(len(starts)), key=lambda k: (counts[k], -k))
    return starts[best] if counts[best] > counts[0] else 0


# ---- months --------------------------------------------------------------------------------------------------

MONTH_NUMBERS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NUMBERS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTH_PATTERN = "(" + "|".join(calendar.month_name[1:]) + ")"
WEEKDAY_PATTERN = "(" + "|".join(calendar.day_name) + ")"
# The counts written as words, "zero" to "twenty", each at its own index: "four" is COUNT_WORDS[4].
COUNT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen twenty").split()
