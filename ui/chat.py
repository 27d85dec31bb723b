"""The Chat tab: the answer streams in, its [n] markers show their quotes, the sources panel opens each cited
article at the highlighted quote, and every answered question is recorded for the Review tab.

Presentation only: answering is `Engine.stream_answer` (typed events); article texts come from the library;
recording is `qa.review.ReviewStore`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from qa.events import Done, EvidenceFound, TextDelta
from qa.factory import Assistant
from qa.review import ReviewStore, ReviewStoreError
from qa.types import Answer, Source
from ui.render import answer_html, esc, sources_html, streaming_html

log = logging.getLogger(__name__)

EXAMPLE = "What share of Scale AI did Meta take?"
NO_SOURCES = '<div class="sources-empty">No sources cited yet.</div>'


def responder(assistant: Assistant) -> Callable[[str, list, list], Iterator[tuple[Any, Any, list]]]:
    """The handler of a question: streams the answer into the chat and the evidence into the sources panel."""
    import gradio as gr

    def text_of(doc_id: str) -> str | None:
        info = assistant.library.get(doc_id)
        return info.text if info is not None else None

    def respond(message: str, shown: list, conversation: list) -> Iterator[tuple[Any, Any, list]]:
        """Yields (chat messages, sources panel, conversation). `conversation` is the plain-text history the
        engine uses for follow-ups: a list of {"role", "content"} dicts, without any HTML."""
        shown = list(shown or [])
        conversation = list(conversation or [])
        question = (message or "").strip()
        if not question:
            gr.Warning("Please type a question about the articles.")
            yield shown, gr.update(), conversation
            return
        shown.append({"role": "user", "content": esc(question)})
        shown.append({"role": "assistant", "content": streaming_html("Searching the articles…")})
        yield shown, gr.update(), conversation
        text = ""
        try:
            for event in assistant.engine.stream_answer(question, history=conversation or None):
                if isinstance(event, EvidenceFound):  # shown before the model has written a word
                    evidence = [Source(c.doc_id, c.title, c.quote, c.start, c.end, c.score) for c in event.evidence]
                    yield shown, sources_html([], text_of, evidence,
                                              "Evidence found; the answer is being written from it:"), conversation
                elif isinstance(event, TextDelta):
                    text += event.text
                    shown[-1]["content"] = streaming_html(text)
                    yield shown, gr.update(), conversation
                elif isinstance(event, Done):
                    shown[-1]["content"] = answer_html(event.answer)
                    conversation += [{"role": "user", "content": question},
                                     {"role": "assistant", "content": event.answer.text}]
                    _record(assistant.reviews, event.answer)
                    yield shown, sources_html(event.answer.citations, text_of, event.answer.closest), conversation
        except Exception as e:  # shown to the user as a message, never as a traceback
            log.exception("answering failed")
            shown[-1]["content"] = f'<div class="error">Sorry, that failed: {esc(str(e))}</div>'
            yield shown, gr.update(), conversation

    return respond


def build_chat_tab(assistant: Assistant) -> None:
    """Lay out the Chat tab inside the current `gr.Tab` and wire its events."""
    import gradio as gr

    def clear() -> tuple[list, str, list]:
        return [], NO_SOURCES, []

    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="Conversation", height=520, sanitize_html=True, elem_id="chat",
                              feedback_options=None, buttons=["copy"],
                              placeholder="Ask about the articles. Every claim cites the words that support it.")
            box = gr.Textbox(label="Question", placeholder=EXAMPLE, elem_id="question", lines=1, max_lines=4)
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id="ask")
                new = gr.Button("New conversation", variant="secondary", elem_id="new-conversation")
        with gr.Column(scale=2, elem_id="sources-column"):
            gr.Markdown("### Sources\nOpen a source to read its article at the highlighted quote.")
            sources = gr.HTML(NO_SOURCES, elem_id="sources")
    conversation = gr.State([])
    for trigger, name in ((ask.click, "ask"), (box.submit, "ask_on_enter")):
        trigger(responder(assistant), [box, chat, conversation], [chat, sources, conversation], api_name=name).then(
            lambda: "", None, box)
    new.click(clear, None, [chat, sources, conversation])


def _record(reviews: ReviewStore, answer: Answer) -> None:
    """Record the answer for review; a failure is told to the user (the store keeps it to retry when it can)."""
    import gradio as gr

    try:
        reviews.record(answer)
    except ReviewStoreError as e:  # the answer on screen is not lost; the reader is told about its review
        log.warning("could not record the answer for review: %s", e)
        gr.Warning(f"This answer could not be saved for review yet: {e}")
    except Exception:
        log.exception("could not record the answer for review")
        gr.Warning("This answer could not be saved for review (see the server log).")
