"""Benchmark: a synthetic library of 100,000 generated news articles; time to add 1,000 more, and retrieval
latency at that size.

Prints figures; it is not a test. The articles are generated text (templated news sentences over random
places, organisations, people and numbers, ~60 words, one chunk each), embedded by the real model through
`Store.add`, so the vectors are real MiniLM vectors of real-looking text, not random numbers. The library is
kept in --index-dir (default /tmp/library_100k), built in resumable commits of --batch articles, and reused by
later runs (which extend it to --articles; --measure-only measures at whatever size it has reached).

    .venv/bin/python bench/library_100k.py [--articles 100000] [--add 1000] [--queries 30]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ["Lisbon", "Osaka", "Nairobi", "Denver", "Tallinn", "Lagos", "Hanoi", "Quito", "Perth", "Bergen",
          "Cork", "Tucson", "Leeds", "Busan", "Accra", "Porto", "Riga", "Kyoto", "Austin", "Turin"]
ORGS = ["the port authority", "the city council", "a regional bank", "the health ministry", "a solar start-up",
        "the transit agency", "a mining group", "the water utility", "a chip maker", "the football club",
        "the university", "a grocery chain", "the central bank", "an airline", "a shipping line"]
PEOPLE = ["Ana Ribeiro", "Kenji Mori", "Grace Otieno", "Tom Becker", "Liis Tamm", "Chidi Okafor", "Linh Tran",
          "Sofia Vega", "Jack Moore", "Ingrid Dahl", "Aoife Byrne", "Maria Lopez", "Omar Haddad", "Min-jun Park"]
EVENTS = ["approved a budget of {n} million", "announced {n} new jobs", "cut fares by {p} percent",
          "reported profits up {p} percent", "opened a plant employing {n} people", "delayed a project by {p} months",
          "raised rates by {p} basis points", "won a contract worth {n} million", "recalled {n} vehicles",
          "reduced water use by {p} percent", "signed a deal with {org2}", "faced a strike by {n} workers"]
DETAILS = ["{who} said the decision followed {n} months of talks in {place}.",
           "Critics in {place} warned that costs could rise by {p} percent.",
           "About {n} residents attended a meeting chaired by {who}.",
           "Analysts at {org} expect {p} further changes by {y2}.",
           "The plan still needs approval from {org}, {who} added.",
           "Shares of {org} rose {p} percent after the {day} announcement.",
           "Unions representing {n} staff said {who} had not consulted them.",
           "A similar attempt by {org} failed in {y}.",
           "{who} called the move overdue and praised {org}.",
           "Local papers in {place} reported {n} complaints in the first week.",
           "The scheme will be reviewed in {y2}, according to {org}.",
           "{who} declined to comment on a report that {n} jobs were at risk."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article_text(rng: random.Random, i: int) -> tuple[str, str]:
    place, org, org2, person = rng.choice(PLACES), rng.choice(ORGS), rng.choice(ORGS), rng.choice(PEOPLE)
    event = rng.choice(EVENTS).format(n=rng.randint(2, 900), p=rng.randint(2, 60), org2=org2)
    title = f"{place}: {org} {event.split(' ')[0]} (report {i})"
    body = (f"In {place}, {org} {event} on {rng.choice(DAYS)}, according to {person}, who spoke to reporters. "
            + " ".join(d.format(who=rng.choice(PEOPLE), n=rng.randint(2, 900), p=rng.randint(2, 60),
                                place=rng.choice(PLACES), org=rng.choice(ORGS), y=rng.randint(1990, 2022),
                                y2=rng.randint(2024, 2030), day=rng.choice(DAYS))
                       for d in rng.sample(DETAILS, 4))
            + f" The filing number was {rng.randint(10**6, 10**7)}.")
    return title, body


def articles(start: int, count: int, seed: int):
    from index.articles import Article

    rng = random.Random(seed)
    out = []
    for i in range(start, start + count):
        title, body = article_text(rng, i)
        out.append(Article(doc_id=f"syn-{i:06d}", text=body, title=title, source="Synthetic Wire",
                           published_at=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"))
    return out


QUERY_VECTORS_KEPT = 32  # how many query vectors HybridRetriever remembers (qa/retrieval.py)


def bench_queries(n: int) -> list[str]:
    """The benchmark's n questions (seeded), about the generated articles' organisations and places."""
    rng = random.Random(7)
    return [f"What did {rng.choice(ORGS)} in {rng.choice(PLACES)} announce about jobs?" for _ in range(n)]


def search_latencies(retriever, queries: list[str], *, search_only: bool = False) -> list[float]:
    """Seconds per `retriever.search`, sorted. With `search_only`, each block of queries the retriever can
    remember is searched once first, so the model's embedding of the query is not what is timed."""
    lat: list[float] = []
    step = QUERY_VECTORS_KEPT if search_only else max(1, len(queries))
    for i in range(0, len(queries), step):
        block = queries[i:i + step]
        if search_only:
            for q in block:
                retriever.search(q)
        for q in block:
            t = time.perf_counter()
            retriever.search(q)
            lat.append(time.perf_counter() - t)
    return sorted(lat)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--add", type=int, default=1_000)
    p.add_argument("--queries", type=int, default=30)
    p.add_argument("--index-dir", type=Path, default=Path("/tmp/library_100k"))
    p.add_argument("--batch", type=int, default=10_000, help="articles per commit while building")
    p.add_argument("--measure-only", action="store_true",
                   help="skip (resuming) the build and measure at the library's current size")
    args = p.parse_args()

    from index.embedding import Embedder, offline_environment
    from index.store import Store
    from qa.retrieval import HybridRetriever

    offline_environment()
    embedder = Embedder(batch_size=128)
    base_dir = args.index_dir / "base"
    store = Store(base_dir, embedder=embedder)
    have = len(store.snapshot().articles) if store.exists() else 0
    t0 = time.perf_counter()
    while have < args.articles and not args.measure_only:  # resumable: each batch is its own commit
        n = min(args.batch, args.articles - have)
        store.add(articles(have, n, seed=have))
        have += n
        print(f"  built {have} articles ({time.perf_counter() - t0:.0f} s)", flush=True)
    if time.perf_counter() - t0 > 1:
        print(f"built the {args.articles}-article library in {time.perf_counter() - t0:.0f} s")

    # Time an add of --add more articles to a copy, so the base stays reusable.
    import shutil

    work = args.index_dir / "work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base_dir, work)
    os.sync()  # flush the copy first, or its 300 MB of dirty pages are written back during the add's fsyncs
    store = Store(work, embedder=embedder)
    new = articles(have, args.add, seed=10**9)
    t = time.perf_counter()
    report = store.add(new)
    add_s = time.perf_counter() - t
    snap = store.snapshot()
    size = sum(f.stat().st_size for f in (work / snap.generation).rglob("*") if f.is_file())

    retriever = HybridRetriever(store, embedder, top_k=8)
    queries = bench_queries(args.queries)
    retriever.search(queries[0])  # warm: model and snapshot loaded
    lat = search_latencies(retriever, queries)  # each search embeds its question
    t = time.perf_counter()
    Store(work, embedder=embedder).snapshot()
    load_s = time.perf_counter() - t
    print(f"library: {len(snap.articles)} articles, {len(snap.chunks)} chunks, {size / 2**20:.0f} MiB on disk")
    print(f"add {args.add} articles: {add_s:.1f} s ({len(report.added)} added, {report.chunks_added} chunks, "
          f"{len(report.near_duplicates)} near-duplicates)")
    print(f"snapshot load (cold, new process view): {load_s:.2f} s")
    print(f"hybrid retrieval latency over {len(queries)} queries: median {1000 * lat[len(lat) // 2]:.0f} ms, "
          f"p95 {1000 * lat[int(len(lat) * 0.95) - 1]:.0f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
