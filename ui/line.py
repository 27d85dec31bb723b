"""The line of answers: one answer is written at a time (the model uses every core), the others wait in the
order they were asked and can be told their place ("Waiting for 2 answers ahead of yours…").

Gradio's own queue would hold a waiting chat silently; this line lets each waiting chat see its place while it
waits, and lets a stopped or abandoned question leave the line without being answered.
"""
from __future__ import annotations

import itertools
import threading


class AnswerLine:
    """A first-come, first-served line: `join()` a ticket, wait until `ahead(ticket)` is 0, `leave()` it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._tickets: list[int] = []
        self._numbers = itertools.count(1)

    def join(self) -> int:
        with self._cond:
            ticket = next(self._numbers)
            self._tickets.append(ticket)
            return ticket

    def ahead(self, ticket: int) -> int:
        """How many answers come before `ticket` (the one being written included); 0: its turn."""
        with self._cond:
            return self._tickets.index(ticket) if ticket in self._tickets else 0

    def wait(self, ticket: int, timeout: float) -> int:
        """Wait up to `timeout` seconds for the line to move; returns how many are still ahead."""
        with self._cond:
            if self._tickets and self._tickets[0] != ticket and ticket in self._tickets:
                self._cond.wait(timeout)
            return self._tickets.index(ticket) if ticket in self._tickets else 0

    def leave(self, ticket: int) -> None:
        with self._cond:
            if ticket in self._tickets:
                self._tickets.remove(ticket)
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._tickets)
