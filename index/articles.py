"""The `Article` record: one cleaned article text plus its metadata. Offsets everywhere refer to `text`.

It holds data only; loading, cleaning and storing articles live in loaders.py, cleaning.py and store.py.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


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
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        d = dict(d)
        d["page_starts"] = tuple(d.get("page_starts") or ())
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})
