"""HTML for the Library and Review tabs: the article list, load/add reports, review counts, the list of
citations under review and one citation in detail. All text is escaped (see `render.esc`)."""
from __future__ import annotations

from qa.library import ArticleInfo
from qa.review import ReviewItem, ReviewStats
from ui.render import article_html, esc


def notice(kind: str, lines: list[str]) -> str:
    """A message box: kind is "ok", "warn" or "error". Lines are plain text (escaped here)."""
    if not lines:
        return ""
    items = "".join(f"<li>{esc(x)}</li>" for x in lines)
    return f'<div class="notice {esc(kind)}"><ul>{items}</ul></div>'


def library_html(articles: list[ArticleInfo], total: int | None = None) -> str:
    """The library as a table: doc id, title, outlet, date, size (`total`: the library's size when filtered)."""
    if not articles:
        if total:
            return f'<div class="sources-empty">None of the {total} articles matches these filters.</div>'
        return '<div class="sources-empty">The library is empty: upload articles above.</div>'
    rows = "".join(
        f"<tr><td><code>{esc(a.doc_id)}</code></td><td>{esc(a.title or '(untitled)')}</td><td>{esc(a.source)}</td>"
        f"<td>{esc(a.published_at[:10])}</td><td class='num'>{a.chars:,}</td></tr>" for a in articles)
    count = f"{len(articles)} of {total} articles" if total and total != len(articles) else f"{len(articles)} articles"
    return (f'<div class="count">{count}</div><div class="table-scroll"><table class="library">'
            f"<thead><tr><th>Doc id</th><th>Title</th><th>Outlet</th><th>Date</th><th>Characters</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def stats_html(s: ReviewStats) -> str:
    if s.accepted_share is None:
        head = '<span class="big" id="accepted-share">—</span> no verdicts yet'
    else:
        head = f'<span class="big" id="accepted-share">{s.accepted_share:.0%}</span> of reviewed citations accepted'
    return (f'<div class="review-stats">{head} · {s.accepted} accepted · {s.rejected} rejected · '
            f"{s.unreviewed} unreviewed · {s.total} in all</div>")


def verdict_badge(verdict: str | None) -> str:
    label = verdict or "unreviewed"
    return f'<span class="badge {esc(label)}">{esc(label)}</span>'


def choice_label(i: ReviewItem) -> str:
    q = i.question if len(i.question) <= 60 else i.question[:57] + "…"
    return f"#{i.id} · [{i.number}] {i.title[:40]} — {q} ({i.verdict or 'unreviewed'})"


def review_list_html(items: list[ReviewItem], selected: int | None) -> str:
    if not items:
        return '<div class="sources-empty">Nothing here: ask questions in the Chat tab to fill the review desk.</div>'
    rows = "".join(
        f"<tr class='{'selected' if i.id == selected else ''}'><td>#{i.id}</td><td>{esc(i.question)}</td>"
        f"<td>[{i.number}] {esc(i.title)}</td><td>{verdict_badge(i.verdict)}</td><td>{esc(i.note)}</td></tr>"
        for i in items)
    return (f'<div class="table-scroll"><table class="review-list"><thead><tr><th>Id</th><th>Question</th>'
            f"<th>Citation</th><th>Verdict</th><th>Note</th></tr></thead><tbody>{rows}</tbody></table></div>")


def review_detail_html(i: ReviewItem | None, article_text: str | None) -> str:
    """One citation: its question and answer, the sentence it supports, the quote, and the article with the
    quote highlighted (the page script scrolls the highlight into view)."""
    if i is None:
        return '<div class="sources-empty">Choose a citation to review.</div>'
    meta = " · ".join(esc(x) for x in (i.source, i.published_at[:10]) if x)
    note = f'<div class="note">Note: {esc(i.note)}</div>' if i.note else ""
    return (f'<div class="review-item" data-id="{i.id}"><div class="q">Q: {esc(i.question)}</div>'
            f'<div class="a">A: {esc(i.answer_text)}</div>'
            f'<div class="label">Sentence supported by [{i.number}]:</div>'
            f'<div class="sentence">{esc(i.sentence or "(none recorded)")}</div>'
            f'<div class="label">[{i.number}] {esc(i.title)} <span class="meta">{meta}'
            f'{" · " if meta else ""}{esc(i.doc_id)} · characters {i.start}–{i.end} · support {i.score:.2f}'
            f'</span></div><blockquote>{esc(i.quote)}</blockquote>'
            f'<div class="verdict">Verdict: {verdict_badge(i.verdict)}</div>{note}'
            f'<div class="autoscroll">{article_html(article_text, i.start, i.end, i.quote)}</div></div>')
