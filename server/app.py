"""The ASGI app: the REST and OpenAI-compatible routes under /v1 (behind the API keys), /healthz, OpenAPI docs
at /docs, and the Gradio UI mounted at / (behind its login), over one `Assistant` whose models load once.

    app = create_app(build(settings), ServerConfig(api_keys=("k",)))

The UI answers through a `GatedEngine`, so it waits in the same queue as the API. This module only wires the
parts; it does not bind a socket (that is `server.serve`)."""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

from qa.factory import Assistant
from server import http_errors, routes_answer, routes_info, routes_library, routes_openai, routes_reviews
from server.auth import KeyCheck, RateLimiter
from server.config import ServerConfig
from server.gate import Gate, GatedEngine
from server.jobs import Jobs
from server.limits import Guard
from server.services import Services

log = logging.getLogger(__name__)

DESCRIPTION = ("Answers from your news articles, every sentence citing an exact quote. REST under /v1, an "
               "OpenAI-compatible /v1/chat/completions, and the chat UI at /. Send your key as "
               "`Authorization: Bearer KEY` when the server has keys.")


def create_app(assistant: Assistant, config: ServerConfig | None = None) -> FastAPI:
    """The app over `assistant` (its engine answers; its library and review store are served)."""
    config = config or ServerConfig()
    svc = Services(assistant, config, Gate(capacity=config.queue_size), Jobs(assistant.library))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        svc.jobs.shutdown()

    app = FastAPI(title="News QA", version=_version(), description=DESCRIPTION, lifespan=lifespan)
    app.state.services = svc
    http_errors.install(app)
    keys = [Depends(KeyCheck(config.api_keys))]
    for module in (routes_info, routes_answer, routes_library, routes_reviews, routes_openai):
        app.include_router(module.router, dependencies=keys)
    app.include_router(routes_info.public)  # /healthz, and JSON 404s for the rest of /v1: after the routes
    app.add_middleware(Guard, max_body=config.max_body_bytes, max_upload=config.max_upload_bytes,
                       logins=RateLimiter(config.login_attempts_per_minute))
    if config.ui:
        _mount_ui(app, dataclasses.replace(assistant, engine=GatedEngine(assistant.engine, svc.gate)), config)
    return app


def _mount_ui(app: FastAPI, assistant: Assistant, config: ServerConfig) -> None:
    import gradio as gr

    from ui.app import build_app, page_css, page_head

    blocks = build_app(assistant)
    blocks.queue(default_concurrency_limit=1)  # one answer at a time: the model uses every core
    gr.mount_gradio_app(app, blocks, path="/", auth=config.auth, css=page_css(), head=page_head(),
                        show_error=False, footer_links=[], max_file_size=config.max_upload_bytes)


def _version() -> Any:
    from importlib import metadata

    try:
        return metadata.version("news-qa")
    except metadata.PackageNotFoundError:
        return "0"
