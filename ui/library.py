"""The Library tab: upload articles (the same ingestion as `qa index add`, through `qa.library.Library`), see
them listed, remove one. Progress shows while chunks are embedded; problems are messages, never tracebacks.

Presentation only: loading, storing and reporting are `qa.library.Library`.
"""
from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa.library import ArticleInfo, IngestReport, Library
from ui.render_tables import library_html, notice

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl")


def _choices(articles: list[ArticleInfo]) -> list[tuple[str, str]]:
    return [(f"{a.doc_id} — {(a.title or '(untitled)')[:70]}", a.doc_id) for a in articles]


def report_notice(report: IngestReport) -> str:
    """The ingestion report as a message box: the summary first, then one line per article or problem."""
    kind = "warn" if report.skipped or report.near_duplicates else "ok"
    if not (report.added or report.updated or report.unchanged):
        return notice("error", ["Nothing could be added."] + [_cap(line) for line in report.lines()])
    return notice(kind, [report.summary() + "."] + [_cap(line) for line in report.lines()])


def _cap(line: str) -> str:
    return line[:1].upper() + line[1:]


def add_files(library: Library, files: list[Any] | None, progress: Callable[..., Any] | None = None) -> str:
    """Add the uploaded files to the library; returns the report as a message box."""
    paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
    if not paths:
        return notice("warn", ["Choose one or more files first (" + ", ".join(SUPPORTED) + ")."])

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress((done, max(total, 1)), desc="Embedding", unit="chunks")

    try:
        return report_notice(library.add_paths(paths, progress=step))
    finally:  # uploads never outlive their ingest (Gradio would keep them in its upload folder)
        for path in paths:
            _discard_upload(Path(path))


def upload_folder() -> Path:
    """Where Gradio keeps uploaded files (its GRADIO_TEMP_DIR, else <tmp>/gradio)."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()


def _discard_upload(path: Path) -> None:
    """Delete an uploaded file and the folder Gradio made for it (once empty); never a file elsewhere."""
    if not path.resolve().is_relative_to(upload_folder()):
        return
    try:
        path.unlink(missing_ok=True)
        path.parent.rmdir()
    except OSError:  # a folder still holding another upload, or a file already gone
        pass


ALL_OUTLETS = "All outlets"


def filtered(articles: list[ArticleInfo], outlet: str | None, date_from: str | None,
             date_to: str | None) -> list[ArticleInfo]:
    """The articles of `outlet` (all when empty or ALL_OUTLETS) dated within [date_from, date_to] (ISO days;
    either may be empty; an undated article is kept only when no date is asked)."""
    out = [a for a in articles if not outlet or outlet == ALL_OUTLETS or a.source == outlet]
    lo, hi = (date_from or "").strip(), (date_to or "").strip()
    for bound in (lo, hi):
        if bound and not _is_day(bound):
            raise ValueError(f"dates are written 2025-06-13, got {bound!r}")
    if lo:
        out = [a for a in out if a.published_at and a.published_at[:10] >= lo]
    if hi:
        out = [a for a in out if a.published_at and a.published_at[:10] <= hi]
    return out


def _is_day(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def build_library_tab(library: Library) -> tuple[Callable[..., tuple[Any, ...]], list[Any], list[Any]]:
    """Lay out the Library tab; returns (refresh function, its inputs, its outputs) for refreshing on selection."""
    import gradio as gr

    def refresh(outlet: str | None = None, date_from: str = "", date_to: str = "") -> tuple[Any, ...]:
        arts = library.articles()
        outlets = [ALL_OUTLETS, *sorted({a.source for a in arts if a.source})]
        try:
            shown, note = filtered(arts, outlet, date_from, date_to), ""
        except ValueError as e:
            shown, note = arts, notice("warn", [str(e)])
        table = note + library_html(shown, total=len(arts))
        return table, gr.update(choices=_choices(arts), value=None), gr.update(
            choices=outlets, value=outlet if outlet in outlets else ALL_OUTLETS)

    def upload(files: list[Any] | None, outlet: str | None, date_from: str, date_to: str,
               progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008 (Gradio's way)
        try:
            message = add_files(library, files, progress)
        except Exception as e:  # a message, never a traceback
            log.exception("adding articles failed")
            message = notice("error", [f"Adding failed: {e}"])
        return (message, *refresh(outlet, date_from, date_to), None)

    def ask_first(doc_id: str | None) -> tuple[Any, ...]:
        """Removing is confirmed first: the row naming the article appears, with Remove and Cancel."""
        if not doc_id:
            return notice("warn", ["Choose an article to remove."]), gr.update(visible=False), ""
        info = library.get(doc_id)
        name = (info.title if info and info.title else doc_id)
        return "", gr.update(visible=True), notice("warn", [f"Remove “{name}” ({doc_id}) from the library? "
                                                            "It cannot be undone; you can add the file again."])

    def remove(doc_id: str | None, outlet: str | None, date_from: str, date_to: str) -> tuple[Any, ...]:
        if not doc_id:
            return (notice("warn", ["Choose an article to remove."]), gr.update(visible=False),
                    *refresh(outlet, date_from, date_to))
        try:
            r = library.remove([doc_id])
            message = notice("ok", [f"Removed {d}" for d in r.removed] + [f"Not found: {d}" for d in r.missing])
        except Exception as e:
            log.exception("removing failed")
            message = notice("error", [f"Removing failed: {e}"])
        return (message, gr.update(visible=False), *refresh(outlet, date_from, date_to))

    return _layout(refresh, upload, ask_first, remove)


def _layout(refresh: Callable[..., tuple[Any, ...]], upload: Callable[..., Any], ask_first: Callable[..., Any],
            remove: Callable[..., Any]) -> tuple[Callable[..., tuple[Any, ...]], list[Any], list[Any]]:
    import gradio as gr

    gr.Markdown("### Add articles\nText, Markdown, HTML, PDF or JSON Lines (one article a line). "
                "Re-uploading the same text changes nothing; near-duplicates are flagged.")
    files = gr.File(label="Articles", file_count="multiple", file_types=list(SUPPORTED), elem_id="upload",
                    height=160)
    add = gr.Button("Add to library", variant="primary", elem_id="add-articles")
    status = gr.HTML("", elem_id="library-status")
    gr.Markdown("### Remove an article")
    with gr.Row():
        pick = gr.Dropdown(label="Article", choices=[], elem_id="remove-choice", scale=4)
        rm = gr.Button("Remove…", variant="stop", elem_id="remove-article", scale=1)
    with gr.Column(visible=False, elem_id="confirm-remove-row") as confirm_row:
        question = gr.HTML("", elem_id="confirm-remove-question")
        with gr.Row():
            yes = gr.Button("Yes, remove it", variant="stop", elem_id="confirm-remove")
            no = gr.Button("Cancel", elem_id="cancel-remove")
    gr.Markdown("### In the library")
    with gr.Row():
        outlet = gr.Dropdown(label="Outlet", choices=[ALL_OUTLETS], value=ALL_OUTLETS, elem_id="filter-outlet")
        date_from = gr.Textbox(label="From", placeholder="YYYY-MM-DD", elem_id="filter-from", max_lines=1)
        date_to = gr.Textbox(label="To", placeholder="YYYY-MM-DD", elem_id="filter-to", max_lines=1)
    table = gr.HTML("", elem_id="library-list")
    filters = [outlet, date_from, date_to]
    outputs = [table, pick, outlet]
    add.click(upload, [files, *filters], [status, *outputs, files])
    rm.click(ask_first, [pick], [status, confirm_row, question])
    yes.click(remove, [pick, *filters], [status, confirm_row, *outputs])
    no.click(lambda: gr.update(visible=False), None, confirm_row)
    outlet.input(refresh, filters, outputs)
    for box in (date_from, date_to):
        box.submit(refresh, filters, outputs)
        box.blur(refresh, filters, outputs)
    return refresh, filters, outputs
