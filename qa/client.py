"""Asking a running `qa serve` over HTTP (what `qa ask` does first, so that it needs no models of its own).

Standard library only: importing this loads nothing heavy. It knows the API's /healthz and /v1/answer only.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from qa.errors import QAError
from qa.types import Answer

log = logging.getLogger(__name__)


def ask_server(base: str, question: str, *, api_key: str = "", top_k: int | None = None,
               as_of: str | None = None) -> Answer | None:
    """The answer of the server at `base`, or None when no server of ours answers there; the server's refusal
    (bad key, busy, bad question) is raised as a QAError."""
    base = base.rstrip("/")
    if not server_up(base):
        return None
    log.info("asking the server at %s", base)
    payload: dict = {"question": question}
    if top_k:
        payload["top_k"] = top_k
    if as_of:
        payload["as_of"] = as_of
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    req = urllib.request.Request(f"{base}/v1/answer", data=json.dumps(payload).encode(), headers=headers,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return Answer.from_dict(json.load(r))
    except urllib.error.HTTPError as e:
        raise QAError(f"the server at {base} refused the question ({e.code}): {_error_message(e)}") from e
    except (urllib.error.URLError, OSError) as e:
        raise QAError(f"the server at {base} stopped answering ({e}); retry, or use --local") from e


def server_up(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=0.5) as r:
            return json.load(r).get("service") == "news-qa"
    except (OSError, ValueError, AttributeError):
        return False  # nothing listening, not ours, or not JSON: answer here


def _error_message(e: urllib.error.HTTPError) -> str:
    try:
        return str(json.load(e)["error"]["message"])
    except (ValueError, KeyError, TypeError, OSError):
        return e.reason or "no detail"
