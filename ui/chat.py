"""The Chat tab: the answer streams in, its [n] markers show their quotes, the sources panel opens each cited
article at the highlighted quote, and every answered question is recorded for the Review tab.

Presentation only: answering is `Engine.stream_answer`; recording is `qa.review.ReviewStore`.
"""
from __future__ import annotations

import logging

from qa.review import ReviewStore
from ui.render import answer_html, esc, sources_html, streaming_html

log = logging.getLogger(__name__)

EXAMPLE = "What share of Scale AI did Meta take?"


def build_chat_tab(engine, reviews: ReviewStore) -> None:
    """Lay out the Chat tab inside the current `gr.Tab` and wire its events."""
    import gradio as gr

    from qa.types import Answer, Source

    def respond(message: str, shown: list, conversation: list):
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
        found: list = []  # the evidence, shown as soon as it is selected, before the model has written a word
        try:
            for item in engine.stream_answer(question, history=conversation or None, on_evidence=found.append):
                if item == "" and found:
                    evidence = [Source(c.doc_id, c.title, c.quote, c.start, c.end, c.score) for c in found.pop()]
                    yield shown, sources_html([], engine.store.snapshot().articles, evidence,
                                              "Evidence found; the answer is being written from it:"), conversation
                elif isinstance(item, Answer):
                    shown[-1]["content"] = answer_html(item)
                    articles = engine.store.snapshot().articles
                    conversation += [{"role": "user", "content": question},
                                     {"role": "assistant", "content": item.text}]
                    _record(reviews, item)
                    yield shown, sources_html(item.citations, articles, item.closest), conversation
                else:
                    text += item
                    shown[-1]["content"] = streaming_html(text)
                    yield shown, gr.update(), conversation
        except Exception as e:  # shown to the user as a message, never as a traceback
            log.exception("answering failed")
            shown[-1]["content"] = f'<div class="error">Sorry, that failed: {esc(str(e))}</div>'
            yield shown, gr.update(), conversation

    def clear():
        return [], '<div class="sources-empty">No sources cited yet.</div>', []

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
            sources = gr.HTML('<div class="sources-empty">No sources cited yet.</div>', elem_id="sources")
    conversation = gr.State([])
    for trigger, name in ((ask.click, "ask"), (box.submit, "ask_on_enter")):
        trigger(respond, [box, chat, conversation], [chat, sources, conversation], api_name=name).then(
            lambda: "", None, box)
    new.click(clear, None, [chat, sources, conversation])


def _record(reviews: ReviewStore, answer) -> None:
    try:
        reviews.record(answer)
    except Exception:  # a review-store problem must not lose the answer on screen
        log.exception("could not record the answer for review")

