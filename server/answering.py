"""The bridge between an HTTP request and an answer: validate the question, start an `AnswerRun` (a full
queue is a 429 before anything runs), give up when the client goes away, record the answer for review, and
map the engine's errors to API errors. Used by /v1/answer, /v1/chat/completions and the MCP server's answer
tool. It does not format responses."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from qa.events import Done, Event
from qa.pipeline import validate_question
from qa.types import Answer
from server.errors import ApiError, BadRequest, ServiceUnavailable
from server.http_errors import api_error
from server.runner import AnswerRun, Question, Queued
from server.services import Services

log = logging.getLogger(__name__)

Disconnected = Callable[[], Awaitable[bool]]


def start(svc: Services, question: Question) -> AnswerRun:
    """A started run for `question`; raises `BadRequest` for a bad question, `TooManyRequests` when full."""
    try:
        validate_question(question.text)
    except (TypeError, ValueError) as e:
        raise BadRequest(str(e)) from e
    return AnswerRun(svc.assistant.engine, svc.gate, question, svc.config.request_timeout_s)


async def events(svc: Services, run: AnswerRun) -> AsyncIterator[Event | Queued]:
    """The run's events with the engine's errors as `ApiError`s; the final answer is recorded for review."""
    try:
        async for event in run.events():
            if isinstance(event, Done) and svc.config.record_reviews:
                await asyncio.to_thread(_record, svc, event.answer)
            yield event
    except ApiError:
        raise
    except Exception as e:
        raise api_error(e) from e


async def answer(svc: Services, run: AnswerRun, disconnected: Disconnected) -> Answer:
    """Wait for the run's answer, cancelling it when `disconnected()` says the client has gone."""
    watch = asyncio.create_task(_watch(run, disconnected))
    try:
        async for event in events(svc, run):
            if isinstance(event, Done):
                return event.answer
    finally:
        watch.cancel()
    raise ServiceUnavailable("the request was cancelled before an answer was ready")


async def _watch(run: AnswerRun, disconnected: Disconnected) -> None:
    while not run.cancelled.is_set():
        if await disconnected():
            log.info("client went away: cancelling answer %d", run.ticket.number)
            run.cancel()
            return
        await asyncio.sleep(0.5)


def _record(svc: Services, a: Answer) -> None:
    try:
        svc.assistant.reviews.record(a)
    except Exception:  # a review store problem must not cost the client its answer
        log.exception("could not record the answer for review")
