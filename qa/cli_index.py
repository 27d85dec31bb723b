"""`qa index ...`: add, remove, list, stats and rebuild the article library (through `qa.library.Library`)."""
from __future__ import annotations

import argparse
import json
import sys

from qa.cli_args import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, Progress, index_dir_arg, settings_from
from qa.library import Library


def add_index_commands(sub: argparse._SubParsersAction) -> None:
    idx = sub.add_parser("index", help="manage the article library")
    isub = idx.add_subparsers(dest="index_command", required=True)

    add = isub.add_parser("add", help="add articles: files, folders or glob patterns")
    add.add_argument("paths", nargs="+")
    add.add_argument("--quiet", action="store_true", help="no progress bar")
    add.set_defaults(func=cmd_add)

    rm = isub.add_parser("remove", help="remove articles by doc_id")
    rm.add_argument("doc_ids", nargs="+")
    rm.set_defaults(func=cmd_remove)

    ls = isub.add_parser("list", help="list the articles, one a line, starting with its doc_id")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    st = isub.add_parser("stats", help="counts, sizes and the manifest")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stats)

    rb = isub.add_parser("rebuild", help="re-chunk and re-embed every stored article")
    rb.add_argument("--quiet", action="store_true")
    rb.set_defaults(func=cmd_rebuild)

    rc = isub.add_parser("recover", help="point the library at its newest complete generation (when CURRENT "
                                          "is lost or damaged); deletes nothing")
    rc.set_defaults(func=cmd_recover)
    mg = isub.add_parser("migrate", help="copy the library to another backend without re-embedding",
                         description="Copy every article, its passages and their vectors from the library "
                                     "($QA_STORE_URL, or --index-dir) to --to: a postgresql:// URL or an index "
                                     "directory. Articles the target holds under the same doc_id are replaced.")
    mg.add_argument("--to", required=True, help="postgresql://user:password@host/db, or an index directory")
    mg.add_argument("--batch", type=int, default=1000, help="articles per transaction into PostgreSQL")
    mg.set_defaults(func=cmd_migrate)
    for p in (add, rm, ls, st, rb, rc, mg):
        index_dir_arg(p)


def _library(args: argparse.Namespace) -> Library:
    from qa.factory import open_store

    return Library(open_store(settings_from(args)))


def cmd_add(args: argparse.Namespace) -> int:
    library = _library(args)
    progress = Progress(args.quiet, "embedding")
    try:
        report = library.add_paths(args.paths, progress=progress)
    finally:
        progress.close()
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("skipped ") else sys.stdout)
    if not (report.added or report.updated or report.unchanged):
        print("error: nothing could be added", file=sys.stderr)
        return EXIT_ERROR
    print(report.summary(), file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_PARTIAL


def cmd_remove(args: argparse.Namespace) -> int:
    report = _library(args).remove(args.doc_ids)
    for d in report.removed:
        print(f"removed {d}")
    for d in report.missing:
        print(f"not found: {d}", file=sys.stderr)
    return EXIT_OK if report.removed else EXIT_ERROR


def cmd_list(args: argparse.Namespace) -> int:
    library = _library(args)
    library.store.snapshot()  # no library: say so (and how to make one) rather than list nothing
    rows = [a.to_dict() for a in library.articles()]
    for r in rows:
        del r["text"]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        extra = "  ".join(x for x in (r["source"], r["published_at"][:10]) if x)
        doc_id = r["doc_id"] if r["doc_id"].isprintable() else repr(r["doc_id"])  # ids stored before the rules
        print(f"{doc_id}\t{r['title'] or '(untitled)'}" + (f"\t{extra}" if extra else ""))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _library(args).stats()
    if args.json:
        print(json.dumps(stats, indent=2))
        return EXIT_OK
    m = stats["manifest"]
    print(f"index:      {stats['index_dir']} ({stats['generation']})\narticles:   {stats['articles']}\n"
          f"chunks:     {stats['chunks']}\ncharacters: {stats['characters']}\n"
          f"on disk:    {stats['bytes_on_disk'] / 2**20:.1f} MiB\n"
          f"embedding:  {m['embedding_model']} ({m['dimension']} dims)\n"
          f"chunking:   {m['chunking']}\nformat:     {m['format_version']}")
    return EXIT_OK


def cmd_rebuild(args: argparse.Namespace) -> int:
    library = _library(args)
    progress = Progress(args.quiet, "re-embedding")
    try:
        n = library.rebuild(progress=progress)
    finally:
        progress.close()
    print(f"rebuilt {library.path}: {n} chunks")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    library = _library(args)
    r = library.recover()
    print(r.describe())
    if r.needs_rebuild:
        print(f"next: qa index rebuild --index-dir {library.path}", file=sys.stderr)
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from index.backends import migrate, open_store, precision_of
    from index.embedding import Embedder
    from index.pgstore import is_postgres_url

    if args.batch < 1:
        raise ValueError(f"--batch must be at least 1, got {args.batch}")
    settings = settings_from(args)
    source = _library(args).store
    embedder = Embedder(precision=precision_of(source))  # never loaded: vectors are copied, not made
    if is_postgres_url(args.to):
        target = open_store(args.to, settings.index_dir, embedder=embedder)
    else:
        target = open_store("", args.to, embedder=embedder)
    if target.describe() == source.describe():
        raise ValueError("--to names the library itself; give another database or directory")
    n = migrate(source, target, batch=args.batch,
                progress=lambda done: print(f"copied {done} articles", file=sys.stderr, flush=True))
    print(f"migrated {n} articles from {source.describe()} to {target.describe()}")
    from qa.factory import open_reviews

    reviews = open_reviews(source)
    if reviews.exists():  # an embedded library may have none
        copied = reviews.copy_to(open_reviews(target))
        print(f"copied {copied} reviewed answers with their verdicts and notes")
    return EXIT_OK
