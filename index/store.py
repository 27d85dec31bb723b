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
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.articles import Article
from index.chunking import Chunk, ChunkingParams, chunk_article
from index.dedup import NUM_PERM, MinHashIndex, NearDuplicate, find_near_duplicates, shingles, signature
from index.embedding import DIMENSION, MODEL_NAME, Embedder
from index.errors import IndexMismatchError, NotIndexedError, StoreError
from index.keyword import KeywordIndex

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KEEP_GENERATIONS = 2  # the committed one and its predecessor, for readers still loading it


def default_index_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "news-qa" / "index"


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


class Snapshot:
    """One committed generation, loaded. Immutable: writers build a new one."""

    def __init__(self, manifest: dict, articles: dict[str, Article], chunks: list[Chunk], faiss_index,
                 keyword: KeywordIndex, generation: str = "", signature_path: Path | None = None):
        self.manifest = manifest
        self._signature_path = signature_path
        self._signatures: np.ndarray | None = None
        self._xb: np.ndarray | None = None  # a view of the FAISS vectors, made on first search
        self._sources: list[str] | None = None
        self._sourced = 0
        self.articles = articles
        self.chunks = chunks
        self.faiss = faiss_index
        self.keyword = keyword
        self.generation = generation
        self._rows_by_doc: dict[str, list[int]] = {}
        for row, c in enumerate(chunks):
            self._rows_by_doc.setdefault(c.doc_id, []).append(row)

    @classmethod
    def empty(cls, params: ChunkingParams) -> "Snapshot":
        import faiss

        return cls(_manifest(params, 0, 0), {}, [], faiss.IndexFlatIP(DIMENSION), KeywordIndex.build([]))

    @property
    def signatures(self) -> np.ndarray:
        """MinHash signatures of the articles (rows in `articles` order), read only by writers. Computed
        from the texts when the generation has none (an index made before they were stored)."""
        if self._signatures is None:
            sigs = None
            if self._signature_path is not None and self._signature_path.is_file():
                sigs = np.load(self._signature_path)
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

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every chunk to the query (a flat index: exact, ~3 ms per 10,000 chunks)."""
        n = self.faiss.ntotal
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        # Every score is wanted, so one matrix-vector product over the flat index's own storage (a view,
        # no copy) beats `search(k=n)`, which also heap-sorts all n results (~10x slower at 10,000 rows).
        return self._matrix() @ np.asarray(query_vector, dtype=np.float32).reshape(-1)

    def _matrix(self) -> np.ndarray:
        import faiss

        if self._xb is None:
            flat = faiss.downcast_index(self.faiss)
            self._xb = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
        return self._xb


class Store:
    """An index directory. Reads are lock-free snapshots; writes take `.lock` and commit atomically."""

    def __init__(self, path: str | os.PathLike, *, embedder: Embedder | None = None,
                 params: ChunkingParams = ChunkingParams()):
        self.path = Path(path)
        self.embedder = embedder or Embedder()
        self.params = params
        self._snapshot: Snapshot | None = None
        self._snapshot_gen: str | None = None
        self._read_lock = threading.Lock()

    # ---- reading -------------------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.path / "CURRENT").is_file()

    def current_generation(self) -> str | None:
        try:
            return (self.path / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def snapshot(self) -> Snapshot:
        """The latest committed generation, reloaded only when a writer has committed a newer one."""
        with self._read_lock:
            for _attempt in range(5):
                gen = self.current_generation()
                if gen is None:
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
            raise StoreError(f"could not read a stable generation of {self.path}")

    def _load(self, gen: str) -> Snapshot:
        import faiss

        d = self.path / gen
        manifest = json.loads((d / "manifest.json").read_text())
        self._check_manifest(manifest)
        articles = {}
        with open(d / "articles.jsonl", encoding="utf-8") as f:
            for line in f:
                a = Article.from_dict(json.loads(line))
                articles[a.doc_id] = a
        chunks = []
        with open(d / "chunks.jsonl", encoding="utf-8") as f:
            for line in f:
                c = json.loads(line)
                chunks.append(Chunk(c["chunk_id"], c["doc_id"], c["start"], c["end"]))
        index = faiss.read_index(str(d / "faiss.index"))
        keyword = KeywordIndex.load(d / "bm25")
        if index.ntotal != len(chunks) or keyword.size != len(chunks):
            raise StoreError(f"{d} is inconsistent ({index.ntotal} vectors, {len(chunks)} chunks); "
                             f"run `qa index rebuild --index-dir {self.path}`")
        return Snapshot(manifest, articles, chunks, index, keyword, gen, d / "minhash.npy")

    def _check_manifest(self, m: dict) -> None:
        expected = _manifest(self.params, 0, 0)
        for key in ("format_version", "embedding_model", "dimension", "chunking"):
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
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("another writer holds %s; waiting for it to finish", self.path / ".lock")
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                for tmp in self.path.glob("*.tmp*"):  # left by a writer that was killed
                    shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _base_for_write(self) -> Snapshot:
        return self.snapshot() if self.exists() else Snapshot.empty(self.params)

    def add(self, articles: Iterable[Article], progress: Callable[[int, int], None] | None = None) -> AddReport:
        """Add or update articles. An article whose text is already indexed changes nothing; one whose
        doc_id exists with another text replaces it. `progress(done, total)` counts embedded chunks."""
        with self._writer():
            base = self._base_for_write()
            self._check_precision(base)
            report = AddReport()
            by_hash = {a.content_hash: a.doc_id for a in base.articles.values()}
            incoming: dict[str, Article] = {}
            for a in articles:
                if a.content_hash in by_hash:
                    report.unchanged.append(a.doc_id)
                    continue
                if a.doc_id in incoming:  # e.g. a/x.txt and b/x.txt: keep the first, never silently both
                    report.conflicts.append(a)
                    continue
                (report.replaced if a.doc_id in base.articles else report.added).append(a.doc_id)
                incoming[a.doc_id] = a
                by_hash[a.content_hash] = a.doc_id
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
            keep_rows = [r for r, c in enumerate(base.chunks) if c.doc_id in kept]
            chunks = [base.chunks[r] for r in keep_rows] + new_chunks
            vectors = np.concatenate([base.vectors()[keep_rows], new_vectors]) if keep_rows else new_vectors
            sig_rows = [i for i, d in enumerate(base.articles) if d in kept]
            sigs = np.concatenate([base_sigs[sig_rows], np.stack(list(new_sigs.values()))])
            self._commit({**kept, **incoming}, chunks, vectors, sigs)
            return report

    def remove(self, doc_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove articles everywhere (texts, FAISS rows, BM25 rows). Returns (removed, not_found)."""
        with self._writer():
            base = self._base_for_write()
            wanted = list(dict.fromkeys(doc_ids))
            removed = [d for d in wanted if d in base.articles]
            missing = [d for d in wanted if d not in base.articles]
            if removed:
                gone = set(removed)
                keep_rows = [r for r, c in enumerate(base.chunks) if c.doc_id not in gone]
                articles = {k: v for k, v in base.articles.items() if k not in gone}
                sigs = base.signatures[[i for i, d in enumerate(base.articles) if d not in gone]]
                self._commit(articles, [base.chunks[r] for r in keep_rows], base.vectors()[keep_rows], sigs)
            return removed, missing

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-chunk and re-embed every stored article with this version's parameters. Works on an index
        whose manifest no longer matches, since it reads only the stored article texts."""
        with self._writer():
            gen = self.current_generation()
            if gen is None:
                raise NotIndexedError(f"no index in {self.path} to rebuild")
            articles = {}
            with open(self.path / gen / "articles.jsonl", encoding="utf-8") as f:
                for line in f:
                    a = Article.from_dict(json.loads(line))
                    articles[a.doc_id] = a
            chunks = [c for a in articles.values() for c in chunk_article(a, self.params)]
            texts = [scored_text(articles[c.doc_id], c) for c in chunks]
            sigs = np.zeros((len(articles), NUM_PERM), dtype=np.uint32)
            for i, a in enumerate(articles.values()):
                sigs[i] = signature(shingles(a.text))
            self._commit(articles, chunks, self._embed(texts, progress), sigs)
            return len(chunks)

    def _embed(self, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
        """Embed `texts`, reporting (chunks done, chunks in all) to `progress` after each batch."""
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(texts))

        return self.embedder.encode(texts, progress=step)

    def _commit(self, articles: dict[str, Article], chunks: list[Chunk], vectors: np.ndarray,
                signatures: np.ndarray) -> None:
        import faiss

        gen_num = 1 + max((int(p.name[4:]) for p in self.path.glob("gen-*") if p.name[4:].isdigit()),
                          default=0)
        gen = f"gen-{gen_num:08d}"
        tmp = self.path / f"{gen}.tmp"
        log.info("writing %s", tmp.name)
        tmp.mkdir(parents=True)
        with open(tmp / "articles.jsonl", "w", encoding="utf-8") as f:
            for a in articles.values():
                f.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in chunks:
                f.write(json.dumps({"chunk_id": c.chunk_id, "doc_id": c.doc_id, "start": c.start,
                                    "end": c.end}) + "\n")
        index = faiss.IndexFlatIP(DIMENSION)
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(index, str(tmp / "faiss.index"))
        KeywordIndex.build([scored_text(articles[c.doc_id], c) for c in chunks]).save(tmp / "bm25")
        np.save(tmp / "minhash.npy", np.ascontiguousarray(signatures, dtype=np.uint32))
        manifest = _manifest(self.params, len(articles), len(chunks), gen)
        manifest["embedding_precision"] = self.embedder.precision
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
        _fsync_tree(tmp)
        os.rename(tmp, self.path / gen)
        pointer = self.path / "CURRENT.tmp"
        with open(pointer, "w") as f:
            f.write(gen + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, self.path / "CURRENT")
        _fsync_dir(self.path)
        log.info("committed %s: %d articles, %d chunks", gen, len(articles), len(chunks))
        old = sorted(p for p in self.path.glob("gen-*") if p.is_dir() and not p.name.endswith(".tmp"))
        for p in old[:-KEEP_GENERATIONS]:
            shutil.rmtree(p, ignore_errors=True)


def _manifest(params: ChunkingParams, n_articles: int, n_chunks: int, gen: str = "") -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "embedding_model": MODEL_NAME,
        "dimension": DIMENSION,
        "similarity": "cosine (inner product of L2-normalised vectors)",
        "chunking": params.to_dict(),
        "keyword": {"kind": "bm25", "k1": 1.2, "b": 0.75},
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
