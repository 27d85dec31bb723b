"""The server's configuration: address, API keys, the UI's login, limits, queue size and timeouts, read from
the command line and `QA_*` environment variables, and the safety check that refuses a public address without
credentials. Secrets never come from argv values that `ps` shows, except `--api-key`, which the issue asks for
(prefer `QA_API_KEYS` or `--api-key-file`). It does not start anything."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from server.errors import ConfigError
from ui import access
from ui.access import is_loopback

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
DEFAULT_SERVER_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_keys: tuple[str, ...] = ()  # empty: the API is open (loopback only)
    username: str = ""  # the UI's login; empty: no login (loopback only)
    password: str = field(default="", repr=False)
    ui: bool = True  # mount the Gradio UI at /
    max_upload_bytes: int = access.MAX_UPLOAD_BYTES  # one POST /v1/articles or one file uploaded in the UI
    max_body_bytes: int = 2**20  # any other request body
    queue_size: int = 32  # answers waiting for the model (one more is being generated); each is told its place
    request_timeout_s: float = 600.0  # queue wait + generation, per request
    login_attempts_per_minute: int = access.LOGIN_ATTEMPTS_PER_MINUTE  # on the UI's login form
    record_reviews: bool = True  # answers given through the API are recorded for the Review tab

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.username, self.password) if self.username else None


def check_safe(config: ServerConfig) -> None:
    """Refuse a non-loopback address unless the API has keys and the UI (when served) a login."""
    if is_loopback(config.host):
        return
    missing = []
    if not config.api_keys:
        missing.append("API keys (QA_API_KEYS, --api-key or --api-key-file)")
    if config.ui and not (config.username and config.password):
        missing.append("the UI's --username and its password (QA_UI_PASSWORD or --password-file), or --no-ui")
    if missing:
        raise ConfigError(f"refusing to serve on {config.host}, which other machines can reach, without "
                          f"{' and '.join(missing)}")


def read_keys(env: Mapping[str, str], given: list[str] | None, key_file: Path | None) -> tuple[str, ...]:
    """API keys from QA_API_KEYS (comma-separated), --api-key (repeatable) and --api-key-file (one a line)."""
    keys = [k.strip() for k in env.get("QA_API_KEYS", "").split(",")]
    keys += [k.strip() for k in given or []]
    if key_file is not None:
        keys += [k.strip() for k in _read_secret_file(key_file).splitlines()]
    return tuple(dict.fromkeys(k for k in keys if k))


def read_password(env: Mapping[str, str], password_file: Path | None) -> str:
    """The UI's password (`ui.access.read_password`), a ConfigError when its file cannot be read."""
    try:
        return access.read_password(env, password_file)
    except ValueError as e:
        raise ConfigError(str(e)) from e


def _read_secret_file(path: Path) -> str:
    try:
        return access.read_secret_file(path)
    except ValueError as e:
        raise ConfigError(str(e)) from e

