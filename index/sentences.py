"""Sentence boundaries with exact character offsets.

A rule-based splitter: news prose is regular enough, it needs no model, and every span it returns is a
slice of the input (so a sentence is always an exact quote). It does not try to be a linguist: abbreviations
such as "U.S." or "Mr." are protected by a short list, and a line break always ends a sentence.
"""
from __future__ import annotations

import re

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "inc", "ltd", "co", "corp", "no",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gov", "sen", "rep",
    "gen", "col", "lt", "sgt", "capt", "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "fig", "approx", "est", "v",
}
# A candidate end: ., ! or ? (optionally followed by closing quotes/brackets), then whitespace.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+[\"'“‘(\[]*[A-Z0-9]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of `text[start:end]`, stripped of surrounding spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text, start, end):
        s = line_start
        for m in _END.finditer(text, line_start, line_end):
            stop = m.end()
            if not _NEXT_START.match(text, stop, line_end):
                continue
            word = re.search(r"([A-Za-z.]+)[.!?]*[\"'”’)\]]*$", text[s:stop])
            if word and text[m.start()] == "." and word.group(1).rstrip(".").lower() in _ABBREVIATIONS:
                continue
            if word and re.fullmatch(r"[A-Z]", word.group(1).rstrip(".")):  # an initial: "John F. Kennedy"
                continue
            _add(text, spans, s, stop)
            s = stop
        _add(text, spans, s, line_end)
    return spans


def _lines(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        yield pos, stop
        pos = stop + 1


def _add(text: str, spans: list[tuple[int, int]], s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))
