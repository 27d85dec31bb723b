"""`python -m ui` (also `qa ui`): start the web UI alone. Errors become one-line messages and exit code 1.

The password comes from QA_UI_PASSWORD or a file (--password-file), never from an argument that `ps` would
show. `qa serve` serves the same UI beside the HTTP API, with login attempts rate-limited."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from index.embedding import offline_environment
from index.errors import IndexError_
from qa.errors import QAError
from qa.memory import limit_arenas
from qa.settings import Settings
from ui.access import is_loopback, read_password


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="qa ui", description="Start the chat UI.", allow_abbrev=False)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--username", default=os.environ.get("QA_UI_USERNAME") or None,
                   help="require this user name (its password from QA_UI_PASSWORD or --password-file)")
    p.add_argument("--password-file", type=Path, default=None, help="a file whose first line is the password")
    p.add_argument("--index-dir", type=Path, default=None,
                   help="index directory (default: $QA_INDEX_DIR or ~/.local/share/news-qa/index)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return p.parse_args(argv)


def _auth(args: argparse.Namespace) -> tuple[str, str] | None:
    password = read_password(os.environ, args.password_file)
    if bool(args.username) != bool(password):
        raise ValueError("give --username and a password (QA_UI_PASSWORD or --password-file), or neither")
    return (args.username, password) if args.username else None


def main(argv: list[str] | None = None) -> int:
    offline_environment()
    limit_arenas()  # before any worker thread: memory stays flat over bursts of requests
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        auth = _auth(args)
        if auth is None and not is_loopback(args.host):
            raise ValueError(f"refusing to serve on {args.host}, which other machines can reach, without "
                             "--username and a password (QA_UI_PASSWORD or --password-file)")
        from ui.app import launch

        launch(Settings.from_env(index_dir=args.index_dir), host=args.host, port=args.port, auth=auth)
    except (QAError, IndexError_, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
