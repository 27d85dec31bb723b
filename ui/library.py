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


def build_library_tab(library: Library) -> tuple[Callable[[], tuple[Any, Any]], list[Any]]:
    """Lay out the Library tab; returns (refresh function, its outputs) so the app can refresh on selection."""
    import gradio as gr

    def refresh() -> tuple[Any, Any]:
        arts = library.articles()
        return library_html(arts), gr.update(choices=_choices(arts), value=None)

    def upload(files: list[Any] | None, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008 (Gradio's way)
        try:
            message = add_files(library, files, progress)
        except Exception as e:  # a message, never a traceback
            log.exception("adding articles failed")
            message = notice("error", [f"Adding failed: {e}"])
        return (message, *refresh(), None)

    def remove(doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            return (notice("warn", ["Choose an article to remove."]), *refresh())
        try:
            r = library.remove([doc_id])
            message = notice("ok", [f"Removed {d}" for d in r.removed] + [f"Not found: {d}" for d in r.missing])
        except Exception as e:
            log.exception("removing failed")
            message = notice("error", [f"Removing failed: {e}"])
        return (message, *refresh())

    gr.Markdown("### Add articles\nText, Markdown, HTML, PDF or JSON Lines (one article a line). "
                "Re-uploading the same text changes nothing; near-duplicates are flagged.")
    files = gr.File(label="Articles", file_count="multiple", file_types=list(SUPPORTED), elem_id="upload",
                    height=160)
    add = gr.Button("Add to library", variant="primary", elem_id="add-articles")
    status = gr.HTML("", elem_id="library-status")
    gr.Markdown("### Remove an article")
    with gr.Row():
        pick = gr.Dropdown(label="Article", choices=[], elem_id="remove-choice", scale=4)
        rm = gr.Button("Remove", variant="stop", elem_id="remove-article", scale=1)
    gr.Markdown("### In the library")
    table = gr.HTML("", elem_id="library-list")
    add.click(upload, [files], [status, table, pick, files])
    rm.click(remove, [pick], [status, table, pick])
    return refresh, [table, pick]
