"""Every prompt the assistant sends, as named constants, and the grammars that constrain the replies.

The system prompt is a fixed prefix: llama.cpp keeps its KV cache between calls, so after the first question
only the evidence and the question are read (prefill is the cost on 2 cores: ~60-75 tokens/s).
"""
from __future__ import annotations

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
{lead_in}Question: {question}
Answer:"""

# A question with a lead-in ("Meta announced layoffs this week. How many employees were affected?"): the
# lead-in is given apart, so that a small model answers the asking sentence instead of restating the lead-in.
LEAD_IN = "Background: {lead_in}\n"

EXCLUDED_NOTE = " (The answer is not {names}.)"

CLOSED_BOOK_SYSTEM = """Answer the question about the news in one short sentence, from what you know.
If you do not know, say "I do not know"."""

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


# The longest sentence the grammar lets the model write before its markers: one that long was cut off by it
# ("... Mary Cernicek, spokesperson with the Salmon-Challis Nat [1]") and is not kept (`qa.reply.parse_reply`).
MAX_SENTENCE_CHARS = 241


def answer_grammar(n_evidence: int, options: tuple[str, ...] = (), allow_refusal: bool = False) -> str:
    """GBNF for the answer: 1-3 sentences, each ending in markers that name existing evidence (1..n), then a
    short answer, one of `options` when given (a closed question's, or the names the evidence holds). A small
    model cannot emit a malformed or out-of-range marker. Whether the articles can answer is decided from
    retrieval before generation, so by default the model is not offered a refusal: measured on the dev
    queries, the 0.5 B model refused nearly every answerable comparison question when it could. Unsupported
    sentences are removed afterwards instead."""
    nums = " | ".join(f'"{i}"' for i in range(1, n_evidence + 1))
    short = " | ".join(_gbnf_string(o) for o in options) if options else r"[^\n\[\]]{1,60}"
    root = "answer | refusal" if allow_refusal else "answer"
    return f"""root ::= {root}
refusal ::= "{REFUSAL_TOKEN}"
answer ::= sentence ("\\n" sentence){{0,2}} "\\n{SHORT_PREFIX} " short
sentence ::= [A-Za-z0-9"'$] [^\\[\\]\\n:]{{6,{MAX_SENTENCE_CHARS - 1}}} cite{{1,3}} "."?
cite ::= "[" num "]"
num ::= {nums}
short ::= {short}
"""


REWRITE_GRAMMAR = r"""root ::= [A-Za-z0-9"'] [^\n]{4,200} "?"
"""


def _gbnf_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
