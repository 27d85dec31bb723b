"""The Chat tab's parts without a browser: stable numbers, card names, copied text, the answer line, saved
conversations shown again, suggestions. Quick: no model, no server."""
from __future__ import annotations

import threading

from qa.conversations import ConversationStore
from qa.library import ArticleInfo
from qa.types import Answer, Citation, Sentence
from ui.chat import suggested_questions, turns_of
from ui.copytext import markdown, plain_text
from ui.line import AnswerLine
from ui.numbering import renumbered
from ui.render import answer_html, display_title


def cite(number: int, doc: str, start: int, quote: str = "q", **kw) -> Citation:
    return Citation(number, doc, kw.pop("title", doc), quote, start, start + len(quote), 0.9, **kw)


def test_the_final_answer_keeps_the_evidence_numbers():
    evidence = [cite(1, "a", 0), cite(2, "b", 10), cite(3, "c", 20)]
    # The engine numbers by first use: its [1] is evidence 3, its [2] evidence 1.
    raw = Answer("q?", "X [1]. Y [2][1].", [cite(1, "c", 20), cite(2, "a", 0)],
                 sentences=[Sentence("X", [1], True), Sentence("Y", [2, 1], True)],
                 short_answer="X", short_citations=[1])
    out = renumbered(raw, evidence)
    assert out.text == "X [3]. Y [1][3]."
    assert [(c.number, c.doc_id) for c in out.citations] == [(1, "a"), (3, "c")]
    assert [s.citations for s in out.sentences] == [[3], [1, 3]] and out.short_citations == [3]
    assert raw.text == "X [1]. Y [2][1]."  # the engine's answer is not changed


def test_a_citation_outside_the_evidence_gets_a_new_number():
    out = renumbered(Answer("q?", "X [1].", [cite(1, "z", 5)]), [cite(1, "a", 0), cite(2, "b", 0)])
    assert out.text == "X [3]." and out.citations[0].number == 3


def test_cards_are_named_by_title_else_first_line_else_outlet_and_date():
    assert display_title("Ferries ordered", "d1", "text", "", "") == "Ferries ordered"
    assert display_title("d1", "d1", "\n  First line here\nsecond", "", "") == "First line here"
    assert display_title("", "d1", "", "Baltic Times", "2025-03-03T10:00:00") == "Baltic Times, 2025-03-03"
    assert display_title("", "d1", None, "", "") == "Untitled article"
    assert len(display_title("", "d", "word " * 100, "", "")) <= 92


def test_copied_text_lists_sources_and_holds_no_html():
    a = Answer("q?", "Meta took <b>49%</b> [2].", [cite(2, "d", 0, "Meta took a 49% stake", title="Scale deal",
                                                        source="TechCrunch", published_at="2025-06-13")],
               short_answer="49%", short_citations=[2])
    text = plain_text(a)
    assert text.splitlines()[0] == "49% [2]"
    assert "[2] Scale deal (TechCrunch, 2025-06-13): “Meta took a 49% stake”" in text
    md = markdown(a)
    assert "\\<b\\>49%\\</b\\>" in md and "2. *Scale deal* — TechCrunch, 2025-06-13" in md
    assert "   > Meta took a 49% stake" in md


def test_the_answer_html_is_one_line_and_the_short_answer_needs_verified_citations():
    c = cite(1, "d", 0, "quote <script>x</script>\nnext line")
    html = answer_html(Answer("q?", "A [1].", [c], short_answer="A", short_citations=[1]))
    assert "\n" not in html and "<script>" not in html and 'class="short"' in html
    assert 'class="short"' not in answer_html(Answer("q?", "A [1].", [c], short_answer="A"))


def test_the_line_serves_in_order_and_tells_each_its_place():
    line = AnswerLine()
    first, second, third = line.join(), line.join(), line.join()
    assert [line.ahead(t) for t in (first, second, third)] == [0, 1, 2]
    moved = threading.Event()

    def wait_second() -> None:
        while line.wait(second, 0.05):
            pass
        moved.set()

    threading.Thread(target=wait_second, daemon=True).start()
    assert not moved.wait(0.2)
    line.leave(first)
    assert moved.wait(2) and line.ahead(third) == 1
    line.leave(third)  # one that gives up while waiting leaves the line too
    assert len(line) == 1


def test_a_saved_conversation_pairs_each_answer_with_its_question(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    cid = store.create()
    q1 = store.append(cid, "user", "first?")
    store.append(cid, "user", "second?")  # sent while the first was answered
    a = Answer("first?", "One [1].", [cite(1, "d", 0, "one")])
    store.append(cid, "assistant", a.text, a.to_dict(), reply_to=q1)
    turns = turns_of(store, cid)
    assert [(t.question, t.status) for t in turns] == [("first?", "done"), ("second?", "stopped")]
    assert turns[0].answer.citations[0].quote == "one" and "Not answered" in turns[1].html
    assert turns_of(store, "missing") is None


def test_suggestions_come_from_the_newest_titled_articles():
    def info(doc, title, day):
        return ArticleInfo(doc, title, "", day, "", "", 10, 1)

    arts = [info("a", "Old news", "2020-01-01"), info("b", "", "2026-01-01"), info("c", "Newest story", "2025-05-05"),
            info("d", "Undated piece", "")]
    qs = suggested_questions(arts)
    assert qs[0] == "What do the articles report about “Newest story”?" and "Old news" in qs[1]
    assert len(qs) == 3 and not any("“”" in q for q in qs)


def test_a_message_the_busy_database_cannot_take_is_kept_and_saved_with_the_next(tmp_path):
    import sqlite3
    import warnings

    from ui.chat_flow import ChatFlow

    store = ConversationStore(tmp_path / "c.sqlite", busy_timeout=0.05, attempts=1)
    cid = store.create()
    flow = ChatFlow(assistant=None, conversations=store)  # type: ignore[arg-type]  # saving needs no engine
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gr.Warning outside an event is a Python warning
        assert flow._save(cid, "user", "kept?") is None
    holder.execute("ROLLBACK")
    holder.close()
    assert flow._save(cid, "user", "next") is not None
    assert [m.text for m in store.get(cid).messages] == ["kept?", "next"]
