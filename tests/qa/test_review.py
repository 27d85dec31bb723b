"""The review store and `qa review export`: record answers, keep verdicts across reopenings, export. The
behaviour tests run on both backends: SQLite beside an embedded index, and a real PostgreSQL (a library whose
QA_STORE_URL names one keeps its verdicts there, shared by every process using it)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from qa.cli import main
from qa.review import ReviewStore, ReviewStoreError, review_path
from qa.review_pg import PgReviewStore
from qa.types import Answer, Citation, Sentence


def _answer(question: str = "What share of Scale AI did Meta take?") -> Answer:
    c1 = Citation(1, "001_meta", "Meta buys into <Scale AI>", "Meta took a 49% stake in Scale AI.", 10, 44, 0.9,
                  source="TechCrunch", published_at="2025-06-12T00:00:00")
    c2 = Citation(2, "002_other", "Other", "Scale AI was valued at $29 billion.", 0, 35, 0.7)
    return Answer(question=question, text="Meta took 49% [1]. It was valued at $29 billion [1][2].",
                  citations=[c1, c2],
                  sentences=[Sentence("Meta took 49%.", [1], True, 0.9),
                             Sentence("It was valued at $29 billion.", [1, 2], True, 0.8),
                             Sentence("Dropped claim.", [], False, 0.1)])


@pytest.fixture(params=["sqlite", "postgresql"])
def reviews(request, tmp_path):
    """Opens the review store on each backend: a new object at each call, as a restart or another process
    would."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        return lambda **kw: PgReviewStore(url, tmp_path, **kw)
    return lambda **kw: ReviewStore(review_path(tmp_path), **kw)


def test_record_keeps_each_citation_with_the_sentences_it_supports(reviews):
    store = reviews()
    answer_id = store.record(_answer())
    items = store.items()
    assert answer_id is not None and [i.number for i in items] == [1, 2]
    # [1] is cited by both kept sentences, [2] only by the second; the dropped one supports nothing.
    assert items[0].sentence == "Meta took 49%. It was valued at $29 billion."
    assert items[1].sentence == "It was valued at $29 billion."
    assert items[0].title == "Meta buys into <Scale AI>" and items[0].verdict is None
    assert items[0].start == 10 and items[0].end == 44 and items[0].score == pytest.approx(0.9)


@pytest.mark.parametrize("answer", [
    Answer(question="Who won?", text="The articles do not cover this.", refused=True),
    Answer(question="Who won?", text="Something."),
])
def test_refusals_and_uncited_answers_are_not_recorded(reviews, answer):
    store = reviews()
    assert store.record(answer) is None
    assert store.items() == [] and store.stats().total == 0


def test_verdicts_survive_reopening_and_filters_select_them(reviews):
    first = reviews()
    first.record(_answer("older?"))
    first.record(_answer("newer?"))
    newest = first.items()
    assert [i.question for i in newest] == ["newer?", "newer?", "older?", "older?"]
    first.set_verdict(newest[0].id, "accepted", "quote says 49%")
    first.set_verdict(newest[1].id, "rejected", "does not mention the stake")
    first.set_verdict(newest[2].id, "accepted")

    again = reviews()  # a restart, or another process sharing the library: a new object over the same data
    got = again.get(newest[0].id)
    assert (got.verdict, got.note) == ("accepted", "quote says 49%") and got.reviewed_at
    assert [i.id for i in again.items("rejected")] == [newest[1].id]
    assert [i.id for i in again.items("unreviewed")] == [newest[3].id]
    s = again.stats()
    # 2 accepted of 3 reviewed; 1 of 4 still unreviewed.
    assert (s.total, s.accepted, s.rejected, s.unreviewed) == (4, 2, 1, 1)
    assert s.accepted_share == pytest.approx(2 / 3)
    cleared = again.set_verdict(newest[0].id, None)
    assert cleared.verdict is None and cleared.reviewed_at is None


@pytest.mark.parametrize("bad", [("maybe", ValueError), (None, KeyError)])
def test_bad_verdicts_and_unknown_ids_fail_clearly(reviews, bad):
    store = reviews()
    store.record(_answer())
    verdict, error = bad
    with pytest.raises(error):
        store.set_verdict(999 if error is KeyError else store.items()[0].id, verdict)
    with pytest.raises(ValueError, match="filter must be one of"):
        store.items("everything")
    assert reviews().stats().accepted_share is None  # nothing reviewed yet


def test_export_json_and_csv_round_trip(reviews):
    store = reviews()
    store.record(_answer())
    store.set_verdict(store.items()[0].id, "accepted", 'a note, with "quotes"\nand a newline')
    data = json.loads(store.export("json"))
    assert data["stats"] == {"total": 2, "accepted": 1, "rejected": 0, "accepted_share": 1.0}
    assert data["citations"][0]["note"] == 'a note, with "quotes"\nand a newline'
    rows = list(csv.DictReader(io.StringIO(store.export("csv"))))
    assert len(rows) == 2 and rows[0]["verdict"] == "accepted" and rows[1]["verdict"] == ""
    assert rows[0]["note"] == data["citations"][0]["note"] and rows[0]["title"] == "Meta buys into <Scale AI>"
    with pytest.raises(ValueError, match="format must be one of"):
        store.export("xml")


def test_cli_exports_json_and_csv(tmp_path, capsys):
    store = ReviewStore.beside(tmp_path)
    store.record(_answer())
    store.set_verdict(store.items()[1].id, "rejected", "wrong number")

    assert main(["review", "export", "--format", "json", "--index-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["verdict"] for c in data["citations"]] == [None, "rejected"]

    out = tmp_path / "reviews.csv"
    assert main(["review", "export", "--format", "csv", "--only", "rejected", "--index-dir", str(tmp_path),
                 "--output", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["number"], r["note"]) for r in rows] == [("2", "wrong number")]


def test_cli_exports_the_reviews_of_a_postgresql_library(pg_url, tmp_path, capsys, monkeypatch):
    store = PgReviewStore(pg_url, tmp_path)
    store.record(_answer())
    store.set_verdict(store.items()[0].id, "accepted", "kept in PostgreSQL")
    monkeypatch.setenv("QA_STORE_URL", pg_url)
    assert main(["review", "export", "--format", "json", "--index-dir", str(tmp_path / "elsewhere")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["note"] for c in data["citations"]] == ["kept in PostgreSQL", ""]
    assert not review_path(tmp_path).exists()  # nothing went to SQLite


def test_an_unreachable_postgresql_keeps_answers_and_verdicts_until_it_is_back(pg_url, tmp_path):
    from tests.server.conftest import free_port

    down = PgReviewStore(f"postgresql://qa@127.0.0.1:{free_port()}/nowhere", tmp_path, attempts=1)
    with pytest.raises(ReviewStoreError) as e:
        down.record(_answer("while the database was down?"))
    assert e.value.kept and "cannot reach" in str(e.value) and "QA_STORE_URL" in str(e.value)
    assert "password" not in str(e.value) and down.pending_count() == 1
    back = PgReviewStore(pg_url, tmp_path)  # the same side folder, the database reachable
    assert back.flush_pending() == 1 and back.pending_count() == 0
    assert [i.question for i in back.items()] == ["while the database was down?"] * 2


def test_cli_export_without_reviews_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["review", "export", "--format", "csv", "--index-dir", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "no reviews yet" in err and "Traceback" not in err


# ---- faults: a locked database, a damaged one, a lost journal truncation ---------------------------------

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")          # the write lock, held as another program (an sqlite3 shell) would
conn.execute("UPDATE citations SET note = 'held by the locker' WHERE id = -1")
print("locked", flush=True)
sys.stdin.readline()                     # until the test lets go
conn.execute("ROLLBACK")
"""


def _hold_write_lock(db):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_locked_database_keeps_verdicts_and_answers_and_saves_them_later(tmp_path):
    from qa.review import ReviewStoreBusy

    store = ReviewStore(review_path(tmp_path), busy_timeout=0.2, attempts=2)
    store.record(_answer("before the lock?"))
    first = store.items()[0]
    locker = _hold_write_lock(review_path(tmp_path))
    try:
        with pytest.raises(ReviewStoreBusy) as verdict_error:
            store.set_verdict(first.id, "accepted", "checked while locked")
        with pytest.raises(ReviewStoreBusy) as record_error:
            store.record(_answer("during the lock?"))
        for e in (verdict_error.value, record_error.value):
            assert e.kept and "locked by another program" in str(e) and str(store.pending_path) in str(e)
            assert "saved automatically" in str(e)
        assert store.pending_count() == 2
        # Reading does not wait for the writer (WAL): the desk still shows what is saved.
        assert [i.verdict for i in store.items()] == [None, None]
    finally:
        locker.communicate("\n", timeout=30)
    # A restart: a new store object finds the journal and saves both, once.
    again = ReviewStore.beside(tmp_path)
    assert again.flush_pending() == 2 and again.pending_count() == 0 and again.flush_pending() == 0
    got = again.get(first.id)
    assert (got.verdict, got.note) == ("accepted", "checked while locked")
    assert [i.question for i in again.items()][:2] == ["during the lock?", "during the lock?"]
    assert again.stats().total == 4


def test_a_replayed_journal_never_records_an_answer_twice(tmp_path):
    store = ReviewStore(review_path(tmp_path), busy_timeout=0.2, attempts=1)
    store.record(_answer())
    locker = _hold_write_lock(review_path(tmp_path))
    try:
        with pytest.raises(Exception, match="kept in"):
            store.record(_answer("kept?"))
    finally:
        locker.communicate("\n", timeout=30)
    journal = store.pending_path.read_bytes()
    assert store.flush_pending() == 1
    store.pending_path.write_bytes(journal)  # as if the journal's truncation had been lost in a crash
    assert store.pending_count() == 1 and store.flush_pending() == 0
    assert [i.question for i in store.items()].count("kept?") == 2  # one answer, two citations


def test_a_damaged_database_is_a_clear_error_and_the_verdict_is_kept(tmp_path, capsys):
    from qa.review import ReviewStoreCorrupt

    db = review_path(tmp_path)
    store = ReviewStore(db)
    store.record(_answer())
    cid = store.items()[0].id
    db.write_bytes(b"this is not an SQLite database, it was overwritten " * 200)
    damaged = ReviewStore(db)  # a restart over the damaged file
    for call in (damaged.items, damaged.stats, lambda: damaged.export("json")):
        with pytest.raises(ReviewStoreCorrupt, match=f"{db} is damaged .*mv {db} {db}.bad"):
            call()
    with pytest.raises(ReviewStoreCorrupt) as e:
        damaged.set_verdict(cid, "rejected", "wrong")
    assert e.value.kept and damaged.pending_count() == 1

    assert main(["review", "export", "--format", "csv", "--index-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(db) in err and "mv " in err and "Traceback" not in err

    # Doing what the message says starts a new database; the kept verdict had a citation only in the old one.
    db.rename(db.with_name(db.name + ".bad"))
    fresh = ReviewStore(db)
    assert fresh.record(_answer("after the repair?")) is not None
    assert fresh.pending_count() == 0 and [i.question for i in fresh.items()] == ["after the repair?"] * 2
