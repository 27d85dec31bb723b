"""Evidence selection: from the top chunks, the few sentences that bear on the question, each an exact
span of its article. The model reads only these (a short prompt is what makes a 2-core answer fast), and
every citation quotes one of them.

`EvidenceSelector.run` ranks every sentence of the top chunks and picks the evidence. It does not decide
whether the question can be answered (`qa.answerability`) nor number the citations (`qa.assembly`).
"""
from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Set
from dataclasses import dataclass

import numpy as np

from index.chunking import count_tokens
from index.embedding import Embedder
from index.sentences import split_sentences
from index.store import Snapshot
from qa.question import FRAME_TERMS, POSSESSIVE, WHO_KIND, Question, asked_clause, without_excluded
from qa.retrieval import Hit, SearchResult
from qa.text import CALENDAR_WORDS, MONTH_PATTERN, WEEKDAY_PATTERN, capitalised_words, content_terms, name_runs, words

# Sentences addressed to a language model rather than to readers ("ignore all previous instructions ...")
# are never shown to ours: an article is data, not instructions.
INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget) (all |any |the )?(previous|prior|above|earlier|your) (instructions|prompts?|rules)"
    r"|\b(answer|reply|respond) (to )?every question\b|\byou are (now )?(a|an|the) (ai|assistant|language model)\b"
    r"|\bsystem prompt\b", re.I)


@dataclass
class Evidence:
    number: int  # as shown to the model: [number]
    doc_id: str
    start: int
    end: int
    text: str
    score: float  # relevance to the question, 0..1
    overlap: float  # share of the question's content words in the sentence
    dense: float  # cosine similarity of the sentence to the question
    vector: np.ndarray | None = None


@dataclass
class Selection:
    ranked: list[Evidence]  # every candidate sentence, best first (number 0)
    evidence: list[Evidence]  # what the model reads, numbered from 1, most relevant first
    groups: dict[str, int]  # doc_id -> the outlet group (of those the question names) it belongs to
    leaders: list[Evidence] = dataclasses.field(default_factory=list)  # each outlet clause's (`clause_leaders`)


class EvidenceSelector:
    """Ranks the sentences of the top chunks for a question and picks the few the model reads."""

    def __init__(self, embedder: Embedder, *, max_sentences: int = 6, multihop_rules: bool = False):
        if max_sentences < 1:
            raise ValueError(f"top_k must be at least 1, got {max_sentences}")
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.multihop_rules = multihop_rules  # one article per mention of an outlet in a closed question

    def run(self, question: Question, result: SearchResult, *, max_sentences: int | None = None) -> Selection:
        ranked = rank_sentences(question, result, self.embedder)
        groups = outlet_groups(result, (e.doc_id for e in ranked))
        # MultiHop-RAG's closed questions ("Did the TechCrunch report say X while Fortune said Y?") are about
        # one report per mention of an outlet. Measured on 60 of its dev queries: the limit raised citation
        # precision on closed questions (0.78 -> 0.89) but cost open ones recall (0.45 -> 0.30). A rule for
        # that benchmark's templates, so it is applied only with `multihop_rules`.
        quota = result.source_mentions if question.closed and self.multihop_rules else ()
        leaders = clause_leaders(question, ranked, groups, self.embedder)
        evidence = pick(ranked, max_sentences=max_sentences or self.max_sentences, cover=groups,
                        articles_per_group=quota, leaders=leaders)
        evidence = with_antecedents(question, evidence, result.snapshot)
        joined = [e for e in evidence if e.vector is None]
        for e, vector in zip(joined, self.embedder.encode([e.text for e in joined]) if joined else [], strict=True):
            e.vector = vector  # the verifier compares a sentence to the passage it cites
        return Selection(ranked, evidence, groups, leaders)


def rank_sentences(question: Question, result: SearchResult, embedder: Embedder, *,
                   max_chunks: int = 6, max_candidates: int = 64) -> list[Evidence]:
    """Every sentence of the top chunks, scored for relevance to the question, best first (number 0)."""
    candidates = _candidates(result, max_chunks)
    if not candidates:
        return []
    snap = result.snapshot
    q_terms = set(question.terms)
    query_vector = result.query_vector
    if question.excluded:  # rank by what the answer is about, not by the names the question sets aside
        q_terms -= {t for name in question.excluded for t in content_terms(name)}
        query_vector = embedder.encode_query(without_excluded(question.text))
    texts = [snap.articles[d].text[s:e] for d, s, e, _ in candidates]
    cand_terms = [content_terms(t) for t in texts]
    if len(candidates) > max_candidates:
        # Embedding is the cost here (~2 ms a sentence on 2 cores): embed only the sentences that share the
        # most (rare) words with the question, plus the lead sentences of the best chunks.
        pre = [(len(q_terms & cand_terms[i]) + 1.0 / rank, i) for i, (_d, _s, _e, rank) in enumerate(candidates)]
        keep = sorted(i for _, i in sorted(pre, reverse=True)[:max_candidates])
        candidates = [candidates[i] for i in keep]
        texts = [texts[i] for i in keep]
        cand_terms = [cand_terms[i] for i in keep]
    dense, vecs = _dense_scores(texts, embedder, query_vector, [_read_with_before(snap, c) for c in candidates])
    # Question words weighted by how rare they are among the candidates (words every candidate shares,
    # such as the companies a question is about, tell sentences apart least).
    df = {t: sum(t in ct for ct in cand_terms) for t in q_terms}
    idf = {t: math.log(1 + len(texts) / (1 + df[t])) for t in q_terms}
    q_weight = sum(idf.values())
    holds = _HOLDS_ANSWER.get(question.answer_type)
    scored = []
    for i, (_doc, _start, _end, rank) in enumerate(candidates):
        overlap = sum(idf[t] for t in q_terms & cand_terms[i]) / q_weight if q_weight else 0.0
        score = 0.55 * max(0.0, float(dense[i])) + 0.35 * overlap + 0.10 / rank
        if holds is not None and holds.search(texts[i]):
            score += ANSWER_TYPE_BONUS
        if about_excluded(texts[i], question.excluded):
            score -= EXCLUDED_PENALTY
        scored.append((score, overlap, float(dense[i]), i))
    scored.sort(reverse=True)
    return [Evidence(0, candidates[i][0], candidates[i][1], candidates[i][2], texts[i], round(score, 4),
                     round(overlap, 4), round(cos, 4), vecs[i]) for score, overlap, cos, i in scored]


def about_excluded(sentence: str, excluded: tuple[str, ...]) -> bool:
    """Whether a sentence is about a name the question sets aside: the name is among its first words ("OpenAI
    is phasing out Scale AI" for "Who else pulled back besides OpenAI?")."""
    opening = " ".join(sentence.split()[:EXCLUDED_OPENING_WORDS])
    return any(re.search(rf"\b{re.escape(name)}\b", opening) for name in excluded)


def _candidates(result: SearchResult, max_chunks: int) -> list[tuple[str, int, int, int]]:
    """(doc_id, start, end, chunk rank) of every sentence of the evidence chunks, once each; sentences
    addressed to a language model are left out."""
    snap = result.snapshot
    candidates: list[tuple[str, int, int, int]] = []
    seen = set()
    for h in evidence_chunks(result, max_chunks):
        text = snap.articles[h.doc_id].text
        for s, e in split_sentences(text, h.start, h.end):
            if (h.doc_id, s) in seen or e - s < 15 or INSTRUCTION.search(text[s:e]):
                continue
            seen.add((h.doc_id, s))
            candidates.append((h.doc_id, s, e, h.rank))
    return candidates


def _read_with_before(snap: Snapshot, candidate: tuple[str, int, int, int]) -> str:
    """The sentence with the one before it, when it opens by speaking of that one's subject ("Over the years,
    the company has shifted to employing more skilled professionals." after "Scale AI initially relied on a
    large network of contractors ..."; "The pair married when Lynn was 15") or refers back to it within
    (`_REFERS_WITHIN`: "Google, one such competitor, has ..."); else ""."""
    doc_id, start, end, _rank = candidate
    text = snap.articles[doc_id].text
    if not (_SUBJECT_OPENING.match(text, start, end) or _REFERS_WITHIN.search(text, start, end)):
        return ""
    before = sentence_before(text, start)
    return text[before[0]:end] if before is not None and _not_dateline(text, *before) else ""


def _dense_scores(texts: list[str], embedder: Embedder, query_vector: np.ndarray,
                  with_before: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's cosine to the query (the best of the sentence and its clauses: MiniLM scores a long
    sentence by its average meaning, so a clause that answers the question, "Meta took a 49% stake in
    Scale", is diluted by the rest; and of the sentence read with the one before it, `with_before`, when it
    leaves its subject to that one: "the company" is Scale AI there) and each sentence's own vector."""
    pieces, owner = [], []
    for i, t in enumerate(texts):
        for piece in [t, *_clauses(t), with_before[i]]:
            if not piece:  # no sentence before to read it with
                continue
            pieces.append(piece)
            owner.append(i)
    piece_vecs = embedder.encode(pieces)
    piece_cos = piece_vecs @ query_vector
    dense = np.full(len(texts), -1.0)
    vecs = np.zeros((len(texts), piece_vecs.shape[1]), dtype=np.float32)
    for j, i in enumerate(owner):
        dense[i] = max(dense[i], float(piece_cos[j]))
        if pieces[j] is texts[i]:
            vecs[i] = piece_vecs[j]
    return dense, vecs


def surroundings(evidence: list[Evidence], snapshot: Snapshot) -> dict[int, str]:
    """What stands around each evidence sentence in its article: the title and the sentence before it. A
    sentence often leaves to them what it is about ("the country is now bankrupt" under "Sri Lanka ..."; "the
    two Nordic countries" after "NATO invited Sweden and Finland ..."). Read by verification only, never by
    the answering model; a sentence addressed to a language model is left out."""
    out = {}
    for e in evidence:
        article = snapshot.articles[e.doc_id]
        span = sentence_before(article.text, e.start)
        before = article.text[span[0]:span[1]] if span else ""
        title = article.title.strip().rstrip(".")
        out[e.number] = " ".join(x for x in (f"{title}." if title else "", before) if x)
    return out


def with_antecedents(question: Question, evidence: list[Evidence], snapshot: Snapshot) -> list[Evidence]:
    """`evidence` where a sentence speaks of the kind of name asked for without naming it ("Netflix announced
    Sunday that the wildly popular South Korean show is green lit for a second season" for "Which wildly
    popular show was green lit ...?"; "The company announced Wednesday ..." for "Which company ...?") joined
    to the sentence before it in its article, when that one gives a name ("“Squid Game” is officially coming
    back."; "Ford is essentially pulling the plug ..."): a news article names its subject once, then says "the
    company". Likewise a sentence opening by referring back ("Instead, the company is diversifying ...", "He
    put away ...") when the sentence before holds a name the question gives that it lacks ("OpenAI" for "Who
    did OpenAI partner with ...?"): the passage then says whom it is about; so is one referring back within it
    ("A 1980 biographical film by the same name ...", `_REFERS_WITHIN`), or quoting someone named there as
    speaking for "us" (`_WE_QUOTE`: "“... Meta thinks of us as their biggest competitor,” Altman said." after
    "... OpenAI CEO Sam Altman accused Meta ..."). So is a sentence referring back to
    things within it ("... will be able to buy these devices online", `_THESE`) for a question asking for a kind
    of thing: the sentence before often says what they are ("... prescription hearing aids cost on average
    $2,000 per ear"). The joined passage is one exact
    span, read by the model and quoted whole; a sentence it now holds is not read twice."""
    refers = kind_reference(question.wanted)
    asked_names = {POSSESSIVE.sub("", w) for w in capitalised_words(asked_clause(question.text))} - CALENDAR_WORDS
    asked = {t[:5] for t in content_terms(asked_clause(question.text))} - {t[:5] for t in content_terms(
        " ".join(asked_names))}
    out: list[Evidence] = []
    for e in evidence:
        kind = refers is not None and (any(unnamed(e.text, m) for m in refers.finditer(e.text))
                                       or bool(_THESE.search(e.text)))
        spoken = _WE_QUOTE.search(e.text)
        if kind or _REFERRING_OPENING.match(e.text) or _REFERS_WITHIN.search(e.text) or spoken:
            article = snapshot.articles[e.doc_id]
            before = sentence_before(article.text, e.start)
            prior = article.text[before[0]:before[1]] if before is not None else ""
            if before is not None and _not_dateline(article.text, *before) and (
                    name_candidates(question.text, [_span(e.doc_id, *before, article.text)]) if kind
                    else bool(asked_names & _names_in(prior) - _names_in(e.text))
                    or _says_what_is_asked_of_it(question, e.text, asked, prior)
                    or spoken is not None and (spoken[1] or spoken[2]).split()[-1] in _names_in(prior)):
                e = dataclasses.replace(e, start=before[0], text=article.text[before[0]:e.end], vector=None)
        out.append(e)
    kept = [e for e in out if not any(o is not e and o.doc_id == e.doc_id and o.start <= e.start and e.end <= o.end
                                      for o in out)]
    return [dataclasses.replace(_as_relevant_as(e, out), number=n) for n, e in enumerate(kept, start=1)]


def _as_relevant_as(e: Evidence, parts: list[Evidence]) -> Evidence:
    """`e` scored as the most relevant of the evidence sentences it now holds: a passage joined to the sentence
    before it ("Scale announced ... that Wang will join Meta ... The company said in the release: ...") is as
    relevant to "Where is Alexandr Wang going to work?" as its first sentence, not only its second."""
    inside = [o for o in parts if o.doc_id == e.doc_id and e.start <= o.start and o.end <= e.end]
    return dataclasses.replace(e, score=max(o.score for o in inside), overlap=max(o.overlap for o in inside),
                               dense=max(o.dense for o in inside))


def _names_in(text: str) -> set[str]:
    """The words of `text` without a possessive ("OpenAI" of "OpenAI's"), compared whole ("AI" is not in "OpenAI")."""
    return {POSSESSIVE.sub("", w) for w in words(text)}


# A sentence opening by referring back to what the one before names: "Instead, the company is diversifying ...",
# "He said ...", "This tension has prompted ...", "The reason for this decision stems from ..." (not "This week").
# "The pair married when Lynn was 15" after "... Loretta met the love of her life in Oliver “Doolittle” Lynn".
# Not a title ("The Two Popes"), a compound ("The two-time champion") nor a superlative ("The three largest ...").
_GROUP = r"the\s+(?-i:pair|couple|duo|trio|two|three)(?![\w‐‑–-])(?!\s+\w+est\b)"
_TIME = (r"(?:day|week|weekend|month|quarter|year|decade|season|morning|afternoon|evening|night|time|past|summer|"
         r"winter|spring|fall|autumn|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
         r"march|april|may|june|july|august|september|october|november|december)s?")
_DEMONSTRATIVE = rf"(?:this|that|these|those)\s+(?!{_TIME}\b)\w+"
_REFERENCE = (r"(?:the\s+(?:company|firm|startup|group|agency|organi[sz]ation)|it|he|she|they|its|his|her|their"
              rf"|{_GROUP}"
              rf"|{_DEMONSTRATIVE}|the\s+(?:reason|cause|motive|aim|goal)s?\s+(?:for|behind|of)\s+"
              r"(?:this|that|these|those|it|its)\b)")
_REFERRING_OPENING = re.compile(rf"(?:[A-Z][a-z]+(?:\s+[a-z]+){{0,3}},\s+{_REFERENCE}|(?i:{_REFERENCE}))\b")
# A sentence whose subject is the one before's, by a pronoun or "the company" ("Instead, the company is
# diversifying ...", "Over the years, the company has shifted ...", "He said ..."); not "It was reported ..."
# nor "This deal ...", which stand more often on their own.
_SUBJECT_OPENING = re.compile(r"(?:[A-Z][a-z]+(?:\s+[a-z]+){0,3},\s+)?(?i:the\s+(?:company|firm|startup|group|"
                              rf"agency|organi[sz]ation)|he|she|they|its|his|her|their|{_GROUP})\b")
# A sentence referring back within it to what the one before names: "Google, one such competitor, has ..." after
# "... with competitors raising concerns ..."; "A 1980 biographical film by the same name won an Academy Award for
# actress Sissy Spacek" after "... the bestselling 1976 memoir “Coal Miner’s Daughter,” ...".
_REFERS_WITHIN = re.compile(r"\b(?:one|another)\s+such\b|\b(?:of|by|under|with)\s+the\s+same\s+name\b", re.I)
# A thing referred back to within a sentence: "... will be able to buy these devices online ..." (the sentence
# before says "hearing aids"), for a question asking for a kind of thing ("Which item can US adults now buy ...?").
_THESE = re.compile(rf"\b(?i:these|those)\s+(?!{_TIME}\b)(?:(?!(?:are|were|with|who|which|that|in|of|for)\b)"
                    rf"[a-z-]+\s+)?(?!{_TIME}\b)[a-z]+s\b")
# A quote speaking for "us" and the one who said it: "“I’ve heard that Meta thinks of us as their biggest
# competitor,” Altman said." The sentence before often says whom the speaker speaks for ("OpenAI CEO Sam Altman").
_WE_QUOTE = re.compile(r"[“\"](?=[^”\"]*\b(?:[Ww]e|us|[Oo]ur)\b)[^”\"]*[”\"],?\s+(?:((?:[A-Z][\w’'.-]*\s+){0,3}"
                       r"[A-Z][\w’'.-]*)\s+(?:said|says|added|told|wrote)\b|(?:said|says|added)\s+"
                       r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z](?:[\w’'.-]*[\w’'])?))")
_DEMONSTRATIVE_OPENING = re.compile(rf"(?:[A-Z][a-z]+,\s+)?(?i:{_DEMONSTRATIVE})\b")


def _says_what_is_asked_of_it(question: Question, text: str, asked: set[str], prior: str) -> bool:
    """Whether a sentence opening "This deal ..." says all an open question asks besides its names of what it
    refers back to, which the sentence before names ("This deal, Meta's second-largest acquisition to date,
    ..." after "Meta has acquired Scale AI ..." for "What was Meta's second-largest acquisition?")."""
    return (not question.closed and bool(asked) and bool(_DEMONSTRATIVE_OPENING.match(text))
            and asked <= {t[:5] for t in content_terms(text)} and bool(set(name_runs(prior)) - set(name_runs(text))))


# "Pennsylvania ... has long been the seat most likely to flip", "the city of Gurugram", "the show “Succession”":
# the sentence names what it calls "the seat", "the city", "the show".
_COPULA = re.compile(r"\b(?:is|was|are|were|be|been|remains?|remained|becomes?|became)\s+(?:[\w’'-]+\s+){0,2}$")
_NAMED_AFTER = re.compile(r"(?:\s+of)?\s+[“\"]?[A-Z]")


def unnamed(text: str, reference: re.Match[str]) -> bool:
    """Whether `reference` ("the company", a `kind_reference` match in `text`) leaves the name to another
    sentence: it is not said to be a name ("X has long been the seat") nor followed by one ("the city of X")."""
    return not (_COPULA.search(text, 0, reference.start()) or _NAMED_AFTER.match(text, reference.end()))


@functools.lru_cache(maxsize=256)  # asked per name and passage by the name ranker (`as_named`)
def kind_reference(wanted: str) -> re.Pattern[str] | None:
    """"the company", "the wildly popular South Korean show", "the country’s" for the kind asked for ("company",
    "wildly popular show", "country"); None for a kind that says little ("place", "person or organization")."""
    parts = wanted.split()
    if not parts or wanted in ("place", WHO_KIND):
        return None
    head = parts[-1].lower()
    one = head[:-3] + "y" if head.endswith("ies") else head.removesuffix("s")  # "countries", "shows"
    forms = {head, one, one + "s", *([one[:-1] + "ies"] if one.endswith("y") else [])}
    return re.compile(rf"\b[Tt]he\s+(?:[\w’'-]+\s+){{0,4}}(?:{'|'.join(map(re.escape, sorted(forms)))})\b")


def as_named(text: str, name: str, wanted: str) -> str:
    """`text` with what it calls the kind asked for ("the show") after `name` written as `name`: "“Succession”
    ... The show took home best drama series" reads "“Succession” ... Succession took home best drama series"
    for "Which show took home ...?". Only a reference after the name stands for it ("The show took home best
    drama series, as well as a best supporting actor win for Matthew Macfadyen" does not make him the show)."""
    refers = kind_reference(wanted)
    at = text.find(name)
    if refers is None or at == -1:
        return text
    end = at + len(name)
    return text[:end] + refers.sub(name, text[end:])


def sentence_before(text: str, start: int) -> tuple[int, int] | None:
    """The span of the sentence before the one at `start` in `text`; None when there is none or it is addressed
    to a language model."""
    spans = split_sentences(text, max(0, start - 600), start)
    if not spans or INSTRUCTION.search(text[spans[-1][0]:spans[-1][1]]):
        return None
    return spans[-1]


def _not_dateline(text: str, start: int, end: int) -> bool:
    """Whether the span is a sentence, not a dateline such as "New York CNN Business —"."""
    return end - start >= 15 and not text[start:end].rstrip().endswith(("—", "-", ":"))


def _span(doc_id: str, start: int, end: int, text: str) -> Evidence:
    return Evidence(0, doc_id, start, end, text[start:end], 0.0, 0.0, 0.0)


def evidence_chunks(result: SearchResult, max_chunks: int = 6) -> list[Hit]:
    """The chunks evidence is drawn from. When the question names outlets ("as reported by TechCrunch and
    Fortune"), only those outlets' chunks, and the best chunk of each named outlet first, so that every outlet
    asked about is heard: on the MultiHop-RAG dev queries that name outlets, every gold article comes from a
    named outlet in 91% of them. Without a named outlet among the hits, the top chunks as ranked."""
    hits = result.hits
    if not result.source_groups:
        return hits[:max_chunks]
    group_of = outlet_groups(result, (h.doc_id for h in hits))
    named = [h for h in hits if h.doc_id in group_of]
    if not named:
        return hits[:max_chunks]
    first = []
    for g in range(len(result.source_groups)):
        best = next((h for h in named if group_of[h.doc_id] == g), None)
        if best is not None:
            first.append(best)
    rest = [h for h in named if h not in first]
    return (first + rest)[:max(max_chunks, len(first))]


def clause_leaders(question: Question, ranked: list[Evidence], groups: dict[str, int],
                   embedder: Embedder) -> list[Evidence]:
    """For a question naming outlets in more than one clause ("Does the Sporting News article credit Will Lutz
    ..., while The New York Times article discusses Connor Bedard's ...?"), the sentence of each clause's outlet
    that reads most like that clause (cosine, plus the share of its words held), a different one per clause:
    ranked against the whole question, one outlet's topic can crowd out the other's, and two reports of one
    outlet are one group. Empty for other questions."""
    clauses = question.outlet_clauses
    if len(clauses) < 2 or not ranked:
        return []
    vectors = [embedder.encode_query(c.text) for c in clauses]
    leaders: list[Evidence] = []
    for c, vector in zip(clauses, vectors, strict=True):
        terms = content_terms(c.text) - FRAME_TERMS
        scored = [(float(e.vector @ vector) + len(terms & content_terms(e.text)) / max(1, len(terms)), n, e)
                  for n, e in enumerate(ranked) if groups.get(e.doc_id) == c.group and e.vector is not None
                  and not any(e is x for x in leaders)]
        if scored:
            leaders.append(max(scored, key=lambda s: (s[0], -s[1]))[2])
    return leaders


def pick(ranked: list[Evidence], *, max_sentences: int = 6, max_tokens: int = 320,
         per_doc: int = 3, cover: dict[str, int] | None = None,
         articles_per_group: tuple[int, ...] = (), leaders: list[Evidence] | None = None) -> list[Evidence]:
    """The evidence the model reads: the best-ranked sentences, at most `per_doc` from one article, within
    `max_tokens`. `cover` maps doc_id to a group (the outlet a question names): the best sentence of each
    group is taken first, so that a comparison of two outlets always sees both; and a group contributes at
    most `articles_per_group[g]` articles (as many as the question names reports of that outlet: on the
    MultiHop-RAG dev queries, a question that names an outlet once draws on one of its articles 76% of the
    time), so that the answer cites the report asked about rather than every article of that outlet.
    `leaders`, when given, are taken first instead of each group's best sentence (`clause_leaders`)."""
    if not ranked:
        return []
    n_docs = len({e.doc_id for e in ranked})
    per_doc = max(per_doc, math.ceil(max_sentences / n_docs))  # a small library may hold only two articles
    order = list(ranked)
    if cover:
        leaders = leaders or group_leaders(ranked, cover)
        order = leaders + [e for e in ranked if not any(e is x for x in leaders)]
    chosen: list[Evidence] = []
    tokens = 0
    per: dict[str, int] = {}
    group_docs: dict[int, set[str]] = {}
    for e in order:
        n = count_tokens(e.text)
        if per.get(e.doc_id, 0) >= per_doc or (chosen and tokens + n > max_tokens):
            continue
        g = cover.get(e.doc_id) if cover else None
        if g is not None and g < len(articles_per_group):
            docs = group_docs.setdefault(g, set())
            if e.doc_id not in docs and len(docs) >= max(1, articles_per_group[g]):
                continue
            docs.add(e.doc_id)
        per[e.doc_id] = per.get(e.doc_id, 0) + 1
        tokens += n
        chosen.append(e)
        if len(chosen) >= max_sentences:
            break
    chosen.sort(key=lambda e: -e.score)  # the model reads the most relevant first
    return [dataclasses.replace(e, number=n) for n, e in enumerate(chosen, start=1)]


def group_leaders(ranked: list[Evidence], groups: dict[str, int]) -> list[Evidence]:
    """The best sentence of each group (`groups`: doc_id -> the outlet the question names), in `ranked` order."""
    leaders: dict[int, Evidence] = {}
    for e in ranked:
        g = groups.get(e.doc_id)
        if g is not None and g not in leaders:
            leaders[g] = e
    return list(leaders.values())


def outlet_groups(result: SearchResult, doc_ids) -> dict[str, int]:
    """doc_id -> index of the outlet group (of those the question names) that the article belongs to."""
    groups = [{s.lower() for s in g} for g in result.source_groups]
    out = {}
    for d in set(doc_ids):
        a = result.snapshot.articles[d]
        for i, g in enumerate(groups):
            if a.source.lower() in g:
                out[d] = i
                break
    return out


_CLAUSE_BREAK = re.compile(
    r",\s+|;\s+|\s+(?:and|but|while|which|who|after|before|because|since|when|although|that|as)\s+")


def _clauses(sentence: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE_BREAK.split(sentence)]
    return [p for p in parts if len(p.split()) >= 4 and p != sentence] if len(parts) > 1 else []


# Answer-type matching: a question that asks for a quantity, a date or a person is answered by a sentence
# that holds one. This is what lets "What share ... did Meta take?" find "... took a 49% stake ...",
# which shares few words with the question.
# A sentence opening on a name the question sets aside tells about that name, not the answer asked for.
EXCLUDED_PENALTY = 0.15
EXCLUDED_OPENING_WORDS = 5
ANSWER_TYPE_BONUS = 0.12
_HOLDS_ANSWER = {
    "quantity": re.compile(r"\d"),
    "date": re.compile(rf"\b{MONTH_PATTERN}\b|\b(19|20)\d\d\b|\b{WEEKDAY_PATTERN}\b"),
    "person": re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+ [A-Z][a-z]+"),
}


def holds_answer_type(answer_type: str, text: str) -> bool:
    """Whether `text` holds the kind of answer a question asks for ("quantity", "date", "person"); True for
    a question of no particular kind ("")."""
    holds = _HOLDS_ANSWER.get(answer_type)
    return holds is None or bool(holds.search(text))


def name_candidates(question: str, evidence: list[Evidence], exclude: Set[str] = frozenset(),
                    limit: int = 12) -> list[str]:
    """Names (capitalised word runs) in the evidence sentences that the question does not already contain,
    most frequent first: the answers a "Who ...?" or "Which company ...?" question can have, if the evidence
    holds its answer at all. `exclude` holds names not to offer (the outlets)."""
    q_words = {POSSESSIVE.sub("", w.lower()) for w in re.findall(r"[\w'’-]+", question)}  # "OpenAI's"
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for e in evidence:
        seen: set[str] = set()
        for name in name_runs(e.text):
            if (name in seen or name in exclude or name.isupper() and len(name) > 5
                    or all(POSSESSIVE.sub("", w.lower()) in q_words for w in re.findall(r"[\w'’-]+", name))):
                continue
            seen.add(name)
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, len(first))
    ranked = sorted(counts, key=lambda n: (-counts[n], first[n]))
    return ranked[:limit]
