"""Saved chat conversations: each conversation's questions and answers, kept so that a reload or a restart
shows them again and a sidebar can list them.

One SQLite file beside the index and the review verdicts (`<index_dir>/conversations.sqlite`). The database
runs in WAL mode (reading never waits for a writer) and each write waits `busy_timeout` seconds for a lock,
tried `attempts` times. Every fault is a `ConversationStoreError` whose message names the file and the fix,
never a raw `sqlite3` error; a write is one transaction, so a message is stored whole or not at all. Bad
input (an unknown role, a non-string text, an unknown conversation) is a `ValueError` or `KeyError` saying so.

It stores what the UI gives it: the plain text of each message and, for answers, the `Answer` as a dict (so a
restored answer shows its citations again). It does not render or answer anything.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.errors import QAError

log = logging.getLogger(__name__)

FILENAME = "conversations.sqlite"
ROLES = ("user", "assistant")
MAX_TITLE_CHARS = 120
MAX_TEXT_CHARS = 200_000  # far beyond any question (2,000) or answer; a bound against a runaway client

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    text TEXT NOT NULL,
    answer TEXT,
    reply_to INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages(conversation_id, id);
"""


class ConversationStoreError(QAError):
    """The conversations database cannot be read or written; the message names the file and the fix."""

    def __init__(self, message: str, path: str | Path = ""):
        self.path = str(path)
        super().__init__(message)


@dataclass
class Message:
    role: str  # "user" or "assistant"
    text: str  # plain text: the question, or the answer's text with its [n] markers
    answer: dict[str, Any] | None = None  # the Answer's to_dict() for an answer, else None
    created_at: str = ""
    id: int = 0
    reply_to: int | None = None  # an answer's question (answers can come after later questions were sent)


@dataclass
class Conversation:
    id: str
    title: str
    created_at: str
    updated_at: str
    messages: list[Message] = field(default_factory=list)


def conversations_path(index_dir: str | Path) -> Path:
    return Path(index_dir) / FILENAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ConversationStore:
    """SQLite-backed; safe to share between the UI's worker threads (one connection per call)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 2.0, attempts: int = 3):
        if busy_timeout < 0 or attempts < 1:
            raise ValueError(f"busy_timeout must be >= 0 and attempts >= 1, got {busy_timeout}, {attempts}")
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.attempts = attempts
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def beside(cls, index_dir: str | Path) -> ConversationStore:
        return cls(conversations_path(index_dir))

    # ---- writing ------------------------------------------------------------------------------------

    def create(self, title: str = "") -> str:
        """A new, empty conversation; returns its id."""
        title = _clean_title(title)
        cid = uuid.uuid4().hex
        now = _now()
        self._write(lambda c: c.execute("INSERT INTO conversations (id, title, created_at, updated_at) "
                                        "VALUES (?, ?, ?, ?)", (cid, title, now, now)))
        return cid

    def append(self, conversation_id: str, role: str, text: str, answer: dict[str, Any] | None = None,
               reply_to: int | None = None) -> int:
        """Add a message to a conversation; returns its id. `reply_to`: the id of the question an answer
        answers. The conversation's title is its first question."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, got {type(text).__name__}")
        if len(text) > MAX_TEXT_CHARS:
            raise ValueError(f"text is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}")
        blob = json.dumps(answer, ensure_ascii=False) if answer is not None else None
        now = _now()

        def work(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT title FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None:
                raise KeyError(f"no conversation {conversation_id!r} in {self.path}")
            cur = conn.execute("INSERT INTO messages (conversation_id, role, text, answer, reply_to, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)", (conversation_id, role, text, blob, reply_to, now))
            title = row["title"] or (_clean_title(text) if role == "user" else "")
            conn.execute("UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?",
                         (now, title, conversation_id))
            return int(cur.lastrowid or 0)

        return int(self._write(work))

    def delete(self, conversation_id: str) -> bool:
        """Delete a conversation and its messages; False when there was none with that id."""
        def work(conn: sqlite3.Connection) -> bool:
            conn.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            return conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,)).rowcount > 0

        return bool(self._write(work))

    # ---- reading ------------------------------------------------------------------------------------

    def recent(self, limit: int = 50) -> list[Conversation]:
        """The conversations that hold a message, most recently used first (without their messages)."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        with self._connect() as conn:
            # the last message's id orders them: timestamps tie within a second
            rows = conn.execute("SELECT c.*, MAX(m.id) AS last FROM conversations c JOIN messages m ON "
                                "m.conversation_id = c.id GROUP BY c.id ORDER BY last DESC LIMIT ?",
                                (limit,)).fetchall()
        return [Conversation(r["id"], r["title"], r["created_at"], r["updated_at"]) for r in rows]

    def get(self, conversation_id: str) -> Conversation | None:
        """One conversation with its messages in order, or None when there is none with that id."""
        if not isinstance(conversation_id, str) or not conversation_id:
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None:
                return None
            msgs = conn.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                                (conversation_id,)).fetchall()
        return Conversation(row["id"], row["title"], row["created_at"], row["updated_at"],
                            [_message(m) for m in msgs])

    # ---- the database ------------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `work` in one transaction (taking the write lock at once), retried while the file is busy."""
        for attempt in range(1, self.attempts + 1):
            try:
                with self._connect() as conn:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        result = work(conn)
                        conn.execute("COMMIT")
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                    return result
            except ConversationStoreBusy:
                if attempt == self.attempts:
                    raise
                time.sleep(0.1 * attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
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
                raise ConversationStoreError(f"cannot open {self.path} ({e.strerror}): make {self.path.parent} "
                                             "writable for this user", self.path) from e
            finally:
                if conn is not None:
                    conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("%s stays in %s mode (WAL unavailable)", self.path, mode)
        conn.executescript(_SCHEMA)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(messages)")}
        if "reply_to" not in columns:  # a database made before answers named their question
            conn.execute("ALTER TABLE messages ADD COLUMN reply_to INTEGER")
        self._ready = True

    def _error(self, e: sqlite3.Error) -> ConversationStoreError:
        msg, low = str(e), str(e).lower()
        if "locked" in low or "busy" in low:
            return ConversationStoreBusy(
                f"{self.path} is locked by another program ({msg}, waited {self.busy_timeout:g} s x "
                f"{self.attempts}): close the other program using it and try again", self.path)
        if type(e) is sqlite3.DatabaseError or any(w in low for w in ("malformed", "not a database", "corrupt")):
            return ConversationStoreError(
                f"{self.path} is damaged ({msg}): move it aside (`mv {self.path} {self.path}.bad`) to start "
                "a new conversations database, or restore it from a backup", self.path)
        if "readonly" in low or "unable to open" in low or "permission" in low:
            return ConversationStoreError(f"cannot write {self.path} ({msg}): make {self.path.parent} and the "
                                          "file writable for this user", self.path)
        if "full" in low:
            return ConversationStoreError(f"cannot write {self.path} ({msg}): free space on the disk holding "
                                          f"{self.path.parent}", self.path)
        return ConversationStoreError(f"{self.path}: {msg}", self.path)


class ConversationStoreBusy(ConversationStoreError):
    """Another program held the database's write lock for longer than the store waits."""


def _clean_title(text: str) -> str:
    one_line = " ".join(str(text or "").split())
    return one_line if len(one_line) <= MAX_TITLE_CHARS else one_line[:MAX_TITLE_CHARS - 1] + "…"


def _message(row: sqlite3.Row) -> Message:
    answer = None
    if row["answer"]:
        try:
            answer = json.loads(row["answer"])
        except ValueError:  # a damaged blob loses the citations of that answer, never its text
            log.warning("the stored answer of message %s is not valid JSON; showing its text only", row["id"])
    return Message(row["role"], row["text"], answer, row["created_at"], row["id"], row["reply_to"])
