"""How a commit of the embedded store costs what it changes: a base segment, a delta segment and tombstones.

A generation folder holds a base segment (articles.jsonl, chunks.jsonl, faiss.index, bm25/, minhash.npy) and,
when it was committed as a delta, a `delta/` folder: the articles added since the base was written (with
their chunks, vectors.npy, their own bm25/ postings and minhash.npy) and `removed.json`, the base articles
that were removed or replaced since (tombstones). A delta commit hard-links the base files of the generation
it starts from into the new folder (no bytes copied) and writes only the delta, so adding 1,000 articles to
100,000 writes ~1,000 articles' worth of data, not the library. Once the delta outgrows `MERGE_FRACTION` of
the base (or the library is small), the commit writes a whole generation again: the merge. Either way the
commit protocol of index/store.py is unchanged (temporary folder, fsync, rename, CURRENT), so a kill -9 at any
moment leaves CURRENT naming a complete generation; a hard-linked file is shared by the generations that link
it and lives until the last of them is pruned.

Loading composes the two: base rows whose article has a tombstone are left out, delta rows follow, and the
snapshot's rows are renumbered 0..n-1 (its FAISS index, keyword index and chunk list stay aligned, as in a
whole generation). BM25 over the composition is exact: the keyword index keeps term frequencies, and the
statistics (N, df, mean length) are those of the composed rows (index/keyword.py).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.articles import Article
from index.chunking import Chunk
from index.keyword import KeywordIndex

BASE_FILES = ("articles.jsonl", "chunks.jsonl", "faiss.index", "minhash.npy")
BASE_DIRS = ("bm25",)
MERGE_FRACTION = 0.2  # write a whole generation once the delta holds more rows than 20% of the base's
MIN_BASE_ROWS = 5_000  # below this a whole generation costs little: small libraries always write one


@dataclass(frozen=True)
class DeltaState:
    """Where a snapshot's rows come from: rows below `boundary` from the base segment, the rest from the delta
    (articles `doc_ids`, in order); `removed` are tombstoned base articles."""
    boundary: int
    doc_ids: tuple[str, ...] = ()
    removed: frozenset[str] = frozenset()


@dataclass
class Segment:
    """Articles with their chunks (in article order), vectors, keyword postings and MinHash signatures."""
    articles: dict[str, Article]
    chunks: list[Chunk]
    vectors: np.ndarray
    keyword: KeywordIndex
    signatures: np.ndarray


@dataclass
class Plan:
    """What a commit writes: a whole generation (`link_from` None), or a delta over the base files of
    `link_from` with the tombstones `removed`. `articles`/`chunks` count the library after the commit."""
    segment: Segment
    articles: int
    chunks: int
    link_from: Path | None = None
    removed: frozenset[str] = field(default_factory=frozenset)


def wants_delta(base_rows: int, delta_rows: int, min_base_rows: int = MIN_BASE_ROWS) -> bool:
    return base_rows >= min_base_rows and delta_rows <= MERGE_FRACTION * base_rows


def link_base(src: Path, dst: Path) -> None:
    """Hard-link the base segment files of generation `src` into the new folder `dst` (no data copied)."""
    for name in BASE_FILES:
        os.link(src / name, dst / name)
    for folder in BASE_DIRS:
        (dst / folder).mkdir()
        for f in sorted((src / folder).iterdir()):
            os.link(f, dst / folder / f.name)


def write_delta(folder: Path, seg: Segment, removed: frozenset[str]) -> None:
    folder.mkdir()
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as f:
        for a in seg.articles.values():
            f.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
    with open(folder / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in seg.chunks:
            f.write(json.dumps({"chunk_id": c.chunk_id, "doc_id": c.doc_id, "start": c.start, "end": c.end}) + "\n")
    with open(folder / "vectors.npy", "wb") as f:
        np.save(f, np.ascontiguousarray(seg.vectors, dtype=np.float32))
    with open(folder / "minhash.npy", "wb") as f:
        np.save(f, np.ascontiguousarray(seg.signatures, dtype=np.uint32))
    seg.keyword.save(folder / "bm25")
    (folder / "removed.json").write_text(json.dumps(sorted(removed), ensure_ascii=False))


def read_delta_arrays(folder: Path) -> tuple[np.ndarray, np.ndarray, KeywordIndex, frozenset[str]]:
    """The delta's vectors, signatures, keyword index and tombstones (its articles and chunks are read by the
    store's own readers, which name damaged lines)."""
    vectors = np.load(folder / "vectors.npy")
    sigs = np.load(folder / "minhash.npy")
    keyword = KeywordIndex.load(folder / "bm25")
    removed = frozenset(json.loads((folder / "removed.json").read_text(encoding="utf-8")))
    return vectors, sigs, keyword, removed


def compose(base_articles: dict[str, Article], base_chunks: list[Chunk], base_index, base_keyword: KeywordIndex,
            base_sigs: np.ndarray | None, delta: Segment, removed: frozenset[str]):
    """The library of a delta generation with rows renumbered: (articles, chunks, faiss index, keyword index,
    signatures or None, DeltaState)."""
    import faiss

    alive = np.asarray([r for r, c in enumerate(base_chunks) if c.doc_id not in removed], dtype=np.int64)
    articles = {d: a for d, a in base_articles.items() if d not in removed}
    articles.update(delta.articles)
    chunks = [base_chunks[r] for r in alive] + delta.chunks
    index = faiss.IndexFlatIP(base_index.d)
    if len(alive) == base_index.ntotal:
        index = base_index
    elif len(alive):
        index.add(base_index.reconstruct_n(0, base_index.ntotal)[alive])
    if len(delta.vectors):
        index.add(np.ascontiguousarray(delta.vectors, dtype=np.float32))
    keyword = base_keyword if len(alive) == base_keyword.size else base_keyword.select(alive)
    keyword = keyword.concat(delta.keyword)
    sigs = None
    if base_sigs is not None and len(base_sigs) == len(base_articles):
        keep = [i for i, d in enumerate(base_articles) if d not in removed]
        sigs = np.concatenate([base_sigs[keep], delta.signatures.reshape(-1, base_sigs.shape[1])])
    return articles, chunks, index, keyword, sigs, DeltaState(len(alive), tuple(delta.articles), removed)
