"""Article text out of a web page: the main text only, without scripts, styles, navigation, share widgets,
cookie banners or comments. Title, source (site name) and date come from the page's metadata when present.

It does not fetch pages or run scripts: it reads the HTML it is given. Elements are dropped by tag (nav,
aside, script, ...) and by class/id hints (share, social, cookie, ...), except for a wrapper that holds the
page's <article> or <main>, whatever its class says (a "layout-sidebar" wrapper must not take the story
with it).
"""
from __future__ import annotations

import re

from index.cleaning import clean_text

_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "canvas", "iframe", "nav", "header", "footer",
              "aside", "form", "button", "select", "input", "figure", "menu", "dialog"]
_DROP_HINT = re.compile(r"(^|[-_ ])(share|social|nav|menu|breadcrumb|cookie|consent|newsletter|subscribe|promo"
                        r"|advert|ads?|related|comment|sidebar|footer|header|banner|popup|modal|byline-share)"
                        r"([-_ ]|$)", re.I)
_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "div", "section",
           "article", "br"]


def html_to_article_fields(html: str) -> dict[str, str]:
    """`text`, `title`, `source` and `published_at` of a web page (empty strings when absent)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    title = _meta(soup, "og:title") or (soup.title.get_text(" ", strip=True) if soup.title else "")
    source = _meta(soup, "og:site_name")
    published = _meta(soup, "article:published_time") or _meta(soup, "date") or _time(soup)
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:  # inside a block dropped just before
            continue
        attrs = " ".join([*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")])
        if attrs.strip() and _DROP_HINT.search(attrs) and tag.name not in ("html", "body", "article", "main") \
                and not tag.find(("article", "main")):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    if root.name == "main" and len(root.find_all("article")) == 1:
        root = root.find("article") or root
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")
    text = clean_text(re.sub(r"[ \t]*\n[ \t\n]*", "\n", root.get_text("")))
    h1 = root.find("h1") if hasattr(root, "find") else None
    if not title and h1:
        title = h1.get_text(" ", strip=True)
    return {"text": text, "title": clean_text(title), "source": clean_text(source), "published_at": published}


def _meta(soup, name: str) -> str:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return (tag.get("content") or "").strip() if tag else ""


def _time(soup) -> str:
    t = soup.find("time", attrs={"datetime": True})
    return t["datetime"].strip() if t else ""
