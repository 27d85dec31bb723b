"""`python -m ui` (also `qa ui`): start the web UI. Errors become one-line messages and exit code 1."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from index.embedding import offline_environment
from index.errors import IndexError_
from qa.errors import QAError
from qa.settings import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="qa ui", description="Start the chat UI.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--username", default=None, help="require this user name (with --password)")
    p.add_argument("--password", default=None)
    p.add_argument("--index-dir", type=Path, default=None,
                   help="index directory (default: $QA_INDEX_DIR or ~/.local/share/news-qa/index)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    offline_environment()
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if (args.username is None) != (args.password is None):
            raise ValueError("give both --username and --password, or neither")
        from ui.app import launch

        launch(Settings.from_env(index_dir=args.index_dir), host=args.host, port=args.port,
               auth=(args.username, args.password) if args.username else None)
    except (QAError, IndexError_, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
