"""`qa serve` (also `python -m server`): parse the options, refuse an unsafe address, build the assistant,
load the models before the first request, and run uvicorn. Errors become one-line messages and exit code 1.
It does not define routes (that is `server.app`)."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from index.embedding import offline_environment
from index.errors import IndexError_, NotIndexedError
from qa.errors import QAError
from qa.factory import Assistant, build
from qa.memory import limit_arenas
from qa.settings import Settings
from server.config import DEFAULT_HOST, DEFAULT_PORT, ServerConfig, check_safe, read_keys, read_password
from server.errors import ConfigError

log = logging.getLogger("server")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="qa serve", description="Serve the API and the chat UI from one process.",
                                allow_abbrev=False)  # `--password` must not pass for --password-file
    p.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--api-key", action="append", default=None,
                   help="an API key clients must send (repeatable; visible in `ps`: prefer QA_API_KEYS or "
                        "--api-key-file)")
    p.add_argument("--api-key-file", type=Path, default=None, help="a file of API keys, one a line")
    p.add_argument("--username", default=os.environ.get("QA_UI_USERNAME") or None,
                   help="the UI's login (its password from QA_UI_PASSWORD or --password-file)")
    p.add_argument("--password-file", type=Path, default=None, help="a file whose first line is the UI's password")
    p.add_argument("--no-ui", action="store_true", help="serve the API only")
    p.add_argument("--queue-size", type=int, default=ServerConfig.queue_size,
                   help=f"answers that may wait for the model (default {ServerConfig.queue_size})")
    p.add_argument("--timeout", type=float, default=ServerConfig.request_timeout_s,
                   help=f"seconds per answer, queue included (default {ServerConfig.request_timeout_s:.0f})")
    p.add_argument("--max-upload-mb", type=int, default=50, help="largest article upload (default 50 MB)")
    p.add_argument("--index-dir", type=Path, default=None,
                   help="index directory (default: $QA_INDEX_DIR or ~/.local/share/news-qa/index)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return p.parse_args(argv)


def config_from(args: argparse.Namespace) -> ServerConfig:
    password = read_password(os.environ, args.password_file)
    if args.username and not password:
        raise ConfigError("--username needs a password: set QA_UI_PASSWORD or give --password-file")
    if args.queue_size < 0 or args.timeout <= 0 or args.max_upload_mb < 1:
        raise ConfigError("--queue-size must be >= 0, --timeout > 0 and --max-upload-mb >= 1")
    return ServerConfig(host=args.host, port=args.port,
                        api_keys=read_keys(os.environ, args.api_key, args.api_key_file),
                        username=args.username or "", password=password, ui=not args.no_ui,
                        queue_size=args.queue_size, request_timeout_s=args.timeout,
                        max_upload_bytes=args.max_upload_mb * 2**20)


def warm(assistant: Assistant) -> None:
    """Load the embedding model and the LLM now, so the first request does not pay for them."""
    try:
        assistant.engine.retrieve("warm up")
    except NotIndexedError:
        log.warning("no index in %s yet: add articles (POST /v1/articles, the Library tab or `qa index add`)",
                    assistant.library.path)
    llm = assistant.engine.parts.generator.llm
    getattr(llm, "llama_index_llm", None)  # LlamaCppLLM loads its model on first use


def main(argv: list[str] | None = None) -> int:
    offline_environment()
    limit_arenas()  # before any worker thread: memory stays flat over bursts of requests
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        config = config_from(args)
        check_safe(config)  # before anything loads
        import uvicorn

        from server.app import create_app

        assistant = build(Settings.from_env(index_dir=args.index_dir))
        warm(assistant)
        app = create_app(assistant, config)
        sys.stderr.write(f"serving on http://{config.host}:{config.port} (API docs at /docs)\n")
        uvicorn.run(app, host=config.host, port=config.port, log_level="info" if args.verbose else "warning",
                    timeout_graceful_shutdown=5)
    except (ConfigError, QAError, IndexError_, ValueError) as e:
        sys.stderr.write(f"error: {e}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
