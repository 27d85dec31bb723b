"""An answer as the reader copies it: plain text or Markdown, its [n] markers kept and its sources listed
below (title, outlet, date, quote), never the HTML the chat shows."""
from __future__ import annotations

from qa.types import Answer, Citation


def _where(c: Citation) -> str:
    return ", ".join(x for x in (c.source, (c.published_at or "")[:10]) if x)


def _title(c: Citation) -> str:
    return c.title if c.title and c.title != c.doc_id else (_where(c) or "Untitled article")


def plain_text(a: Answer) -> str:
    lines = []
    if a.short_answer and a.short_citations:
        lines += [f"{a.short_answer} " + "".join(f"[{n}]" for n in a.short_citations), ""]
    lines.append(a.text)
    if a.citations:
        lines += ["", "Sources:"]
        for c in a.citations:
            where = _where(c)
            lines.append(f"[{c.number}] {_title(c)}{f' ({where})' if where else ''}: “{c.quote}”")
    elif a.closest:
        lines += ["", "Closest passages (not enough to answer):"]
        lines += [f"- {s.title}: “{s.quote}”" for s in a.closest]
    return "\n".join(lines)


def markdown(a: Answer) -> str:
    lines = []
    if a.short_answer and a.short_citations:
        lines += [f"**{_md(a.short_answer)}** " + "".join(f"[{n}]" for n in a.short_citations), ""]
    lines.append(_md(a.text))
    if a.citations:
        lines += ["", "**Sources**", ""]
        for c in a.citations:
            where = _where(c)
            title = f"[{_md(_title(c))}]({c.url})" if c.url else f"*{_md(_title(c))}*"
            lines += [f"{c.number}. {title}{f' — {_md(where)}' if where else ''}", f"   > {_md(c.quote)}"]
    elif a.closest:
        lines += ["", "**Closest passages** (not enough to answer)", ""]
        lines += [f"- *{_md(s.title)}*: > {_md(s.quote)}" for s in a.closest]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside Markdown: characters that would start emphasis, links or HTML are escaped, markers kept."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\*_`<>#|" else ch)
    return "".join(out).replace("\n", " ")
