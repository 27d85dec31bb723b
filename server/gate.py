"""One language model, many clients: a bounded first-come-first-served queue in front of generation.

`Gate.enter()` hands out a `Ticket` at once or raises `TooManyRequests` (with a Retry-After estimated from
recent answer times) when `capacity` requests already wait. A ticket knows its position (0: its turn) and
waits for its turn; releasing it lets the next one in. Thread-based, so the API's worker threads and the
Gradio UI's handlers share one queue. It does not run anything itself (that is `server.runner`).
"""
from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

from qa.events import Event
from qa.pipeline import Engine
from server.errors import TooManyRequests


class Ticket:
    def __init__(self, gate: Gate, number: int):
        self._gate = gate
        self.number = number
        self.released = False

    @property
    def position(self) -> int:
        """How many requests are ahead of this one (0: it may generate now)."""
        return self._gate._position(self)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until it is this ticket's turn; False when `timeout` passed first."""
        return self._gate._wait(self, timeout)

    def release(self, seconds: float | None = None) -> None:
        """Leave the queue (done, failed or cancelled); `seconds` is how long generation took, if it ran."""
        self._gate._release(self, seconds)


class Gate:
    def __init__(self, capacity: int = 8, concurrency: int = 1):
        if capacity < 0 or concurrency < 1:
            raise ValueError(f"capacity must be >= 0 and concurrency >= 1, got {capacity} and {concurrency}")
        self.capacity = capacity
        self.concurrency = concurrency
        self._cond = threading.Condition()
        self._line: deque[Ticket] = deque()  # running first, then waiting, in order of arrival
        self._numbers = itertools.count(1)
        self._recent: deque[float] = deque([5.0], maxlen=20)  # seconds per answer, for Retry-After

    def enter(self) -> Ticket:
        with self._cond:
            if len(self._line) >= self.capacity + self.concurrency:
                raise TooManyRequests(f"the model is busy: {len(self._line)} requests are ahead, and at most "
                                      f"{self.capacity} may wait; retry later", self._retry_after())
            ticket = Ticket(self, next(self._numbers))
            self._line.append(ticket)
            return ticket

    def stats(self) -> dict[str, Any]:
        with self._cond:
            running = min(len(self._line), self.concurrency)
            return {"running": running, "waiting": len(self._line) - running, "capacity": self.capacity,
                    "mean_answer_s": round(sum(self._recent) / len(self._recent), 2)}

    def _retry_after(self) -> int:
        mean = sum(self._recent) / len(self._recent)
        return max(1, round(mean * (len(self._line) - self.concurrency + 1) / self.concurrency))

    def _position(self, ticket: Ticket) -> int:
        with self._cond:
            try:
                return max(0, self._line.index(ticket) - self.concurrency + 1)
            except ValueError:
                return 0

    def _wait(self, ticket: Ticket, timeout: float | None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: ticket.released or self._line.index(ticket) < self.concurrency,
                                       timeout)

    def _release(self, ticket: Ticket, seconds: float | None) -> None:
        with self._cond:
            if ticket.released:
                return
            ticket.released = True
            self._line.remove(ticket)
            if seconds is not None:
                self._recent.append(seconds)
            self._cond.notify_all()


class GatedEngine(Engine):
    """An `Engine` whose answers take their turn at `gate` (for the Gradio UI, which calls the engine
    directly): a full queue raises `TooManyRequests`, which the UI shows as an error."""

    def __init__(self, engine: Engine, gate: Gate):
        super().__init__(engine.store, engine.parts)
        self.gate = gate

    def stream_answer(self, question: str, **options: Any) -> Iterator[Event]:  # Engine.stream_answer's options
        ticket = self.gate.enter()
        started: float | None = None
        try:
            ticket.wait()
            started = time.perf_counter()
            yield from super().stream_answer(question, **options)
        finally:
            ticket.release(None if started is None else time.perf_counter() - started)
