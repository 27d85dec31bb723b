"""Reading the model's reply: its sentences with their citation markers and its "Short answer:" line
(`parse_reply`), and the part of the token stream a reader should see while it is written (`VisibleText`).

It checks nothing against the evidence (`qa.verify` does) and numbers no citations (`qa.assembly` does).
"""
from __future__ import annotations

import re

from qa import prompts
from qa.text import marker_numbers, strip_markers

_SENTENCE_BREAK = re.compile(r"(?<=\])\.?\s+(?=[A-Z0-9\"'$])")


def parse_reply(raw: str, n_evidence: int) -> tuple[list[tuple[str, list[int]]], str, bool]:
    """Split the model's reply into (sentence without markers, evidence numbers) pairs, the short answer, and
    whether it refused. Markers outside 1..n_evidence are dropped (a server may ignore the grammar); so is a
    sentence left with none, and one as long as the grammar allows (`prompts.MAX_SENTENCE_CHARS`): it was cut off."""
    text = raw.strip()
    if text.startswith(prompts.REFUSAL_TOKEN):
        return [], "", True
    short = ""
    sentences = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith(prompts.SHORT_PREFIX):
            short = strip_markers(line[len(prompts.SHORT_PREFIX):]).strip().rstrip(".")
            continue
        for part in _SENTENCE_BREAK.split(line):
            if len(part.split("[", 1)[0].lstrip()) >= prompts.MAX_SENTENCE_CHARS:  # a space may be its last
                continue  # cut off mid-word by the grammar's length limit
            nums = [n for n in marker_numbers(part) if 1 <= n <= n_evidence]
            body = strip_markers(part).strip()
            body = re.sub(r"\s+([.,;!?])", r"\1", body).rstrip()
            body = re.sub(r"([.!?])\.+$", r"\1", body)  # "rival. [1]." is one stop, not "rival.."
            if nums and body and prompts.REFUSAL_TOKEN not in body:
                sentences.append((body if body.endswith((".", "!", "?")) else body + ".",
                                  list(dict.fromkeys(nums))))
    return sentences, short, False


_VERDICT_OPENING = re.compile(r"^(?:yes|no)[.,!]\s+(?=[A-Z])", re.I)


def without_verdict(sentence: str) -> str:
    """`sentence` without an opening "Yes." or "No," that a small model writes before answering a question that
    is not a yes/no question ("No. The lawmakers left out a provision to expand background checks." for "Which
    measure did lawmakers leave out?"); "No. 1 seed" and "No one" are kept."""
    return _VERDICT_OPENING.sub("", sentence)


class VisibleText:
    """Filters the raw token stream down to what a reader should see while it is generated: the sentences,
    without the "Short answer:" line or the refusal token."""

    def __init__(self) -> None:
        self.pending = ""
        self.hidden = False
        self.at_line_start = True

    def feed(self, piece: str) -> str:
        out = []
        for ch in piece:
            if self.hidden:
                if ch == "\n":
                    self.hidden, self.at_line_start = False, True
                continue
            if self.at_line_start:
                out.append(self._line_start(ch))
                continue
            if ch == "\n":
                self.at_line_start = True
                out.append(" ")
                continue
            out.append(ch)
        return "".join(out)

    def _line_start(self, ch: str) -> str:
        """Hold back the start of a line while it may still become a hidden prefix; release it once it cannot."""
        self.pending += ch
        for marker in (prompts.SHORT_PREFIX, prompts.REFUSAL_TOKEN):
            if self.pending == marker[:len(self.pending)]:
                if self.pending == marker:
                    self.hidden, self.pending = True, ""
                return ""
        released, self.pending, self.at_line_start = self.pending, "", False
        return released
