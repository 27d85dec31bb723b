"""`qa index ...`: add, remove, list, stats and rebuild the article library."""
from __future__ import annotations

import json
import sys

EXIT_OK, EXIT_ERROR = 0, 1


def add_index_commands(sub, index_dir_arg) -> None:
    idx = sub.add_parser("index", help="manage the article library")
    isub = idx.add_subparsers(dest="index_command", required=True)

    add = isub.add_parser("add", help="add articles: files, folders or glob patterns")
    add.add_argument("paths", nargs="+")
    add.add_argument("--quiet", action="store_true", help="no progress bar")
    index_dir_arg(add)
    add.set_defaults(func=cmd_add)

    rm = isub.add_parser("remove", help="remove articles by doc_id")
    rm.add_argument("doc_ids", nargs="+")
    index_dir_arg(rm)
    rm.set_defaults(func=cmd_remove)

    ls = isub.add_parser("list", help="list the articles, one a line, starting with its doc_id")
    ls.add_argument("--json", action="store_true")
    index_dir_arg(ls)
    ls.set_defaults(func=cmd_list)

    st = isub.add_parser("stats", help="counts, sizes and the manifest")
    st.add_argument("--json", action="store_true")
    index_dir_arg(st)
    st.set_defaults(func=cmd_stats)

    rb = isub.add_parser("rebuild", help="re-chunk and re-embed every stored article")
    rb.add_argument("--quiet", action="store_true")
    index_dir_arg(rb)
    rb.set_defaults(func=cmd_rebuild)


def _store(args):
    from index.store import Store
    from qa.cli import settings_from

    return Store(settings_from(args).index_dir)


class _Progress:
    """A tqdm bar with an ETA over embedded chunks; silent when asked or when stderr is not a terminal."""

    def __init__(self, quiet: bool, desc: str):
        self.bar = None
        self.quiet = quiet or not sys.stderr.isatty()
        self.desc = desc

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.desc, unit="chunk", file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_add(args) -> int:
    from index.loaders import load_paths

    loaded = load_paths(args.paths)
    for e in loaded.errors:
        print(f"skipped {e}", file=sys.stderr)
    if not loaded.articles:
        print("error: nothing could be added", file=sys.stderr)
        return EXIT_ERROR
    store = _store(args)
    progress = _Progress(args.quiet, "embedding")
    try:
        report = store.add(loaded.articles, progress=progress)
    finally:
        progress.close()
    for d in report.added:
        print(f"added {d}")
    for d in report.replaced:
        print(f"updated {d}")
    for d in report.unchanged:
        print(f"unchanged {d} (already indexed)")
    for a in report.conflicts:
        print(f"skipped {a.path or a.doc_id}: another article of this batch has the doc_id {a.doc_id}",
              file=sys.stderr)
    for nd in report.near_duplicates:
        print(f"near-duplicate {nd.doc_id} ~ {nd.similar_to} (similarity {nd.similarity:.2f}); both kept")
    print(f"{len(report.added)} added, {len(report.replaced)} updated, {len(report.unchanged)} unchanged, "
          f"{len(loaded.errors) + len(report.conflicts)} skipped; {report.chunks_added} chunks embedded",
          file=sys.stderr)
    return EXIT_OK


def cmd_remove(args) -> int:
    removed, missing = _store(args).remove(args.doc_ids)
    for d in removed:
        print(f"removed {d}")
    for d in missing:
        print(f"not found: {d}", file=sys.stderr)
    return EXIT_OK if removed else EXIT_ERROR


def cmd_list(args) -> int:
    snap = _store(args).snapshot()
    rows = [{"doc_id": a.doc_id, "title": a.title, "source": a.source, "published_at": a.published_at,
             "chars": len(a.text), "chunks": len(snap.rows_of(a.doc_id)), "path": a.path}
            for a in sorted(snap.articles.values(), key=lambda a: a.doc_id)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            extra = "  ".join(x for x in (r["source"], r["published_at"][:10]) if x)
            print(f"{r['doc_id']}\t{r['title'] or '(untitled)'}" + (f"\t{extra}" if extra else ""))
    return EXIT_OK


def cmd_stats(args) -> int:
    store = _store(args)
    snap = store.snapshot()
    size = sum(f.stat().st_size for f in (store.path / snap.generation).rglob("*") if f.is_file())
    stats = {"index_dir": str(store.path), "generation": snap.generation, "articles": len(snap.articles),
             "chunks": len(snap.chunks), "characters": sum(len(a.text) for a in snap.articles.values()),
             "bytes_on_disk": size, "manifest": snap.manifest}
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        m = snap.manifest
        print(f"index:      {store.path} ({snap.generation})\narticles:   {stats['articles']}\n"
              f"chunks:     {stats['chunks']}\ncharacters: {stats['characters']}\n"
              f"on disk:    {size / 2**20:.1f} MiB\nembedding:  {m['embedding_model']} ({m['dimension']} dims)\n"
              f"chunking:   {m['chunking']}\nformat:     {m['format_version']}")
    return EXIT_OK


def cmd_rebuild(args) -> int:
    store = _store(args)
    progress = _Progress(args.quiet, "re-embedding")
    try:
        n = store.rebuild(progress=progress)
    finally:
        progress.close()
    print(f"rebuilt {store.path}: {n} chunks")
    return EXIT_OK
