"""The Library tab: upload articles (the loaders and duplicate checks of `qa index add`), see them listed,
remove one. Progress shows while chunks are embedded; problems are messages, never tracebacks.

Presentation only: loading is `index.loaders.load_paths`, storing is `Store.add` / `Store.remove`.
"""
from __future__ import annotations

import logging
from pathlib import Path

from index.loaders import SUPPORTED
from ui.render_tables import library_html, notice

log = logging.getLogger(__name__)


def _articles(store) -> list:
    from index.errors import NotIndexedError

    try:
        return sorted(store.snapshot().articles.values(), key=lambda a: a.doc_id)
    except NotIndexedError:
        return []


def _choices(articles: list) -> list[tuple[str, str]]:
    return [(f"{a.doc_id} — {(a.title or '(untitled)')[:70]}", a.doc_id) for a in articles]


def add_files(store, files, progress=None) -> str:
    """Load the uploaded files and add them to the store; returns the report as a message box."""
    from index.loaders import load_paths

    paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
    if not paths:
        return notice("warn", ["Choose one or more files first (" + ", ".join(SUPPORTED) + ")."])
    loaded = load_paths(paths)
    skipped = [f"Skipped {Path(e.source).name}: {e.reason}" for e in loaded.errors]
    if not loaded.articles:
        return notice("error", ["Nothing could be added."] + skipped)

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress((done, max(total, 1)), desc="Embedding", unit="chunks")

    report = store.add(loaded.articles, progress=step)
    lines = [f"Added {d}" for d in report.added] + [f"Updated {d}" for d in report.replaced]
    lines += [f"Unchanged {d}: already in the library" for d in report.unchanged]
    warn = [f"{nd.doc_id} is a near-duplicate of {nd.similar_to} (similarity {nd.similarity:.2f}); both kept"
            for nd in report.near_duplicates]
    summary = (f"{len(report.added)} added, {len(report.replaced)} updated, {len(report.unchanged)} unchanged, "
               f"{len(loaded.errors)} skipped; {report.chunks_added} chunks embedded.")
    kind = "warn" if skipped or warn else "ok"
    return notice(kind, [summary] + lines + warn + skipped)


def build_library_tab(engine) -> tuple:
    """Lay out the Library tab; returns (refresh function, its outputs) so the app can refresh on selection."""
    import gradio as gr

    store = engine.store

    def refresh():
        arts = _articles(store)
        return library_html(arts), gr.update(choices=_choices(arts), value=None)

    def upload(files, progress=gr.Progress()):
        try:
            message = add_files(store, files, progress)
        except Exception as e:  # a message, never a traceback
            log.exception("adding articles failed")
            message = notice("error", [f"Adding failed: {e}"])
        return (message, *refresh(), None)

    def remove(doc_id):
        if not doc_id:
            return (notice("warn", ["Choose an article to remove."]), *refresh())
        try:
            removed, missing = store.remove([doc_id])
            message = notice("ok", [f"Removed {d}" for d in removed] + [f"Not found: {d}" for d in missing])
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
