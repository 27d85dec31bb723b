"""The citation review store: every answered question, its citations, and a person's verdict on each.

One SQLite file beside the index (`<index_dir>/review.sqlite`), so verdicts survive restarts and travel with
the index they refer to. This module records answers, stores verdicts and notes, filters, counts and exports
(JSON, CSV). It does not render anything (that is `ui/`) and does not answer questions.

Nothing a person did is dropped silently. The database runs in WAL mode (reading never waits for a writer),
each write waits `busy_timeout` seconds for a lock and is tried `attempts` times. A recorded answer or a
verdict that still cannot be written (another program holds the lock, the file is damaged) is appended to a
journal beside the database (`review.sqlite.pending.jsonl`) and a `ReviewStoreError` says so; the journal is
replayed, once per entry, before the next write that succeeds (or by `flush_pending()`). Every fault is a
`ReviewStoreError` whose message names the file and the fix, never a raw `sqlite3` error.
"""
from __future__ import annotations

import csv
import fcntl
import io
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.errors import QAError
from qa.types import Answer

log = logging.getLogger(__name__)

FILENAME = "review.sqlite"
PENDING_SUFFIX = ".pending.jsonl"  # the journal of writes that could not be made yet, beside the database
VERDICTS = ("accepted", "rejected")
FILTERS = ("all", "unreviewed", "accepted", "rejected")
EXPORT_FORMATS = ("json", "csv")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    text TEXT NOT NULL,
    standalone_question TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    conflict INTEGER NOT NULL DEFAULT 0,
    extractive INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS citations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL DEFAULT '',
    quote TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    score REAL NOT NULL DEFAULT 0,
    sentence TEXT NOT NULL DEFAULT '',
    verdict TEXT CHECK (verdict IS NULL OR verdict IN ('accepted', 'rejected')),
    note TEXT NOT NULL DEFAULT '',
    reviewed_at TEXT
);
CREATE INDEX IF NOT EXISTS citations_answer ON citations(answer_id);
CREATE TABLE IF NOT EXISTS applied_pending (
    key TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);
"""


class ReviewStoreError(QAError):
    """The review database cannot be read or written. The message names the file and the fix, and says
    whether the write was kept in the pending journal (`kept`)."""

    def __init__(self, message: str, path: str | Path = "", kept: bool = False):
        self.path = str(path)
        self.kept = kept
        super().__init__(message)


class ReviewStoreBusy(ReviewStoreError):
    """Another program held the database's write lock for longer than the store waits."""


class ReviewStoreCorrupt(ReviewStoreError):
    """The database file is damaged or is not an SQLite database."""


def review_path(index_dir: str | Path) -> Path:
    return Path(index_dir) / FILENAME


@dataclass
class ReviewItem:
    """One citation of one recorded answer, with its verdict (None while unreviewed)."""

    id: int
    answer_id: int
    question: str
    answer_text: str
    number: int
    doc_id: str
    title: str
    source: str
    published_at: str
    quote: str
    start: int
    end: int
    score: float
    sentence: str  # the answer sentence(s) this citation supports
    verdict: str | None
    note: str
    reviewed_at: str | None
    created_at: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReviewStats:
    total: int
    accepted: int
    rejected: int

    @property
    def reviewed(self) -> int:
        return self.accepted + self.rejected

    @property
    def unreviewed(self) -> int:
        return self.total - self.reviewed

    @property
    def accepted_share(self) -> float | None:
        """Accepted citations as a share of the reviewed ones; None until something is reviewed."""
        return self.accepted / self.reviewed if self.reviewed else None


class ReviewStore:
    """SQLite-backed; safe to share between the UI's worker threads (one connection per call).

    `qa.review_pg.PgReviewStore` keeps the same tables in PostgreSQL (a library whose QA_STORE_URL names
    one): it replaces the connection, the error messages and the table names, nothing else. The SQL here is
    written to run on both."""

    TABLES = {"answers": "answers", "citations": "citations", "applied": "applied_pending"}
    BEGIN = "BEGIN IMMEDIATE"  # take the write lock now, so the busy timeout applies here

    def __init__(self, path: str | Path, *, busy_timeout: float = 2.0, attempts: int = 3,
                 pending_path: Path | None = None):
        if busy_timeout < 0 or attempts < 1:
            raise ValueError(f"busy_timeout must be >= 0 and attempts >= 1, got {busy_timeout}, {attempts}")
        self.path = Path(path)
        self.location = str(self.path)  # where the verdicts are, for messages
        self.pending_path = pending_path or self.path.with_name(self.path.name + PENDING_SUFFIX)
        self.busy_timeout = busy_timeout
        self.attempts = attempts
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def beside(cls, index_dir: str | Path) -> ReviewStore:
        return cls(review_path(index_dir))

    def exists(self) -> bool:
        """Whether anything was ever recorded here (a database that is not there yet holds no review)."""
        return self.path.exists()

    def sql(self, template: str) -> str:
        """`template` with {answers}, {citations} and {applied} replaced by this store's table names."""
        return template.format(**self.TABLES)

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """A connection in autocommit mode (writers open their own transaction); sqlite errors raised
        inside become `ReviewStoreError`s."""
        with self._lock:
            conn = None
            try:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA foreign_keys = ON")
                if not self._ready:
                    self._prepare(conn)
                yield conn
            except sqlite3.Error as e:
                raise self._error(e) from e
            except OSError as e:
                raise ReviewStoreError(f"cannot open {self.path} ({e.strerror}): make {self.path.parent} "
                                       "writable for this user", self.path) from e
            finally:
                if conn is not None:
                    conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # e.g. on a filesystem without shared memory: still works, readers wait
            log.warning("%s stays in %s mode (WAL unavailable)", self.path, mode)
        conn.executescript(_SCHEMA)
        self._ready = True

    def _error(self, e: sqlite3.Error) -> ReviewStoreError:
        msg = str(e)
        low = msg.lower()
        if "locked" in low or "busy" in low:
            return ReviewStoreBusy(
                f"{self.path} is locked by another program ({msg}, waited {self.busy_timeout:g} s x {self.attempts}):"
                " close the other program using it (another `qa ui`, an sqlite3 shell) and try again", self.path)
        if type(e) is sqlite3.DatabaseError or any(w in low for w in ("malformed", "not a database", "corrupt")):
            return ReviewStoreCorrupt(
                f"{self.path} is damaged ({msg}): move it aside (`mv {self.path} {self.path}.bad`) to start a new "
                "review database, or restore it from a backup", self.path)
        if "readonly" in low or "unable to open" in low or "permission" in low:
            return ReviewStoreError(f"cannot write {self.path} ({msg}): make {self.path.parent} and the file "
                                    "writable for this user", self.path)
        if "full" in low:
            return ReviewStoreError(f"cannot write {self.path} ({msg}): free space on the disk holding "
                                    f"{self.path.parent}", self.path)
        return ReviewStoreError(f"{self.path}: {msg}", self.path)

    # ---- writing: every write replays the pending journal first, and is journaled when it fails ----------

    def record(self, answer: Answer) -> int | None:
        """Store an answer and its citations for review. Refusals and uncited answers are not recorded
        (there is nothing to check); returns the answer's id, or None. Raises `ReviewStoreError` (with
        `kept=True` when the answer waits in the pending journal) if the database cannot take it."""
        if answer.refused or not answer.citations:
            return None
        return self._write(_answer_entry(answer))

    def set_verdict(self, citation_id: int, verdict: str | None, note: str = "") -> ReviewItem:
        """Accept or reject one citation (None clears the verdict), with a free-text note. Raises
        `ReviewStoreError` (with `kept=True` when the verdict waits in the pending journal) if the database
        cannot take it."""
        if verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)} (or None), got {verdict!r}")
        self._write({"op": "verdict", "citation_id": int(citation_id), "verdict": verdict, "note": note or "",
                     "reviewed_at": _now() if verdict else None})
        return self.get(citation_id)

    def flush_pending(self) -> int:
        """Write what the pending journal holds; returns how many entries were applied (0 when none)."""
        if not _read_journal(self.pending_path):
            return 0
        return self._attempt(lambda conn: self._transaction(conn, None))[1]

    def pending_count(self) -> int:
        """How many answers and verdicts wait in the pending journal."""
        return len(_read_journal(self.pending_path))

    def _write(self, entry: dict[str, Any]) -> Any:
        try:
            result, _replayed = self._attempt(lambda conn: self._transaction(conn, entry))
        except ReviewStoreError as e:
            raise self._keep(entry, e) from e
        return result

    def _attempt(self, work: Callable[[Any], Any]) -> Any:
        """Run `work` in a fresh connection, again after a short pause while the database is busy."""
        for attempt in range(1, self.attempts + 1):
            try:
                with self._connect() as conn:
                    return work(conn)
            except ReviewStoreBusy:
                if attempt == self.attempts:
                    raise
                time.sleep(0.1 * attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _transaction(self, conn: Any, entry: dict[str, Any] | None) -> tuple[Any, int]:
        """Replay the pending journal, then apply `entry`, in one transaction; truncate the journal after
        the commit. Returns (entry's result, entries replayed)."""
        with _journal_lock(self.pending_path) as (pending, journal):
            with self._begun(conn):
                replayed = sum(_apply_pending(conn, p, self.sql) for p in pending)
                result = _apply(conn, entry, self.sql) if entry is not None else None
            if journal is not None:
                # Emptied in place under the lock: unlinking it would lose an entry another process is
                # appending to the old file. Entries are keyed, so a journal left whole is replayed harmlessly.
                journal.truncate(0)
                log.info("saved %d pending review entries from %s", replayed, self.pending_path)
        return result, replayed

    def _keep(self, entry: dict[str, Any], error: ReviewStoreError) -> ReviewStoreError:
        """Append `entry` to the pending journal; the error to raise says whether that worked."""
        what = "the answer" if entry["op"] == "answer" else "the verdict"
        if entry["op"] == "verdict":  # pin it to its citation's text, so a replaced database cannot misplace it
            try:
                item = self.get(entry["citation_id"])
                entry = {**entry, "doc_id": item.doc_id, "quote": item.quote}
            except (ReviewStoreError, KeyError):  # unreadable too (damaged): replayed by id alone
                pass
        try:
            _append_journal(self.pending_path, {**entry, "key": uuid.uuid4().hex})
        except OSError as e:
            return type(error)(f"{error}. {what.capitalize()} was NOT saved: it could not be kept in "
                               f"{self.pending_path} either ({e.strerror})", self.path, kept=False)
        return type(error)(f"{error}. {what.capitalize()} is kept in {self.pending_path} and will be saved "
                           "automatically at the next successful save", self.path, kept=True)

    def copy_to(self, target: ReviewStore) -> int:
        """Copy every recorded answer, with its citations, verdicts and notes, into `target` (the review of
        the same library in another backend: `qa index migrate`). An answer the target already holds (same
        question, text and time) is skipped, so a copy can be run again. Returns the answers copied."""
        answers = self._attempt(lambda conn: conn.execute(self.sql("SELECT * FROM {answers} ORDER BY id")).fetchall())
        rows = self._attempt(lambda conn: conn.execute(self.sql(
            "SELECT * FROM {citations} ORDER BY answer_id, number")).fetchall())
        cites: dict[int, list[list[Any]]] = {}
        for r in rows:
            cites.setdefault(r["answer_id"], []).append([r[k] for k in _CITATION_COLUMNS])
        entries = [([a[k] for k in _ANSWER_COLUMNS], cites.get(a["id"], [])) for a in answers]
        return int(target._attempt(lambda conn: target._copy_in(conn, entries)))

    def _copy_in(self, conn: Any, entries: list[tuple[list[Any], list[list[Any]]]]) -> int:
        copied = 0
        with self._begun(conn):
            for answer, citations in entries:
                if conn.execute(self.sql("SELECT 1 FROM {answers} WHERE question = ? AND text = ? AND created_at = ?"),
                                (answer[0], answer[1], answer[-1])).fetchone():
                    continue
                answer_id = conn.execute(self.sql(
                    f"INSERT INTO {{answers}} ({', '.join(_ANSWER_COLUMNS)}) VALUES "
                    f"({', '.join('?' * len(_ANSWER_COLUMNS))}) RETURNING id"), answer).fetchone()["id"]
                if citations:
                    conn.executemany(self.sql(
                        f"INSERT INTO {{citations}} (answer_id, {', '.join(_quoted(_CITATION_COLUMNS))}) VALUES "
                        f"({', '.join('?' * (len(_CITATION_COLUMNS) + 1))})"), [(answer_id, *c) for c in citations])
                copied += 1
        return copied

    @contextmanager
    def _begun(self, conn: Any) -> Iterator[None]:
        """One transaction on `conn` (in autocommit mode): committed when the block ends, rolled back if it
        raises."""
        conn.execute(self.BEGIN)
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def get(self, citation_id: int) -> ReviewItem:
        items = self._select("WHERE c.id = ?", (int(citation_id),))
        if not items:
            raise KeyError(f"no citation with id {citation_id} in {self.location}")
        return items[0]

    def items(self, which: str = "all") -> list[ReviewItem]:
        """Citations, newest answer first; `which` is one of FILTERS."""
        where = {"all": ("", ()), "unreviewed": ("WHERE c.verdict IS NULL", ()),
                 "accepted": ("WHERE c.verdict = ?", ("accepted",)),
                 "rejected": ("WHERE c.verdict = ?", ("rejected",))}
        if which not in where:
            raise ValueError(f"filter must be one of {', '.join(FILTERS)}, got {which!r}")
        return self._select(*where[which])

    def stats(self) -> ReviewStats:
        row = self._attempt(lambda conn: conn.execute(self.sql(
            "SELECT COUNT(*) AS total, SUM(CASE WHEN verdict = 'accepted' THEN 1 ELSE 0 END) AS accepted, "
            "SUM(CASE WHEN verdict = 'rejected' THEN 1 ELSE 0 END) AS rejected FROM {citations}")).fetchone())
        return ReviewStats(int(row["total"] or 0), int(row["accepted"] or 0), int(row["rejected"] or 0))

    def export(self, fmt: str, which: str = "all") -> str:
        """Every citation with its question, answer, supported sentence, verdict and note, as JSON or CSV."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, got {fmt!r}")
        rows = [i.to_dict() for i in self.items(which)]
        if fmt == "json":
            s = self.stats()
            return json.dumps({"stats": {"total": s.total, "accepted": s.accepted, "rejected": s.rejected,
                                         "accepted_share": s.accepted_share},
                               "citations": rows}, ensure_ascii=False, indent=2) + "\n"
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(ReviewItem.__dataclass_fields__), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()

    def _select(self, where: str, params: tuple) -> list[ReviewItem]:
        sql = self.sql("SELECT c.*, a.question, a.text AS answer_text, a.created_at FROM {citations} c "
                       "JOIN {answers} a ON a.id = c.answer_id ") + f"{where} ORDER BY a.id DESC, c.number"
        rows = self._attempt(lambda conn: conn.execute(sql, params).fetchall())
        return [ReviewItem(id=r["id"], answer_id=r["answer_id"], question=r["question"],
                           answer_text=r["answer_text"], number=r["number"], doc_id=r["doc_id"], title=r["title"],
                           source=r["source"], published_at=r["published_at"], quote=r["quote"], start=r["start"],
                           end=r["end"], score=r["score"], sentence=r["sentence"], verdict=r["verdict"],
                           note=r["note"], reviewed_at=r["reviewed_at"], created_at=r["created_at"])
                for r in rows]


_ANSWER_COLUMNS = ("question", "text", "standalone_question", "model", "conflict", "extractive", "created_at")
_CITATION_COLUMNS = ("number", "doc_id", "title", "source", "published_at", "quote", "start", "end", "score",
                     "sentence", "verdict", "note", "reviewed_at")


def _quoted(columns: tuple[str, ...]) -> list[str]:
    return [f'"{c}"' if c == "end" else c for c in columns]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _answer_entry(answer: Answer) -> dict[str, Any]:
    """An answer as the rows it becomes (plain JSON, so that it can wait in the pending journal)."""
    supports: dict[int, list[str]] = {}
    for s in answer.sentences:
        if s.supported:
            for n in s.citations:
                supports.setdefault(n, []).append(s.text)
    return {"op": "answer", "created_at": _now(),
            "answer": [answer.question, answer.text, answer.standalone_question, answer.model, int(answer.conflict),
                       int(answer.extractive)],
            "citations": [[c.number, c.doc_id, c.title, c.source, c.published_at, c.quote, c.start, c.end,
                           float(c.score), " ".join(supports.get(c.number, []))] for c in answer.citations]}


def _apply(conn: Any, entry: dict[str, Any], sql: Callable[[str], str]) -> int | None:
    """Write one entry (`sql` names the tables); returns the new answer's id for an answer. KeyError for a
    verdict on no citation."""
    if entry["op"] == "answer":
        answer_id = conn.execute(sql(
            "INSERT INTO {answers} (question, text, standalone_question, model, conflict, extractive, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"), (*entry["answer"], entry["created_at"])).fetchone()["id"]
        conn.executemany(sql(
            'INSERT INTO {citations} (answer_id, number, doc_id, title, source, published_at, quote, start, "end",'
            " score, sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            [(answer_id, *c) for c in entry["citations"]])
        return int(answer_id)
    update = sql("UPDATE {citations} SET verdict = ?, note = ?, reviewed_at = ? WHERE id = ?")
    args: tuple = (entry["verdict"], entry["note"], entry["reviewed_at"], entry["citation_id"])
    if "quote" in entry:  # a kept verdict: only onto the citation it was given for
        update += " AND doc_id = ? AND quote = ?"
        args += (entry["doc_id"], entry["quote"])
    cur = conn.execute(update, args)
    if cur.rowcount == 0:
        raise KeyError(f"no citation with id {entry['citation_id']}")
    return None


def _apply_pending(conn: Any, entry: dict[str, Any], sql: Callable[[str], str]) -> int:
    """Apply one journal entry unless an earlier replay already did (its key is then recorded): a replay
    whose journal truncation was lost must not record an answer twice. Returns 1 when applied."""
    if conn.execute(sql("INSERT INTO {applied} (key, applied_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
                    (entry["key"], _now())).rowcount == 0:
        return 0
    try:
        _apply(conn, entry, sql)
    except KeyError as e:  # the citation is gone (its database was replaced): nothing left to attach it to
        log.warning("pending verdict dropped: %s", e)
        return 0
    return 1


@contextmanager
def _journal_lock(path: Path) -> Iterator[tuple[list[dict[str, Any]], Any]]:
    """The pending entries and the open journal (None when there is none), read under an exclusive lock
    on the journal (other processes append to it)."""
    if not path.exists() or path.stat().st_size == 0:
        yield [], None
        return
    with open(path, "r+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield _read_journal(path), f
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _read_journal(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:  # a line cut short by a crash while appending: the others still count
            log.warning("skipping a damaged line of %s", path)
    return [e for e in entries if isinstance(e, dict) and "key" in e and e.get("op") in ("answer", "verdict")]


def _append_journal(path: Path, entry: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # PostgreSQL's journal lives in a side folder made on demand
    with open(path, "a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)

