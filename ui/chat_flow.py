"""What the Chat tab's controls do: send a question (it waits its turn, told its place in the line), write the
answer as the engine streams it (evidence cards first, numbered, the same numbers in the text), Stop, New
conversation, regenerate, and keep every question and answer in the conversations store.

Presentation only: answering is `Engine.stream_answer`; conversations are `qa.conversations`; recording for
review is `qa.review.ReviewStore`.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

from qa.conversations import ConversationStore, ConversationStoreError
from qa.dates import as_of_date
from qa.events import Done, EvidenceFound, TextDelta
from qa.factory import Assistant
from qa.review import ReviewStoreError
from qa.types import Answer, Citation, Source
from ui.line import AnswerLine
from ui.numbering import renumbered
from ui.render import answer_html, display_title, esc, sources_html, status_html, streaming_html
from ui.session import ChatSession, Sessions, Turn

log = logging.getLogger(__name__)
T = TypeVar("T", Citation, Source)

NO_SOURCES = '<div class="sources-empty">No sources cited yet.</div>'
WAIT_POLL_S = 0.5


def waiting_text(ahead: int) -> str:
    return f"Waiting for {ahead} answer{'s' if ahead != 1 else ''} ahead of yours…"


class ChatFlow:
    def __init__(self, assistant: Assistant, conversations: ConversationStore, line: AnswerLine | None = None):
        self.assistant = assistant
        self.conversations = conversations
        self.line = line or AnswerLine()
        self.sessions = Sessions()
        self._unsaved: list[tuple[str, str, str, dict[str, Any] | None, int | None]] = []
        self._unsaved_lock = threading.Lock()

    def text_of(self, doc_id: str) -> str | None:
        try:
            info = self.assistant.library.get(doc_id)
        except Exception:  # an unreadable library: cards show the quote alone
            log.exception("could not read %s", doc_id)
            return None
        return info.text if info is not None else None

    def named(self, items: list[T]) -> list[T]:
        """Citations (or passages) whose title is only the doc_id, named by the article's first line instead
        (or "outlet, date"): hash ids are not what a reader should see."""
        out = []
        for c in items:
            if not c.title or c.title == c.doc_id:
                name = display_title("", c.doc_id, self.text_of(c.doc_id), getattr(c, "source", ""),
                                     getattr(c, "published_at", ""))
                c = dataclasses.replace(c, title=name)
            out.append(c)
        return out

    # ---- sending ------------------------------------------------------------------------------------

    def send(self, session: ChatSession, message: str, as_of: str) -> bool:
        """Queue `message` in `session` (shown at once, saved to its conversation); False, with a warning,
        when there is nothing to ask or the date is not one."""
        import gradio as gr

        question = " ".join((message or "").split())
        if not question:
            gr.Warning("Please type a question about the articles.")
            return False
        try:
            day = as_of_date((as_of or "").strip() or None).isoformat() if (as_of or "").strip() else ""
        except ValueError:
            gr.Warning(f"“As of” must be a date such as 2025-06-13, got {as_of!r}.")
            return False
        with session.lock:
            cid = session.conversation_id or self._new_conversation()
            session.conversation_id = cid
            turn = Turn(question, day, cid, html=status_html("Sent; about to start…"))
            session.add(turn)
        turn.message_id = self._save(cid, "user", question)
        return True

    def _new_conversation(self) -> str:
        import gradio as gr

        try:
            return self.conversations.create()
        except ConversationStoreError as e:  # the chat still works; it is not kept
            log.warning("conversation not saved: %s", e)
            gr.Warning(f"This conversation cannot be saved: {e}")
            return ""

    def _save(self, cid: str, role: str, text: str, answer: Answer | None = None,
              reply_to: int | None = None) -> int | None:
        """Save a message; returns its id. One that cannot be saved now (the database busy or damaged) is kept
        in memory, in order, and saved before the next message that can be: the reader is told, nothing is
        dropped while the app runs."""
        import gradio as gr

        if not cid:
            return None
        entry = (cid, role, text, answer.to_dict() if answer is not None else None, reply_to)
        with self._unsaved_lock:
            self._unsaved.append(entry)
            saved = None
            try:
                while self._unsaved:
                    head = self._unsaved[0]
                    try:
                        saved = self.conversations.append(*head[:4], reply_to=head[4])
                    except (KeyError, ValueError) as e:  # never valid (a deleted conversation): not retried
                        log.warning("message not saved: %s", e)
                        gr.Warning(f"A message could not be saved to the conversation history: {e}")
                    self._unsaved.pop(0)
            except ConversationStoreError as e:
                log.warning("message not saved yet (%d waiting): %s", len(self._unsaved), e)
                gr.Warning(f"The conversation history could not be saved yet ({e}); it is kept and saved with "
                           "the next message.")
                return None
        return saved

    # ---- answering: one handler per question sent, each waiting its turn in the line -------------------

    def drain(self, session: ChatSession) -> Iterator[tuple[Any, str | None]]:
        """Yields (chat messages, sources HTML or None for unchanged) while the oldest question not yet taken
        waits its turn and is answered."""
        turn = session.claim()
        if turn is None:
            return
        ticket = self.line.join()
        try:
            yield from self._wait(session, turn, ticket)
            if turn.cancel.is_set():
                self._stopped(turn, "")
            else:
                yield from self._answer(session, turn)
        finally:
            self.line.leave(ticket)
            if turn.active:  # a handler closed early (the page went away)
                turn.status = "stopped"
        yield session.messages(), None

    def _wait(self, session: ChatSession, turn: Turn, ticket: int) -> Iterator[tuple[Any, str | None]]:
        shown = -1
        while not turn.cancel.is_set():
            ahead = self.line.wait(ticket, WAIT_POLL_S)
            if ahead == 0:
                return
            if ahead != shown:
                shown = ahead
                turn.html = status_html(waiting_text(ahead))
                yield session.messages(), None

    def _answer(self, session: ChatSession, turn: Turn) -> Iterator[tuple[Any, str | None]]:
        turn.status, turn.html = "answering", status_html("Searching the articles…")
        yield session.messages(), None
        text = ""
        stream = self.assistant.engine.stream_answer(turn.question, history=session.history_before(turn) or None,
                                                     as_of=turn.as_of or None)
        try:
            for event in stream:
                if turn.cancel.is_set():
                    self._stopped(turn, text)
                    return
                if isinstance(event, EvidenceFound):  # numbered cards before the model writes a word
                    turn.evidence = tuple(self.named(list(event.evidence)))
                    yield session.messages(), self._panel(session, turn, sources_html(
                        turn.evidence, self.text_of, heading="Evidence found; the answer is being written from it:"))
                elif isinstance(event, TextDelta):
                    text += event.text
                    turn.html = streaming_html(text, turn.evidence)
                    yield session.messages(), None
                elif isinstance(event, Done):
                    yield session.messages(), self._panel(session, turn, self._finish(turn, event.answer))
        except Exception as e:  # shown to the user as a message, never as a traceback
            log.exception("answering failed")
            turn.status, turn.html = "failed", f'<div class="error">Sorry, that failed: {esc(str(e))}</div>'
            self._save(turn.conversation_id, "assistant", f"(failed: {e})", reply_to=turn.message_id)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # a generator: stops the model at once when the answer was stopped

    def _panel(self, session: ChatSession, turn: Turn, html: str) -> str | None:
        """The sources panel shows the newest turn's sources only (not those of a conversation left)."""
        return html if session.shows(turn) else None

    def _finish(self, turn: Turn, raw: Answer) -> str:
        answer = renumbered(raw, turn.evidence)
        answer.citations = self.named(answer.citations)
        answer.closest = self.named(answer.closest)
        turn.answer, turn.text, turn.status = answer, answer.text, "done"
        turn.html = answer_html(answer)
        self._record(answer)
        self._save(turn.conversation_id, "assistant", answer.text, answer, reply_to=turn.message_id)
        return sources_html(answer.citations, self.text_of, answer.closest,
                            heading=f"Sources of “{turn.question}”:")

    def _stopped(self, turn: Turn, text: str) -> None:
        turn.status = "stopped"
        shown = streaming_html(text, turn.evidence).replace('<span class="caret" aria-hidden="true">▍</span>', "")
        turn.html = (shown if text else "") + '<div class="stopped">■ Stopped.</div>'
        self._save(turn.conversation_id, "assistant", (text + " (stopped)").strip(), reply_to=turn.message_id)

    def _record(self, answer: Answer) -> None:
        """Record the answer for review; a failure is told to the user (the store keeps it to retry)."""
        import gradio as gr

        try:
            self.assistant.reviews.record(answer)
        except ReviewStoreError as e:
            log.warning("could not record the answer for review: %s", e)
            gr.Warning(f"This answer could not be saved for review yet: {e}")
        except Exception:
            log.exception("could not record the answer for review")
            gr.Warning("This answer could not be saved for review (see the server log).")
