"""The chat UI: the answer streams in, its numbered sources are listed with their quotes.

Run with `qa ui`. Binds 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import logging

from qa.settings import Settings
from ui.render import answer_html, sources_html

log = logging.getLogger(__name__)

CSS = """
.cite a { text-decoration: none; font-weight: 600; }
.refusal { font-weight: 600; }
.unsupported { color: #a33; margin-top: .5em; font-size: .9em; }
.conflict { color: #a60; font-weight: 600; }
.source { margin-bottom: .8em; }
.source .meta { color: #666; font-size: .85em; }
.source blockquote { margin: .3em 0 0 0; padding-left: .6em; border-left: 3px solid #e0b000; }
mark { background: #ffe066; }
"""


def build_app(engine):
    import gradio as gr

    def respond(message: str, history: list):
        from qa.types import Answer

        history = list(history or []) + [{"role": "user", "content": message},
                                          {"role": "assistant", "content": ""}]
        if not message or not message.strip():
            history[-1]["content"] = "Please type a question about the articles."
            yield history, gr.update()
            return
        text = ""
        try:
            for item in engine.stream_answer(message):
                if isinstance(item, Answer):
                    history[-1]["content"] = answer_html(item)
                    yield history, sources_html(item.citations)
                else:
                    text += item
                    history[-1]["content"] = text
                    yield history, gr.update()
        except Exception as e:  # shown to the user as a message, never as a traceback
            log.exception("answering failed")
            history[-1]["content"] = f"Sorry, that failed: {e}"
            yield history, gr.update()

    with gr.Blocks(title="News QA") as app:
        gr.Markdown("## Ask the news articles\nAnswers cite exact quotes; what the articles do not say is not said.")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Chat", height=480, sanitize_html=True)
                box = gr.Textbox(label="Question", placeholder="What share of Scale AI did Meta take?")
                ask = gr.Button("Ask", variant="primary")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(elem_id="sources")
        ask.click(respond, [box, chat], [chat, sources]).then(lambda: "", None, box)
        box.submit(respond, [box, chat], [chat, sources]).then(lambda: "", None, box)
    return app


def launch(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860, auth=None) -> None:
    from index.store import Store
    from qa.llm import make_llm
    from qa.pipeline import Engine

    engine = Engine(Store(settings.index_dir), make_llm(settings), top_k=settings.top_k,
                    max_tokens=settings.max_tokens)
    engine.store.snapshot()  # fail now, with a clear message, if there is no index
    app = build_app(engine)
    app.queue().launch(server_name=host, server_port=port, auth=auth, show_error=False, css=CSS)
