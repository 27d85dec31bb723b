"""Which store holds the library: the embedded one in a folder (the default) or PostgreSQL, chosen by a URL.

Both offer the same surface (`LibraryStore`): add, remove, snapshot, exists, rebuild, recover, and a
snapshot that the answering code reads alike (articles, chunks, chunk_text, rows_of, sources, candidates).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from index.articles import Article
from index.chunking import ChunkingParams
from index.embedding import Embedder
from index.errors import NotIndexedError
from index.pgstore import PgStore, is_postgres_url
from index.store import AddReport, ExportedArticle, RecoverReport, Store


class LibraryStore(Protocol):
    path: Path
    embedder: Embedder

    def exists(self) -> bool: ...
    def snapshot(self) -> Any: ...
    def current_generation(self) -> str | None: ...
    def add(self, articles: Iterable[Article],
            progress: Callable[[int, int], None] | None = None) -> AddReport: ...
    def remove(self, doc_ids: Iterable[str]) -> tuple[list[str], list[str]]: ...
    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int: ...
    def recover(self) -> RecoverReport: ...


def open_store(url: str, index_dir: str | os.PathLike, *, embedder: Embedder | None = None,
               params: ChunkingParams = ChunkingParams()) -> Store | PgStore:  # noqa: B008 (frozen)
    """The embedded store in `index_dir` when `url` is empty; PostgreSQL for a postgresql:// URL (then
    `index_dir` keeps only what lives beside the library, such as the review journal)."""
    if not url:
        return Store(index_dir, embedder=embedder, params=params)
    if is_postgres_url(url):
        return PgStore(url, path=index_dir, embedder=embedder, params=params)
    raise ValueError(f"QA_STORE_URL must be empty (the embedded store) or a postgresql:// URL, got {url[:40]!r}")


def migrate(source: Store | PgStore, target: Store | PgStore, *, batch: int = 1000,
            progress: Callable[[int], None] | None = None) -> int:
    """Copy every article of `source` with its chunks and vectors into `target`, without re-embedding; an
    article the target already holds under the same doc_id is replaced. Into PostgreSQL each batch of
    `batch` articles is one transaction (a stopped copy resumes by running it again); into the embedded
    store everything is one commit. Returns the number of articles copied."""
    if not source.exists():
        raise NotIndexedError(f"no library in {source.describe()} to migrate")
    source.snapshot()  # refuses a library made with other parameters before anything is copied
    if isinstance(target, Store):
        n = target.import_articles(source.export())
        if progress:
            progress(n)
        return n
    done = 0
    pending: list[ExportedArticle] = []
    for item in source.export():
        pending.append(item)
        if len(pending) >= batch:
            done += target.import_articles(pending)
            pending = []
            if progress:
                progress(done)
    if pending:
        done += target.import_articles(pending)
        if progress:
            progress(done)
    return done


def precision_of(store: Store | PgStore) -> str:
    """The precision the library's vectors were made in (what a store copied from it must use)."""
    m = store.manifest() if isinstance(store, PgStore) else store.snapshot().manifest
    return str(m.get("embedding_precision", "fp32"))
