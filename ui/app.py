"""The web UI: Chat, Library and Review tabs over one library, served by Gradio.

This module lays out the tabs and serves the app; each tab lives in its own module and holds no answering
logic, and the page's styles and its one small script are in ui/static/. The script only opens and
scrolls: it never inserts article text into the page. Start it with `python -m ui` (or `qa ui`).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from qa.factory import Assistant, build
from qa.settings import Settings

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"


def page_css() -> str:
    return (STATIC / "style.css").read_text(encoding="utf-8")


def page_head() -> str:
    return f"<script>\n{(STATIC / 'page.js').read_text(encoding='utf-8')}\n</script>"


def build_app(assistant: Assistant) -> Any:
    """The Blocks app over `assistant` (its engine answers, its library and review store are shown)."""
    import gradio as gr

    from ui.chat import build_chat_tab
    from ui.library import build_library_tab
    from ui.review_tab import build_review_tab

    with gr.Blocks(title="News QA") as app:
        gr.Markdown("## News QA\nAnswers from your articles only, each claim one click from the words "
                    "that support it.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                open_chat, chat_inputs, chat_outputs = build_chat_tab(assistant)
            with gr.Tab("Library", id="library-tab") as library_tab:
                refresh_library, library_inputs, library_outputs = build_library_tab(assistant.library)
            with gr.Tab("Review", id="review-tab") as review_tab:
                refresh_review, review_inputs, review_outputs = build_review_tab(assistant)
        library_tab.select(refresh_library, library_inputs, library_outputs)
        review_tab.select(refresh_review, review_inputs, review_outputs)
        app.load(refresh_library, library_inputs, library_outputs)
        app.load(open_chat, chat_inputs, chat_outputs)  # the conversation this browser was showing
    return app


def serve(app: Any, *, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
          block: bool = True, quiet: bool = False) -> Any:
    """Serve a built app with the page's CSS and script. `block=False` returns at once (tests, scripts)."""
    from starlette.middleware import Middleware

    from ui.access import LOGIN_ATTEMPTS_PER_MINUTE, MAX_UPLOAD_BYTES, LoginLimit, RateLimiter

    app.queue(default_concurrency_limit=1)  # one answer at a time: the model uses every core
    guard = Middleware(LoginLimit, limiter=RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE))
    app.launch(server_name=host, server_port=port, auth=auth, show_error=False, css=page_css(), head=page_head(),
               prevent_thread_lock=not block, quiet=quiet, footer_links=[], max_file_size=MAX_UPLOAD_BYTES,
               app_kwargs={"middleware": [guard]})
    return app


def launch(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860,
           auth: tuple[str, str] | None = None) -> None:
    assistant = build(settings)
    if assistant.library.exists():
        assistant.library.articles()  # a damaged or mismatched index fails now, with the command that fixes it
    else:  # an empty library is a valid start: articles can be added in the Library tab
        log.warning("no index in %s yet: add articles in the Library tab or with `qa index add`",
                    settings.index_dir)
    serve(build_app(assistant), host=host, port=port, auth=auth)
