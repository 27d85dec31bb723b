"""The Chat tab: past conversations in a sidebar, the chat, and the sources panel. A question is shown at once
and waits its turn (told its place in the line); Send becomes Stop while an answer is written; New
conversation (or the chat's trash icon) starts afresh; the last answer can be regenerated; each answer can
be copied as text or Markdown with its sources. An empty chat suggests questions about recent articles.

The handlers are `ui.chat_flow.ChatFlow`; this module lays out the tab and wires its events.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any

import gradio as gr  # imported only when the app is built (ui.app imports this module then)

from qa.conversations import ConversationStore, ConversationStoreError
from qa.factory import Assistant
from qa.library import ArticleInfo
from qa.types import Answer
from ui.chat_flow import NO_SOURCES, ChatFlow
from ui.render import answer_html, esc, sources_html
from ui.session import ChatSession, Turn

log = logging.getLogger(__name__)

EXAMPLE = "What share of Scale AI did Meta take?"
SUGGESTIONS = 3


def suggested_questions(articles: list[ArticleInfo], n: int = SUGGESTIONS) -> list[str]:
    """Questions about the most recent titled articles (newest first by date, then as listed)."""
    titled = [a for a in articles if a.title]
    titled.sort(key=lambda a: a.published_at or "", reverse=True)
    out = []
    for a in titled[:n]:
        words = a.title.split()
        topic = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
        out.append(f"What do the articles report about “{topic}”?")
    return out


def turns_of(store: ConversationStore, cid: str) -> list[Turn] | None:
    """A saved conversation as turns (None when there is none with that id). Each answer goes to the question
    it names (a question sent while another was answered is saved before that answer)."""
    conv = store.get(cid)
    if conv is None:
        return None
    turns: list[Turn] = []
    for m in conv.messages:
        if m.role == "user":
            turns.append(Turn(m.text, conversation_id=cid, message_id=m.id, status="stopped",
                              html='<div class="stopped">Not answered (interrupted).</div>'))
            continue
        t = next((t for t in turns if t.message_id == m.reply_to and m.reply_to is not None), None) or next(
            (t for t in turns if t.status == "stopped" and not t.text), None)
        if t is None:
            continue
        answer = Answer.from_dict(m.answer) if m.answer else None
        t.status, t.text, t.answer = ("done" if answer else "stopped"), m.text, answer
        t.html = answer_html(answer) if answer else f'<div class="answer-text">{esc(m.text)}</div>'
    return turns


def history_choices(store: ConversationStore) -> list[tuple[str, str]]:
    try:
        convs = store.recent(limit=30)
    except ConversationStoreError as e:
        log.warning("conversations not listed: %s", e)
        return []
    return [(f"{c.title or 'Untitled'} · {c.updated_at[:10]}", c.id) for c in convs]


class ChatTab:
    """The tab's components and the handlers that return their updates."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.store = ConversationStore.beside(assistant.reviews.path.parent)
        self.flow = ChatFlow(assistant, self.store)

    def session(self, request: gr.Request) -> ChatSession:
        return self.flow.sessions.get(getattr(request, "session_hash", None))

    def buttons(self, session: ChatSession) -> tuple[Any, Any]:
        busy = session.busy()
        return gr.update(visible=not busy), gr.update(visible=busy)

    def suggestions(self, session: ChatSession) -> list[Any]:
        if session.turns:
            return [gr.update(visible=False)] * SUGGESTIONS
        try:
            qs = suggested_questions(self.assistant.library.articles())
        except Exception:  # an unreadable library suggests nothing; the chat still works
            log.exception("no suggestions")
            qs = []
        return [gr.update(value=q, visible=True) if i < len(qs) else gr.update(visible=False)
                for i, q in enumerate([*qs, *[""] * SUGGESTIONS][:SUGGESTIONS])]

    def history(self, session: ChatSession) -> Any:
        return gr.update(choices=history_choices(self.store), value=session.conversation_id or None)

    def sources(self, session: ChatSession) -> str:
        last = session.last_answered()
        if last is None or last.answer is None:
            return NO_SOURCES
        return sources_html(last.answer.citations, self.flow.text_of, last.answer.closest,
                            heading=f"Sources of “{last.question}”:")

    # Each handler returns updates for: chat, box, conversation id, sources, send, stop, history, suggestions.

    def everything(self, session: ChatSession, box: Any) -> tuple[Any, ...]:
        return (session.messages(), box, session.conversation_id, self.sources(session), *self.buttons(session),
                self.history(session), *self.suggestions(session))

    def on_send(self, message: str, as_of: str, request: gr.Request) -> tuple[Any, ...]:
        session = self.session(request)
        sent = self.flow.send(session, message, as_of)
        return (session.messages(), "" if sent else gr.update(), session.conversation_id, gr.update(),
                *self.buttons(session), self.history(session), *[gr.update(visible=False)] * SUGGESTIONS)

    def on_drain(self, request: gr.Request) -> Any:
        session = self.session(request)
        for messages, sources in self.flow.drain(session):
            yield (messages, sources if sources is not None else gr.update(), *self.buttons(session), gr.update())
        yield (session.messages(), gr.update(), *self.buttons(session), self.history(session))

    def on_api_ask(self, message: str, as_of: str, request: gr.Request) -> Any:
        """The whole answer in one event, for programs (`gradio_client`, api_name "/ask"): (chat, sources)."""
        session = self.session(request)
        if not self.flow.send(session, message, as_of):
            raise gr.Error("Please type a question about the articles (and a date such as 2025-06-13 as of).")
        panel = NO_SOURCES
        for messages, sources in self.flow.drain(session):
            panel = sources if sources is not None else panel
            yield messages, panel

    def on_stop(self, request: gr.Request) -> None:
        self.session(request).stop()

    def on_new(self, request: gr.Request) -> tuple[Any, ...]:
        session = self.session(request)
        session.reset()
        return self.everything(session, "")

    def on_open(self, cid: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Show saved conversation `cid` (on page load: the one the browser was showing)."""
        session = self.session(request)
        try:
            turns = turns_of(self.store, cid) if cid else None
        except ConversationStoreError as e:
            gr.Warning(f"Saved conversations cannot be read: {e}")
            turns = None
        session.reset(cid or "" if turns is not None else "", turns)
        return self.everything(session, gr.update())

    def on_regenerate(self, as_of: str, request: gr.Request) -> tuple[Any, ...]:
        session = self.session(request)
        last = session.last_answered()
        if last is None or session.busy() or session.turns[-1] is not last:
            gr.Warning("Nothing to regenerate: ask a question first, or wait for the answer in progress.")
            return (gr.update(),) * (7 + SUGGESTIONS)
        with session.lock:
            session.turns.remove(last)
        return self.on_send(last.question, as_of or last.as_of, request)


def secret_for(store: ConversationStore) -> str:
    """The key the browser's stored conversation id is signed with: stable for one index folder."""
    return hashlib.sha256(str(store.path.resolve()).encode()).hexdigest()


def build_chat_tab(assistant: Assistant) -> tuple[Any, list[Any], list[Any]]:
    """Lay out the Chat tab inside the current `gr.Tab` and wire its events; returns (open handler, its
    inputs, its outputs) for the app to restore the browser's conversation on load."""
    tab = ChatTab(assistant)
    with gr.Row(equal_height=False, elem_id="chat-row"):
        with gr.Column(scale=1, min_width=200, elem_id="history-column"):
            new = gr.Button("New conversation", variant="secondary", elem_id="new-conversation")
            history = gr.Radio([], label="Conversations", elem_id="history", interactive=True)
        with gr.Column(scale=3, min_width=300, elem_id="chat-column"):
            chat = gr.Chatbot(label="Conversation", height=520, sanitize_html=True, elem_id="chat",
                              feedback_options=None, buttons=[], group_consecutive_messages=False,
                              placeholder="Ask about the articles. Every claim cites the words that support it.")
            with gr.Row(elem_id="suggestions"):
                hints = [gr.Button("", visible=False, size="sm", elem_classes=["suggestion"])
                         for _ in range(SUGGESTIONS)]
            box = gr.Textbox(label="Question", placeholder=EXAMPLE, elem_id="question", lines=1, max_lines=4)
            with gr.Row():
                ask = gr.Button("Send", variant="primary", elem_id="ask", min_width=90)
                stop = gr.Button("■ Stop", variant="stop", elem_id="stop", visible=False, min_width=90)
                regen = gr.Button("↻ Regenerate", variant="secondary", elem_id="regenerate", min_width=90)
                as_of = gr.Textbox(label="As of", placeholder="YYYY-MM-DD (empty: today)", elem_id="as-of",
                                   max_lines=1, min_width=140)
        with gr.Column(scale=2, min_width=260, elem_id="sources-column"):
            gr.Markdown("### Sources\nOpen a source to read its article at the highlighted quote.")
            sources = gr.HTML(NO_SOURCES, elem_id="sources")
    conv = gr.BrowserState("", storage_key="news-qa-conversation", secret=secret_for(tab.store))
    _wire(tab, chat=chat, box=box, conv=conv, sources=sources, ask=ask, stop=stop, history=history, hints=hints,
          new=new, regen=regen, as_of=as_of)
    return tab.on_open, [conv], [chat, box, conv, sources, ask, stop, history, *hints]


def _wire(tab: ChatTab, *, chat: Any, box: Any, conv: Any, sources: Any, ask: Any, stop: Any, history: Any,
          hints: list[Any], new: Any, regen: Any, as_of: Any) -> None:
    everything = [chat, box, conv, sources, ask, stop, history, *hints]
    fast = {"concurrency_limit": None, "show_progress": "hidden", "trigger_mode": "multiple"}
    drain_outputs = [chat, sources, ask, stop, history]

    def then_answer(event: Any) -> None:
        # Each question's own handler waits its turn in `tab.flow.line`, not in Gradio's queue: the
        # waiting chat is told its place, and Stop reaches it.
        event.then(tab.on_drain, None, drain_outputs, concurrency_limit=None, show_progress="hidden")

    then_answer(ask.click(tab.on_send, [box, as_of], everything, api_visibility="private", **fast))
    then_answer(box.submit(tab.on_send, [box, as_of], everything, api_visibility="private", **fast))
    api = gr.Button(visible=False, elem_id="api-ask")  # only an endpoint: programs ask in one call
    api.click(tab.on_api_ask, [box, as_of], [chat, sources], api_name="ask", concurrency_limit=None)
    for hint in hints:
        then_answer(hint.click(tab.on_send, [hint, as_of], everything, api_visibility="private", **fast))
    then_answer(regen.click(tab.on_regenerate, [as_of], everything, api_visibility="private", **fast))
    stop.click(tab.on_stop, None, None, api_visibility="private", **fast)
    new.click(tab.on_new, None, everything, api_visibility="private", **fast)
    chat.clear(tab.on_new, None, everything, api_visibility="private", **fast)
    history.input(tab.on_open, [history], everything, api_visibility="private", **fast)
