"""Who may reach the UI: whether an address keeps it on this machine, and the login password, read from the
environment or a file, never from the command line (where `ps` would show it). Used by `python -m ui` and by
the server that mounts the UI."""
from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path


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
