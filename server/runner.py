"""Runs one answer for an async request: waits its turn at the `Gate`, drives `Engine.stream_answer` in its own
thread, and hands the events to the event loop as they come, with "queued" notices while it waits.

Cancellation: `AnswerRun.cancel()` (the client went away, or the timeout passed) makes the worker close the
engine's event generator at the next event, which stops generation; a cancelled request leaves the queue at
once. Each run has its own thread (not the shared executor), so waiting answers never hold up searches. It
does not format anything for HTTP (that is `server.sse` and the routes).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from qa.events import Done, Event
from qa.filters import Filters
from qa.pipeline import Engine
from server.errors import GatewayTimeout
from server.gate import Gate, Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queued:
    """The request waits for the model: `position` requests are ahead of it."""
    position: int

    def to_dict(self) -> dict[str, Any]:
        return {"type": "queued", "position": self.position}


@dataclass(frozen=True)
class Question:
    text: str
    history: list | None = None
    filters: Filters | None = None
    top_k: int | None = None
    as_of: dt.date | None = None  # the day the question is asked (default today): later articles are left out


_END = object()


class AnswerRun:
    """One question's run. Iterate `events()` in the event loop; `cancel()` from anywhere."""

    def __init__(self, engine: Engine, gate: Gate, question: Question, timeout_s: float):
        self.engine, self.question, self.timeout_s = engine, question, timeout_s
        self.ticket: Ticket = gate.enter()  # raises TooManyRequests before anything starts
        self.cancelled = threading.Event()
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._thread = threading.Thread(target=self._work, name=f"answer-{self.ticket.number}", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.cancelled.set()

    async def events(self) -> AsyncIterator[Event | Queued]:
        """`Queued` notices, then the engine's events; raises what the engine raised, or `GatewayTimeout`."""
        deadline = time.monotonic() + self.timeout_s
        try:
            while True:
                left = deadline - time.monotonic()
                try:
                    item = await asyncio.wait_for(self._queue.get(), timeout=max(0.0, left))
                except TimeoutError as e:
                    raise GatewayTimeout(f"no answer within {self.timeout_s:g} s; the request was cancelled. "
                                         "Retry when the server is less busy") from e
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.cancel()

    def _put(self, item: Any) -> None:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the event loop has closed (server shutting down): nobody is listening
            self.cancel()

    def _work(self) -> None:
        started: float | None = None
        try:
            if not self._wait_turn():
                return
            started = time.perf_counter()
            self._generate()
        except BaseException as e:  # handed to the request, which turns it into an error response
            self._put(e)
        finally:
            self.ticket.release(None if started is None else time.perf_counter() - started)
            self._put(_END)

    def _wait_turn(self) -> bool:
        last = -1
        while not self.cancelled.is_set():
            position = self.ticket.position
            if position == 0:
                return True
            if position != last:
                self._put(Queued(position))
                last = position
            self.ticket.wait(timeout=0.2)
        return False

    def _generate(self) -> None:
        q = self.question
        stream = self.engine.stream_answer(q.text, top_k=q.top_k, history=q.history, filters=q.filters,
                                           as_of=q.as_of)
        try:
            for event in stream:
                if self.cancelled.is_set():
                    log.info("answer %d cancelled: generation stopped", self.ticket.number)
                    return
                self._put(event)
                if isinstance(event, Done):
                    return
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # closing the engine's generator stops the model mid-answer
