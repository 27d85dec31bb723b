"""Fixtures for the server tests: a writable copy of the seed index, and the real app (`server.app.create_app`)
served by uvicorn in a thread on a free loopback port, with API keys. `serve(...)` starts one; the session's
`api` server runs on the bundled models (loaded on first use), the `scripted` helpers run narrow queue and
cancellation tests on a slow stand-in LLM."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

KEY = "test-key-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
META_QUESTION = "What share of Scale AI did Meta take?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_index(seed_store, dst: Path) -> Path:
    shutil.copytree(seed_store.path, dst, ignore=shutil.ignore_patterns(".lock", "review.sqlite"))
    return dst


@dataclass
class Running:
    url: str
    app: object
    index_dir: Path

    def client(self, key: str | None = KEY, timeout: float = 120) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)


@contextmanager
def serve(index_dir: Path, llm, embedder, **config) -> Iterator[Running]:
    """The app over `index_dir` with `llm`, served on loopback until the block ends."""
    import uvicorn

    from index.store import Store
    from qa.factory import build
    from qa.settings import Settings
    from server.app import create_app
    from server.config import ServerConfig

    assistant = build(Settings.from_env(index_dir=index_dir), store=Store(index_dir, embedder=embedder), llm=llm)
    port = free_port()
    config.setdefault("api_keys", (KEY,))
    app = create_app(assistant, ServerConfig(port=port, **config))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Running(f"http://127.0.0.1:{port}", app, index_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def api(seed_store, bundled_llm, embedder, tmp_path_factory):
    """The server on the bundled models, the UI mounted, keys required (shared by the tests: restore what
    you change)."""
    index_dir = copy_index(seed_store, tmp_path_factory.mktemp("server") / "index")
    with serve(index_dir, bundled_llm, embedder) as running:
        yield running


@pytest.fixture
def client(api) -> Iterator[httpx.Client]:
    with api.client() as c:
        yield c
