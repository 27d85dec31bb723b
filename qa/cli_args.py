"""What every `qa` subcommand shares: exit codes, the --index-dir option, settings from the arguments, and a
progress bar. The subcommand modules import this one, never `qa.cli` (which imports them)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qa.settings import Settings

# Exit codes of every `qa` command (also listed in the README).
EXIT_OK = 0
EXIT_ERROR = 1  # the command failed; the message says why and what to do
EXIT_USAGE = 2  # wrong arguments (argparse's own code)
EXIT_PARTIAL = 3  # `qa index add` added what it could but skipped something (each skip is listed)
EXIT_INTERRUPTED = 130


def index_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index-dir", type=Path, default=None,
                   help="index directory (default: $QA_INDEX_DIR or ~/.local/share/news-qa/index)")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(index_dir=getattr(args, "index_dir", None),
                             multihop_rules=getattr(args, "multihop_rules", None))


class Progress:
    """A tqdm bar with an ETA over embedded chunks; silent when asked or when stderr is not a terminal."""

    def __init__(self, quiet: bool, desc: str):
        self.bar: Any = None
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
