"""The PostgreSQL + pgvector backend: the library in tables, searched where it lives.

Tables (created and versioned by `PgStore.ensure_schema`, schema version in `qa_meta`):

    qa_meta       key -> jsonb: schema version, embedding model and precision, chunking, counts, generation
    qa_articles   one row per article: its stored dict (text included), content hash, MinHash signature
    qa_passages   one row per chunk: character span, BM25 terms as a tsvector whose positions count each
                  term (tf), its token count, its MiniLM vector (HNSW, inner product), the model that made it,
                  and its article's outlet and day (so filters run inside the vector and keyword scans)
    qa_terms      term -> how many passages hold it (BM25's df), kept in step by every add and remove
    qa_bands      MinHash LSH band keys per article: near-duplicate candidates without loading every signature

Every change is one transaction under an advisory lock (one writer at a time; readers never wait) and bumps
`generation`, which readers compare to decide whether what they cached is still current, so several
`qa serve` processes can share one database. Keyword scores are BM25 computed in SQL with the same formula as
the embedded store's bm25s (index/search.py), because PostgreSQL's own `ts_rank` lost retrieval quality on
MultiHop-RAG (README, "Storage"). Our own SQL rather than llama-index's `PGVectorStore`: that store keeps one
node table with JSON metadata, ranks text with `ts_rank`, and cannot add an article and its passages in one
transaction; see the README for the measurement.

A `PgSnapshot` reads the live tables lazily and caches what it read (articles, chunks), so the answering code
reads it like an embedded snapshot. It does not load the library: its size is a count, its articles a Mapping
fetched on demand. It does not hold MVCC state: an article removed by another process after a search is still
served from the cache of the snapshot that found it.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from index.articles import Article
from index.chunking import Chunk, ChunkingParams, chunk_article
from index.dedup import MAX_CANDIDATES, MinHashIndex, band_keys, find_near_duplicates
from index.embedding import DIMENSION, MODEL_NAME, Embedder
from index.errors import IndexMismatchError, NotIndexedError, StoreError
from index.keyword import tokenize
from index.search import BM25_B, BM25_K1, EMPTY_TOKEN, Candidates, Where
from index.store import AddReport, ExportedArticle, RecoverReport, check_model_tags, scored_text, sort_incoming

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
KEYWORD_RANKINGS = ("bm25", "ts_rank", "ts_rank_and")
# At most this many passages are scored by BM25 per query (keyword_top), chosen by the query's rarer terms:
# ~5-10 µs each (a 1M-passage table: ~70 ms at most).
KEYWORD_BUDGET = 5_000
_LOCK_KEY = 0x51415354  # pg_advisory_xact_lock key of the one writer ("QAST")
_MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions per lexeme: tf is capped there

_DDL = (
    "CREATE EXTENSION IF NOT EXISTS vector",
    "CREATE TABLE IF NOT EXISTS qa_meta (key text PRIMARY KEY, value jsonb NOT NULL)",
    """CREATE TABLE IF NOT EXISTS qa_articles (
        doc_id text PRIMARY KEY, content_hash text NOT NULL, source text NOT NULL, day text NOT NULL,
        data jsonb NOT NULL, signature bytea NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS qa_articles_hash ON qa_articles (content_hash)",
    "CREATE INDEX IF NOT EXISTS qa_articles_source ON qa_articles (source)",
    "CREATE INDEX IF NOT EXISTS qa_articles_day ON qa_articles (day)",
    f"""CREATE TABLE IF NOT EXISTS qa_passages (
        id bigserial PRIMARY KEY, doc_id text NOT NULL REFERENCES qa_articles ON DELETE CASCADE,
        chunk_id text NOT NULL, start_at int NOT NULL, end_at int NOT NULL, tokens int NOT NULL,
        terms tsvector NOT NULL, embedding vector({DIMENSION}) NOT NULL, model text NOT NULL,
        source_lc text NOT NULL, day text NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS qa_passages_doc ON qa_passages (doc_id)",
    "CREATE INDEX IF NOT EXISTS qa_passages_terms ON qa_passages USING gin (terms)",
    "CREATE INDEX IF NOT EXISTS qa_passages_source ON qa_passages (source_lc)",
    """CREATE INDEX IF NOT EXISTS qa_passages_hnsw ON qa_passages
        USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 64)""",
    "CREATE TABLE IF NOT EXISTS qa_terms (term text PRIMARY KEY, df int NOT NULL)",
    """CREATE TABLE IF NOT EXISTS qa_bands (
        key bigint NOT NULL, doc_id text NOT NULL REFERENCES qa_articles ON DELETE CASCADE)""",
    "CREATE INDEX IF NOT EXISTS qa_bands_key ON qa_bands (key)",
    "CREATE INDEX IF NOT EXISTS qa_bands_doc ON qa_bands (doc_id)",
)

_BM25 = """
WITH q AS (SELECT t.term, t.qtf * ln(1 + (%(n)s::float8 - d.df + 0.5) / (d.df + 0.5)) AS w
           FROM unnest(%(terms)s::text[], %(qtf)s::int[]) AS t(term, qtf) JOIN qa_terms d ON d.term = t.term),
m AS (SELECT p.id, %(k1)s::float8 * (1 - %(b)s::float8 + %(b)s::float8 * p.tokens / %(avg)s::float8) AS norm,
             ts_filter(setweight(p.terms, 'A', %(terms)s::text[]), '{{a}}') AS hit
      FROM qa_passages p WHERE {where} LIMIT %(scan)s)
SELECT m.id, sum(q.w * cardinality(u.positions) / (cardinality(u.positions) + m.norm)) AS s
FROM m CROSS JOIN LATERAL unnest(m.hit) AS u JOIN q ON q.term = u.lexeme
GROUP BY m.id ORDER BY s DESC, m.id LIMIT %(limit)s
"""
# Per passage, only the query's own lexemes are unnested: setweight marks them (weight A; stored lexemes
# have none) and ts_filter keeps them, in C, so a passage of 50 lexemes costs ~5 µs, not 20; float8
# throughout (numeric arithmetic was half the time). 9,700 passages of a 100,000 library: 218 -> 50 ms.


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def describe_url(url: str) -> str:
    """A PostgreSQL URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if sep and ":" in head.split("//", 1)[-1]:
        head = head.rsplit(":", 1)[0] + ":***"
    return head + sep + tail


def vector_literal(v: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(v, dtype=np.float32)) + "]"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: list[str]) -> str:
    """The passage's terms as a tsvector whose positions 1..tf count each term (BM25 needs tf, not where)."""
    counts = Counter(tokens)
    return " ".join(f"{_lexeme(t)}:{','.join(str(i) for i in range(1, min(n, _MAX_POSITIONS) + 1))}"
                    for t, n in counts.items())


def passage_tokens(article: Article, chunk: Chunk) -> list[str]:
    """The BM25 tokens of a passage, as the embedded store's KeywordIndex counts them."""
    return tokenize(scored_text(article, chunk)) or [EMPTY_TOKEN]


def _where_sql(where: Where | None, params: dict[str, Any]) -> str:
    """`where` as a predicate over `qa_passages p` (matching `Where.allows`), its values put into `params`."""
    if where is None:
        return "true"
    parts = ["true"]
    if where.sources:
        params["w_sources"] = list(where.sources)
        parts.append("p.source_lc = ANY(%(w_sources)s)")
    if where.date_from:
        params["w_from"] = where.date_from[:10]
        parts.append("p.day <> '' AND p.day >= %(w_from)s")
    if where.date_to:
        params["w_to"] = where.date_to[:10]
        parts.append("p.day <> '' AND p.day <= %(w_to)s")
    if where.until:
        params["w_until"] = where.until[:10]
        parts.append("(p.day = '' OR p.day <= %(w_until)s)")
    if where.doc_ids:
        params["w_docs"] = list(where.doc_ids)
        parts.append("p.doc_id = ANY(%(w_docs)s)")
    return " AND ".join(parts)


class _Articles(Mapping[str, Article]):
    """doc_id -> Article, read from PostgreSQL on first use and then cached."""

    def __init__(self, snap: PgSnapshot, count: int):
        self._snap = snap
        self._count = count
        self._cache: dict[str, Article | None] = {}

    def __getitem__(self, doc_id: str) -> Article:
        if doc_id not in self._cache:
            self.prefetch([doc_id])
        a = self._cache.get(doc_id)
        if a is None:
            raise KeyError(doc_id)
        return a

    def prefetch(self, doc_ids: Iterable[str]) -> None:
        wanted = [d for d in dict.fromkeys(doc_ids) if d not in self._cache]
        if not wanted:
            return
        rows = self._snap.store.query("SELECT doc_id, data FROM qa_articles WHERE doc_id = ANY(%s)", (wanted,))
        for d in wanted:
            self._cache[d] = None
        for d, data in rows:
            self._cache[d] = Article.from_stored(data)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        for (d,) in self._snap.store.stream("SELECT doc_id FROM qa_articles ORDER BY doc_id"):
            yield d

    def values(self):  # a stream of every article: one query, not one per article
        for _d, data in self._snap.store.stream("SELECT doc_id, data FROM qa_articles ORDER BY doc_id"):
            yield Article.from_stored(data)


class _Chunks:
    """passage id -> Chunk, read on first use and cached (a search fills it with the rows it returns)."""

    def __init__(self, snap: PgSnapshot, count: int):
        self._snap = snap
        self._count = count
        self.cache: dict[int, Chunk] = {}

    def __getitem__(self, row: int) -> Chunk:
        row = int(row)
        if row not in self.cache:
            self.fill("p.id = ANY(%(ids)s)", {"ids": [row]})
            if row not in self.cache:
                raise KeyError(row)
        return self.cache[row]

    def fill(self, where: str, params: dict[str, Any]) -> list[int]:
        rows = self._snap.store.query(
            f"SELECT p.id, p.chunk_id, p.doc_id, p.start_at, p.end_at FROM qa_passages p WHERE {where} ORDER BY p.id",
            params)
        for pid, cid, doc, s, e in rows:
            self.cache[pid] = Chunk(cid, doc, s, e)
        return [r[0] for r in rows]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Chunk]:
        for _pid, cid, doc, s, e in self._snap.store.stream(
                "SELECT id, chunk_id, doc_id, start_at, end_at FROM qa_passages ORDER BY id"):
            yield Chunk(cid, doc, s, e)


class _Keyword:
    """The keyword side of a PostgreSQL snapshot: which words the library holds (BM25 runs in `candidates`)."""

    def __init__(self, snap: PgSnapshot):
        self._snap = snap
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        tokens = tokenize(word)
        if not tokens:
            return False
        unknown = [t for t in tokens if t not in self._known]
        if unknown:
            found = {t for (t,) in self._snap.store.query(
                "SELECT term FROM qa_terms WHERE term = ANY(%s) AND df > 0", (unknown,))}
            self._known.update({t: t in found for t in unknown})
        return all(self._known[t] for t in tokens)


class PgSnapshot:
    """The library in PostgreSQL at one generation, read lazily (see the module docstring)."""

    def __init__(self, store: PgStore, manifest: dict):
        self.store = store
        self.manifest = manifest
        self.generation = f"pg-{manifest['generation']:08d}"
        self.articles = _Articles(self, manifest["articles"])
        self.chunks = _Chunks(self, manifest["chunks"])
        self.keyword = _Keyword(self)
        self._rows_by_doc: dict[str, list[int]] = {}
        self._sources: list[str] | None = None
        self._sourced = 0
        self._newest: str | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def sources(self) -> list[str]:
        if self._sources is None:
            rows = self.store.query("SELECT source, count(*) FROM qa_articles WHERE source <> '' GROUP BY source "
                                    "ORDER BY source")
            self._sourced = sum(n for _s, n in rows)
            self._sources = [s for s, _n in rows]
        return self._sources

    @property
    def sourced_share(self) -> float:
        self.sources  # noqa: B018 (computes both)
        return self._sourced / len(self.articles) if len(self.articles) else 0.0

    def newest_date(self) -> str:
        if self._newest is None:
            self._newest = self.store.query("SELECT coalesce(max(day), '') FROM qa_articles")[0][0]
        return self._newest

    def chunk_text(self, row: int) -> str:
        c = self.chunks[row]
        return self.articles[c.doc_id].text[c.start:c.end]

    def scored_text(self, row: int) -> str:
        c = self.chunks[row]
        return scored_text(self.articles[c.doc_id], c)

    def rows_of(self, doc_id: str) -> list[int]:
        with self._lock:
            if doc_id not in self._rows_by_doc:
                self._rows_by_doc[doc_id] = self.chunks.fill("p.doc_id = %(doc)s", {"doc": doc_id})
            return self._rows_by_doc[doc_id]

    def candidates(self, query_vector: np.ndarray, query: str, where: Where | None = None,
                   n: int | None = None) -> Candidates:
        """The union of the top `n` rows by cosine (HNSW) and by BM25 that pass `where`, each with both of its
        exact scores; their chunks and articles are cached for the answering code."""
        n = n or 200
        qv = vector_literal(query_vector)
        dense = dict(self.store.dense_top(qv, where, n))
        keyword = dict(self.store.keyword_top(tokenize(query), where, n))
        ids = sorted(set(dense) | set(keyword))
        if not ids:
            return Candidates.none()
        # Each ranker scored its own top n; the other score of a row only one ranker found is read here.
        if missing := [i for i in ids if i not in dense]:
            dense.update(self.store.query(
                "SELECT id, -(embedding <#> %s::vector) FROM qa_passages WHERE id = ANY(%s)", (qv, missing)))
        if missing := [i for i in ids if i not in keyword]:
            keyword.update(self.store.bm25(tokenize(query), "p.id = ANY(%(ids)s)", {"ids": missing}, len(missing)))
        ids = [i for i in ids if i in dense]  # a passage removed between the queries is left out
        self.chunks.fill("p.id = ANY(%(ids)s)", {"ids": ids})
        return Candidates(np.asarray(ids, dtype=np.int64),
                          np.asarray([dense[i] for i in ids], dtype=np.float32),
                          np.asarray([keyword.get(i, 0.0) for i in ids], dtype=np.float32))


class PgStore:
    """A library in a PostgreSQL database with pgvector. Same reading and writing surface as `Store`.
    `path` is a local folder for what stays beside the library (the review journal)."""

    def __init__(self, url: str, *, path: str | os.PathLike, embedder: Embedder | None = None,
                 params: ChunkingParams = ChunkingParams(),  # noqa: B008 (frozen)
                 keyword_ranking: str = "bm25", keyword_budget: int | None = KEYWORD_BUDGET):
        if not is_postgres_url(url):
            raise ValueError(f"a PostgreSQL URL starts with postgresql://, got {url[:30]!r}")
        if keyword_ranking not in KEYWORD_RANKINGS:
            raise ValueError(f"keyword_ranking must be one of {KEYWORD_RANKINGS}, got {keyword_ranking!r}")
        # "bm25" is the default; "ts_rank" (any query term) and "ts_rank_and" (every term, as llama-index's
        # PGVectorStore queries with plainto_tsquery) are PostgreSQL's own ranking, kept for the measurement.
        self.keyword_ranking = keyword_ranking
        self.keyword_budget = keyword_budget  # None: every passage holding a query term is scored
        self.url = url
        self.path = Path(path)
        self.embedder = embedder or Embedder()
        self.params = params
        self._local = threading.local()
        self._schema_checked = False
        self._snapshot: PgSnapshot | None = None
        self._snap_lock = threading.Lock()

    def describe(self) -> str:
        """Where the library is, for messages (the URL without its password)."""
        return describe_url(self.url)

    # ---- connections ---------------------------------------------------------------------------------

    def _conn(self):
        import psycopg

        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            try:
                conn = psycopg.connect(self.url, autocommit=True)
            except psycopg.OperationalError as e:
                raise StoreError(f"cannot connect to {self.describe()} ({str(e).strip()[:200]}); check "
                                 "QA_STORE_URL and that the server is running") from e
            self._local.conn = conn
        return conn

    def query(self, sql: str, params: Any = None) -> list[tuple]:
        self._ensure_schema()
        return self._conn().execute(sql, params).fetchall()

    def stream(self, sql: str, params: Any = None, batch: int = 2000) -> Iterator[tuple]:
        """Rows of a large result, fetched `batch` at a time through a server-side cursor."""
        self._ensure_schema()
        import psycopg

        with psycopg.connect(self.url) as conn, conn.transaction(), conn.cursor(name="qa_stream") as cur:
            cur.itersize = batch
            cur.execute(sql, params)
            yield from cur

    def _ensure_schema(self) -> None:
        if self._schema_checked:
            return
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            for ddl in _DDL:
                conn.execute(ddl)
            row = conn.execute("SELECT value FROM qa_meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._init_meta(conn)
            elif row[0] != SCHEMA_VERSION:
                raise IndexMismatchError(f"the library in {self.describe()} has schema version {row[0]}, this "
                                         f"version uses {SCHEMA_VERSION}; migrate it with `qa index migrate`")
        self._schema_checked = True

    def _init_meta(self, conn) -> None:
        meta = {"schema_version": SCHEMA_VERSION, "embedding_model": MODEL_NAME, "dimension": DIMENSION,
                "chunking": self.params.to_dict(), "embedding_precision": self.embedder.precision,
                "generation": 0, "articles": 0, "chunks": 0, "tokens": 0}
        for k, v in meta.items():
            conn.execute("INSERT INTO qa_meta VALUES (%s, %s) ON CONFLICT DO NOTHING", (k, json.dumps(v)))

    def manifest(self) -> dict:
        rows = self.query("SELECT key, value FROM qa_meta")
        m = dict(rows)
        m["format_version"] = f"postgresql-{m.get('schema_version')}"
        m["similarity"] = "cosine (inner product of L2-normalised vectors)"
        m["keyword"] = {"kind": "bm25", "k1": BM25_K1, "b": BM25_B}
        return m

    # ---- reading -------------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.manifest()["generation"] > 0

    def current_generation(self) -> str | None:
        gen = self.manifest()["generation"]
        return f"pg-{gen:08d}" if gen else None

    def snapshot(self) -> PgSnapshot:
        """The library now; the same object (and its caches) until some process commits a change."""
        m = self.manifest()
        if m["generation"] == 0:
            raise NotIndexedError(f"no library in {self.describe()}: add articles with `qa index add PATH`")
        self._check_manifest(m)
        with self._snap_lock:
            if self._snapshot is None or self._snapshot.manifest["generation"] != m["generation"]:
                self._snapshot = PgSnapshot(self, m)
            return self._snapshot

    def _check_manifest(self, m: dict) -> None:
        for key, want in (("embedding_model", MODEL_NAME), ("dimension", DIMENSION),
                          ("chunking", self.params.to_dict())):
            if m.get(key) != want:
                raise IndexMismatchError(f"the library in {self.describe()} was built with {key}={m.get(key)!r}, "
                                         f"this version uses {want!r}; run `qa index rebuild` to rebuild it")

    def dense_top(self, qv: str, where: Where | None, n: int) -> list[tuple[int, float]]:
        """(passage id, cosine) of the `n` passages nearest to `qv` (HNSW) that pass `where`."""
        params: dict[str, Any] = {"qv": qv, "n": n}
        sql = (f"SELECT p.id, -(p.embedding <#> %(qv)s::vector) FROM qa_passages p WHERE {_where_sql(where, params)} "
               "ORDER BY p.embedding <#> %(qv)s::vector LIMIT %(n)s")
        self._ensure_schema()
        conn = self._conn()
        with conn.transaction():
            # HNSW returns at most ef_search rows; iterative scans keep going when filters drop some.
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(40, min(int(n), 1000))}")
            conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            return [(r[0], float(r[1])) for r in conn.execute(sql, params).fetchall()]

    def keyword_top(self, tokens: list[str], where: Where | None, n: int) -> list[tuple[int, float]]:
        """(passage id, BM25 score) of the best `n` passages for `tokens` that pass `where`."""
        if not tokens:
            return []
        joiner = " & " if self.keyword_ranking == "ts_rank_and" else " | "
        terms = self._driving_terms(tokens) if self.keyword_ranking == "bm25" else sorted(set(tokens))
        if not terms:
            return []
        params: dict[str, Any] = {"tsq": joiner.join(_lexeme(t) for t in terms), "scan": self.keyword_budget}
        cond = f"p.terms @@ %(tsq)s::tsquery AND {_where_sql(where, params)}"
        return self.bm25(tokens, cond, params, n)

    def _driving_terms(self, tokens: list[str]) -> list[str]:
        """The query terms whose passages BM25 scores (every query term counts in their scores): all of them
        while together they occur in at most `keyword_budget` passages, else the rarest ones within it. A
        passage holding only the query's commonest terms is left to the dense ranker: those terms have the
        lowest idf, so it would rank below passages holding a rarer one. What a library of 1,000,000
        passages needs (a common word occurs in 100,000 of them, and scoring each costs ~5 µs); on a library
        where the query's terms are rarer than the budget nothing changes. When even the rarest term is over
        the budget, none: no query word picks out passages, and BM25 only re-scores the dense ranker's
        (`PgSnapshot.candidates`). No term occurs in any passage: none."""
        terms = sorted(set(tokens))
        if self.keyword_budget is None:
            return terms
        df = dict(self.query("SELECT term, df FROM qa_terms WHERE term = ANY(%s)", (terms,)))
        out: list[str] = []
        total = 0
        for t in sorted(df, key=lambda t: (df[t], t)):
            if out and total + df[t] > self.keyword_budget:
                break
            out.append(t)
            total += df[t]
        return out if total <= self.keyword_budget else []

    def bm25(self, tokens: list[str], where_sql: str, params: dict[str, Any], limit: int) -> list[tuple[int, float]]:
        """(passage id, BM25 score) of the passages matching `where_sql` that hold a query term, best first."""
        if not tokens:
            return []
        if self.keyword_ranking != "bm25":
            params = {**params, "tsq_any": " | ".join(_lexeme(t) for t in sorted(set(tokens))), "limit": limit}
            return [(pid, float(s)) for pid, s in self.query(
                f"SELECT p.id, ts_rank(p.terms, %(tsq_any)s::tsquery) AS s FROM qa_passages p WHERE {where_sql} "
                "ORDER BY s DESC, p.id LIMIT %(limit)s", params)]
        m = self.manifest()
        qtf = Counter(tokens)
        params = {"scan": None, **params, "terms": list(qtf), "qtf": list(qtf.values()), "n": m["chunks"],
                  "avg": max(m["tokens"], 1) / max(m["chunks"], 1), "k1": BM25_K1, "b": BM25_B, "limit": limit}
        return [(pid, float(s)) for pid, s in self.query(_BM25.format(where=where_sql), params)]

    # ---- writing -------------------------------------------------------------------------------------

    @contextmanager
    def _writer(self):
        """One transaction holding the writer lock; commits on success, rolls back on any error."""
        self._ensure_schema()
        conn = self._conn()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            yield conn

    def add(self, articles: Iterable[Article], progress: Callable[[int, int], None] | None = None) -> AddReport:
        """Add or update articles in one transaction (see `Store.add` for the rules)."""
        batch = list(articles)
        with self._writer() as conn:
            self._check_precision(conn)
            report, incoming = self._sort(conn, batch)
            if not incoming:
                return report
            report.near_duplicates, sigs = self._near_duplicates(conn, incoming)
            chunks = [c for a in incoming.values() for c in chunk_article(a, self.params)]
            vectors = self._embed([scored_text(incoming[c.doc_id], c) for c in chunks], progress)
            report.chunks_added = len(chunks)
            self._delete(conn, [d for d in incoming if d in set(report.replaced)])
            self._insert(conn, [ExportedArticle(a, [c for c in chunks if c.doc_id == d],
                                                vectors[[i for i, c in enumerate(chunks) if c.doc_id == d]],
                                                sigs[d], self.model_tag) for d, a in incoming.items()])
            self._bump(conn)
        return report

    @property
    def model_tag(self) -> str:
        return f"{self.embedder.name}@{self.embedder.precision}"

    def import_articles(self, exported: Iterable[ExportedArticle]) -> int:
        """Store articles with their chunks and vectors as they are (no embedding): `qa index migrate`.
        An article already held under the same doc_id is replaced. Returns how many were stored."""
        items = list(exported)
        check_model_tags(items, self.model_tag, self.describe())
        with self._writer() as conn:
            self._check_precision(conn)
            self._delete(conn, [e.article.doc_id for e in items])
            self._insert(conn, items)
            self._bump(conn)
        return len(items)

    def remove(self, doc_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        wanted = list(dict.fromkeys(doc_ids))
        with self._writer() as conn:
            held = {d for (d,) in conn.execute("SELECT doc_id FROM qa_articles WHERE doc_id = ANY(%s)",
                                               (wanted,)).fetchall()}
            removed = [d for d in wanted if d in held]
            if removed:
                self._delete(conn, removed)
                self._bump(conn)
        return removed, [d for d in wanted if d not in held]

    def _check_precision(self, conn) -> None:
        row = conn.execute("SELECT value FROM qa_meta WHERE key = 'embedding_precision'").fetchone()
        built = row[0] if row else self.embedder.precision
        n = conn.execute("SELECT value FROM qa_meta WHERE key = 'articles'").fetchone()[0]
        if n and built != self.embedder.precision:
            raise IndexMismatchError(f"the library in {self.describe()} was embedded in {built}, this embedder uses "
                                     f"{self.embedder.precision}; run `qa index rebuild` to re-embed it")
        if not n:
            conn.execute("UPDATE qa_meta SET value = %s WHERE key = 'embedding_precision'",
                         (json.dumps(self.embedder.precision),))

    def _sort(self, conn, batch: list[Article]) -> tuple[AddReport, dict[str, Article]]:
        hashes = list({a.content_hash for a in batch})
        by_hash = dict(conn.execute("SELECT content_hash, min(doc_id) FROM qa_articles WHERE content_hash = ANY(%s) "
                                    "GROUP BY content_hash", (hashes,)).fetchall())
        held = {d for (d,) in conn.execute("SELECT doc_id FROM qa_articles WHERE doc_id = ANY(%s)",
                                           ([a.doc_id for a in batch],)).fetchall()}
        return sort_incoming(batch, by_hash, held)

    def _near_duplicates(self, conn, incoming: dict[str, Article]):
        from index.dedup import shingles, signature

        new_sigs = np.stack([signature(shingles(a.text)) for a in incoming.values()])
        keys = [int(k) for k in band_keys(new_sigs).astype(np.int64).ravel()]
        cands = [d for (d,) in conn.execute(
            "SELECT doc_id FROM qa_bands WHERE key = ANY(%s) GROUP BY doc_id ORDER BY count(*) DESC LIMIT %s",
            (keys, MAX_CANDIDATES * len(incoming))).fetchall() if d not in incoming]
        rows = conn.execute("SELECT doc_id, data, signature FROM qa_articles WHERE doc_id = ANY(%s)",
                            (cands,)).fetchall() if cands else []
        existing = {d: Article.from_stored(data) for d, data, _s in rows}
        sigs = (np.stack([np.frombuffer(s, dtype=np.uint32) for _d, _a, s in rows]) if rows
                else np.zeros((0, new_sigs.shape[1]), dtype=np.uint32))
        return find_near_duplicates(list(incoming.values()), existing, MinHashIndex(list(existing), sigs))

    def _embed(self, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
        done = 0

        def step(k: int) -> None:
            nonlocal done
            done += k
            if progress:
                progress(done, len(texts))

        return self.embedder.encode(texts, progress=step)

    def _insert(self, conn, items: list[ExportedArticle]) -> None:
        """Insert articles, passages, band keys; update df and the counts. Inside the caller's transaction."""
        if not items:
            return
        df: Counter[str] = Counter()
        n_chunks = n_tokens = 0
        with conn.cursor() as cur:
            with cur.copy("COPY qa_articles (doc_id, content_hash, source, day, data, signature) FROM STDIN") as cp:
                for e in items:
                    a = e.article
                    cp.write_row((a.doc_id, a.content_hash, a.source, a.published_at[:10],
                                  json.dumps(a.to_dict(), ensure_ascii=False),
                                  np.ascontiguousarray(e.signature, dtype=np.uint32).tobytes()))
            with cur.copy("COPY qa_passages (doc_id, chunk_id, start_at, end_at, tokens, terms, embedding, model, "
                          "source_lc, day) FROM STDIN") as cp:
                for e in items:
                    a = e.article
                    for c, v in zip(e.chunks, e.vectors, strict=True):
                        toks = passage_tokens(a, c)
                        df.update(set(toks))
                        n_chunks += 1
                        n_tokens += len(toks)
                        cp.write_row((a.doc_id, c.chunk_id, c.start, c.end, len(toks), tsvector_literal(toks),
                                      vector_literal(v), e.model, a.source.lower(), a.published_at[:10]))
            with cur.copy("COPY qa_bands (key, doc_id) FROM STDIN") as cp:
                for e in items:
                    for k in set(band_keys(e.signature.reshape(1, -1)).astype(np.int64).ravel().tolist()):
                        cp.write_row((k, e.article.doc_id))
        self._add_df(conn, df, +1)
        self._count(conn, len(items), n_chunks, n_tokens)

    def _delete(self, conn, doc_ids: list[str]) -> None:
        if not doc_ids:
            return
        df = Counter(dict(conn.execute(
            "SELECT u.lexeme, count(*) FROM qa_passages p, unnest(p.terms) u WHERE p.doc_id = ANY(%s) GROUP BY 1",
            (doc_ids,)).fetchall()))
        n_chunks, n_tokens = conn.execute("SELECT count(*), coalesce(sum(tokens), 0) FROM qa_passages "
                                          "WHERE doc_id = ANY(%s)", (doc_ids,)).fetchone()
        n_articles = conn.execute("DELETE FROM qa_articles WHERE doc_id = ANY(%s)", (doc_ids,)).rowcount
        self._add_df(conn, df, -1)
        self._count(conn, -n_articles, -int(n_chunks), -int(n_tokens))

    @staticmethod
    def _add_df(conn, df: Counter[str], sign: int) -> None:
        if not df:
            return
        conn.execute("INSERT INTO qa_terms AS t (term, df) SELECT * FROM unnest(%s::text[], %s::int[]) "
                     "ON CONFLICT (term) DO UPDATE SET df = t.df + excluded.df",
                     (list(df), [sign * n for n in df.values()]))
        if sign < 0:
            conn.execute("DELETE FROM qa_terms WHERE term = ANY(%s) AND df <= 0", (list(df),))

    @staticmethod
    def _count(conn, articles: int, chunks: int, tokens: int) -> None:
        for key, delta in (("articles", articles), ("chunks", chunks), ("tokens", tokens)):
            conn.execute("UPDATE qa_meta SET value = to_jsonb((value #>> '{}')::bigint + %s) WHERE key = %s",
                         (delta, key))

    @staticmethod
    def _bump(conn) -> None:
        conn.execute("UPDATE qa_meta SET value = to_jsonb((value #>> '{}')::bigint + 1) WHERE key = 'generation'")

    # ---- whole-library operations --------------------------------------------------------------------

    def export(self, batch: int = 500) -> Iterator[ExportedArticle]:
        """Every article with its chunks, vectors and signature, in doc_id order."""
        from index.dedup import NUM_PERM

        pending: list[tuple[str, Any, bytes]] = []

        def flush() -> Iterator[ExportedArticle]:
            ids = [d for d, _a, _s in pending]
            rows = self.query("SELECT doc_id, chunk_id, start_at, end_at, embedding::text, model FROM qa_passages "
                              "WHERE doc_id = ANY(%s) ORDER BY id", (ids,))
            by_doc: dict[str, list[tuple]] = {}
            for r in rows:
                by_doc.setdefault(r[0], []).append(r)
            for d, data, sig in pending:
                rs = by_doc.get(d, [])
                vecs = (np.array([json.loads(r[4]) for r in rs], dtype=np.float32) if rs
                        else np.zeros((0, DIMENSION), dtype=np.float32))
                yield ExportedArticle(Article.from_stored(data), [Chunk(r[1], d, r[2], r[3]) for r in rs], vecs,
                                      np.frombuffer(sig, dtype=np.uint32).reshape(NUM_PERM),
                                      rs[0][5] if rs else self.model_tag)

        for row in self.stream("SELECT doc_id, data, signature FROM qa_articles ORDER BY doc_id"):
            pending.append(row)
            if len(pending) >= batch:
                yield from flush()
                pending = []
        if pending:
            yield from flush()

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Re-chunk and re-embed every article (in one transaction)."""
        articles = [e.article for e in self.export()]
        if not articles:
            raise NotIndexedError(f"no library in {self.describe()} to rebuild")
        with self._writer() as conn:
            conn.execute("TRUNCATE qa_bands, qa_passages, qa_terms, qa_articles")
            for key in ("articles", "chunks", "tokens"):
                conn.execute("UPDATE qa_meta SET value = '0' WHERE key = %s", (key,))
            conn.execute("UPDATE qa_meta SET value = %s WHERE key = 'chunking'", (json.dumps(self.params.to_dict()),))
            conn.execute("UPDATE qa_meta SET value = %s WHERE key = 'embedding_precision'",
                         (json.dumps(self.embedder.precision),))
            from index.dedup import shingles, signature

            chunks = [c for a in articles for c in chunk_article(a, self.params)]
            by_doc = {a.doc_id: a for a in articles}
            vectors = self._embed([scored_text(by_doc[c.doc_id], c) for c in chunks], progress)
            rows: dict[str, list[int]] = {}
            for i, c in enumerate(chunks):
                rows.setdefault(c.doc_id, []).append(i)
            self._insert(conn, [ExportedArticle(a, [chunks[i] for i in rows.get(a.doc_id, [])],
                                                vectors[rows.get(a.doc_id, [])], signature(shingles(a.text)),
                                                self.model_tag) for a in articles])
            self._bump(conn)
        return len(chunks)

    def recover(self) -> RecoverReport:
        """Nothing to recover: PostgreSQL commits atomically and recovers itself after a crash."""
        gen = self.current_generation() or "pg-00000000"
        return RecoverReport(gen, gen, int(self.manifest()["articles"]), changed=False)

    def stats(self) -> dict[str, Any]:
        m = self.manifest()
        size = self.query("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                          "WHERE c.relname LIKE 'qa\\_%%' AND c.relkind = 'r'")[0][0]
        chars = self.query("SELECT coalesce(sum(length(data->>'text')), 0) FROM qa_articles")[0][0]
        return {"index_dir": self.describe(), "generation": self.current_generation() or "", "articles": m["articles"],
                "chunks": m["chunks"], "characters": int(chars), "bytes_on_disk": int(size), "manifest": m}

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def wait_for(url: str, seconds: float = 30) -> None:
    """Wait until a PostgreSQL server at `url` accepts connections (tests and benchmarks)."""
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(url).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
