"""The three tabs driven in headless Chromium against the real app (real index, real bundled LLM) on loopback."""
from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.llm, pytest.mark.slow]

QUESTION = "What share of Scale AI did Meta take?"

# Records every distinct text the last chat message shows, to prove the answer arrives in pieces.
WATCH_STREAM = """() => {
  window.__states = [];
  new MutationObserver(() => {
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    const t = bots.length ? bots[bots.length - 1].innerText : '';
    if (t && window.__states[window.__states.length - 1] !== t) { window.__states.push(t); }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def ask(page, question: str) -> None:
    page.get_by_role("tab", name="Chat").click()
    page.fill("#question textarea", question)
    page.click("#ask")
    # The final answer replaces the streaming text: wait for it (a cited answer or a refusal).
    page.wait_for_function("""() => { const b = document.querySelectorAll('#chat [data-testid="bot"]');
        return b.length && !b[b.length - 1].querySelector('.streaming'); }""", timeout=180_000)


def upload(page, path) -> str:
    page.get_by_role("tab", name="Library").click()
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_timeout(500)  # let Gradio finish receiving the upload
    before = page.evaluate("() => (document.querySelector('#library-status .notice') || {}).innerText || ''")
    page.click("#add-articles")
    page.wait_for_function("""(before) => { const n = document.querySelector('#library-status .notice');
        return n && n.innerText !== before; }""", arg=before, timeout=120_000)
    return page.inner_text("#library-status .notice")


def test_ask_streams_an_answer_and_its_citation_opens_the_highlighted_span(serve_app, index_copy, page):
    with serve_app(index_copy) as url:
        page.goto(url)
        page.wait_for_selector("#question textarea")
        page.evaluate(WATCH_STREAM)
        ask(page, QUESTION)
        bot = page.locator('#chat [data-testid="bot"]').last
        assert re.search(r"\[\d+\]", bot.inner_text()) and "49" in bot.inner_text()
        states = page.evaluate("window.__states")
        assert len(states) >= 3, f"expected the answer to stream in pieces, saw {states}"

        # Hovering [n] shows its quote; clicking it opens source n in the sources panel.
        marker = bot.locator(".answer-text .cite").first
        n = re.sub(r"\D", "", marker.inner_text())
        marker.hover()
        tip = page.locator("#cite-popup")
        assert tip.is_visible() and "49%" in tip.inner_text()
        marker.click()
        source = page.locator(f"#source-{n}")
        assert source.get_attribute("open") is not None

        mark = source.locator("mark.cited")
        assert mark.is_visible() and "49% stake" in mark.inner_text()
        quote = source.locator("blockquote").inner_text()
        assert mark.inner_text().strip() == quote.strip()
        # The highlight is scrolled into view inside the article box.
        page.wait_for_timeout(300)
        box, m = source.locator(".article-box").bounding_box(), mark.bounding_box()
        assert box["y"] <= m["y"] and m["y"] + min(m["height"], 20) <= box["y"] + box["height"]


def test_upload_an_article_then_ask_about_it(serve_app, index_copy, page, tmp_path):
    article = tmp_path / "harbour_ferry.txt"
    article.write_text(
        "Tallinn harbour orders electric ferries\n\n"
        "The port of Tallinn ordered four electric ferries from the shipyard Baltic Voltage on 3 March 2025. "
        "The ferries will cost 112 million euros in total and enter service in 2027. "
        "Each ferry carries 600 passengers between Tallinn and Helsinki.", encoding="utf-8")
    with serve_app(index_copy) as url:
        page.goto(url)
        report = upload(page, article)
        assert "1 added" in report and "Traceback" not in report
        assert "harbour_ferry" in page.inner_text("#library-list")
        assert "Tallinn harbour orders electric ferries" in page.inner_text("#library-list")

        again = upload(page, article)  # the same duplicate check as `qa index add`
        assert "1 unchanged" in again

        ask(page, "How many electric ferries did the port of Tallinn order from Baltic Voltage?")
        bot = page.locator('#chat [data-testid="bot"]').last
        assert re.search(r"\[\d+\]", bot.inner_text())
        assert "Tallinn harbour orders electric ferries" in page.inner_text("#sources")


def test_a_bad_upload_is_a_message_not_a_traceback(serve_app, index_copy, page, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    with serve_app(index_copy) as url:
        page.goto(url)
        report = upload(page, empty)
        assert "Nothing could be added" in report and "empty.txt" in report and "Traceback" not in report


def test_a_verdict_survives_a_restart(serve_app, index_copy, page):
    with serve_app(index_copy) as url:
        page.goto(url)
        ask(page, QUESTION)
        page.get_by_role("tab", name="Review").click()
        page.wait_for_selector("#review-detail .review-item")
        detail = page.inner_text("#review-detail")
        assert QUESTION in detail and re.search(r"Sentence supported by \[\d+\]", detail)
        assert page.locator("#review-detail mark.cited").is_visible()
        page.fill("#review-note textarea", "The quote states the 49% stake.")
        page.click("#accept")
        page.wait_for_selector("#review-status .notice.ok")
        assert page.inner_text("#accepted-share") == "100%"

    with serve_app(index_copy) as url:  # a new app, a new ReviewStore, the same index folder
        page.goto(url)
        page.get_by_role("tab", name="Review").click()
        page.wait_for_selector("#review-list .badge")
        listing = page.inner_text("#review-list")
        assert "accepted" in listing and "The quote states the 49% stake." in listing
        assert page.inner_text("#accepted-share") == "100%"
        page.get_by_label("rejected").check()
        page.wait_for_function("() => document.querySelector('#review-list').innerText.includes('Nothing here')")

        page.click("#export")
        link = page.locator("#export-file a").first
        link.wait_for()
        assert "reviews.json" in "".join(page.inner_text("#export-file").split())
        exported = page.request.get(urljoin(page.url, link.get_attribute("href"))).json()
        assert exported["stats"]["accepted"] == 1
        assert exported["citations"][0]["note"] == "The quote states the 49% stake."


def test_script_and_img_onerror_in_an_article_render_as_text(serve_app, index_copy, page, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        'Quokka census <img src=x onerror="window.__pwned=1"> results\n\n'
        "The 2024 quokka census on Rottnest Island counted 12,000 quokkas, rangers said. "
        '<script>window.__pwned = 2</script> <img src="nope.png" onerror="window.__pwned=3"> '
        "The quokka count on Rottnest Island rose from 10,000 in 2020.", encoding="utf-8")
    with serve_app(index_copy) as url:
        page.goto(url)
        assert "1 added" in upload(page, hostile)
        listing = page.inner_text("#library-list")
        assert '<img src=x onerror="window.__pwned=1">' in listing  # the title, shown as text

        ask(page, "How many quokkas did the 2024 census on Rottnest Island count?")
        sources = page.locator("#sources")
        first = sources.locator("details.source").first
        first.locator("summary").click()
        article = first.locator(".article")
        assert "<script>window.__pwned = 2</script>" in article.inner_text()
        assert page.locator("#sources script, #sources img").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert "Quokka census" in sources.inner_text()
