"""The `qa` command line: ask questions, manage the article library, start the UI, evaluate, export reviews.

Errors from the library become one-line messages on stderr and a non-zero exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from index.embedding import offline_environment
from index.errors import IndexError_
from qa.errors import QAError
from qa.settings import Settings

log = logging.getLogger("qa")

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    offline_environment()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    _quiet_libraries(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args) or EXIT_OK
    except (QAError, IndexError_, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Offline question answering over news articles.")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command")

    ask = sub.add_parser("ask", help="answer a question from the indexed articles")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.add_argument("--top-k", type=int, default=None, help="evidence sentences given to the model")
    _index_dir_arg(ask)
    ask.set_defaults(func=cmd_ask)

    from qa.cli_index import add_index_commands

    add_index_commands(sub, _index_dir_arg)
    from qa.cli_eval import add_eval_commands
    from qa.cli_review import add_review_commands

    add_eval_commands(sub, _index_dir_arg)
    add_review_commands(sub, _index_dir_arg)

    ui = sub.add_parser("ui", help="start the chat UI (http://127.0.0.1:7860)")
    ui.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    ui.add_argument("--port", type=int, default=7860)
    ui.add_argument("--username", default=None, help="require this user name (with --password)")
    ui.add_argument("--password", default=None)
    _index_dir_arg(ui)
    ui.set_defaults(func=cmd_ui)
    return p


def _index_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index-dir", type=Path, default=None,
                   help="index directory (default: $QA_INDEX_DIR or ~/.local/share/news-qa/index)")


def settings_from(args) -> Settings:
    return Settings.from_env(index_dir=getattr(args, "index_dir", None))


def make_engine(args):
    from qa.pipeline import Engine

    return Engine.from_settings(settings_from(args))


def cmd_ask(args) -> int:
    from qa.pipeline import validate_question

    validate_question(args.question)
    engine = make_engine(args)
    engine.store.snapshot()  # a missing index is reported before any model loads
    a = engine.answer(args.question, top_k=args.top_k)
    if args.json:
        print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(a.text)
    if a.short_answer:
        print(f"\nShort answer: {a.short_answer}")
    if a.citations:
        print("\nSources:")
        for c in a.citations:
            where = ", ".join(x for x in (c.source, c.published_at[:10]) if x)
            print(f"  [{c.number}] {c.title} ({c.doc_id}{'; ' + where if where else ''}), "
                  f"characters {c.start}-{c.end}:\n      “{c.quote}”")
    elif a.closest:
        print("\nClosest passages:")
        for s in a.closest:
            print(f"  - {s.title} ({s.doc_id}): “{s.quote}”")
    return EXIT_OK


def cmd_ui(args) -> int:
    if (args.username is None) != (args.password is None):
        raise ValueError("give both --username and --password, or neither")
    from ui.app import launch

    launch(settings_from(args), host=args.host, port=args.port,
           auth=(args.username, args.password) if args.username else None)
    return EXIT_OK


def _quiet_libraries(verbose: bool) -> None:
    for name in ("faiss.loader", "sentence_transformers", "httpx", "bm25s", "urllib3"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
