"""`qa review ...`: citation review from the command line (the UI's Review tab keeps the verdicts).

`qa review export --format json|csv [--output FILE] [--only unreviewed|accepted|rejected]`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa.cli_args import EXIT_ERROR, EXIT_OK, index_dir_arg, settings_from


def add_review_commands(sub: argparse._SubParsersAction) -> None:
    """Register `qa review` subcommands on the argparse sub-parsers `sub`."""
    from qa.review import EXPORT_FORMATS, FILTERS

    rv = sub.add_parser("review", help="citation reviews made in the UI's Review tab")
    rsub = rv.add_subparsers(dest="review_command", required=True)
    ex = rsub.add_parser("export", help="every reviewed or unreviewed citation with its verdict and note")
    ex.add_argument("--format", choices=EXPORT_FORMATS, default="json")
    ex.add_argument("--output", type=Path, default=None, help="write here instead of standard output")
    ex.add_argument("--only", choices=FILTERS, default="all", help="which citations (default: all)")
    index_dir_arg(ex)
    ex.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from qa.review_pg import reviews_at

    settings = settings_from(args)
    reviews = reviews_at(settings.store_url, settings.index_dir)  # in PostgreSQL with a library kept there
    if not reviews.exists():
        print(f"error: no reviews yet ({reviews.location} does not exist): answer questions in `qa ui` first",
              file=sys.stderr)
        return EXIT_ERROR
    text = reviews.export(args.format, args.only)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
