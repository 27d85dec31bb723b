"""Whether a quote entails a sentence, and whether it answers a question, judged by a bundled language model.

The judge reads the cited quote(s) and the sentence and is asked whether the quote states it; its answer is
read from the next-token log-probabilities of "Yes" against "No" (one forward pass, nothing generated, the
KV cache of the fixed system prompt reused). `qa eval --judge MODEL` uses it to report the share of shipped
sentences entailed by their citations. How well each bundled model judges is measured by
`bench/entail_check.py` (README, Models).
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar, runtime_checkable

import numpy as np

from qa.types import Answer, Sentence

SYSTEM = ("You check a statement against a quote from a news article. Reply Yes if the quote states what the "
          "statement says, and No if the quote does not say it or says something else.")
USER = "Quote: {premise}\nStatement: {hypothesis}\nDoes the quote state this?"
YES = ("Yes", "yes", " Yes")
NO = ("No", "no", " No")
# Log-odds of Yes over No at or above which a sentence counts as entailed. On 52 sentences the pipeline shipped
# for dev questions (bench/entail_check.py), the 1.5 B judge gave the 4 that their quotes do not state (a
# bare "TechCrunch, 2023-09-28.", "booted from her House seat" for a quote on her reelection hopes, ...) -1.65
# to 0.06, and the others 1.24 and up.
THRESHOLD = 0.5


# Whether a quote answers a question, read the same way: a passage is quoted as what the articles say only
# when the judge leans Yes. On the quotes of the 49 quote-only answers of a realtimeqa22 run (all 233
# questions, d3b1dda), requiring a margin of at least 0 for some quote refused 3 of the 6 answers to
# unanswerable questions and 4 of the 17 wrong ones, and lost 1 of the 25 right ones.
ANSWERS_SYSTEM = ("You check whether a quote from a news article answers a question. Reply Yes if the quote "
                  "gives the answer to the question, and No if it does not.")
ANSWERS_USER = "Quote: {quote}\nQuestion: {question}\nDoes the quote answer the question?"
ANSWERS_THRESHOLD = 0.0
# A sentence the model wrote as its answer is dropped for not answering the question only when the judge leans
# clearly No: on the first sentences of the 68 prose answers of a realtimeqa22 run (all 233 questions,
# aac313b), a margin below -1 was given to 3 of the 25 wrong ones ("15 people were reported dead" for how many
# customers were without power), 2 of the 4 to unanswerable questions and none of the 39 right ones; below
# -0.5 would have lost 2 right ones, below 0 8.
OFF_QUESTION_THRESHOLD = -1.0
# Whether a quote shows that a name is the answer to a question: asked before a "Name: “quote”" answer is
# given (the model picked the name, or it was offered and stands near what is asked, but no sentence the model
# wrote about it survived). On the 58 such answers of a realtimeqa22 run (all 233 questions, 7382d0d), a
# margin below 0.5 was given to 10 of the 23 wrong names ("Roy" for the show with most Emmy nominations, "CPI"
# for the grocery item that rose most), 2 of the 5 answers to unanswerable questions, and 3 of the 30 right
# ones; below 1.0, to 16 wrong, 3 unanswerable and 7 right.
NAMED_SYSTEM = ("You check whether a quote from a news article answers a question with a given answer. Reply "
                "Yes if the quote shows that the answer is right, and No if it does not.")
NAMED_USER = "Quote: {quote}\nQuestion: {question}\nAnswer: {name}\nDoes the quote show that this answer is right?"
NAMED_THRESHOLD = 0.5
# Whether the evidence answers a yes/no question with Yes, read as the log-odds of "Yes" over "No" with
# "Unclear" offered too (`qa.verdict.PolarJudge`, where the threshold and its measurement are).
POLAR_SYSTEM = ("You answer a yes-or-no question about the news from numbered evidence sentences. Reply Yes if "
                "the evidence shows that the answer is yes, No if the evidence shows that the answer is no, and "
                "Unclear if the evidence does not say.")
POLAR_USER = "Evidence:\n{evidence}\nQuestion: {question}\nAnswer (Yes, No or Unclear):"


# Which of several names a question's answer is, read as the log-probability of the judge's reply opening with
# each (`EntailmentJudge.choose`), from the sentences that state them: one prompt for all the names, so they
# are weighed against each other ("Meta" over "OpenAI" from "OpenAI relinquishes control over Scale AI
# following Meta's significant investment" for "Which company invested in Scale AI?", where asking of each
# name in turn whether the quote shows it to be the answer leaned Yes for both, OpenAI more).
CHOOSE_SYSTEM = ("You answer a question about the news with a name taken from the evidence sentences. Reply with "
                 "the name only, or None if the evidence does not give the answer.")
CHOOSE_USER = "Evidence:\n{evidence}\nQuestion: {question}\nAnswer:"
NONE = "None"
# A "Name: “quote”" answer the yes/no reading above did not confirm is given when the judge, reading the quote
# alone, replies with the name rather than None by this much (log-probability). On RealTimeQA's 126 name
# questions (the first two passages holding the name offered first, fa3a454), the yes/no reading confirmed 57
# of the 75 right names, 11 of the 38 wrong ones and 1 of the 13 questions the articles cannot answer. With
# this reading too, at 2: 70 right, 16 wrong, the same 1 unanswerable; at 2.5: 69 and 13; at 3: 67 and 12.
# The seed articles' "Google" for who else pulled back from Scale AI reads 2.06, "Oracle" for OpenAI's data
# center partner 2.35. A name the judge wrote from the passages about to be quoted (`EXTRACTED_THRESHOLD`, below)
# is given on this reading too: the seeds' "Mercor" for which emerging company OpenAI works with for data instead
# reads 0.27 as confirmed and 3.7 over None. This is the judge re-reading its own answer, a weak check; over all
# 233 RealTimeQA questions (f7ad722) it changed no answer's text.
CHOSEN_MARGIN = 2.0
# The answer in the evidence's own words, written by the judge (greedy, one line of at most `EXTRACT_TOKENS`
# tokens), when nothing the reader wrote survived or what survived gives no short answer: `qa.assembly` keeps it
# only where it stands word for word in a passage. On the quotes of the 36 quote-only answers of a RealTimeQA
# run (all 233, 4182f9a), it gave the accepted answer in 14 of the 15 right ones (and "10" for the 15th), and
# None or words the passages lack for 4 of the 5 answers to questions the articles cannot answer.
EXTRACT_SYSTEM = ("You answer a question about the news from the evidence sentences. Reply with the answer in a "
                  "few words copied exactly from the evidence, or None if the evidence does not give the answer.")
EXTRACT_TOKENS = 12
# Words so read are given as the answer when the yes/no reading of their passage (`confirms`) reaches this (a name
# also when the judge chooses it over None reading its passage alone, `CHOSEN_MARGIN`): on
# those quote-only answers, it gave the right words 0.68 and up, and the wrong ones that it should hold back
# 0.22 ("James Webb Space Telescope" for what NASA's images showed) and less; the seed articles' "Scale AI"
# for which company OpenAI stopped working with reads 0.35.
EXTRACTED_THRESHOLD = 0.3


@runtime_checkable
class MarginLLM(Protocol):
    def logprob_margin(self, system: str, user: str, yes: tuple[str, ...], no: tuple[str, ...]) -> float: ...

    def choice_logprobs(self, system: str, user: str, choices: list[str], max_tokens: int = 4) -> list[float]: ...

    def stream(self, system: str, user: str, *, grammar: str | None = None, max_tokens: int = 128,
               stop: list[str] | None = None) -> Iterator[str]: ...


# The judge's latest readings kept: a check asked twice (the ranker's, then the fallback's) is read once; so is
# an answer it is asked to write twice from the same passages (the short answer's check, then the lead).
MEMO_SIZE = 512
V = TypeVar("V")


class _Recent(Generic[V]):
    """The latest `MEMO_SIZE` values computed, by prompt (system prompt and user prompt); thread-safe."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str, str], V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], compute: Callable[[], V]) -> V:
        """The value kept for `key`, or `compute()`'s, then kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            if len(self._items) > MEMO_SIZE:
                self._items.popitem(last=False)
        return value


class EntailmentJudge:
    def __init__(self, llm: object, *, threshold: float = THRESHOLD):
        if not isinstance(llm, MarginLLM):
            raise ValueError(f"the judge needs a local model's log-probabilities; {type(llm).__name__} has none")
        self.llm: MarginLLM = llm
        self.threshold = threshold
        self._margins: _Recent[float] = _Recent()
        self._written: _Recent[str] = _Recent()  # the answers `extract` wrote, by prompt

    def _read(self, system: str, user: str) -> float:
        """log P(Yes) - log P(No) for the prompt, from the memo when the same prompt was read lately."""
        return self._margins.get((system, user), lambda: self.llm.logprob_margin(system, user, YES, NO))

    def margin(self, premise: str, hypothesis: str) -> float:
        """log P(Yes) - log P(No): above `threshold`, `premise` entails `hypothesis`."""
        return self._read(SYSTEM, USER.format(premise=premise, hypothesis=hypothesis))

    def entails(self, premise: str, hypothesis: str) -> bool:
        return self.margin(premise, hypothesis) >= self.threshold

    def answers(self, quote: str, question: str, threshold: float = ANSWERS_THRESHOLD) -> bool:
        """Whether `quote` gives the answer to `question` (log-odds of Yes at least `threshold`)."""
        return self._read(ANSWERS_SYSTEM, ANSWERS_USER.format(quote=quote, question=question)) >= threshold

    def confirms(self, quote: str, question: str, name: str, threshold: float = NAMED_THRESHOLD) -> bool:
        """Whether `quote` shows that `name` is the answer to `question`."""
        return self.named_margin(quote, question, name) >= threshold

    def named_margin(self, quote: str, question: str, name: str) -> float:
        """log P(Yes) - log P(No) that `quote` shows `name` to be the answer to `question`."""
        return self._read(NAMED_SYSTEM, NAMED_USER.format(quote=quote, question=question, name=name))

    def choose(self, passages: list[str], question: str, names: list[str]) -> list[float]:
        """For each of `names`, then for "None" (the passages do not give the answer), the log-probability that
        it is the answer to `question`, among these (they sum to 1 as probabilities), read from the numbered
        `passages`."""
        user = CHOOSE_USER.format(evidence=numbered(passages), question=question)
        logprobs = np.array(self.llm.choice_logprobs(CHOOSE_SYSTEM, user, [*names, NONE]))
        return list(logprobs - np.logaddexp.reduce(logprobs))

    def extract(self, passages: list[str], question: str) -> str:
        """The answer to `question` as the judge writes it from the numbered `passages` (meant to be their own
        words; the caller checks), or "" when it replies None."""
        user = CHOOSE_USER.format(evidence=numbered(passages), question=question)
        return self._written.get((EXTRACT_SYSTEM, user), lambda: self._write(user))

    def _write(self, user: str) -> str:
        reply = "".join(self.llm.stream(EXTRACT_SYSTEM, user, max_tokens=EXTRACT_TOKENS, stop=["\n"]))
        reply = re.sub(r"\s*\[\d+\]", "", reply).strip().strip("\"'“”‘’")  # no "[1]" marker, no quotes
        reply = re.sub(r"(?<![.\s]\w)\.$", "", reply).strip()  # "Scale AI." but "U.S." whole
        return "" if reply.lower() in ("", NONE.lower()) else reply

    def chosen(self, quote: str | list[str], question: str, name: str, threshold: float = CHOSEN_MARGIN) -> bool:
        """Whether, reading `quote` alone (or the numbered passages of a list), the judge answers `question` with
        `name` rather than "None" by at least `threshold` (log-probability)."""
        as_name, as_none = self.choose([quote] if isinstance(quote, str) else quote, question, [name])
        return as_name - as_none >= threshold

    def polar_margin(self, evidence: list[str], question: str) -> float:
        """log P(Yes) - log P(No) that the numbered `evidence` answers the yes/no `question` with Yes."""
        return self._read(POLAR_SYSTEM, POLAR_USER.format(evidence=numbered(evidence), question=question))

    def judge_answer(self, answer: Answer) -> tuple[int, int]:
        """(sentences shipped, of them entailed by the quotes they cite), as `qa.eval_qa.Judge`."""
        pairs = premises(answer)
        return len(pairs), sum(self.entails(premise, s.text) for s, premise in pairs)


def numbered(passages: list[str]) -> str:
    """The passages one per line, numbered from 1: "[1] ...\n[2] ..."."""
    return "\n".join(f"[{n}] {text}" for n, text in enumerate(passages, start=1))


def premises(answer: Answer) -> list[tuple[Sentence, str]]:
    """Each sentence the answer ships with the text of the quotes it cites, joined."""
    quotes = {c.number: c.quote for c in answer.citations}
    return [(s, " ".join(quotes[n] for n in s.citations if n in quotes))
            for s in answer.sentences if s.supported and s.citations]
