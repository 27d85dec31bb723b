"""ASGI middleware that guards the door before any route runs: request bodies are bounded (uploads by the
upload limit, everything else by a small one; counted as they arrive, so a missing or false Content-Length
does not help), and POSTs to the UI's login form are rate-limited per client address. It does not
authenticate (that is `server.auth`)."""
from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.auth import RateLimiter
from server.errors import ApiError, PayloadTooLarge
from server.http_errors import error_response
from ui.access import LOGIN_PATHS

UPLOAD_PATHS = ("/v1/articles", "/gradio_api/upload", "/upload")


class Guard:
    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int, logins: RateLimiter):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.logins = logins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "GET")
        limit = self.max_upload if path.startswith(UPLOAD_PATHS) else self.max_body
        try:
            if method == "POST" and path in LOGIN_PATHS:
                self.logins.hit(_client(scope))
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                raise PayloadTooLarge(f"the request body is {declared} bytes; the limit here is {limit} bytes")
        except ApiError as e:
            await error_response(e)(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise PayloadTooLarge(f"the request body is larger than the limit here, {limit} bytes")
        return message

    return wrapped


def _client(scope: Scope) -> str:
    client: Any = scope.get("client")
    return str(client[0]) if client else "?"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
