"""Text normalisation applied to every article before it is stored.

Offsets of chunks and citations refer to the cleaned text, which is what the store keeps; the original file
is never re-read at answer time. Only *closing* promotional lines are dropped (a "Learn More" in the middle
of a story is kept), and a closing line goes only when *every sentence* in it is on a short allow-list of
non-reporting kinds: navigation ("Read More", "Related Pages:"), share widgets, contact and social bylines
("Follow her on Twitter @x", "Reach X at x@paper.com"), subscription and newsletter promotion, and copyright
notices. Each pattern matches a whole sentence in its imperative or notice form, never a word inside prose:
"Subscribers grew by 8 million" and "Copyright lawsuits piled up" are reporting and stay. A false positive
would delete reporting, a false negative only keeps a line of promotion, so the list errs on keeping.
It does not parse markup (see html.py) or detect languages.
"""
from __future__ import annotations

import re
import unicodedata

from index.sentences import split_sentences

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")

_SOCIAL = r"(twitter|x|facebook|instagram|threads|linkedin|tiktok|youtube|bluesky|mastodon)"
_HANDLE_OR_MAIL = r"(@\w|\S+@\S+\.\w)"
# Whole sentences that are promotion, navigation or notices, not reporting (matched case-insensitively).
_BOILERPLATE_SENTENCE = re.compile(
    r"^\s*("
    r"(learn|read|see) more\.?|read more:.*|read more (on|about) .{1,80} and sign up for .{0,80}newsletters?\.?"
    r"|click here\b.*|(please )?subscribe( now| today)?\s*[.!]?|subscribe( now)? to \S+( \S+){0,4}[.!]?"
    r"|to subscribe, .*|(please )?sign up (now |today )?(for|to) .*|to [^,]{1,100}, sign up for .*newsletters?.*"
    r"|get the latest .*newsletter.*|download the app.*|advertisement|share this( article| story)?:?"
    r"|related( articles| stories| pages)?:?|related pages:?|like this:.*|like loading\.*"
    r"|this article contains affil?iate links.*"
    rf"|follow (us|him|her|them|[\w.'’-]+( [\w.'’-]+){{0,3}}) on {_SOCIAL}\b.*"
    rf"|follow (us|him|her|them) {_HANDLE_OR_MAIL}.*"
    rf"|contact ?[\w.'’ -]{{1,60}}(:|at|by email)? ?.*{_HANDLE_OR_MAIL}.*"
    rf"|reach [\w.'’ -]{{1,60}} at .*{_HANDLE_OR_MAIL}.*"
    r"|all rights reserved\.?.*|©.*|copyright (©|\(c\)|\d{4}).*|\(c\) ?\d{4}.*"
    r")\s*$",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """Normalise Unicode (NFC), line endings and runs of spaces; drop control characters and trailing
    promotional lines. Paragraph breaks are kept as single newlines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    while lines and (not lines[-1] or is_boilerplate_line(lines[-1])):
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text)


def is_boilerplate_line(line: str) -> bool:
    """True when every sentence of `line` is navigation, promotion, a contact byline or a notice."""
    spans = split_sentences(line)
    return bool(spans) and all(_BOILERPLATE_SENTENCE.match(line[s:e]) for s, e in spans)
