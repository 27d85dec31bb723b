"""Errors as JSON, never a traceback: `{"error": {"type", "message"}}` with the right status, for the server's
own errors, request validation, unknown routes and the library's errors; anything unexpected is logged and
answered with a plain 500. It does not decide which error a situation is (the routes raise them)."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from index.errors import IndexError_, NotIndexedError
from qa.errors import QAError
from server.errors import ApiError, BadRequest, Conflict, ServiceUnavailable

log = logging.getLogger(__name__)

_KINDS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_request"}


def error_response(e: ApiError) -> JSONResponse:
    return JSONResponse({"error": {"type": e.kind, "message": e.message}}, status_code=e.status, headers=e.headers)


def api_error(e: BaseException) -> ApiError:
    """The API error for an exception from `qa` or `index` (anything else is a 500 with no detail)."""
    if isinstance(e, ApiError):
        return e
    if isinstance(e, NotIndexedError):
        return Conflict("the library is empty: add articles first (POST /v1/articles)")
    if isinstance(e, (ValueError, TypeError)):
        return BadRequest(str(e))
    if isinstance(e, (QAError, IndexError_)):
        return ServiceUnavailable(str(e))
    log.error("unexpected error", exc_info=e)
    return ApiError("internal error while answering; the server log has the details")


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(IndexError_, _library)
    app.add_exception_handler(QAError, _library)
    app.add_exception_handler(Exception, _unexpected)


async def _api_error(request: Request, e: ApiError) -> JSONResponse:
    return error_response(e)


async def _invalid(request: Request, e: RequestValidationError) -> JSONResponse:
    problems = [_describe(err) for err in e.errors()]
    return JSONResponse({"error": {"type": "invalid_request", "message": "; ".join(problems[:5]),
                                   "details": problems}}, status_code=422)


def _describe(err: Any) -> str:
    loc = [str(p) for p in err.get("loc", ()) if p != "body"]
    return f"{'.'.join(loc)}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg", "invalid"))


async def _http(request: Request, e: HTTPException) -> JSONResponse:
    kind = _KINDS.get(e.status_code, "error")
    return JSONResponse({"error": {"type": kind, "message": str(e.detail)}}, status_code=e.status_code,
                        headers=getattr(e, "headers", None))


async def _library(request: Request, e: Exception) -> JSONResponse:
    return error_response(api_error(e))


async def _unexpected(request: Request, e: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=e)
    return JSONResponse({"error": {"type": "internal_error", "message": "internal error; the server log has the "
                                                                        "details"}}, status_code=500)
