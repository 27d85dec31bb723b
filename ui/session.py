"""What one open chat page holds between events: its turns (each question and its answer as shown), the
conversation they belong to, and which answer is being written or waits its turn.

Gradio runs each event in its own thread and passes each handler only its inputs; a question sent while an
answer streams, a Stop, or "New conversation" must act on the answer in progress, so a page's turns live here,
keyed by Gradio's session id, and every handler renders the chat from them. A new conversation cancels what
is in progress and starts empty: an answer still finishing belongs to the old conversation and never comes
back on screen.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from qa.types import Answer, Citation
from ui.render import esc

ACTIVE = ("new", "waiting", "answering")  # new: sent, no handler has taken it yet


@dataclass
class Turn:
    question: str
    as_of: str = ""
    conversation_id: str = ""
    message_id: int | None = None  # the question's id in the conversations store
    status: str = "new"  # new, waiting, answering, done, stopped, failed
    html: str = ""  # the assistant's message as shown
    text: str = ""  # the answer's plain text (what a follow-up is asked after)
    answer: Answer | None = None
    evidence: tuple[Citation, ...] = ()
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class ChatSession:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.conversation_id = ""
        self.turns: list[Turn] = []

    def messages(self) -> list[dict[str, Any]]:
        """The chat as Gradio's message dicts (HTML content, escaped)."""
        with self.lock:
            out: list[dict[str, Any]] = []
            for t in self.turns:
                out.append({"role": "user", "content": esc(t.question)})
                out.append({"role": "assistant", "content": t.html})
            return out

    def add(self, turn: Turn) -> None:
        with self.lock:
            self.turns.append(turn)

    def claim(self) -> Turn | None:
        """The oldest question no handler has taken yet (now waiting for its turn), or None."""
        with self.lock:
            turn = next((t for t in self.turns if t.status == "new"), None)
            if turn is not None:
                turn.status = "waiting"
            return turn

    def busy(self) -> bool:
        with self.lock:
            return any(t.active for t in self.turns)

    def shows(self, turn: Turn) -> bool:
        with self.lock:
            return any(t is turn for t in self.turns)

    def history_before(self, turn: Turn) -> list[dict[str, str]]:
        """The plain-text conversation before `turn` (answered turns only): what a follow-up is read against."""
        with self.lock:
            out: list[dict[str, str]] = []
            for t in self.turns:
                if t is turn:
                    break
                if t.status == "done" and t.conversation_id == turn.conversation_id:
                    out += [{"role": "user", "content": t.question}, {"role": "assistant", "content": t.text}]
            return out

    def stop(self) -> bool:
        """Cancel the answer being written (else the oldest waiting question); False when nothing runs."""
        with self.lock:
            active = [t for t in self.turns if t.active]
            target = next((t for t in active if t.status == "answering"), active[0] if active else None)
            if target is None:
                return False
            target.cancel.set()
            return True

    def reset(self, conversation_id: str = "", turns: list[Turn] | None = None) -> None:
        """Start over (a new or another conversation): everything in progress is cancelled."""
        with self.lock:
            for t in self.turns:
                t.cancel.set()
            self.conversation_id = conversation_id
            self.turns = list(turns or [])

    def last_answered(self) -> Turn | None:
        with self.lock:
            return next((t for t in reversed(self.turns) if not t.active), None)


class Sessions:
    """The open pages' sessions by Gradio session id; the least recently used are forgotten past `limit`."""

    def __init__(self, limit: int = 500):
        self.limit = limit
        self._lock = threading.Lock()
        self._by_id: OrderedDict[str, ChatSession] = OrderedDict()

    def get(self, session_id: str | None) -> ChatSession:
        key = session_id or ""
        with self._lock:
            session = self._by_id.pop(key, None) or ChatSession()
            self._by_id[key] = session
            while len(self._by_id) > self.limit:
                self._by_id.popitem(last=False)
            return session
