"""Benchmark: a large synthetic library on each backend (embedded store, PostgreSQL + pgvector).

The articles are bench/library_100k.py's generated news (~60 words, one chunk each). Their vectors are made
once by the real MiniLM model (`Embedder`, bf16, as `qa index add` makes them) and cached in --cache
(vectors-<n>.npy beside the article seed), so every backend and every run reuses the same real vectors; the
library is then loaded through `import_articles` (what `qa index migrate` uses), not re-embedded. Beyond the
embedded count (--articles above --embedded), article i reuses the vector of article i mod --embedded, whose
text differs in its random places, people and numbers, moved by a little seeded noise (cosine ~0.99): how a
large library is made from fewer real vectors (the machine's shared CPU made ~7 vectors/s when this ran).

Measured, in this process (run once per backend so that peak memory is the backend's own):
  open        time to open the library and read one snapshot, as a new process does
  add         adding --add new articles through `add` (embedding included), one commit / transaction
  remove      removing 100 of them
  retrieval   hybrid search latency p50 / p95 over --queries questions (the answering path's retriever)
  peak RSS    of this process at the end

    .venv/bin/python bench/library_scale.py --backend embedded --articles 100000
    .venv/bin/python bench/library_scale.py --backend postgresql --articles 100000 [--pg-dir /tmp/qa-bench-pg]
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from library_100k import articles, bench_queries, search_latencies  # noqa: E402

SEED = 0


def cached_vectors(cache: Path, n: int, embedder) -> np.ndarray:
    """The vectors of articles 0..n-1 (one chunk each), made once and kept in `cache`."""
    from index.chunking import ChunkingParams, chunk_article
    from index.store import scored_text

    path = cache / f"vectors-{n}.npy"
    if path.is_file():
        return np.load(path)
    cache.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    out = np.zeros((n, 384), dtype=np.float32)
    step = 2_000
    for start in range(0, n, step):
        part = cache / f"vectors-part-{start}-{step}.npy"  # resumable: each block is kept as it is made
        if part.is_file():
            out[start:start + step] = np.load(part)[:n - start]
            continue
        block = (start // 10_000) * 10_000
        batch = articles(block, start - block + min(step, n - start), seed=block)[start - block:]
        texts = []
        for a in batch:
            chunks = chunk_article(a, ChunkingParams())
            if len(chunks) != 1:
                raise RuntimeError(f"{a.doc_id} makes {len(chunks)} chunks; the benchmark assumes one")
            texts.append(scored_text(a, chunks[0]))
        out[start:start + len(batch)] = embedder.encode(texts)
        np.save(part, out[start:start + len(batch)])
        print(f"  embedded {start + len(batch)}/{n} ({time.perf_counter() - t:.0f} s)", flush=True)
    np.save(path, out)
    return out


def exported(start: int, count: int, vectors: np.ndarray, tag: str):
    """Articles start..start+count-1 with their chunk and cached vector, ready for `import_articles`."""
    from index.chunking import ChunkingParams, chunk_article
    from index.dedup import shingles, signature
    from index.store import ExportedArticle

    for i0 in range(start, start + count, 10_000):
        k = min(10_000, start + count - i0)
        for j, a in enumerate(_articles_at(i0, k)):
            i = i0 + j
            yield ExportedArticle(a, chunk_article(a, ChunkingParams()), _vector(vectors, i).reshape(1, -1),
                                  signature(shingles(a.text)), tag)


def _vector(vectors: np.ndarray, i: int) -> np.ndarray:
    """Article i's vector: its own below len(vectors); beyond, the vector of article i mod len(vectors) moved
    by a little seeded noise (cosine ~0.99 to it), so that no two passages share a vector exactly (exact
    duplicates are not what an HNSW graph meets in a real library)."""
    n = len(vectors)
    v = vectors[i % n]
    if i < n:
        return v
    noise = np.random.default_rng(i).normal(0, 0.006, size=v.shape).astype(np.float32)
    w = v + noise
    return w / np.linalg.norm(w)


def _articles_at(start: int, count: int):
    """Articles as library_100k.py generates them: seeded per block of 10,000 (ids start..)."""
    out = []
    i = start
    while i < start + count:
        block = (i // 10_000) * 10_000
        k = min(block + 10_000, start + count) - i
        out.extend(articles(block, i - block + k, seed=block)[i - block:])
        i += k
    return out


def open_backend(args, embedder):
    from index.backends import open_store

    if args.backend == "embedded":
        return open_store("", args.dir / f"embedded-{args.articles}", embedder=embedder), None
    import pgserver

    srv = pgserver.get_server(args.pg_dir, cleanup_mode=None)  # kept between runs; stop it with --stop
    db = f"lib{args.articles}"
    if db not in srv.psql("SELECT datname FROM pg_database;"):
        srv.psql(f"CREATE DATABASE {db};")
    return open_store(srv.get_uri(db), args.dir / "side", embedder=embedder), srv


def build(store, args, vectors: np.ndarray) -> None:
    have = len(store.snapshot()) if store.exists() else 0
    t = time.perf_counter()
    step = 1_000_000 if args.backend == "embedded" else 20_000
    bulk = args.backend == "postgresql" and have == 0 and args.articles >= 100_000
    if bulk:  # a bulk load: fill the tables, then build the HNSW and GIN indexes once (as a DBA would)
        _pg(store.url, "DROP INDEX IF EXISTS qa_passages_hnsw", "DROP INDEX IF EXISTS qa_passages_terms")
    while have < args.articles:
        k = min(step, args.articles - have)
        store.import_articles(exported(have, k, vectors, store.model_tag))
        have += k
        print(f"  loaded {have}/{args.articles} articles ({time.perf_counter() - t:.0f} s)", flush=True)
    if bulk:
        from index.pgstore import _DDL

        t = time.perf_counter()
        _pg(store.url, "SET maintenance_work_mem = '8GB'", "SET max_parallel_maintenance_workers = 1", *_DDL)
        print(f"  built the HNSW and GIN indexes in {time.perf_counter() - t:.0f} s", flush=True)


def _pg(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def measure(store_factory, args, embedder) -> dict:
    figures: dict = {}
    t = time.perf_counter()
    store = store_factory()
    snap = store.snapshot()
    figures["open_s"] = time.perf_counter() - t
    figures["articles"] = len(snap.articles)
    import dataclasses

    new = [dataclasses.replace(a, doc_id="new-" + a.doc_id) for a in articles(10**7, args.add, seed=10**9)]
    embedder.encode(["warm up"])
    t = time.perf_counter()
    report = store.add(new)
    figures["add_s"] = time.perf_counter() - t
    figures["added"] = len(report.added)
    t = time.perf_counter()
    removed, _ = store.remove([a.doc_id for a in new[:100]])
    figures["remove_s"] = time.perf_counter() - t
    figures["removed"] = len(removed)

    from qa.retrieval import HybridRetriever

    retriever = HybridRetriever(store, embedder, top_k=10, dense_weight=0.3)
    lat = search_latencies(retriever, bench_queries(args.queries), search_only=True)
    figures["p50_ms"] = 1000 * lat[len(lat) // 2]
    figures["p95_ms"] = 1000 * lat[min(len(lat) - 1, int(len(lat) * 0.95))]
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.remove([a.doc_id for a in new])  # back to the library as built, for the next run
    return figures


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--backend", choices=["embedded", "postgresql"], required=True)
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--embedded", type=int, default=100_000, help="how many distinct real vectors to make")
    p.add_argument("--add", type=int, default=1_000)
    p.add_argument("--queries", type=int, default=50)
    p.add_argument("--dir", type=Path, default=Path("/tmp/qa-bench"))
    p.add_argument("--pg-dir", type=Path, default=Path("/tmp/qa-bench/pg"))
    p.add_argument("--build-only", action="store_true")
    p.add_argument("--stop", action="store_true", help="stop the benchmark's PostgreSQL and exit")
    args = p.parse_args()

    from index.embedding import Embedder, offline_environment

    offline_environment()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.stop:
        import pgserver

        pgserver.get_server(args.pg_dir, cleanup_mode="stop").cleanup()
        return
    embedder = Embedder(batch_size=128)
    vectors = cached_vectors(args.dir, min(args.embedded, args.articles), embedder)
    store, _srv = open_backend(args, embedder)
    build(store, args, vectors)
    if args.build_only:
        return
    close = getattr(store, "close", None)
    if close:
        close()
    figures = measure(lambda: open_backend(args, embedder)[0], args, embedder)
    print(f"{args.backend}, {figures['articles']} articles (machine shared with other work):")
    for k, v in figures.items():
        print(f"  {k}: {v:.2f}" if isinstance(v, float) else f"  {k}: {v}")


if __name__ == "__main__":
    main()
