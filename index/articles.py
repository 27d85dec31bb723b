"""The `Article` record: one cleaned article text plus its metadata. Offsets everywhere refer to `text`.

It holds data and checks one invariant: a doc_id is 1-200 printable characters, without '/', '#' or
surrounding spaces (ids are printed one a line, passed on command lines and used in file names). Every new
`Article` is checked; `from_stored` reads back what a store wrote without checking, so that an index made
before the rule still opens (its odd ids can still be listed and removed). Loading, cleaning and storing
articles live in loaders.py, cleaning.py and store.py.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from index.errors import IngestError

MAX_DOC_ID_CHARS = 200
_STORED_DEFAULTS: dict[str, Any] = {"page_starts": ()}  # every other optional field defaults to ""


class InvalidDocIdError(IngestError):
    """A doc_id that is empty, too long, or holds a character that cannot be printed on one line."""


def doc_id_problem(doc_id: object) -> str | None:
    """Why `doc_id` is not a valid document id, or None when it is."""
    if not isinstance(doc_id, str):
        return f"a doc_id must be a string, got {type(doc_id).__name__}"
    if not 1 <= len(doc_id) <= MAX_DOC_ID_CHARS:
        return f"a doc_id must be 1 to {MAX_DOC_ID_CHARS} characters long, got {len(doc_id)}"
    # isprintable() is False for control characters (newline, NUL), format characters such as U+202E (which
    # reverses how the rest of a line is shown) and line/paragraph separators.
    bad = next((ch for ch in doc_id if not ch.isprintable() or ch in "/#"), None)
    if bad is not None:
        return (f"a doc_id may hold only printable characters other than '/' and '#'; it holds "
                f"{bad!r} (U+{ord(bad):04X})")
    if doc_id != doc_id.strip():
        return "a doc_id may not start or end with a space"
    return None


@dataclass(frozen=True)
class Article:
    doc_id: str
    text: str
    title: str = ""
    source: str = ""
    published_at: str = ""
    url: str = ""
    path: str = ""
    # For PDFs: the character offset in `text` at which each page starts (page 1 first).
    page_starts: tuple[int, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        problem = doc_id_problem(self.doc_id)
        if problem:
            shown = repr(self.doc_id[:50]) + ("…" if len(self.doc_id) > 50 else "") \
                if isinstance(self.doc_id, str) else ""
            raise InvalidDocIdError(self.path or "(article)", f"invalid doc_id {shown}: {problem}")

    @property
    def content_hash(self) -> str:
        """SHA-256 of the cleaned text: equal texts are the same article, whatever their file names."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, for articles that came from a paged format."""
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = i
        return page

    def to_dict(self) -> dict[str, Any]:
        # Field by field: dataclasses.asdict deep-copies recursively, 5 s of a commit at 100,000 articles.
        d = {f: getattr(self, f) for f in self.__dataclass_fields__}
        d["page_starts"] = list(self.page_starts)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """A new article from a dict (e.g. a request): its doc_id is checked."""
        return cls(**cls._fields_of(d))

    @classmethod
    def from_stored(cls, d: dict[str, Any]) -> Article:
        """An article as a store wrote it, not checked again (see the module docstring)."""
        fields = cls._fields_of(d)
        if not isinstance(fields.get("doc_id"), str) or not isinstance(fields.get("text"), str):
            raise ValueError("a stored article needs a doc_id and a text string")
        article = object.__new__(cls)
        for name in cls.__dataclass_fields__:
            object.__setattr__(article, name, fields.get(name, _STORED_DEFAULTS.get(name, "")))
        return article

    @classmethod
    def _fields_of(cls, d: dict[str, Any]) -> dict[str, Any]:
        d = dict(d)
        d["page_starts"] = tuple(d.get("page_starts") or ())
        return {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
