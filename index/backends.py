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
from index.pgstore import PgStore, is_postgres_url
from index.store import AddReport, RecoverReport, Store


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
