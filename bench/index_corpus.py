"""Benchmark: index the whole MultiHop-RAG corpus with our store, and with the naive llama-index route.

Prints figures; it is not a test. Reports, for our route (index.store.Store, bf16 by default): articles/s,
chunks/s, peak RSS and index size on disk, and dense hits@10 on the dev queries; for the naive route
(SentenceSplitter(chunk_size=256) -> HuggingFaceEmbedding (same local MiniLM) -> FaissVectorStore ->
VectorStoreIndex, run in a child process so its memory and time are its own): the same timings, and the
ratio between the two.

`--check-precision N` also embeds the chunks of the first N articles in both fp32 and bf16 and compares dense
hits@10 on the dev queries whose gold evidence lies within those articles (the authors' relevance rule: a
gold fact with spaces and newlines removed is a substring of a retrieved chunk's text with them removed).

    .venv/bin/python bench/index_corpus.py [--limit N] [--check-precision N] [--skip-naive]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = Path("/work/shared/bench/multihop/corpus.jsonl")
QUERIES = Path("/work/shared/bench/multihop/dev_queries.jsonl")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _squash(s: str) -> str:
    return s.replace(" ", "").replace("\n", "")


def hits_at_10(texts: list[str], doc_ids: list[str], vectors, embedder, queries: list[dict]) -> tuple[float, float]:
    """(mean fraction of gold facts found in the top 10, fraction of queries with every fact found)."""
    import numpy as np

    squashed = [_squash(t) for t in texts]
    qv = embedder.encode([q["query"] for q in queries])
    scores = qv @ vectors.T
    frac, full = [], 0
    for qi, q in enumerate(queries):
        top = np.argsort(-scores[qi])[:10]
        facts = [_squash(e["fact"]) for e in q["evidence"]]
        found = sum(any(f in squashed[r] for r in top) for f in facts)
        frac.append(found / len(facts))
        full += found == len(facts)
    return float(np.mean(frac)), full / len(queries)


def our_route(articles_path: Path, limit: int | None) -> dict:
    from index.embedding import Embedder
    from index.loaders import load_jsonl
    from index.store import Store

    t0 = time.perf_counter()
    articles = load_jsonl(articles_path).articles[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        embedder = Embedder(batch_size=64)
        embedder.model  # load before timing the indexing itself (reported separately)
        t_load = time.perf_counter() - t0
        store = Store(Path(tmp) / "index", embedder=embedder)
        t1 = time.perf_counter()
        report = store.add(articles)
        seconds = time.perf_counter() - t1
        snap = store.snapshot()
        size = dir_size(store.path / snap.generation)
        queries = [json.loads(line) for line in QUERIES.open()]
        queries = [q for q in queries if q["answerable"] and {e["doc_id"] for e in q["evidence"]} <= set(snap.articles)]
        texts = [snap.chunk_text(r) for r in range(len(snap.chunks))]
        hits = hits_at_10(texts, [c.doc_id for c in snap.chunks], snap.vectors(), embedder, queries)
    return {"route": "ours", "precision": embedder.precision, "articles": len(articles),
            "chunks": report.chunks_added, "near_duplicates": len(report.near_duplicates), "seconds": seconds,
            "load_seconds": t_load, "articles_per_s": len(articles) / seconds,
            "chunks_per_s": report.chunks_added / seconds, "peak_rss_mb": peak_rss_mb(), "index_bytes": size,
            "hits_at_10": hits[0], "all_facts_at_10": hits[1], "queries": len(queries)}


def naive_route(articles_path: Path, limit: int | None) -> dict:
    """SentenceSplitter -> HuggingFaceEmbedding -> FaissVectorStore -> VectorStoreIndex, as a newcomer would."""
    import faiss
    from llama_index.core import Document, Settings, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.faiss import FaissVectorStore

    from index.embedding import bundled_model_path

    Settings.llm = None  # never the OpenAI default
    t0 = time.perf_counter()
    records = [json.loads(line) for line in articles_path.open()][:limit]
    docs = [Document(text=r["body"], doc_id=r["doc_id"],
                     metadata={k: r.get(k) or "" for k in ("title", "source", "published_at")}) for r in records]
    embed_model = HuggingFaceEmbedding(model_name=bundled_model_path(), device="cpu")
    Settings.embed_model = embed_model
    t1 = time.perf_counter()
    splitter = SentenceSplitter(chunk_size=256)
    nodes = splitter.get_nodes_from_documents(docs)
    store = FaissVectorStore(faiss_index=faiss.IndexFlatL2(384))
    index = VectorStoreIndex(nodes, storage_context=StorageContext.from_defaults(vector_store=store),
                             embed_model=embed_model)
    seconds = time.perf_counter() - t1
    with tempfile.TemporaryDirectory() as tmp:
        index.storage_context.persist(persist_dir=tmp)
        size = dir_size(Path(tmp))
    return {"route": "naive llama-index", "articles": len(docs), "chunks": len(nodes), "seconds": seconds,
            "load_seconds": t1 - t0, "articles_per_s": len(docs) / seconds, "chunks_per_s": len(nodes) / seconds,
            "peak_rss_mb": peak_rss_mb(), "index_bytes": size}


def check_precision(articles_path: Path, n_articles: int) -> dict:
    """fp32 against bf16 on the same chunks: dense hits@10 on the dev queries answerable from them."""
    import numpy as np

    from index.chunking import chunk_article
    from index.embedding import Embedder
    from index.loaders import load_jsonl
    from index.store import scored_text

    articles = load_jsonl(articles_path).articles[:n_articles]
    by_id = {a.doc_id: a for a in articles}
    chunks = [c for a in articles for c in chunk_article(a)]
    texts = [a.text[c.start:c.end] for c in chunks for a in (by_id[c.doc_id],)]
    scored = [scored_text(by_id[c.doc_id], c) for c in chunks]
    queries = [json.loads(line) for line in QUERIES.open()]
    queries = [q for q in queries if q["answerable"] and {e["doc_id"] for e in q["evidence"]} <= set(by_id)]
    out: dict = {"articles": len(articles), "chunks": len(chunks), "queries": len(queries)}
    vectors = {}
    for precision in ("fp32", "bf16"):
        e = Embedder(precision=precision)
        t = time.perf_counter()
        vectors[precision] = e.encode(scored)
        out[f"{precision}_chunks_per_s"] = len(scored) / (time.perf_counter() - t)
        out[f"{precision}_hits_at_10"], out[f"{precision}_all_facts_at_10"] = hits_at_10(
            texts, [c.doc_id for c in chunks], vectors[precision], e, queries)
    out["min_cosine_fp32_bf16"] = float(np.min(np.sum(vectors["fp32"] * vectors["bf16"], axis=1)))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("--limit", type=int, default=None, help="only the first N articles")
    p.add_argument("--check-precision", type=int, default=0, metavar="N",
                   help="compare fp32 and bf16 retrieval on the first N articles")
    p.add_argument("--skip-naive", action="store_true")
    p.add_argument("--naive-limit", type=int, default=None, metavar="N",
                   help="run the naive route on the first N articles only and scale its time to the whole "
                        "corpus by characters (its default 200-token overlap makes it slow)")
    p.add_argument("--naive-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = p.parse_args()
    from index.embedding import offline_environment

    offline_environment()
    if args.naive_only:
        print(json.dumps(naive_route(args.corpus, args.limit)))
        return
    ours = our_route(args.corpus, args.limit)
    _print(ours)
    if args.check_precision:
        _print({"route": "precision check", **check_precision(args.corpus, args.check_precision)})
    if not args.skip_naive:
        cmd = [sys.executable, __file__, "--naive-only", "--corpus", str(args.corpus)]
        naive_limit = args.naive_limit or args.limit
        if naive_limit:
            cmd += ["--limit", str(naive_limit)]
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            sys.exit("the naive route failed")
        naive = json.loads(out.stdout.strip().splitlines()[-1])
        _print(naive)
        naive_seconds = naive["seconds"]
        if naive["articles"] < ours["articles"]:
            chars = [len(json.loads(line)["body"]) for line in args.corpus.open()][:ours["articles"]]
            naive_seconds *= sum(chars) / sum(chars[:naive["articles"]])
            print(f"naive route scaled to {ours['articles']} articles by characters: {naive_seconds:.0f} s")
        print(f"speed-up, whole corpus (naive seconds / our seconds): {naive_seconds / ours['seconds']:.2f}x; "
              f"chunks/s {ours['chunks_per_s']:.1f} (ours) vs {naive['chunks_per_s']:.1f} (naive)")


def _print(d: dict) -> None:
    print(f"== {d.get('route')}")
    for k, v in d.items():
        if k != "route":
            print(f"  {k:24s} {v:.3f}" if isinstance(v, float) else f"  {k:24s} {v}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
