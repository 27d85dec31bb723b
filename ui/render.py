"""HTML for answers and sources. Every piece of article text or title passes through `html.escape`: an
article containing <script> or <img onerror> is shown as text and never runs."""
from __future__ import annotations

import html
import re

from qa.types import Answer, Citation

_MARKER = re.compile(r"\[(\d+)\]")


def answer_html(a: Answer) -> str:
    by_number = {c.number: c for c in a.citations}

    def marker(m: re.Match) -> str:
        n = int(m.group(1))
        c = by_number.get(n)
        tip = html.escape(f"{c.title}: “{c.quote}”", quote=True) if c else ""
        return f'<sup class="cite" title="{tip}"><a href="#source-{n}">[{n}]</a></sup>'

    if a.refused:
        body = f'<div class="refusal">{html.escape(a.text)}</div>'
        if a.closest:
            items = "".join(f"<li><b>{html.escape(s.title)}</b>: “{html.escape(s.quote)}”</li>" for s in a.closest)
            body += f'<div class="closest">What came closest:<ul>{items}</ul></div>'
        return body
    body = _MARKER.sub(marker, html.escape(a.text))
    if a.extractive:
        body = f'<div class="extractive">{body}</div>'
    dropped = [s for s in a.sentences if not s.supported]
    if dropped:
        items = "".join(f"<li><s>{html.escape(s.text)}</s></li>" for s in dropped)
        body += f'<div class="unsupported">Not supported by the articles, so left out:<ul>{items}</ul></div>'
    if a.conflict:
        body = '<div class="conflict">⚠ The sources disagree on this.</div>' + body
    return body


def sources_html(citations: list[Citation]) -> str:
    if not citations:
        return '<div class="sources-empty">No sources cited.</div>'
    rows = []
    for c in citations:
        meta = " · ".join(html.escape(x) for x in (c.source, c.published_at[:10]) if x)
        page = f" · page {c.page}" if c.page else ""
        rows.append(
            f'<div class="source" id="source-{c.number}"><b>[{c.number}] {html.escape(c.title)}</b>'
            f'<div class="meta">{html.escape(c.doc_id)}{" · " + meta if meta else ""}{page} · '
            f"characters {c.start}–{c.end}</div><blockquote>{html.escape(c.quote)}</blockquote></div>")
    return "".join(rows)


def highlighted_article(text: str, start: int, end: int) -> str:
    """The article with [start, end) highlighted; the highlight is scrolled into view by the page script."""
    return (f'<div class="article">{html.escape(text[:start])}<mark id="cited-span">'
            f"{html.escape(text[start:end])}</mark>{html.escape(text[end:])}</div>")
