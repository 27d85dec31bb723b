"""The Review tab: every answered question's citations, one at a time with the sentence it supports and its
quote highlighted in the article; Accept / Reject with a note; filters; the share accepted; JSON/CSV export.

Presentation only: verdicts live in `qa.review.ReviewStore` (SQLite beside the index, or the library's
PostgreSQL database: `qa.review_pg.PgReviewStore`).
"""
from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa.factory import Assistant
from qa.review import FILTERS, ReviewStoreError
from ui.render_tables import choice_label, notice, review_detail_html, review_list_html, stats_html

log = logging.getLogger(__name__)


class ReviewHandlers:
    """What the tab's controls do: show a filtered list with one citation in detail, record a verdict and
    move on to the next citation, export."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.reviews = assistant.reviews

    def article_text(self, doc_id: str) -> str | None:
        try:
            info = self.assistant.library.get(doc_id)
        except Exception:  # an unreadable library: show the quote alone
            log.exception("could not read %s", doc_id)
            return None
        return info.text if info is not None else None

    def view(self, which: str, selected: Any) -> tuple[Any, ...]:
        """Everything the tab shows for filter `which` with citation `selected` (or the first) chosen."""
        import gradio as gr

        items = self.reviews.items(which or "all")
        ids = [i.id for i in items]
        chosen = int(selected) if selected not in (None, "") and int(selected) in ids else (ids[0] if ids else None)
        item = next((i for i in items if i.id == chosen), None)
        return (stats_html(self.reviews.stats()),
                gr.update(choices=[(choice_label(i), i.id) for i in items], value=chosen),
                review_detail_html(item, self.article_text(item.doc_id) if item else None),
                item.note if item else "",
                review_list_html(items, chosen))

    def refresh(self, which: str, selected: Any) -> tuple[Any, ...]:
        import gradio as gr

        try:
            self.reviews.flush_pending()  # verdicts kept while the database was busy are saved now
        except ReviewStoreError as e:
            log.warning("pending reviews not saved yet: %s", e)
        try:
            waiting = self.reviews.pending_count()
            note = notice("warn", [f"{waiting} reviews are waiting to be saved (the review database is busy)."]
                          ) if waiting else ""
            return (*self.view(which, selected), note)
        except Exception as e:
            log.exception("review refresh failed")
            return (gr.update(),) * 5 + (notice("error", [f"Could not read the reviews: {e}"]),)

    def decide(self, verdict: str) -> Callable[[str, Any, str], tuple[Any, ...]]:
        def handler(which: str, selected: Any, note: str) -> tuple[Any, ...]:
            if selected in (None, ""):
                return (*self.view(which, None), notice("warn", ["Choose a citation first."]))
            try:
                ids = [i.id for i in self.reviews.items(which or "all")]
                item = self.reviews.set_verdict(int(selected), verdict, note or "")
            except ReviewStoreError as e:  # kept to retry when e.kept: say so
                log.warning("saving the verdict failed: %s", e)
                return (*self.view(which, selected), notice("warn" if e.kept else "error", [str(e)]))
            except Exception as e:
                log.exception("saving the verdict failed")
                return (*self.view(which, selected), notice("error", [f"Could not save the verdict: {e}"]))
            # Move on to the next citation in the list, as a reviewer working down a queue expects.
            pos = ids.index(item.id) if item.id in ids else -1
            after = [i.id for i in self.reviews.items(which or "all")]
            nxt = next((i for i in ids[pos + 1:] if i in after), None) if pos >= 0 else None
            msg = notice("ok", [f"Citation #{item.id} {verdict}."])
            return (*self.view(which, nxt if nxt is not None else item.id), msg)
        return handler

    def export(self, fmt: str) -> tuple[Any, str]:
        import gradio as gr

        try:
            text = self.reviews.export(fmt or "json")
        except Exception as e:
            log.exception("export failed")
            return gr.update(value=None, visible=False), notice("error", [f"Export failed: {e}"])
        out = Path(tempfile.mkdtemp(prefix="qa-review-")) / f"reviews.{fmt}"
        out.write_text(text, encoding="utf-8")
        return gr.update(value=str(out), visible=True), notice("ok", [f"Exported {fmt.upper()}: download it below."])


def build_review_tab(assistant: Assistant) -> tuple[Callable[..., Any], list[Any], list[Any]]:
    """Lay out the Review tab; returns (refresh function, inputs, outputs) for refreshing on selection."""
    import gradio as gr

    h = ReviewHandlers(assistant)
    stats = gr.HTML("", elem_id="review-stats")
    with gr.Row():
        which = gr.Radio(list(FILTERS), value="all", label="Show", elem_id="review-filter", scale=2)
        pick = gr.Dropdown(label="Citation", choices=[], elem_id="review-choice", scale=4)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            detail = gr.HTML("", elem_id="review-detail")
        with gr.Column(scale=2):
            note = gr.Textbox(label="Note", lines=3, placeholder="Why accept or reject (optional)",
                              elem_id="review-note")
            with gr.Row():
                accept = gr.Button("Accept", variant="primary", elem_id="accept")
                reject = gr.Button("Reject", variant="stop", elem_id="reject")
            status = gr.HTML("", elem_id="review-status")
            gr.Markdown("### Export")
            with gr.Row():
                fmt = gr.Radio(["json", "csv"], value="json", label="Format", elem_id="export-format")
                exp = gr.Button("Export", elem_id="export")
            download = gr.File(label="Download", elem_id="export-file", interactive=False, visible=False)
    listing = gr.HTML("", elem_id="review-list")

    outputs = [stats, pick, detail, note, listing, status]
    which.change(h.refresh, [which, pick], outputs)
    pick.input(h.refresh, [which, pick], outputs)
    accept.click(h.decide("accepted"), [which, pick, note], outputs)
    reject.click(h.decide("rejected"), [which, pick, note], outputs)
    exp.click(h.export, [fmt], [download, status])
    return h.refresh, [which, pick], outputs
