"""The web UI: Chat, Library and Review tabs over one index, served by Gradio.

Run with `qa ui` (binds 127.0.0.1 unless told otherwise). This module lays out the tabs, holds the page's
CSS and its one small script, and serves the app; each tab lives in its own module and holds no answering
logic. The page script only opens and scrolls: it never inserts article text into the page.
"""
from __future__ import annotations

import logging

from qa.review import ReviewStore
from qa.settings import Settings

log = logging.getLogger(__name__)

CSS = """
.cite { position: relative; cursor: pointer; font-weight: 600; color: #1d4ed8; font-size: .8em;
        vertical-align: super; margin-left: 1px; }
.cite .tip { display: none; position: absolute; z-index: 50; left: 0; top: 1.6em; width: 22em;
             background: #fffbe6; color: #222; border: 1px solid #e0b000; border-radius: 6px; padding: .5em .6em;
             font-weight: 400; font-size: 1.15em; line-height: 1.35; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
.cite:hover .tip, .cite:focus .tip, .cite:focus-within .tip { display: block; }
.refusal { font-weight: 600; color: #92400e; }
.closest { margin-top: .4em; font-size: .92em; color: #444; }
.unsupported { color: #a32; margin-top: .5em; font-size: .9em; border-left: 3px solid #a32; padding-left: .5em; }
.conflict { color: #92400e; background: #fff7e6; border: 1px solid #f59e0b; border-radius: 6px;
            padding: .3em .6em; margin-bottom: .4em; font-weight: 600; }
.extractive-note, .searched { color: #555; font-size: .85em; margin-bottom: .3em; font-style: italic; }
.short { font-weight: 700; margin-bottom: .3em; }
.error { color: #a32; font-weight: 600; }
.streaming .caret { animation: blink 1s steps(1) infinite; }
@keyframes blink { 50% { opacity: 0; } }
details.source { border: 1px solid #ddd; border-radius: 8px; padding: .5em .7em; margin-bottom: .6em; }
details.source[open] { border-color: #e0b000; }
details.source summary { cursor: pointer; list-style: none; }
details.source .meta, .review-item .meta { color: #666; font-size: .82em; }
details.source blockquote, .review-item blockquote { margin: .3em 0; padding-left: .6em;
    border-left: 3px solid #e0b000; font-size: .92em; }
.open-hint { color: #1d4ed8; font-size: .8em; }
details.source[open] .open-hint { display: none; }
.closest-head { margin: .8em 0 .4em; color: #555; font-weight: 600; }
.article-box { position: relative; max-height: 320px; overflow-y: auto; margin-top: .5em; padding: .6em;
               background: #fafafa; border: 1px solid #eee; border-radius: 6px; }
.article { white-space: pre-wrap; font-size: .9em; line-height: 1.5; }
mark.cited { background: #ffe066; padding: 0 1px; border-radius: 2px; }
.article-missing { color: #92400e; font-size: .9em; }
.sources-empty { color: #777; font-style: italic; }
.notice { border-radius: 6px; padding: .4em .8em; margin: .4em 0; }
.notice ul { margin: 0; padding-left: 1.1em; }
.notice.ok { background: #ecfdf5; border: 1px solid #10b981; }
.notice.warn { background: #fffbeb; border: 1px solid #f59e0b; }
.notice.error { background: #fef2f2; border: 1px solid #ef4444; }
table.library, table.review-list { width: 100%; border-collapse: collapse; font-size: .9em; }
table.library th, table.library td, table.review-list th, table.review-list td { border-bottom: 1px solid #eee;
    padding: .3em .5em; text-align: left; vertical-align: top; }
table.review-list tr.selected { background: #fffbe6; }
td.num { text-align: right; }
.review-stats { font-size: 1em; }
.review-stats .big { font-size: 1.8em; font-weight: 700; color: #047857; margin-right: .2em; }
.review-item .q { font-weight: 700; } .review-item .a { margin: .2em 0 .5em; color: #333; }
.review-item .label { font-weight: 600; margin-top: .5em; }
.review-item .sentence { background: #eef2ff; padding: .3em .5em; border-radius: 4px; }
.badge { border-radius: 10px; padding: 0 .5em; font-size: .85em; font-weight: 600; }
.badge.accepted { background: #d1fae5; color: #065f46; } .badge.rejected { background: #fee2e2; color: #991b1b; }
.badge.unreviewed { background: #eee; color: #555; }
"""

# Opens the source a clicked [n] refers to, and scrolls a highlighted quote to the middle of its article box
# whenever one is opened or rendered. Only DOM navigation: no article text passes through it.
HEAD = """<script>
(function () {
  function centre(mark) {
    var box = mark.closest('.article-box');
    if (box && box.offsetParent !== null) { box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3); }
  }
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.matches && d.matches('details.source') && d.open) {
      var m = d.querySelector('mark.cited'); if (m) { centre(m); }
    }
  }, true);
  document.addEventListener('click', function (e) {
    var c = e.target.closest && e.target.closest('.cite');
    if (!c) { return; }
    var n = (c.className.match(/cite-(\d+)/) || [])[1];
    var d = n && document.getElementById('source-' + n);
    if (d) { d.open = true; d.scrollIntoView({block: 'nearest'}); }
  }, true);
  new MutationObserver(function () {
    document.querySelectorAll('.autoscroll mark.cited:not([data-seen])').forEach(function (m) {
      if (m.offsetParent !== null) { m.setAttribute('data-seen', '1'); centre(m); }
    });
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true});
})();
</script>"""


def build_app(engine, reviews: ReviewStore | None = None):
    """The Blocks app over `engine`; verdicts go to `reviews` (default: review.sqlite beside the index)."""
    import gradio as gr

    from ui.chat import build_chat_tab
    from ui.library import build_library_tab
    from ui.review_tab import build_review_tab

    reviews = reviews or ReviewStore.beside(engine.store.path)
    with gr.Blocks(title="News QA") as app:
        gr.Markdown("## News QA\nAnswers from your articles only, each claim one click from the words "
                    "that support it.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                build_chat_tab(engine, reviews)
            with gr.Tab("Library", id="library-tab") as library_tab:
                refresh_library, library_outputs = build_library_tab(engine)
            with gr.Tab("Review", id="review-tab") as review_tab:
                refresh_review, review_inputs, review_outputs = build_review_tab(engine, reviews)
        library_tab.select(refresh_library, None, library_outputs)
        review_tab.select(refresh_review, review_inputs, review_outputs)
        app.load(refresh_library, None, library_outputs)
    return app


def serve(app, *, host: str = "127.0.0.1", port: int = 7860, auth=None, block: bool = True, quiet: bool = False):
    """Serve a built app with the page's CSS and script. `block=False` returns at once (tests, scripts)."""
    app.queue(default_concurrency_limit=1)  # one answer at a time: the model uses every core
    app.launch(server_name=host, server_port=port, auth=auth, show_error=False, css=CSS, head=HEAD,
               prevent_thread_lock=not block, quiet=quiet, footer_links=[])
    return app


def launch(settings: Settings, *, host: str = "127.0.0.1", port: int = 7860, auth=None) -> None:
    from qa.pipeline import Engine

    engine = Engine.from_settings(settings)
    if engine.store.exists():
        engine.store.snapshot()  # a damaged or mismatched index fails now, with the command that fixes it
    else:  # an empty library is a valid start: articles can be added in the Library tab
        log.warning("no index in %s yet: add articles in the Library tab or with `qa index add`",
                    settings.index_dir)
    serve(build_app(engine), host=host, port=port, auth=auth)
