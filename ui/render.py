"""HTML for the chat: answers with hoverable [n] markers, the sources panel, and articles with the cited span
highlighted. Every piece of article text, title or model output passes through `html.escape`: an article
containing <script> or <img onerror> is shown as text and never runs. Output is one line of HTML, because the
chat renders Markdown around it and a blank line would end an HTML block.
"""
from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Sequence

from qa.text import MARKER
from qa.types import Answer, Citation, Source
from ui.copytext import markdown, plain_text

TextOf = Callable[[str], "str | None"]  # doc_id -> the article's stored text, or None when it is gone


def esc(s: object) -> str:
    return html.escape("" if s is None else str(s), quote=True)


_tip_ids = itertools.count(1)


def marker_html(n: int, quote: str, title: str) -> str:
    """A [n] marker: a button (a click or Enter opens source n) followed by its quote as a tooltip popup, shown on
    hover or focus. The popup is not inside the button, so the button's name stays "[n]"; the page script links
    the two with aria-describedby (Gradio's sanitiser drops aria attributes written here)."""
    tip = f"tip-{next(_tip_ids)}"
    return (f'<span class="cite cite-{n}" role="button" tabindex="0" data-tip="{tip}">[{n}]</span>'
            f'<span class="tip" role="tooltip" id="{tip}">“{esc(_one_line(quote))}” — {esc(title)}</span>')


def _one_line(text: str) -> str:
    """Whitespace collapsed: a chat message is Markdown around one line of HTML, which a blank line would end."""
    return " ".join(str(text).split())


def with_marker_html(text_html: str, by_number: dict[int, Citation]) -> str:
    """Escaped text with each [n] of a known citation turned into its marker."""
    def sub(m: re.Match[str]) -> str:
        c = by_number.get(int(m.group(1)))
        return m.group(0) if c is None else marker_html(c.number, c.quote, c.title)

    return MARKER.sub(sub, text_html)


def answer_html(a: Answer, copy: bool = True) -> str:
    """The final answer: markers carry their quote (shown on hover or focus), dropped sentences are struck
    through with the reason, refusals list the closest passages, a disagreement the answer rests on is flagged.
    The bold short answer is shown only with its markers, each of a verified citation."""
    by_number = {c.number: c for c in a.citations}
    parts: list[str] = []
    if a.standalone_question and a.standalone_question != a.question:
        parts.append(f'<div class="searched">Searched for: {esc(a.standalone_question)}</div>')
    if a.refused:
        parts.append(f'<div class="refusal">⊘ {esc(a.text)}</div>')
        if a.closest:
            items = "".join(f"<li><b>{esc(s.title)}</b>: “{esc(_one_line(s.quote))}”</li>" for s in a.closest)
            parts.append(f'<div class="closest">What came closest (not enough to answer):<ul>{items}</ul></div>')
    else:
        if a.conflict:
            parts.append('<div class="conflict">⚠ The cited sources disagree on this: compare them below.</div>')
        if short_verified(a):
            marks = with_marker_html(esc("".join(f"[{n}]" for n in a.short_citations)), by_number)
            parts.append(f'<div class="short"><span class="sr-only">Short answer: </span>'
                         f"{esc(a.short_answer)} {marks}</div>")
        parts.append(f'<div class="answer-text">{with_marker_html(esc(a.text), by_number)}</div>')
    parts.append(_dropped_html(a))
    if copy:
        parts.append(copy_buttons(a))
    return "".join(parts)


def short_verified(a: Answer) -> bool:
    """The short answer may be shown: it has citations, and each is a supported citation of this answer."""
    numbers = {c.number for c in a.citations if c.supported}
    return bool(a.short_answer and a.short_citations and all(n in numbers for n in a.short_citations))


def copy_buttons(a: Answer) -> str:
    """Buttons that copy the answer as plain text or Markdown with its sources listed. The page script copies
    the text of the hidden element after each button (Gradio's sanitiser drops data attributes); newlines are
    character references so the HTML stays on one line."""
    def hidden(kind: str, text: str) -> str:
        return f'<span class="copy-src copy-{kind}">{esc(text).replace(chr(10), "&#10;")}</span>'

    return (f'<div class="copy-row"><button type="button" class="copy-answer">Copy text</button>'
            f'{hidden("text", plain_text(a))}<button type="button" class="copy-answer">Copy Markdown</button>'
            f'{hidden("markdown", markdown(a))}</div>')


def _dropped_html(a: Answer) -> str:
    """What the model wrote that the articles do not support, struck through, each with why."""
    dropped = [s for s in a.sentences if not s.supported]
    if not dropped:
        return ""
    items = "".join(f"<li><s>{esc(s.text)}</s>{f' ({esc(s.reason)})' if s.reason else ''}</li>" for s in dropped)
    return f'<div class="unsupported">✗ Not supported by the articles, so left out:<ul>{items}</ul></div>'


def streaming_html(text: str, evidence: Sequence[Citation] = ()) -> str:
    """The answer as the model writes it, its [n] markers those of the numbered evidence cards."""
    body = with_marker_html(esc(text), {c.number: c for c in evidence})
    return f'<div class="answer-text streaming">{body}<span class="caret" aria-hidden="true">▍</span></div>'


def status_html(text: str) -> str:
    """A line in place of an answer not started yet (searching, waiting for the answers ahead)."""
    return f'<div class="answer-status streaming" role="status">{esc(text)}</div>'


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


def display_title(title: str, doc_id: str, text: str | None, source: str, published_at: str) -> str:
    """What a source card is called: its title, else the article's first line, else "outlet, date"."""
    if title and title != doc_id:
        return title
    first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    if first:
        return first if len(first) <= 90 else first[:89].rsplit(" ", 1)[0] + " …"
    return ", ".join(x for x in (source, (published_at or "")[:10]) if x) or "Untitled article"


def sources_html(citations: Sequence[Citation], text_of: TextOf, closest: list[Source] | None = None,
                 closest_heading: str = "Closest passages (not cited):", heading: str = "") -> str:
    """One numbered card per cited passage (title, outlet, date, quote); opening a card shows the article with
    the quote highlighted. Refusals list the closest passages, unnumbered."""
    if not citations and not closest:
        return '<div class="sources-empty">No sources cited yet.</div>'
    rows = [f'<div class="sources-head">{esc(heading)}</div>'] if heading else []
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
    text = text_of(doc_id)
    meta = " · ".join(esc(x) for x in (source, (published_at or "")[:10]) if x) + esc(extra)
    name = display_title(title, doc_id, text, source, published_at)
    return (f'<details class="source" id="{elem_id}"><summary><span class="num">{esc(label)}</span> '
            f'<b class="title">{esc(name)}</b>{f"<div class=meta>{meta}</div>" if meta else ""}'
            f'<blockquote>{esc(quote)}</blockquote><span class="open-hint">Open the article ▸</span></summary>'
            f"{article_html(text, start, end, quote)}</details>")
