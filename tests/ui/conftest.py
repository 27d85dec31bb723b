"""Fixtures for the UI tests: a writable copy of the seed index, the app served on a free loopback port, and
Debian's Chromium driven headless by Playwright (never a browser downloaded by Playwright)."""
from __future__ import annotations

import re
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


def extended_index(seed_store, embedder, dst: Path) -> Path:
    """A writable copy of the seed index at `dst`, plus three dated articles from named outlets."""
    from index.articles import Article
    from index.store import Store

    shutil.copytree(seed_store.path, dst, ignore=shutil.ignore_patterns(".lock", "*.sqlite*"))
    Store(dst, embedder=embedder).add([
        Article("harbour-ferry", "The port of Tallinn ordered four electric ferries from the shipyard Baltic Voltage "
                "on 3 March 2025. The ferries will cost 112 million euros in total and enter service in 2027.",
                title="Tallinn harbour orders electric ferries", source="Baltic Times", published_at="2025-03-03"),
        Article("remove-me", "A test article that the Library test removes. It reports nothing of note.",
                title="An article to be removed", source="Test Wire", published_at="2024-01-05"),
        Article("quokka-count", "Rangers on Rottnest Island counted 12,000 quokkas in the 2024 census.",
                title="Rottnest quokka census", source="Perth Now", published_at="2024-11-02"),
    ])
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


def watch_console(pg) -> list[str]:
    """Every console error and uncaught exception of the page, collected as they happen."""
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    return errors


class Pages:
    """Opens pages (each in its own browser context: its own storage, clipboard and colour scheme) and, when
    closed, fails the test if any of them logged a console error."""

    def __init__(self, browser):
        self.browser = browser
        self.opened: list[tuple[object, list[str]]] = []
        self.allowed: list[str] = []

    def allow(self, pattern: str) -> None:
        """A console error the test causes on purpose (a regular expression), e.g. a refused login's 400."""
        self.allowed.append(pattern)

    def open(self, width: int = 1400, height: int = 900, color_scheme: str = "light"):
        context = self.browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        self.opened.append((context, watch_console(pg)))
        return pg

    def close(self) -> None:
        errors = [e for _, errs in self.opened for e in errs if not any(re.search(p, e) for p in self.allowed)]
        for context, _ in self.opened:
            context.close()
        self.opened.clear()
        assert not errors, f"console errors: {errors}"


@pytest.fixture
def pages(browser):
    p = Pages(browser)
    yield p
    p.close()


@pytest.fixture
def page(pages):
    return pages.open()
