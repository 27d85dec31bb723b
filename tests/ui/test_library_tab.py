"""The Library and Review tabs in headless Chromium: removing asks first, outlet and date columns and filters,
and tables that scroll on a 390 px phone screen (issue 13, items 7 and 12). Nothing here asks the model."""
from __future__ import annotations

import pytest

from tests.conftest import META_DOC
from tests.ui.conftest import extended_index, served

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app_url(seed_store, embedder, tmp_path_factory):
    """The app over the seed index plus three dated articles, with one answer recorded for review."""
    from qa.review import ReviewStore
    from qa.types import Answer, Citation
    from tests.conftest import ScriptedLLM

    dst = extended_index(seed_store, embedder, tmp_path_factory.mktemp("library-ui") / "index")
    quote = "The port of Tallinn ordered four electric ferries from the shipyard Baltic Voltage on 3 March 2025."
    ReviewStore.beside(dst).record(Answer(
        "How many electric ferries did the port of Tallinn order from the shipyard Baltic Voltage in March?",
        "The port of Tallinn ordered four electric ferries [1].",
        [Citation(1, "harbour-ferry", "Tallinn harbour orders electric ferries", quote, 0, len(quote), 0.9,
                  source="Baltic Times", published_at="2025-03-03")]))
    # Nothing here answers a question: the scripted model only stands in for the one the app would load.
    with served(dst, ScriptedLLM("unused"), embedder) as url:
        yield url


def open_tab(pages, url, tab, **size):
    pg = pages.open(**size)
    pg.goto(url)
    pg.get_by_role("tab", name=tab).click()
    return pg


def rows(pg) -> list[str]:
    return pg.locator("#library-list tbody tr").all_inner_texts()


def test_12_remove_asks_for_confirmation_and_cancel_keeps_the_article(app_url, pages):
    pg = open_tab(pages, app_url, "Library")
    pg.wait_for_selector("#library-list table")
    assert any("remove-me" in r for r in rows(pg))
    pg.click("#remove-choice input")
    pg.get_by_role("option", name="remove-me — An article to be removed").click()
    pg.click("#remove-article")
    question = pg.locator("#confirm-remove-question")
    question.get_by_text("An article to be removed").wait_for()
    assert "cannot be undone" in question.inner_text()
    assert any("remove-me" in r for r in rows(pg)), "removed before it was confirmed"
    pg.click("#cancel-remove")
    pg.wait_for_selector("#confirm-remove", state="hidden")
    assert any("remove-me" in r for r in rows(pg))

    pg.click("#remove-choice input")
    pg.get_by_role("option", name="remove-me — An article to be removed").click()
    pg.click("#remove-article")
    pg.click("#confirm-remove")
    pg.wait_for_function("() => document.querySelector('#library-status').innerText.includes('Removed remove-me')")
    assert not any("remove-me" in r for r in rows(pg))


# The list shows one row, the one holding `arg`: a filter's result, not a table still being redrawn.
ONLY_ROW = ("(arg) => { const r = document.querySelectorAll('#library-list tbody tr');"
            " return r.length === 1 && r[0].innerText.includes(arg); }")


def test_library_lists_outlet_and_date_and_filters_by_them(app_url, pages):
    pg = open_tab(pages, app_url, "Library")
    pg.wait_for_selector("#library-list table")
    head = pg.locator("#library-list thead").inner_text()
    assert "Outlet" in head and "Date" in head
    ferry = next(r for r in rows(pg) if "harbour-ferry" in r)
    assert "Baltic Times" in ferry and "2025-03-03" in ferry

    pg.click("#filter-outlet input")
    pg.get_by_role("option", name="Perth Now").click()
    pg.wait_for_function(ONLY_ROW, arg="quokka-count")
    assert "quokka-count" in rows(pg)[0]

    pg.click("#filter-outlet input")
    pg.get_by_role("option", name="All outlets").click()
    pg.fill("#filter-from input, #filter-from textarea", "2025-01-01")
    pg.press("#filter-from input, #filter-from textarea", "Enter")
    pg.wait_for_function(ONLY_ROW, arg="harbour-ferry")  # not the one row the outlet filter left a moment ago
    assert "harbour-ferry" in rows(pg)[0] and META_DOC not in pg.inner_text("#library-list")
    pg.fill("#filter-from input, #filter-from textarea", "June")
    pg.press("#filter-from input, #filter-from textarea", "Enter")
    pg.get_by_text("dates are written 2025-06-13").wait_for()


@pytest.mark.parametrize("tab", ["Library", "Review"])
def test_7_tables_scroll_sideways_at_390_px(app_url, pages, tab):
    pg = open_tab(pages, app_url, tab, width=390, height=844)
    table = pg.locator("#library-list table" if tab == "Library" else "#review-list table")
    table.wait_for()
    box = table.evaluate("""t => { const s = t.parentElement, r = s.getBoundingClientRect();
        return {scroll: getComputedStyle(s).overflowX, sw: s.scrollWidth, cw: s.clientWidth, right: r.right}; }""")
    assert box["scroll"] in ("auto", "scroll") and box["sw"] > box["cw"], box  # wider than the screen: scrolls
    assert box["right"] <= 390, box
    # The page itself does not scroll sideways, and the table's last column can be reached by scrolling it.
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    table.evaluate("t => t.parentElement.scrollLeft = 10000")
    last = table.locator("thead th").last.bounding_box()
    assert last["x"] + last["width"] <= 391
