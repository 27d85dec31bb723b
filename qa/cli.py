"""The `qa` command line: ask questions, manage the article library, evaluate, export reviews, and launch
the UI, the server and the MCP server (separate programs, `python -m ui` and `python -m server`: `qa` never
imports `ui` or `server`). `qa ask` asks a running server (`QA_SERVER_URL`, default http://127.0.0.1:7860) when
one answers, so it needs no models of its own, and otherwise answers in this process.

Errors from the library become one-line messages on stderr and a non-zero exit code, never a traceback.
Exit codes are in `qa.cli_args`.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from index.embedding import offline_environment
from index.errors import IndexError_
from qa.cli_args import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, index_dir_arg, settings_from
from qa.cli_eval import add_eval_commands
from qa.cli_index import add_index_commands
from qa.cli_review import add_review_commands
from qa.errors import QAError
from qa.types import Answer

log = logging.getLogger("qa")


def main(argv: list[str] | None = None) -> int:
    offline_environment()
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ui"]:  # the UI parses its own options
        return launch_ui(argv[1:])
    if argv[:1] in (["serve"], ["mcp"]):  # so do the server and the MCP server
        return launch_server(argv)
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
        return EXIT_INTERRUPTED


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Offline question answering over news articles.")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command")

    ask = sub.add_parser("ask", help="answer a question from the indexed articles")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.add_argument("--top-k", type=int, default=None, help="evidence sentences given to the model")
    ask.add_argument("--as-of", default=None, help="the day the question is asked (YYYY-MM-DD, default today): "
                                                   '"this week" counts back from it; later articles are not used')
    ask.add_argument("--server", default=None, help="the server to ask (default $QA_SERVER_URL, else "
                                                    "http://127.0.0.1:7860); without one, answer here")
    ask.add_argument("--local", action="store_true", help="answer in this process even if a server runs")
    index_dir_arg(ask)
    ask.set_defaults(func=cmd_ask)

    add_index_commands(sub)
    add_eval_commands(sub)
    add_review_commands(sub)
    sub.add_parser("ui", help="start the chat UI (http://127.0.0.1:7860); `qa ui --help` for its options")
    sub.add_parser("serve", help="serve the HTTP API and the chat UI from one process (http://127.0.0.1:7860); "
                                 "`qa serve --help` for its options")
    sub.add_parser("mcp", help="run the MCP server on stdio (tools: search the articles, answer with citations)")
    return p


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.client import ask_server
    from qa.dates import as_of_date
    from qa.pipeline import validate_question

    validate_question(args.question)
    as_of = as_of_date(args.as_of).isoformat() if args.as_of else None  # a bad date fails here, not remotely
    settings = settings_from(args)
    a = None
    if not (args.local or args.index_dir):
        a = ask_server(args.server or settings.server_url, args.question, api_key=settings.api_key,
                       top_k=args.top_k, as_of=as_of)
    if a is None:
        a = _ask_here(args, as_of)
    print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2) if args.json else format_answer(a))
    return EXIT_OK


def _ask_here(args: argparse.Namespace, as_of: str | None) -> Answer:
    from qa.factory import build_engine

    engine = build_engine(settings_from(args))
    engine.store.snapshot()  # a missing index is reported before any model loads
    return engine.answer(args.question, top_k=args.top_k, as_of=as_of)


def format_answer(a: Answer) -> str:
    """The answer, its short answer and its numbered sources (or the closest passages of a refusal)."""
    lines = [a.text]
    if a.short_answer:
        lines.append(f"\nShort answer: {a.short_answer}")
    if a.citations:
        lines.append("\nSources:")
        for c in a.citations:
            where = ", ".join(x for x in (c.source, c.published_at[:10]) if x)
            lines.append(f"  [{c.number}] {c.title} ({c.doc_id}{'; ' + where if where else ''}), "
                         f"characters {c.start}-{c.end}:\n      “{c.quote}”")
    elif a.closest:
        lines.append("\nClosest passages:")
        lines += [f"  - {s.title} ({s.doc_id}): “{s.quote}”" for s in a.closest]
    return "\n".join(lines)


def launch_ui(argv: list[str]) -> int:
    """`qa ui ...` runs `python -m ui ...` in this process's place (the UI is its own program)."""
    os.execv(sys.executable, [sys.executable, "-m", "ui", *argv])
    return EXIT_OK  # not reached


def launch_server(argv: list[str]) -> int:
    """`qa serve ...` runs `python -m server ...`, `qa mcp ...` runs `python -m server mcp ...`, in this
    process's place (`qa` never imports the server)."""
    args = argv[1:] if argv[0] == "serve" else argv
    os.execv(sys.executable, [sys.executable, "-m", "server", *args])
    return EXIT_OK  # not reached


def _quiet_libraries(verbose: bool) -> None:
    for name in ("faiss.loader", "sentence_transformers", "httpx", "bm25s", "urllib3"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
