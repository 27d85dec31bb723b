"""The conversations store: save-then-load round trips, order, titles, bad input and faults as clear errors."""
from __future__ import annotations

import os
import sqlite3

import pytest

from qa.conversations import ConversationStore, ConversationStoreError, conversations_path


@pytest.fixture
def store(tmp_path):
    return ConversationStore.beside(tmp_path / "index")


def test_round_trip_across_instances(store, tmp_path):
    cid = store.create()
    store.append(cid, "user", "What share of Scale AI did Meta take?")
    answer = {"text": "Meta took a 49% stake [1].", "citations": [{"number": 1, "quote": "a 49% stake"}]}
    store.append(cid, "assistant", answer["text"], answer)
    again = ConversationStore(conversations_path(tmp_path / "index"))  # a restart: a new store, the same file
    conv = again.get(cid)
    assert conv is not None and conv.title == "What share of Scale AI did Meta take?"
    assert [(m.role, m.text) for m in conv.messages] == [
        ("user", "What share of Scale AI did Meta take?"), ("assistant", "Meta took a 49% stake [1].")]
    assert conv.messages[1].answer == answer and conv.messages[0].answer is None
    assert store.path.name == "conversations.sqlite" and store.path.parent == tmp_path / "index"
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_an_answer_names_the_question_it_answers(store):
    cid = store.create()
    q1 = store.append(cid, "user", "first")
    q2 = store.append(cid, "user", "second, sent while the first was answered")
    store.append(cid, "assistant", "answer to the first", reply_to=q1)
    msgs = store.get(cid).messages
    assert [m.reply_to for m in msgs] == [None, None, q1] and q2 == msgs[1].id


def test_recent_lists_used_conversations_newest_first(store):
    first, empty, second = store.create(), store.create(), store.create()
    store.append(first, "user", "one")
    store.append(second, "user", "two")
    store.append(first, "user", "three")  # first is now the most recently used
    assert [c.id for c in store.recent()] == [first, second]
    assert empty not in [c.id for c in store.recent()]
    assert [c.title for c in store.recent(limit=1)] == ["one"]


def test_title_is_the_first_question_on_one_line_and_clipped(store):
    cid = store.create()
    store.append(cid, "user", "  What\nhappened   " + "x" * 300)
    title = store.get(cid).title
    assert title.startswith("What happened x") and len(title) == 120 and title.endswith("…")


def test_delete(store):
    cid = store.create()
    store.append(cid, "user", "q")
    assert store.delete(cid) and store.get(cid) is None and not store.delete(cid)


@pytest.mark.parametrize(("role", "text", "error"), [
    ("system", "x", "role must be one of user, assistant"),
    ("user", None, "text must be a string"),
    ("user", b"bytes", "text must be a string"),
    ("user", "x" * 200_001, "the limit is 200,000"),
])
def test_bad_input_is_refused_with_a_clear_message(store, role, text, error):
    cid = store.create()
    with pytest.raises(ValueError, match=error):
        store.append(cid, role, text)
    assert store.get(cid).messages == []


def test_unknown_conversation(store):
    with pytest.raises(KeyError, match="no conversation 'nope'"):
        store.append("nope", "user", "q")
    assert store.get("nope") is None and store.get("") is None


def test_unicode_and_html_are_stored_verbatim(store):
    cid = store.create()
    text = "Was ist <script>alert(1)</script> — 東京 \u202e?"
    store.append(cid, "user", text)
    assert store.get(cid).messages[0].text == text


def test_a_locked_database_is_a_clear_error_and_nothing_half_written(store):
    cid = store.create()
    store.append(cid, "user", "kept")
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    quick = ConversationStore(store.path, busy_timeout=0.05, attempts=2)
    with pytest.raises(ConversationStoreError, match="is locked by another program.*close the other program"):
        quick.append(cid, "user", "waits")
    holder.execute("ROLLBACK")
    holder.close()
    assert [m.text for m in store.get(cid).messages] == ["kept"]
    quick.append(cid, "user", "now saved")
    assert [m.text for m in store.get(cid).messages] == ["kept", "now saved"]


def test_a_damaged_file_names_the_file_and_the_fix(tmp_path):
    path = tmp_path / "conversations.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ConversationStoreError, match=r"is damaged .*mv .*conversations.sqlite.bad"):
        ConversationStore(path).recent()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ConversationStoreError, match="writable"):
            ConversationStore(folder / "conversations.sqlite").create()
    finally:
        folder.chmod(0o700)


def test_bad_arguments():
    with pytest.raises(ValueError, match="busy_timeout must be >= 0"):
        ConversationStore("x.sqlite", busy_timeout=-1)
    with pytest.raises(ValueError, match="limit must be at least 1"):
        ConversationStore("x.sqlite").recent(limit=0)
