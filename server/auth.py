"""Who may call the server: API keys for /v1 (as `Authorization: Bearer KEY`, which the `openai` client
sends, or `X-API-Key: KEY`), compared in constant time, and a per-address limit on the UI's login attempts.
The UI's username and password themselves are checked by Gradio. It does not decide where the server may
listen (that is `server.config.check_safe`)."""
from __future__ import annotations

import hmac

from fastapi import Request

from server.errors import TooManyRequests, Unauthorized
from ui import access as ui_access


class KeyCheck:
    """A FastAPI dependency: refuses a request without one of `keys` (and lets everything through when
    `keys` is empty: the server is then on loopback only, see `check_safe`)."""

    def __init__(self, keys: tuple[str, ...]):
        self.keys = tuple(k.encode() for k in keys)

    def __call__(self, request: Request) -> None:
        if not self.keys:
            return
        given = _bearer(request.headers.get("authorization", "")) or request.headers.get("x-api-key", "")
        if not given:
            raise Unauthorized("this server needs an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")
        raw = given.encode()
        if not any(hmac.compare_digest(raw, k) for k in self.keys):
            raise Unauthorized("the API key is not valid")


def _bearer(header: str) -> str:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


class RateLimiter(ui_access.RateLimiter):
    """The UI's login limit (`ui.access.RateLimiter`), failing as the server's 429."""

    def hit(self, key: str) -> None:
        """Count one event for `key`; raises `TooManyRequests` when the window is full."""
        wait = self.retry_after(key)
        if wait:
            raise TooManyRequests("too many login attempts from this address; wait a minute and retry", wait)
