"""Every prompt the assistant sends, as named constants, and the grammars that constrain the replies.

The system prompt is a fixed prefix: llama.cpp keeps its KV cache between calls, so after the first question
only the evidence and the question are read (prefill is the cost on 2 cores: ~60-75 tokens/s).
"""
from __future__ import annotations

import re

REFUSAL_TOKEN = "NOT IN THE ARTICLES"
SHORT_PREFIX = "Short answer:"

ANSWER_SYSTEM = f"""You answer questions about news using only the numbered evidence sentences.
Write one to three short sentences. End each sentence with the number of the evidence sentence that states it, like [2].
Copy names, numbers and dates exactly as the evidence gives them. Never add facts that the evidence does not state.
Then write "{SHORT_PREFIX}" and the answer in a few words (a name, a number, or yes or no).
For a yes-or-no question, the short answer is Yes or No.

Example.
Evidence:
[1] Acme Corp said on Monday that it would buy Zenith Labs for $2 billion.
[2] Zenith Labs was founded in 2015 in Oslo.
Question: How much is Acme paying for Zenith Labs?
Answer:
Acme Corp said it would buy Zenith Labs for $2 billion [1].
{SHORT_PREFIX} $2 billion"""

ANSWER_USER = """Evidence:
{evidence}
Question: {question}
Answer:"""

REWRITE_SYSTEM = """Rewrite the user's last question so that it can be understood without the conversation.
Replace pronouns such as "it", "they", "he", "she" or "that" with the names they refer to. Keep it short.
Keep what the last question asks; do not repeat an earlier question. Write only the rewritten question.

Example.
Conversation:
User: Which company bought Zenith Labs?
Assistant: Acme Corp bought Zenith Labs [1].
Last question: and when was it founded?
Rewritten question: When was Zenith Labs founded?"""

REWRITE_USER = """Conversation:
{history}
Last question: {question}
Rewritten question:"""


def answer_grammar(n_evidence: int, options: tuple[str, ...] = (), allow_refusal: bool = False) -> str:
    """GBNF for the answer: 1-3 sentences, each ending in markers that name existing evidence (1..n), then a
    short answer, one of `options` for a closed question (see `answer_options`). A small model cannot emit a
    malformed or out-of-range marker. Whether the articles can answer is decided from retrieval before
    generation, so by default the model is not offered a refusal: measured on the dev queries, the 0.5 B model
    refused nearly every answerable comparison question when it could. Unsupported sentences are removed
    afterwards instead."""
    nums = " | ".join(f'"{i}"' for i in range(1, n_evidence + 1))
    short = " | ".join(_gbnf_string(o) for o in options) if options else r"[^\n\[\]]{1,60}"
    root = "answer | refusal" if allow_refusal else "answer"
    return f"""root ::= {root}
refusal ::= "{REFUSAL_TOKEN}"
answer ::= sentence ("\\n" sentence){{0,2}} "\\n{SHORT_PREFIX} " short
sentence ::= [A-Za-z0-9"'$] [^\\[\\]\\n:]{{6,240}} cite{{1,3}} "."?
cite ::= "[" num "]"
num ::= {nums}
short ::= {short}
"""


REWRITE_GRAMMAR = r"""root ::= [A-Za-z0-9"'] [^\n]{4,200} "?"
"""


_AUX = r"(?:does|did|do|is|was|are|were|has|have|had|can|could|will|would|should|may|might)"
# "Does ...?" or, after a leading phrase, "Between the report of May 2 and the one of May 9, was ...?"
_YES_NO = re.compile(
    rf"^\s*{_AUX}\b|^\s*(?:after|before|between|following|given|considering|comparing|according|based|from|in|"
    rf"when|while|since)\b[^?]*?,\s*(?:and\s+)?{_AUX}\s+(?:there|the|it|they|this|that|these|those|[A-Z'\"‘“])",
    re.I)
# Either-or questions ("was the account consistent or inconsistent?") are answered with one of the two
# words offered; only pairs of opposites count, so "TechCrunch or The Verge" is not read as a choice.
_OPPOSITES = [{"consistent", "inconsistent"}, {"consistent", "change"}, {"consistency", "change"},
              {"agreement", "disagreement"}, {"agree", "disagree"}, {"before", "after"}, {"earlier", "later"},
              {"larger", "smaller"}, {"bigger", "smaller"}, {"higher", "lower"}, {"more", "less"},
              {"more", "fewer"}, {"increase", "decrease"}, {"increased", "decreased"}, {"rise", "fall"},
              {"same", "different"}, {"similar", "different"}, {"positive", "negative"}, {"align", "differ"}]
_EITHER_OR = re.compile(r"\b([A-Za-z]+) or ([A-Za-z]+)\b")


def is_yes_no(question: str) -> bool:
    return bool(_YES_NO.match(question))


def answer_options(question: str) -> tuple[str, ...]:
    """The short answers a closed question admits: the two opposites it offers ("consistent or
    inconsistent" gives ("Consistent", "Inconsistent")), ("Yes", "No") for another yes/no question, and ()
    for an open question."""
    for m in _EITHER_OR.finditer(question):
        pair = {m.group(1).lower(), m.group(2).lower()}
        if pair in _OPPOSITES:
            return (m.group(1).capitalize(), m.group(2).capitalize())
    return ("Yes", "No") if is_yes_no(question) else ()


_ASKS_FOR_NAME = re.compile(
    r"^\s*(?:who|whom)\b|^\s*which\b(?!\s+(?:type|kind|group|sort|of)\b)|^\s*what\s+(?:company|companies|team|"
    r"organi[sz]ation|firm|person|individual|entity|exchange|platform|brand|country|city|app|tool|product|"
    r"service|network|bank|agency|startup|player|club|(?:is|was) the name)\b", re.I)


def asks_for_name(question: str) -> bool:
    """Whether the question asks for a name ("Who ...?", "Which company ...?", "What is the name of ...?"),
    which the short answer then picks from the names in the evidence."""
    return bool(_ASKS_FOR_NAME.match(question))


def _gbnf_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
