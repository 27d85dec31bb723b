"""GET /healthz (is the server up; no key needed), GET /v1/info (models, counts, queue, versions), and JSON
404/405 errors for any other path under /v1 (which would otherwise reach the UI mounted at /)."""
from __future__ import annotations

import platform
import re
import time
from importlib import metadata
from typing import Any

from fastapi import APIRouter, Request

from index.errors import NotIndexedError
from server.errors import MethodNotAllowed, NotFound
from server.services import Svc

SERVICE = "news-qa"
public = APIRouter(tags=["info"])  # no key needed
router = APIRouter(tags=["info"])


@public.get("/healthz")
def healthz() -> dict[str, str]:
    """Up and answering requests (`qa ask` checks this before it uses the server)."""
    return {"status": "ok", "service": SERVICE}


@router.get("/v1/info")
def info(svc: Svc) -> dict[str, Any]:
    """The models, the library's and reviews' counts, the queue, and package versions."""
    a = svc.assistant
    try:
        stats = a.library.stats()
        library = {k: stats[k] for k in ("articles", "chunks", "characters", "generation")}
        embedding = stats["manifest"].get("embedding_model", "")
    except NotIndexedError:
        library, embedding = {"articles": 0, "chunks": 0, "characters": 0, "generation": None}, ""
    r = a.reviews.stats()
    return {"service": SERVICE, "uptime_s": round(time.time() - svc.started, 1),
            "models": {"llm": a.engine.model_name, "embedding": embedding},
            "library": library,
            "reviews": {"citations": r.total, "accepted": r.accepted, "rejected": r.rejected},
            "queue": svc.gate.stats(), "ui": svc.config.ui, "auth": {"api_keys": bool(svc.config.api_keys)},
            "versions": _versions()}


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("news-qa", "fastapi", "uvicorn", "gradio", "llama-cpp-python", "sentence-transformers", "mcp"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = ""
    return out


@public.api_route("/v1/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unknown(path: str, request: Request) -> None:
    """Anything else under /v1 is a JSON 404 (or 405), not the UI's page: registered last, before the UI."""
    allowed = sorted(m.upper() for template, ops in request.app.openapi()["paths"].items()
                     if re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)), f"/v1/{path}")
                     for m in ops)
    if allowed:
        raise MethodNotAllowed(f"{request.method} is not allowed on /v1/{path}", headers={"Allow": ", ".join(allowed)})
    raise NotFound(f"no endpoint /v1/{path}; see /docs")
