"""Follow-up questions: "and who founded it?" becomes "Who founded Scale AI?" before retrieval.

The local model rewrites the question from the last turns of the conversation, under a grammar that admits
one question. A rewrite is only asked for when the question looks like it leans on the conversation (a
pronoun, a leading "and"/"what about", or no name of its own); the rewrite is checked to keep the
question's own content words, and otherwise the previous question's names are added to the query instead.
"""
from __future__ import annotations

import logging
import re

from qa import prompts
from qa.llm import LLM, complete
from qa.text import capitalised_words, content_terms

log = logging.getLogger(__name__)

_ANAPHORA = re.compile(r"\b(it|its|it's|they|them|their|theirs|he|him|his|she|her|hers|this|that|these|those|"
                       r"there|the company|the firm|the deal|the same)\b", re.I)
_CONTINUATION = re.compile(r"^\s*(and|but|also|what about|how about|so|then|why|why not)\b", re.I)
_GENERIC = content_terms("and what about how who which when where why happen happened do did does say said "
                         "mean more tell")


def _names_after_first_word(text: str) -> list[str]:
    rest = text.split(None, 1)
    return capitalised_words(rest[1]) if len(rest) == 2 else []


def turns(history: list | None) -> list[tuple[str, str]]:
    """Normalise a history given as (question, answer) pairs or as chat messages {"role", "content"}."""
    out: list[tuple[str, str]] = []
    pending_q = None
    for item in history or []:
        if isinstance(item, dict):
            role, content = item.get("role"), item.get("content")
            if not isinstance(content, str):
                content = " ".join(p.get("text", "") for p in content or [] if isinstance(p, dict))
            if role == "user":
                pending_q = content
            elif role == "assistant" and pending_q is not None:
                out.append((pending_q, content))
                pending_q = None
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            out.append((str(item[0]), str(item[1] or "")))
        else:
            raise ValueError("history must be a list of (question, answer) pairs or of chat messages "
                             '{"role": "user"|"assistant", "content": "..."}')
    return out


def needs_rewrite(question: str) -> bool:
    return bool(_ANAPHORA.search(question) or _CONTINUATION.search(question)
                or not _names_after_first_word(question))


class FollowupRewriter:
    """Makes a follow-up question stand alone, from the last two turns of the conversation."""

    def __init__(self, llm: LLM):
        self.llm = llm

    def run(self, question: str, history: list | None) -> str:
        return standalone_question(question, history, self.llm)


def standalone_question(question: str, history: list | None, llm: LLM) -> str:
    conversation = turns(history)[-2:]
    if not conversation or not needs_rewrite(question):
        return question
    lines = []
    for q, a in conversation:
        a = re.sub(r"<[^>]+>", "", a)[:300]
        lines.append(f"User: {q}\nAssistant: {a}")
    rewritten = complete(llm, prompts.REWRITE_SYSTEM,
                         prompts.REWRITE_USER.format(history="\n".join(lines), question=question),
                         grammar=prompts.REWRITE_GRAMMAR, max_tokens=60).strip()
    own = content_terms(question) - _GENERIC
    same_as_before = content_terms(rewritten) == content_terms(conversation[-1][0])
    if rewritten and not same_as_before and (not own or own & content_terms(rewritten)):
        log.info("follow-up %r rewritten as %r", question, rewritten)
        return rewritten
    # The rewrite lost the question's own words: fall back to carrying the last question's names over.
    names = " ".join(dict.fromkeys(_names_after_first_word(conversation[-1][0])))
    log.info("rewrite %r rejected; searching %r with %r", rewritten, question, names)
    return f"{question} ({names})" if names else question
