"""Fixtures for the UI tests: a writable copy of the seed index, the app served on a free loopback port, and
Debian's Chromium driven headless by Playwright (never a browser downloaded by Playwright)."""
from __future__ import annotations

import shutil
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def index_copy(seed_store, tmp_path):
    """A private, writable copy of the seed index (uploads and review.sqlite land here)."""
    dst = tmp_path / "index"
    shutil.copytree(seed_store.path, dst, ignore=shutil.ignore_patterns(".lock", "review.sqlite"))
    return dst


@contextmanager
def served(index_dir: Path, llm, embedder):
    """A fresh store, engine, library, review store and app over `index_dir`: each call is a restart of the app."""
    from index.store import Store
    from qa.factory import build
    from qa.settings import Settings
    from ui.app import build_app, serve

    assistant = build(Settings.from_env(index_dir=index_dir), store=Store(index_dir, embedder=embedder), llm=llm)
    app = serve(build_app(assistant), port=free_port(), block=False, quiet=True)
    try:
        yield app.local_url
    finally:
        app.close()


@pytest.fixture
def serve_app(bundled_llm, embedder):
    """`with serve_app(index_dir) as url:` serves the app; a second call on the same folder is a restart."""
    return lambda index_dir: served(index_dir, bundled_llm, embedder)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()
