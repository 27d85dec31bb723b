"""`qa eval ...`: evaluation commands (being written: see issue "Grounded answers")."""
from __future__ import annotations


def add_eval_commands(sub, index_dir_arg) -> None:
    """Register `qa eval` subcommands on the argparse sub-parsers `sub`."""
