"""The persisted index: articles, chunks, FAISS vectors and BM25, as one atomically committed generation.

Layout of an index directory::

    CURRENT              name of the committed generation (replaced atomically)
    gen-00000007/        one complete, immutable generation
        manifest.json    format version, embedding model and dimension, chunking parameters, counts
        articles.jsonl   cleaned article texts and metadata (offsets refer to these texts)
        chunks.jsonl     chunk ids and character spans
        faiss.index      IndexFlatIP over L2-normalised vectors: scores are cosine similarities
        bm25/            the keyword index over the same rows
        minhash.npy      near-duplicate signatures, one row per article in articles.jsonl order
    .lock                held by the one writer at a time

A change writes a whole new generation into a temporary folder, fsyncs it, renames it into place and only
then points CURRENT at it. A `kill -9` at any moment therefore leaves CURRENT naming a complete generation;
readers (a running UI, `answer()`) keep the generation they loaded and pick up a newer one on their next
query. We keep our own store rather than llama-index's FaissVectorStore because that one reports raw
distances as scores, cannot delete, and persists nothing about how its vectors were made.

What is never lost: CURRENT only moves forward under the lock, so a `gen-*` folder numbered above it is an
uncommitted leftover of a killed writer, and one below it a superseded commit. A commit prunes superseded
generations older than its own base (keeping the base, for readers still on it) and uncommitted leftovers;
it never prunes the generation CURRENT named when it started. When CURRENT is missing or unreadable while
generations exist, nothing is written (`NeedsRecoveryError`) until `recover()` has pointed CURRENT at the
newest generation that loads. Faults surface as `StoreError` subclasses whose message names the file and
the fix (read-only directory, disk full, a corrupt manifest, article list, FAISS or BM25 file); a commit that
fails removes its temporary folder, so a full disk is not left full.
"""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.articles import Article
from index.chunking import Chunk, ChunkingParams, chunk_article
from index.dedup import NUM_PERM, MinHashIndex, NearDuplicate, find_near_duplicates, shingles, signature
from index.embedding import DIMENSION, MODEL_NAME, Embedder
from index.errors import (
    CorruptIndexError,
    DiskFullError,
    IndexMismatchError,
    IndexReadOnlyError,
    NeedsRecoveryError,
    NotIndexedError,
    StoreError,
)
from index.keyword import KeywordIndex
from index.search import Candidates, Where
from index.segments import (
    MIN_BASE_ROWS,
    DeltaState,
    Plan,
    Segment,
    compose,
    link_base,
    read_delta_arrays,
    wants_delta,
    write_delta,
)

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: BM25 kept as term frequencies (index/keyword.py), delta segments (index/segments.py)
KEEP_GENERATIONS = 2  # a commit keeps its new generation and its base (for readers still loading it); see _prune
_GEN_NAME = re.compile(r"gen-\d{8}")
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def scored_text(article: Article, chunk: Chunk) -> str:
    """What a chunk is embedded and keyword-scored on: its article's title, source and date, then its text
    (as the MultiHop-RAG authors do, so that "according to TechCrunch" or a date can match)."""
    header = "\n".join(x for x in (article.title, article.source, article.published_at[:10]) if x)
    body = article.text[chunk.start:chunk.end]
    return f"{header}\n{body}" if header else body


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # exact duplicates: already indexed
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    conflicts: list[Article] = field(default_factory=list)  # same doc_id as an earlier article of this batch
    chunks_added: int = 0
    # Each doc_id in `unchanged` -> the doc_id that already holds its text (itself when re-added unchanged;
    # another id when the same text came under a new name, or an earlier article of this batch).
    duplicate_of: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportedArticle:
    """One article as a backend holds it, with its chunks, their vectors, its MinHash signature and the model
    that made the vectors ("<model>@<precision>"): what `qa index migrate` copies between backends."""
    article: Article
    chunks: list[Chunk]
    vectors: np.ndarray
    signature: np.ndarray
    model: str


def check_model_tags(items: list[ExportedArticle], expected: str, where: str) -> None:
    """Refuse vectors made by another model or precision than the target's (they would not be comparable)."""
    other = {e.model for e in items} - {expected}
    if other:
        raise IndexMismatchError(f"the vectors to import were made by {', '.join(sorted(other))}; {where} uses "
                                 f"{expected}: open it with a matching embedder, or re-embed with `qa index rebuild`")


@dataclass(frozen=True)
class RecoverReport:
    """What `Store.recover()` did: the generation CURRENT now names, what it named before (None when missing
    or unreadable), and each newer generation passed over because it did not load, with the reason."""
    generation: str
    previous: str | None
    articles: int
    skipped: tuple[tuple[str, str], ...] = ()
    changed: bool = True
    needs_rebuild: str = ""  # why the chosen generation's index files do not load ("" when they do)

    def describe(self) -> str:
        """One line for a person: what CURRENT names now, and what is left to do."""
        head = (f"CURRENT already names {self.generation} ({self.articles} articles)" if not self.changed
                else f"CURRENT now names {self.generation} ({self.articles} articles; it named "
                     f"{self.previous or 'nothing readable'} before)")
        parts = [head] + [f"{g} has unreadable articles and was kept as {g}.corrupt ({why})"
                          for g, why in self.skipped]
        if self.needs_rebuild:
            parts.append(f"its index files need rebuilding: {self.needs_rebuild}")
        return "; ".join(parts)


class Snapshot:
    """One committed generation, loaded. Immutable: writers build a new one."""

    def __init__(self, manifest: dict, articles: dict[str, Article], chunks: list[Chunk], faiss_index,
                 keyword: KeywordIndex, generation: str = "", signature_path: Path | None = None,
                 delta: DeltaState | None = None, signatures: np.ndarray | None = None):
        self.manifest = manifest
        self._signature_path = signature_path
        self._signatures: np.ndarray | None = signatures
        # Which rows come from the generation's base segment and which from its delta (index/segments.py).
        self.delta = delta or DeltaState(len(chunks))
        self._xb: np.ndarray | None = None  # a view of the FAISS vectors, made on first search
        self._sources: list[str] | None = None
        self._sourced = 0
        self._newest: str | None = None
        self.articles = articles
        self.chunks = chunks
        self.faiss = faiss_index
        self.keyword = keyword
        self.generation = generation
        self._rows_by_doc: dict[str, list[int]] = {}
        for row, c in enumerate(chunks):
            self._rows_by_doc.setdefault(c.doc_id, []).append(row)

    @classmethod
    def empty(cls, params: ChunkingParams) -> Snapshot:
        import faiss

        return cls(_manifest(params, 0, 0), {}, [], faiss.IndexFlatIP(DIMENSION), KeywordIndex.empty())

    @property
    def signatures(self) -> np.ndarray:
        """MinHash signatures of the articles (rows in `articles` order), read only by writers. Computed
        from the texts when the generation has none (an index made before they were stored)."""
        if self._signatures is None:
            sigs = None
            if self._signature_path is not None and self._signature_path.is_file():
                try:
                    sigs = np.load(self._signature_path)
                except (OSError, ValueError, EOFError) as e:  # damaged: signatures can be recomputed
                    log.warning("%s is unreadable (%s); recomputing", self._signature_path, e)
                    sigs = np.zeros((0, NUM_PERM), dtype=np.uint32)
                if sigs.shape != (len(self.articles), NUM_PERM):
                    log.warning("%s does not match the articles; recomputing", self._signature_path)
                    sigs = None
            if sigs is None:
                sigs = np.zeros((len(self.articles), NUM_PERM), dtype=np.uint32)
                for i, a in enumerate(self.articles.values()):
                    sigs[i] = signature(shingles(a.text))
            self._signatures = sigs
        return self._signatures

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def sources(self) -> list[str]:
        """The distinct outlets of the articles, sorted (computed once per snapshot)."""
        if self._sources is None:
            self._sources = sorted({a.source for a in self.articles.values() if a.source})
            self._sourced = sum(1 for a in self.articles.values() if a.source)
        return self._sources

    @property
    def sourced_share(self) -> float:
        """The share of articles that name their outlet."""
        self.sources  # noqa: B018 (computes both)
        return self._sourced / len(self.articles) if self.articles else 0.0

    def chunk_text(self, row: int) -> str:
        c = self.chunks[row]
        return self.articles[c.doc_id].text[c.start:c.end]

    def scored_text(self, row: int) -> str:
        c = self.chunks[row]
        return scored_text(self.articles[c.doc_id], c)

    def rows_of(self, doc_id: str) -> list[int]:
        return self._rows_by_doc.get(doc_id, [])

    def vectors(self) -> np.ndarray:
        if self.faiss.ntotal == 0:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return self.faiss.reconstruct_n(0, self.faiss.ntotal)

    def vectors_at(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of `rows` (a copy of just those rows)."""
        if len(rows) == 0 or self.faiss.ntotal == 0:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return self._matrix()[np.asarray(rows, dtype=np.int64)].copy()

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every chunk to the query (a flat index: exact, ~3 ms per 10,000 chunks)."""
        n = self.faiss.ntotal
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        # Every score is wanted, so one matrix-vector product over the flat index's own storage (a view,
        # no copy) beats `search(k=n)`, which also heap-sorts all n results (~10x slower at 10,000 rows).
        return self._matrix() @ np.asarray(query_vector, dtype=np.float32).reshape(-1)

    def mask(self, where: Where) -> np.ndarray:
        """One boolean per chunk: True where its article passes `where`."""
        allowed = {a.doc_id for a in self.articles.values() if where.allows(a.source, a.published_at, a.doc_id)}
        return np.fromiter((c.doc_id in allowed for c in self.chunks), dtype=bool, count=len(self.chunks))

    def candidates(self, query_vector: np.ndarray, query: str, where: Where | None = None,
                   n: int | None = None) -> Candidates:
        """Every row `where` allows, with its cosine and BM25 scores: exact and exhaustive (`n` is for
        backends that can only offer their top rows; a flat index scores all of them in milliseconds)."""
        if len(self) == 0:
            return Candidates.none()
        dense = self.dense_scores(query_vector)
        keyword = self.keyword.scores(query)
        if where is None:
            return Candidates(np.arange(len(self), dtype=np.int64), dense, keyword)
        rows = np.flatnonzero(self.mask(where)).astype(np.int64)
        return Candidates(rows, dense[rows], keyword[rows])

    def newest_date(self) -> str:
        """The latest publication day (YYYY-MM-DD) of any article; "" when none is dated."""
        if self._newest is None:
            self._newest = max((a.published_at[:10] for a in self.articles.values()), default="")
        return self._newest

    def _matrix(self) -> np.ndarray:
        import faiss

        if self._xb is None:
            flat: Any = faiss.downcast_index(self.faiss)  # an IndexFlat: its vectors are read in place
            self._xb = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
        return self._xb


class Store:
    """An index directory. Reads are lock-free snapshots; writes take `.lock` and commit atomically."""

    def __init__(self, path: str | os.PathLike, *, embedder: Embedder | None = None,
                 params: ChunkingParams = ChunkingParams(),  # noqa: B008 (frozen, so one shared default is safe)
                 delta_min_rows: int = MIN_BASE_ROWS):
        self.path = Path(path)
        # Libraries with fewer rows than this write a whole generation at every commit (index/segments.py).
        self.delta_min_rows = delta_min_rows
        self.embedder = embedder or Embedder()
        self.params = params
        self._snapshot: Snapshot | None = None
        self._snapshot_gen: str | None = None
        self._read_lock = threading.Lock()

    # ---- reading -------------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether a library is here: a CURRENT pointer or committed generations (which may need `recover`)."""
        return (self.path / "CURRENT").is_file() or bool(self._generations())

    def current_generation(self) -> str | None:
        """The generation CURRENT names; None when there is no CURRENT. Raises `NeedsRecoveryError` when
        CURRENT exists but does not hold a generation name (truncated, overwritten, unreadable)."""
        pointer = self.path / "CURRENT"
        try:
            gen = pointer.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except OSError as e:
            if e.errno in _READ_ONLY:
                raise StoreError(f"cannot read {pointer} ({_reason(e)}): give this user read access to "
                                 f"{self.path}") from e
            raise NeedsRecoveryError(f"{pointer} is unreadable ({_reason(e)}); {self._recover_hint()}") from e
        except UnicodeDecodeError as e:
            raise NeedsRecoveryError(f"{pointer} is unreadable ({_reason(e)}); {self._recover_hint()}") from e
        if not _GEN_NAME.fullmatch(gen):
            raise NeedsRecoveryError(f"{pointer} does not name a generation (it holds {gen[:40]!r}); "
                                     f"{self._recover_hint()}")
        return gen

    def _generations(self) -> list[str]:
        """Names of the generation folders (complete or not, never temporary ones), oldest first."""
        try:
            return sorted(p.name for p in self.path.glob("gen-*") if _GEN_NAME.fullmatch(p.name) and p.is_dir())
        except OSError:
            return []

    def _recover_hint(self) -> str:
        gens = self._generations()
        held = (f"the directory holds {len(gens)} committed generation(s), newest {gens[-1]}" if gens
                else "the directory holds none")
        return (f"{held}; run `qa index recover --index-dir {self.path}` to point CURRENT at the newest one that "
                "loads (nothing is written until then)")

    def _pointer_or_refuse(self) -> str | None:
        """CURRENT's generation; None only for a directory with no library at all (then a write may start
        one). With generations on disk but no usable CURRENT, refuse: a new library would prune them."""
        gen = self.current_generation()
        if gen is None and self._generations():
            raise NeedsRecoveryError(f"{self.path / 'CURRENT'} is missing; {self._recover_hint()}")
        if gen is not None and not (self.path / gen).is_dir():
            raise NeedsRecoveryError(f"{self.path / 'CURRENT'} names {gen}, which is not on disk; "
                                     f"{self._recover_hint()}")
        return gen

    def snapshot(self) -> Snapshot:
        """The latest committed generation, reloaded only when a writer has committed a newer one."""
        with self._read_lock:
            for _attempt in range(5):
                gen = self.current_generation()
                if gen is None:
                    self._pointer_or_refuse()
                    raise NotIndexedError(
                        f"no index in {self.path}: add articles with `qa index add PATH --index-dir {self.path}`")
                if gen == self._snapshot_gen and self._snapshot is not None:
                    return self._snapshot
                try:
                    snap = self._load(gen)
                except FileNotFoundError:  # a writer pruned it between our two reads: read CURRENT again
                    time.sleep(0.05)
                    continue
                self._snapshot, self._snapshot_gen = snap, gen
                return snap
            self._pointer_or_refuse()
            raise StoreError(f"could not read a stable generation of {self.path}; try again")

    def _load(self, gen: str, check_manifest: bool = True) -> Snapshot:
        d = self.path / gen
        try:
            manifest = self._read_manifest(d / "manifest.json")
            if check_manifest:
                self._check_manifest(manifest)
            articles = self._read_articles(d / "articles.jsonl")
            chunks = self._read_chunks(d / "chunks.jsonl")
            index = self._read_faiss(d / "faiss.index")
            if manifest.get("format_version") == 1:  # BM25 stored by bm25s, without term frequencies: re-count
                keyword = KeywordIndex.build([scored_text(articles[c.doc_id], c) for c in chunks])  # (no model)
            else:
                keyword = self._read_bm25(d / "bm25")
        except FileNotFoundError as e:
            if not d.is_dir():  # a writer pruned the generation while we read it: the caller reads CURRENT again
                raise
            missing = Path(e.filename or d)
            fix = (self._rebuild_hint() if missing.name != "articles.jsonl" else
                   f"run `qa index recover --index-dir {self.path}` to go back to the last generation that loads")
            raise CorruptIndexError(f"{missing} is missing from {d}; {fix}", str(missing)) from e
        if index.ntotal != len(chunks) or keyword.size != len(chunks):
            raise CorruptIndexError(f"{d} is inconsistent ({index.ntotal} vectors, {keyword.size} BM25 rows, "
                                    f"{len(chunks)} chunks); {self._rebuild_hint()}", str(d))
        if (d / "delta").is_dir():
            return self._load_delta(d, manifest, articles, chunks, index, keyword)
        return Snapshot(manifest, articles, chunks, index, keyword, gen, d / "minhash.npy")

    def _load_delta(self, d: Path, manifest: dict, articles: dict[str, Article], chunks: list[Chunk], index,
                    keyword: KeywordIndex) -> Snapshot:
        """A delta generation: its base segment (already read) composed with delta/ (index/segments.py)."""
        folder = d / "delta"
        try:
            delta_articles = self._read_articles(folder / "articles.jsonl")
            delta_chunks = self._read_chunks(folder / "chunks.jsonl")
            vectors, sigs, delta_kw, removed = read_delta_arrays(folder)
            base_sigs = np.load(d / "minhash.npy")
        except FileNotFoundError as e:
            if not d.is_dir():
                raise
            raise CorruptIndexError(f"{e.filename} is missing from {d}; {self._rebuild_hint()}", str(e.filename)) from e
        except (OSError, ValueError, TypeError, KeyError) as e:
            raise self._corrupt(folder, e, self._rebuild_hint()) from e
        if len(vectors) != len(delta_chunks) or delta_kw.size != len(delta_chunks):
            raise CorruptIndexError(f"{folder} is inconsistent ({len(vectors)} vectors, {delta_kw.size} BM25 rows, "
                                    f"{len(delta_chunks)} chunks); {self._rebuild_hint()}", str(folder))
        seg = Segment(delta_articles, delta_chunks, vectors, delta_kw, sigs)
        arts, rows, idx, kw, all_sigs, state = compose(articles, chunks, index, keyword, base_sigs, seg, removed)
        return Snapshot(manifest, arts, rows, idx, kw, d.name, None, state, all_sigs)

    def _rebuild_hint(self) -> str:
        return f"run `qa index rebuild --index-dir {self.path}` to rebuild it from the stored articles"

    def _corrupt(self, path: Path, e: BaseException, fix: str) -> StoreError:
        """The error for an unreadable file: missing files propagate (a writer may have pruned it)."""
        if isinstance(e, OSError) and e.errno in _READ_ONLY:
            return StoreError(f"cannot read {path} ({_reason(e)}): give this user read access to {self.path}")
        return CorruptIndexError(f"{path} is damaged ({_reason(e)}); {fix}", str(path))

    def _read_manifest(self, path: Path) -> dict:
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise self._corrupt(path, e, self._rebuild_hint()) from e
        if not isinstance(m, dict):
            raise CorruptIndexError(f"{path} is damaged (not a JSON object); {self._rebuild_hint()}", str(path))
        return m

    def _read_articles(self, path: Path) -> dict[str, Article]:
        """The stored articles. They are the library itself: damage here cannot be rebuilt, only recovered."""
        articles: dict[str, Article] = {}
        n = 0
        try:
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, start=1):  # noqa: B007 (n names the damaged line below)
                    a = Article.from_stored(json.loads(line))
                    articles[a.doc_id] = a
        except FileNotFoundError:
            raise
        except (OSError, ValueError, TypeError, KeyError) as e:
            fix = (f"run `qa index recover --index-dir {self.path}` to go back to the last generation that "
                   "loads (articles added since then must be added again)")
            raise self._corrupt(Path(f"{path}:{n}") if n else path, e, fix) from e
        return articles

    def _read_chunks(self, path: Path) -> list[Chunk]:
        chunks = []
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    c = json.loads(line)
                    chunks.append(Chunk(c["chunk_id"], c["doc_id"], c["start"], c["end"]))
        except FileNotFoundError:
            raise
        except (OSError, ValueError, TypeError, KeyError) as e:
            raise self._corrupt(path, e, self._rebuild_hint()) from e
        return chunks

    def _read_faiss(self, path: Path):
        import faiss

        if not path.is_file():  # faiss would report a missing file as a RuntimeError
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
        try:
            return faiss.read_index(str(path))
        except RuntimeError as e:  # faiss reports every unreadable file as a RuntimeError
            detail = str(e).strip().rsplit(": ", 1)[-1]  # the reason, without faiss's C++ source location
            raise self._corrupt(path, RuntimeError(detail), self._rebuild_hint()) from e

    def _read_bm25(self, path: Path) -> KeywordIndex:
        try:
            return KeywordIndex.load(path)
        except FileNotFoundError:
            raise
        except Exception as e:  # numpy and json raise errors of many kinds on damaged files
            raise self._corrupt(path, e, self._rebuild_hint()) from e

    def _check_manifest(self, m: dict) -> None:
        expected = _manifest(self.params, 0, 0)
        for key in ("format_version", "embedding_model", "dimension", "chunking"):
            if key == "format_version" and m.get(key) == 1:
                continue  # readable: its keyword index is re-counted on load, and the next commit writes format 2
            if m.get(key) != expected[key]:
                raise IndexMismatchError(
                    f"the index in {self.path} was built with {key}={m.get(key)!r}, this version uses "
                    f"{expected[key]!r}; run `qa index rebuild --index-dir {self.path}` to rebuild it "
                    "from its stored articles")

    def _check_precision(self, base: Snapshot) -> None:
        """Vectors made in fp32 and in bf16 are never mixed in one index (indexes from before the precision
        was recorded were fp32)."""
        if not base.articles:
            return
        built = base.manifest.get("embedding_precision", "fp32")
        if built != self.embedder.precision:
            raise IndexMismatchError(
                f"the index in {self.path} was embedded in {built}, this embedder uses {self.embedder.precision}; "
                f"run `qa index rebuild --index-dir {self.path}` to re-embed it, or use a {built} embedder")

    # ---- writing -------------------------------------------------------------------------------------

    @contextmanager
    def _writer(self):
        """Hold `.lock` for one change. Filesystem faults inside become `StoreError`s that name the fix."""
        with self._faults():
            self.path.mkdir(parents=True, exist_ok=True)
            lock = open(self.path / ".lock", "a+")  # noqa: SIM115 (closed by the `with lock` below)
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("another writer holds %s; waiting for it to finish", self.path / ".lock")
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with self._faults():
                    for tmp in self.path.glob("*.tmp*"):  # left by a writer that was killed: never committed
                        _remove(tmp)
                    yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def _faults(self):
        try:
            yield
        except OSError as e:
            raise self._write_error(e) from e

    def _write_error(self, e: OSError) -> StoreError:
        where = e.filename or self.path
        if e.errno in _READ_ONLY:
            return IndexReadOnlyError(
                f"cannot write to {where} ({_reason(e)}): the index directory {self.path} is read-only for this "
                "user; make it writable (or use another --index-dir). Nothing was changed; reading still works")
        if e.errno in _FULL:
            return DiskFullError(
                f"no space left writing {where} ({_reason(e)}): free space on the disk holding {self.path} (or use "
                "another --index-dir) and try again. Nothing was changed; the partial generation was removed")
        return StoreError(f"cannot write {where} ({_reason(e)}); nothing was changed")

    def _base_for_write(self) -> Snapshot:
        """The committed generation a change starts from. Refuses when CURRENT is unusable but generations
        exist, and removes generations above CURRENT (uncommitted leftovers of a killed writer)."""
        gen = self._pointer_or_refuse()
        if gen is None:
            return Snapshot.empty(self.params)
        for name in self._generations():
            if name > gen:
                log.warning("removing %s: written by a writer that was stopped before it committed", name)
                _remove(self.path / name, via_rename=True)
        return self.snapshot()

    def add(self, articles: Iterable[Article], progress: Callable[[int, int], None] | None = None) -> AddReport:
        """Add or update articles. An article whose text is already indexed changes nothing; one whose
        doc_id exists with another text replaces it. `progress(done, total)` counts embedded chunks."""
        with self._writer():
            base = self._base_for_write()
            self._check_precision(base)
            report, incoming = sort_incoming(articles, {a.content_hash: a.doc_id for a in base.articles.values()},
                                             base.articles)
            if not incoming:
                return report
            kept = {k: v for k, v in base.articles.items() if k not in incoming}
            base_sigs = base.signatures
            report.near_duplicates, new_sigs = find_near_duplicates(
                list(incoming.values()), kept, MinHashIndex(list(base.articles), base_sigs))
            for nd in report.near_duplicates:
                log.info("near-duplicate: %s ~ %s (containment %.2f)", nd.doc_id, nd.similar_to, nd.similarity)
            new_chunks: list[Chunk] = []
            for a in incoming.values():
                new_chunks.extend(chunk_article(a, self.params))
            texts = [scored_text(incoming[c.doc_id], c) for c in new_chunks]
            log.info("embedding %d chunks of %d articles", len(texts), len(incoming))
            new_vectors = self._embed(texts, progress)
            report.chunks_added = len(new_chunks)
            new = Segment(incoming, new_chunks, new_vectors, KeywordIndex.build(texts),
                          np.stack(list(new_sigs.values())))
            self._commit(self._plan(base, set(incoming), new), base.generation or None)
            return report

    def _plan(self, base: Snapshot, drop: set[str], new: Segment) -> Plan:
        """The commit that leaves out the articles `drop` of `base` and adds `new`: a delta over base's files
        while the delta stays small against the base, else a whole generation (index/segments.py). No text is
        tokenized or embedded again: kept rows' vectors, postings and signatures are carried over."""
        st = base.delta
        keep = np.asarray([r for r, c in enumerate(base.chunks) if c.doc_id not in drop], dtype=np.int64)
        pos = {d: i for i, d in enumerate(base.articles)}
        kept_articles = {d: a for d, a in base.articles.items() if d not in drop}
        n_articles, n_chunks = len(kept_articles) + len(new.articles), len(keep) + len(new.chunks)
        delta_rows = keep[keep >= st.boundary]
        base_alive = len(keep) - len(delta_rows)
        if base.generation and wants_delta(base_alive, len(delta_rows) + len(new.chunks), self.delta_min_rows):
            ids = [d for d in st.doc_ids if d not in drop]
            seg = Segment({**{d: base.articles[d] for d in ids}, **new.articles},
                          [base.chunks[r] for r in delta_rows] + new.chunks,
                          np.concatenate([base.vectors_at(delta_rows), new.vectors]),
                          base.keyword.select(delta_rows).concat(new.keyword),
                          _stack(base.signatures[[pos[d] for d in ids]], new.signatures))
            in_delta = set(st.doc_ids)
            removed = st.removed | {d for d in drop if d in base.articles and d not in in_delta}
            return Plan(seg, n_articles, n_chunks, self.path / base.generation, frozenset(removed))
        seg = Segment({**kept_articles, **new.articles}, [base.chunks[r] for r in keep] + new.chunks,
                      np.concatenate([base.vectors_at(keep), new.vectors]),
                      base.keyword.select(keep).concat(new.keyword),
                      _stack(base.signatures[[pos[d] for d in kept_articles]], new.signatures))
        return Plan(seg, n_articles, n_chunks)

    def remove(self, doc_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove articles everywhere (texts, FAISS rows, BM25 rows). Returns (removed, not_found)."""
        with self._writer():
            base = self._base_for_write()
            wanted = list(dict.fromkeys(doc_ids))
            removed = [d for d in wanted if d in base.articles]
            missing = [d for d in wanted if d not in base.articles]
            if removed:
                self._commit(self._plan(base, set(removed), _empty_segment()), base.generation)
            return removed, missing

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-chunk and re-embed every stored article with this version's parameters. Works on an index
        whose manifest, chunks, FAISS or BM25 files no longer match or load, since it reads only the stored
        article texts."""
        with self._writer():
            gen = self._pointer_or_refuse()
            if gen is None:
                raise NotIndexedError(f"no index in {self.path} to rebuild")
            articles = self._stored_articles(gen)
            chunks = [c for a in articles.values() for c in chunk_article(a, self.params)]
            texts = [scored_text(articles[c.doc_id], c) for c in chunks]
            sigs = np.zeros((len(articles), NUM_PERM), dtype=np.uint32)
            for i, a in enumerate(articles.values()):
                sigs[i] = signature(shingles(a.text))
            seg = Segment(articles, chunks, self._embed(texts, progress), KeywordIndex.build(texts), sigs)
            self._commit(Plan(seg, len(articles), len(chunks)), gen)
            return len(chunks)

    def _stored_articles(self, gen: str) -> dict[str, Article]:
        """The articles of generation `gen` read from its article files alone (base, less tombstones, then
        delta): what rebuild and recover trust when index files are damaged."""
        d = self.path / gen
        articles = self._read_articles(d / "articles.jsonl")
        if (d / "delta").is_dir():
            try:
                removed = set(json.loads((d / "delta" / "removed.json").read_text(encoding="utf-8")))
            except (OSError, ValueError) as e:
                fix = f"run `qa index recover --index-dir {self.path}`"
                raise self._corrupt(d / "delta" / "removed.json", e, fix) from e
            articles = {k: v for k, v in articles.items() if k not in removed}
            articles.update(self._read_articles(d / "delta" / "articles.jsonl"))
        return articles

    @property
    def model_tag(self) -> str:
        """The model that makes this store's vectors, as recorded with them: "<model>@<precision>"."""
        return f"{self.embedder.name}@{self.embedder.precision}"

    def describe(self) -> str:
        return str(self.path)

    def export(self) -> Iterator[ExportedArticle]:
        """Every article with its chunks, vectors and signature, in library order."""
        snap = self.snapshot()
        tag = f"{snap.manifest.get('embedding_model')}@{snap.manifest.get('embedding_precision', 'fp32')}"
        vectors, sigs = snap.vectors(), snap.signatures
        for i, a in enumerate(snap.articles.values()):
            rows = snap.rows_of(a.doc_id)
            yield ExportedArticle(a, [snap.chunks[r] for r in rows], vectors[rows], sigs[i], tag)

    def import_articles(self, exported: Iterable[ExportedArticle]) -> int:
        """Store articles with their chunks and vectors as they are (no embedding), in one commit; an article
        held under the same doc_id is replaced. Returns how many were stored (`qa index migrate`)."""
        items = list(exported)
        check_model_tags(items, self.model_tag, str(self.path))
        with self._writer():
            base = self._base_for_write()
            self._check_precision(base)
            incoming = {e.article.doc_id: e for e in items}
            chunks = [c for e in incoming.values() for c in e.chunks]
            texts = [scored_text(e.article, c) for e in incoming.values() for c in e.chunks]
            new = Segment({d: e.article for d, e in incoming.items()}, chunks,
                          np.concatenate([e.vectors for e in incoming.values()] or [np.zeros((0, DIMENSION))]),
                          KeywordIndex.build(texts), _stack(*[e.signature.reshape(1, -1) for e in incoming.values()]))
            self._commit(self._plan(base, set(incoming), new), base.generation or None)
        return len(items)

    def recover(self) -> RecoverReport:
        """Point CURRENT at the newest generation whose stored articles read back, after CURRENT was lost or
        damaged, or its generation was. Only generations CURRENT had reached are candidates when it is
        readable (above it lie uncommitted leftovers); all of them when it is not. A candidate whose articles
        are unreadable is renamed `<gen>.corrupt`, never deleted. One whose articles read but whose index
        files do not is still chosen (its articles are the newest committed ones) and the report says to run
        `qa index rebuild`; so does `snapshot()`. Raises `NotIndexedError` when no generation's articles read."""
        with self._writer():
            try:
                previous = self.current_generation()
            except NeedsRecoveryError:
                previous = None
            gens = self._generations()
            if previous is not None and previous in gens:
                gens = [g for g in gens if g <= previous]
            skipped: list[tuple[str, str]] = []
            for gen in reversed(gens):
                damage = ""
                try:
                    articles = len(self._load(gen, check_manifest=False).articles)
                except (StoreError, FileNotFoundError) as e:
                    damage = str(e)
                    try:
                        articles = len(self._stored_articles(gen))
                    except (StoreError, FileNotFoundError) as e2:
                        skipped.append((gen, str(e2)))
                        continue
                return self._adopt(gen, articles, previous, skipped, damage)
            raise NotIndexedError(f"no generation in {self.path} has readable articles "
                                  f"({'; '.join(w for _g, w in skipped) or 'none'}); add the articles again with "
                                  f"`qa index add PATH --index-dir {self.path}`")

    def _adopt(self, gen: str, articles: int, previous: str | None, skipped: list[tuple[str, str]],
               damage: str) -> RecoverReport:
        for bad, _why in skipped:  # kept for inspection, out of the way of numbering and the next recovery
            os.rename(self.path / bad, self.path / f"{bad}.corrupt")
        if gen != previous:
            self._publish(gen)
        report = RecoverReport(gen, previous, articles, tuple(skipped), gen != previous, damage)
        log.info("recover: %s", report.describe())
        return report

    def _embed(self, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
        """Embed `texts`, reporting (chunks done, chunks in all) to `progress` after each batch."""
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(texts))

        return self.embedder.encode(texts, progress=step)

    def _commit(self, plan: Plan, base_gen: str | None) -> None:
        """Write a new generation beside `base_gen`, publish it, then prune. On any failure before CURRENT
        is replaced, whatever this commit wrote is removed and CURRENT still names `base_gen`."""
        numbers = [int(m.group(1)) for p in self.path.glob("gen-*") if (m := re.match(r"gen-(\d{8})", p.name))]
        gen = f"gen-{1 + max(numbers, default=0):08d}"
        tmp = self.path / f"{gen}.tmp"
        published = False
        try:
            log.info("writing %s", tmp.name)
            self._write_generation(tmp, gen, plan)
            os.rename(tmp, self.path / gen)
            self._publish(gen)  # the commit point: from here on the new generation is the library
            published = True
        except OSError as e:
            if e.filename is None:  # a failed write() names no file: name the generation being written
                e.filename = str(tmp)
            raise
        finally:
            if not published:  # a full disk must not stay full of a half-written generation
                for leftover in (tmp, self.path / gen, self.path / "CURRENT.tmp"):
                    _remove(leftover)
        log.info("committed %s: %d articles, %d chunks%s", gen, plan.articles, plan.chunks,
                 " (delta)" if plan.link_from else "")
        self._prune(keep={gen, base_gen})

    def _write_generation(self, tmp: Path, gen: str, plan: Plan) -> None:
        import faiss

        tmp.mkdir(parents=True)
        seg = plan.segment
        if plan.link_from is not None:  # a delta: the base files are hard links, only delta/ is written
            link_base(plan.link_from, tmp)
            write_delta(tmp / "delta", seg, plan.removed)
        else:
            with open(tmp / "articles.jsonl", "w", encoding="utf-8") as f:
                for a in seg.articles.values():
                    f.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
            with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
                for c in seg.chunks:
                    f.write(json.dumps({"chunk_id": c.chunk_id, "doc_id": c.doc_id, "start": c.start,
                                        "end": c.end}) + "\n")
            index = faiss.IndexFlatIP(DIMENSION)
            if len(seg.vectors):
                index.add(np.ascontiguousarray(seg.vectors, dtype=np.float32))
            # Written by Python rather than faiss.write_index, whose C++ errors lose errno (a full disk and a
            # read-only one would both be a bare RuntimeError).
            with open(tmp / "faiss.index", "wb") as f:
                f.write(faiss.serialize_index(index).data)
            seg.keyword.save(tmp / "bm25")
            with open(tmp / "minhash.npy", "wb") as f:
                np.save(f, np.ascontiguousarray(seg.signatures, dtype=np.uint32))
        manifest = _manifest(self.params, plan.articles, plan.chunks, gen)
        manifest["embedding_precision"] = self.embedder.precision
        if plan.link_from is not None:
            manifest["delta"] = {"articles": len(seg.articles), "chunks": len(seg.chunks),
                                 "removed": len(plan.removed), "base_files_from": plan.link_from.name}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
        _fsync_tree(tmp)

    def _publish(self, gen: str) -> None:
        """Point CURRENT at `gen` atomically: the commit point."""
        pointer = self.path / "CURRENT.tmp"
        with open(pointer, "w") as f:
            f.write(gen + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, self.path / "CURRENT")
        try:
            _fsync_dir(self.path)
        except OSError as e:  # the rename is done; a failed flush of the folder must not undo the commit
            log.warning("could not flush %s (%s)", self.path, _reason(e))

    def _prune(self, keep: set[str | None]) -> None:
        """Drop generations other than `keep` (the new one and its base). Each is renamed to a temporary
        name first, so a kill mid-delete leaves a `*.tmp-prune` folder for the next writer, not a half
        generation that `recover` would have to sort out. A failure here loses nothing committed."""
        for name in self._generations():
            if name not in keep:
                try:
                    _remove(self.path / name, via_rename=True)
                except OSError as e:
                    log.warning("could not remove the old generation %s (%s)", name, _reason(e))


def sort_incoming(articles: Iterable[Article], by_hash: dict[str, str],
                  held: Container[str]) -> tuple[AddReport, dict[str, Article]]:
    """Split a batch into articles to index and exact duplicates (of the library or of each other).
    `by_hash` maps content hashes of the library (at least those of the batch) to the doc_id holding them;
    `held` answers whether the library holds a doc_id."""
    report = AddReport()
    by_hash = dict(by_hash)
    incoming: dict[str, Article] = {}
    for a in articles:
        held_by = by_hash.get(a.content_hash)
        if held_by is not None:
            report.unchanged.append(a.doc_id)
            report.duplicate_of[a.doc_id] = held_by
            continue
        if a.doc_id in incoming:  # e.g. a/x.txt and b/x.txt: keep the first, never silently both
            report.conflicts.append(a)
            continue
        (report.replaced if a.doc_id in held else report.added).append(a.doc_id)
        incoming[a.doc_id] = a
        by_hash[a.content_hash] = a.doc_id
    return report, incoming


def _remove(path: Path, via_rename: bool = False) -> None:
    """Delete a file or folder if present. `via_rename` first moves a folder to `<name>.tmp-prune`, so a
    kill during the delete leaves something every writer cleans up rather than a partial generation."""
    if via_rename and path.is_dir():
        doomed = path.with_name(path.name + ".tmp-prune")
        os.rename(path, doomed)
        path = doomed
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[-1][:200]}" if text else type(e).__name__


def _manifest(params: ChunkingParams, n_articles: int, n_chunks: int, gen: str = "") -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "embedding_model": MODEL_NAME,
        "dimension": DIMENSION,
        "similarity": "cosine (inner product of L2-normalised vectors)",
        "chunking": params.to_dict(),
        "keyword": {"kind": "bm25", "k1": 1.2, "b": 0.75, "format": "tf-postings-1"},
        "articles": n_articles,
        "chunks": n_chunks,
        "generation": gen,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                os.fsync(f.fileno())
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _empty_segment() -> Segment:
    return Segment({}, [], np.zeros((0, DIMENSION), dtype=np.float32), KeywordIndex.empty(),
                   np.zeros((0, NUM_PERM), dtype=np.uint32))


def _stack(*parts: np.ndarray) -> np.ndarray:
    """Signature rows, stacked (an empty list gives an empty (0, NUM_PERM) array)."""
    kept = [np.asarray(p, dtype=np.uint32).reshape(-1, NUM_PERM) for p in parts]
    return np.concatenate(kept) if kept else np.zeros((0, NUM_PERM), dtype=np.uint32)
