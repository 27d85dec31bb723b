"""`Filters`: which articles a search may draw from (outlets, a date range, document ids).

Applied before ranking, so a filtered search still gets its full top k. It does not rank or search.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from index.search import Where
from index.store import Snapshot


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()  # case-insensitive exact source names
    date_from: str = ""  # ISO dates, inclusive
    date_to: str = ""
    doc_ids: tuple[str, ...] = ()
    until: str = ""  # ISO date: articles dated after it are left out (the question's "as of"); undated ones kept

    def __bool__(self) -> bool:
        return bool(self.sources or self.date_from or self.date_to or self.doc_ids or self.until)

    def with_until(self, until: str) -> Filters:
        """These filters, also leaving out articles dated after `until` (the earlier bound wins)."""
        if not until:
            return self
        return dataclasses.replace(self, until=min(self.until, until) if self.until else until)

    def where(self) -> Where:
        """These filters as a store applies them."""
        return Where(sources=tuple(s.lower() for s in self.sources), date_from=self.date_from,
                     date_to=self.date_to, until=self.until, doc_ids=self.doc_ids)

    def allows(self, source: str, published_at: str, doc_id: str) -> bool:
        """Whether an article with this outlet, date and id passes."""
        return self.where().allows(source, published_at, doc_id)

    def mask(self, snap: Snapshot) -> np.ndarray | None:
        """One boolean per chunk of `snap`: True where its article passes; None when nothing is filtered."""
        if not self:
            return None
        return snap.mask(self.where())
