"""The server's errors: a small hierarchy, each with its HTTP status, turned into a JSON body
`{"error": {"type": ..., "message": ...}}` by `server.app`. Handlers raise these; they never build responses
for errors themselves. It does not map library errors (that is `server.app`)."""
from __future__ import annotations


class ApiError(Exception):
    """Base class: an error the client should see, with a clear message and an HTTP status."""
    status = 500
    kind = "internal_error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class BadRequest(ApiError):
    status, kind = 400, "bad_request"


class Unauthorized(ApiError):
    status, kind = 401, "unauthorized"

    def __init__(self, message: str):
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class NotFound(ApiError):
    status, kind = 404, "not_found"


class MethodNotAllowed(ApiError):
    status, kind = 405, "method_not_allowed"


class Conflict(ApiError):
    status, kind = 409, "conflict"


class PayloadTooLarge(ApiError):
    status, kind = 413, "payload_too_large"


class UnsupportedMediaType(ApiError):
    status, kind = 415, "unsupported_media_type"


class TooManyRequests(ApiError):
    """The generation queue is full, or too many login attempts: retry after `retry_after` seconds."""
    status, kind = 429, "too_many_requests"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, headers={"Retry-After": str(max(1, int(retry_after)))})
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailable(ApiError):
    status, kind = 503, "unavailable"


class GatewayTimeout(ApiError):
    status, kind = 504, "timeout"


class ConfigError(Exception):
    """The server was asked to start in an unsafe or impossible way (e.g. a public address without keys)."""
