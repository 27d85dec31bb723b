"""Text normalisation applied to every article before it is stored.

Offsets of chunks and citations refer to the cleaned text, which is what the store keeps; the original file
is never re-read at answer time. Only *closing* promotional lines are dropped (a "Learn More" in the middle
of a story is kept), and only whole lines that match a short list: a false positive would delete reporting.
It does not parse markup (see html.py) or detect languages.
"""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")

# Closing lines that are promotion, not reporting. Matched on a whole final line, case-insensitively.
_BOILERPLATE_LINE = re.compile(
    r"^\s*("
    r"learn more\.?|read more\.?|read more:.*|see more\.?|click here.*|subscribe( now)?.*|sign up for.*"
    r"|share this( article| story)?:?|follow us on.*|advertisement|related( articles| stories)?:?"
    r"|get the latest.*newsletter.*|download the app.*|all rights reserved\.?.*|©.*|copyright ©?.*"
    r"|related pages:?|like this:.*|this article contains affil?iate links.*|.*\bsign up for\b.*\bnewsletter\b.*"
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
    while lines and (not lines[-1] or _BOILERPLATE_LINE.match(lines[-1])):
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text)
