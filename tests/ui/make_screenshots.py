"""Regenerate docs/chat.png (light), docs/chat-dark.png, docs/chat-390.png (a 390 px phone screen),
docs/library.png and docs/review.png: the app over a fresh index of seeds/, driven by headless Debian Chromium.
Not a test; run `.venv/bin/python tests/ui/make_screenshots.py`."""
from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
for k, v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
             "HF_HUB_DISABLE_TELEMETRY": "1"}.items():
    os.environ.setdefault(k, v)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


FINAL = """(n) => { const b = document.querySelectorAll('#chat [data-testid="bot"]');
    return b.length === n && !b[n - 1].querySelector('.streaming'); }"""


def ask(page, questions: tuple[str, ...]) -> None:
    for n, q in enumerate(questions, 1):
        page.fill("#question textarea", q)
        page.click("#ask")
        page.wait_for_function(FINAL, arg=n, timeout=300_000)


def shoot_chat(browser, url: str, path: Path, questions: tuple[str, ...], **context) -> None:
    """The chat after `questions`, the first marker's popup open (and, on a wide screen, its source card)."""
    page = browser.new_context(**context).new_page()
    page.goto(url)
    page.wait_for_selector("#question textarea")
    ask(page, questions)
    marker = page.locator('#chat [data-testid="bot"]').last.locator(".answer-text .cite").first
    if context["viewport"]["width"] > 600:
        marker.click()  # opens its source card beside the chat
    marker.focus()  # its quote popup
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))
    page.context.close()


def shoot_tabs(browser, url: str, docs: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    page.get_by_role("tab", name="Library").click()
    page.wait_for_selector("#library-list table")
    page.wait_for_timeout(500)
    page.screenshot(path=str(docs / "library.png"))
    page.get_by_role("tab", name="Review").click()
    page.wait_for_selector("#review-detail .review-item")
    page.fill("#review-note textarea", "Quote states the 49% stake directly.")
    page.click("#accept")
    page.wait_for_selector("#review-status .notice.ok")
    page.wait_for_timeout(800)
    page.screenshot(path=str(docs / "review.png"), full_page=True)
    page.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    from index.loaders import load_paths
    from index.store import Store
    from qa.factory import build
    from qa.settings import Settings
    from ui.app import build_app, serve

    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "index")
        store.add(load_paths([str(ROOT / "seeds")]).articles)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        assistant = build(Settings.from_env(index_dir=store.path), store=store)
        app = serve(build_app(assistant), port=port, block=False, quiet=True)
        question = "What share of Scale AI did Meta take?"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
                shoot_chat(browser, app.local_url, docs / "chat.png",
                           ("Who won the 2030 football world cup?", question), viewport={"width": 1400, "height": 900})
                shoot_chat(browser, app.local_url, docs / "chat-dark.png", (question,),
                           viewport={"width": 1400, "height": 900}, color_scheme="dark")
                shoot_chat(browser, app.local_url, docs / "chat-390.png", (question,),
                           viewport={"width": 390, "height": 844}, device_scale_factor=2)
                shoot_tabs(browser, app.local_url, docs)
                browser.close()
        finally:
            app.close()
    names = ("chat", "chat-dark", "chat-390", "library", "review")
    sys.stdout.write("wrote " + " ".join(str(docs / f"{n}.png") for n in names) + "\n")


if __name__ == "__main__":
    main()
