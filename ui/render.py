"""HTML for the chat: answers with hoverable [n] markers, the sources panel, and articles with the cited span
highlighted. Every piece of article text, title or model output passes through `html.escape`: an article
containing <script> or <img onerror> is shown as text and never runs. Output is one line of HTML, because the
chat renders Markdown around it and a blank line would end an HTML block.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable

from qa.text import MARKER
from qa.types import Answer, Citation, Source

TextOf = Callable[[str], "str | None"]  # doc_id -> the article's stored text, or None when it is gone


def esc(s: object) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def answer_html(a: Answer) -> str:
    """The final answer: markers carry their quote (shown on hover or click), dropped sentences are struck
    through with the reason, refusals list the closest passages, a disagreement the answer rests on is flagged."""
    by_number = {c.number: c for c in a.citations}

    def marker(m: re.Match[str]) -> str:
        n = int(m.group(1))
        c = by_number.get(n)
        if c is None:
            return m.group(0)
        tip = f"“{esc(c.quote)}” — {esc(c.title)}"
        return (f'<span class="cite cite-{n}" tabindex="0">[{n}]'
                f'<span class="tip">{tip}</span></span>')

    parts: list[str] = []
    if a.standalone_question and a.standalone_question != a.question:
        parts.append(f'<div class="searched">Searched for: {esc(a.standalone_question)}</div>')
    if a.refused:
        parts.append(f'<div class="refusal">⊘ {esc(a.text)}</div>')
        if a.closest:
            items = "".join(f"<li><b>{esc(s.title)}</b>: “{esc(s.quote)}”</li>" for s in a.closest)
            parts.append(f'<div class="closest">What came closest (not enough to answer):<ul>{items}</ul></div>')
        parts.append(_dropped_html(a))
        return "".join(parts)
    if a.conflict:
        parts.append('<div class="conflict">⚠ The cited sources disagree on this: compare them below.</div>')
    if a.short_answer:
        marks = MARKER.sub(marker, esc("".join(f"[{n}]" for n in a.short_citations)))
        parts.append(f'<div class="short">{esc(a.short_answer)} {marks}</div>')
    parts.append(f'<div class="answer-text">{MARKER.sub(marker, esc(a.text))}</div>')
    parts.append(_dropped_html(a))
    return "".join(parts)


def _dropped_html(a: Answer) -> str:
    """What the model wrote that the articles do not support, struck through, each with why."""
    dropped = [s for s in a.sentences if not s.supported]
    if not dropped:
        return ""
    items = "".join(f"<li><s>{esc(s.text)}</s>{f' ({esc(s.reason)})' if s.reason else ''}</li>" for s in dropped)
    return f'<div class="unsupported">✗ Not supported by the articles, so left out:<ul>{items}</ul></div>'


def streaming_html(text: str) -> str:
    return f'<div class="answer-text streaming">{esc(text)}<span class="caret">▍</span></div>'


def article_html(text: str | None, start: int, end: int, quote: str = "") -> str:
    """The article in a scrollable box with [start, end) marked; the page script scrolls the mark into view.
    When the article is gone (removed) or changed since, shows the stored quote alone and says so."""
    if text is None:
        return f'<div class="article-missing">This article is no longer in the library. Quote: “{esc(quote)}”</div>'
    if quote and text[start:end] != quote:
        return (f'<div class="article-missing">The article has changed since it was cited; the quote is no '
                f'longer at characters {start}–{end}. Quote: “{esc(quote)}”</div>')
    return (f'<div class="article-box"><div class="article">{esc(text[:start])}<mark class="cited">'
            f"{esc(text[start:end])}</mark>{esc(text[end:])}</div></div>")


def sources_html(citations: list[Citation], text_of: TextOf, closest: list[Source] | None = None,
                 closest_heading: str = "Closest passages (not cited):") -> str:
    """One card per cited article passage; opening a card shows the article with the quote highlighted."""
    if not citations and not closest:
        return '<div class="sources-empty">No sources cited yet.</div>'
    rows = []
    for c in citations:
        rows.append(_card(f"source-{c.number}", f"[{c.number}]", c.title, c.doc_id, c.source, c.published_at,
                          c.quote, c.start, c.end, text_of, extra=(f" · page {c.page}" if c.page else "")))
    if closest:
        rows.append(f'<div class="closest-head">{esc(closest_heading)}</div>')
        for i, s in enumerate(closest, 1):
            rows.append(_card(f"closest-{i}", "·", s.title, s.doc_id, "", "", s.quote, s.start, s.end, text_of))
    return "".join(rows)


def _card(elem_id: str, label: str, title: str, doc_id: str, source: str, published_at: str, quote: str,
          start: int, end: int, text_of: TextOf, extra: str = "") -> str:
    meta = " · ".join(esc(x) for x in (source, (published_at or "")[:10]) if x)
    return (f'<details class="source" id="{elem_id}"><summary><b>{esc(label)} {esc(title or doc_id)}</b>'
            f'<div class="meta">{meta + " · " if meta else ""}{esc(doc_id)}{extra} · characters {start}–{end}</div>'
            f'<blockquote>{esc(quote)}</blockquote><span class="open-hint">Open the article ▸</span></summary>'
            f"{article_html(text_of(doc_id), start, end, quote)}</details>")
