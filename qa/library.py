"""The article library as a service: add files, remove, list, read one article, stats, rebuild. The one
ingestion path used by the command line, the UI and the HTTP API, with one report type and one summary, so
that every edge reports the same outcome in the same words.

Loading and cleaning are `index.loaders`; storing, duplicate checks and atomic commits are `index.store`.
This module only drives them and reports.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from index.articles import Article
from index.errors import NotIndexedError
from index.loaders import load_paths
from index.pgstore import PgStore
from index.store import AddReport, RecoverReport, Store

Progress = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed)


@dataclass(frozen=True)
class Skipped:
    source: str  # a file, "file:line", or a doc_id
    reason: str


@dataclass(frozen=True)
class NearDuplicateNote:
    doc_id: str
    similar_to: str
    similarity: float


@dataclass
class IngestReport:
    """What an add did. `ok` is False when anything was skipped."""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # the same text is already in the library
    duplicate_of: dict[str, str] = field(default_factory=dict)  # unchanged doc_id -> the doc_id holding the text
    skipped: list[Skipped] = field(default_factory=list)
    near_duplicates: list[NearDuplicateNote] = field(default_factory=list)
    chunks_embedded: int = 0

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.skipped)} skipped; {self.chunks_embedded} chunks embedded")

    def lines(self) -> list[str]:
        """One line per article or problem, for a reader."""
        out = [f"added {d}" for d in self.added] + [f"updated {d}" for d in self.updated]
        for d in self.unchanged:
            held = self.duplicate_of.get(d, d)
            out.append(f"unchanged {d} (already indexed)" if held == d
                       else f"unchanged {d}: the same text is already indexed as {held}")
        out += [f"near-duplicate {n.doc_id} ~ {n.similar_to} (similarity {n.similarity:.2f}); both kept"
                for n in self.near_duplicates]
        out += [f"skipped {s.source}: {s.reason}" for s in self.skipped]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "duplicate_of": self.duplicate_of, "skipped": [s.__dict__ for s in self.skipped],
                "near_duplicates": [n.__dict__ for n in self.near_duplicates],
                "chunks_embedded": self.chunks_embedded, "ok": self.ok, "summary": self.summary()}


@dataclass(frozen=True)
class ArticleInfo:
    """An article as listed: its metadata, and its text when asked for one article."""
    doc_id: str
    title: str
    source: str
    published_at: str
    url: str
    path: str
    chars: int
    chunks: int
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RemoveReport:
    removed: list[str]
    missing: list[str]

    @property
    def ok(self) -> bool:
        return bool(self.removed) and not self.missing


class Library:
    def __init__(self, store: Store | PgStore):
        self.store = store

    @property
    def path(self):
        return self.store.path

    def exists(self) -> bool:
        return self.store.exists()

    def add_paths(self, paths: list[str], progress: Progress | None = None) -> IngestReport:
        """Load the files, folders or glob patterns and add what they hold; problems are reported, not raised."""
        loaded = load_paths(paths)
        skipped = [Skipped(e.source, e.reason) for e in loaded.errors]
        return self.add_articles(loaded.articles, progress=progress, skipped=skipped)

    def add_articles(self, articles: list[Article], progress: Progress | None = None,
                     skipped: list[Skipped] | None = None) -> IngestReport:
        skipped = list(skipped or [])
        if not articles:
            if not skipped:
                skipped.append(Skipped("(input)", "no articles given"))
            return IngestReport(skipped=skipped)
        return _report(self.store.add(articles, progress=progress), skipped)

    def remove(self, doc_ids: Iterable[str]) -> RemoveReport:
        removed, missing = self.store.remove(list(doc_ids))
        return RemoveReport(list(removed), list(missing))

    def articles(self) -> list[ArticleInfo]:
        """Every article, sorted by doc_id; empty when no library exists yet."""
        try:
            snap = self.store.snapshot()
        except NotIndexedError:
            return []
        counts = Counter(c.doc_id for c in snap.chunks)  # one pass (one query on PostgreSQL), not one per article
        return [_info(a, counts[a.doc_id]) for a in sorted(snap.articles.values(), key=lambda a: a.doc_id)]

    def get(self, doc_id: str) -> ArticleInfo | None:
        """One article with its text, or None when the library does not hold it (or does not exist yet)."""
        try:
            snap = self.store.snapshot()
        except NotIndexedError:
            return None
        a = snap.articles.get(doc_id)
        return None if a is None else _info(a, len(snap.rows_of(doc_id)), with_text=True)

    def stats(self) -> dict[str, Any]:
        if isinstance(self.store, PgStore):
            return self.store.stats()
        snap = self.store.snapshot()
        size = sum(f.stat().st_size for f in (self.store.path / snap.generation).rglob("*") if f.is_file())
        return {"index_dir": str(self.store.path), "generation": snap.generation, "articles": len(snap.articles),
                "chunks": len(snap.chunks), "characters": sum(len(a.text) for a in snap.articles.values()),
                "bytes_on_disk": size, "manifest": snap.manifest}

    def recover(self) -> RecoverReport:
        """Point the library at its newest complete generation; see `index.store.Store.recover`."""
        return self.store.recover()

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-chunk and re-embed every stored article; returns the number of chunks."""
        return self.store.rebuild(progress=progress)


def _report(r: AddReport, skipped: list[Skipped]) -> IngestReport:
    skipped = skipped + [Skipped(a.path or a.doc_id, f"another article of this batch has the doc_id {a.doc_id}")
                         for a in r.conflicts]
    return IngestReport(
        added=list(r.added), updated=list(r.replaced), unchanged=list(r.unchanged),
        duplicate_of=dict(r.duplicate_of),
        skipped=skipped,
        near_duplicates=[NearDuplicateNote(n.doc_id, n.similar_to, n.similarity) for n in r.near_duplicates],
        chunks_embedded=r.chunks_added)


def _info(a: Article, chunks: int, with_text: bool = False) -> ArticleInfo:
    return ArticleInfo(a.doc_id, a.title, a.source, a.published_at, a.url, a.path, len(a.text), chunks,
                       a.text if with_text else None)
