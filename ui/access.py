"""Who may reach the UI: whether an address keeps it on this machine, the login password, read from the
environment or a file, never from the command line (where `ps` would show it), and a per-address limit on
login attempts. Used by `python -m ui` and by the server that mounts the UI."""
from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LOGIN_PATHS = ("/login", "/login/")
LOGIN_ATTEMPTS_PER_MINUTE = 10  # per client address
MAX_UPLOAD_BYTES = 50 * 2**20  # one uploaded file


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def read_secret_file(path: Path) -> str:
    """A secret's file, whole; ValueError naming the file when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ValueError(f"cannot read {path}: {e.strerror}") from e


def read_password(env: Mapping[str, str], password_file: Path | None) -> str:
    """The UI's password: the file's first line, else QA_UI_PASSWORD; never an argv value."""
    if password_file is not None:
        lines = read_secret_file(password_file).splitlines()
        return lines[0].strip() if lines else ""
    return env.get("QA_UI_PASSWORD", "")


class RateLimiter:
    """At most `limit` events per `window_s` seconds per key (a client address), in a sliding window."""

    def __init__(self, limit: int, window_s: float = 60.0):
        self.limit = limit
        self.window_s = window_s
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Count one event for `key`: 0 when it is allowed, else the seconds until the window has room."""
        now = time.monotonic()
        with self._lock:
            times = self._seen.setdefault(key, deque())
            while times and times[0] <= now - self.window_s:
                times.popleft()
            if len(times) >= self.limit:
                return int(times[0] + self.window_s - now) + 1
            times.append(now)
            if len(self._seen) > 10_000:  # forget idle addresses, so memory stays bounded
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window_s}
            return 0


class LoginLimit:
    """ASGI middleware for the UI served alone (`python -m ui`): POSTs to the login form beyond `limiter`'s
    allowance get 429 with Retry-After; everything else passes untouched. (`qa serve` has its own guard.)"""

    def __init__(self, app: Any, *, limiter: RateLimiter):
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST" and scope.get("path") in LOGIN_PATHS:
            client = scope.get("client")
            wait = self.limiter.retry_after(str(client[0]) if client else "?")
            if wait:
                body = json.dumps({"detail": "too many login attempts from this address; wait a minute and "
                                             "retry"}).encode()
                await send({"type": "http.response.start", "status": 429,
                            "headers": [(b"content-type", b"application/json"), (b"retry-after", str(wait).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
