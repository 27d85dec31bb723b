"""`qa review ...`: citation review commands (being written: see issue "Chat UI and citation review")."""
from __future__ import annotations


def add_review_commands(sub, index_dir_arg) -> None:
    """Register `qa review` subcommands on the argparse sub-parsers `sub`."""
