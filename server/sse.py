"""Server-sent events: one event as the text/event-stream wire format, and the response headers that keep
proxies from buffering the stream. It does not decide what is sent."""
from __future__ import annotations

import json
from typing import Any

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(data: dict[str, Any] | str, event: str | None = None) -> str:
    """One event: `event:` (when given) and a `data:` line of compact JSON (or the string as is)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n"
