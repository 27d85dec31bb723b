"""The citation review store: every answered question, its citations, and a person's verdict on each.

One SQLite file beside the index (`<index_dir>/review.sqlite`), so verdicts survive restarts and travel with
the index they refer to. This module records answers, stores verdicts and notes, filters, counts and exports
(JSON, CSV). It does not render anything (that is `ui/`) and does not answer questions.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from qa.types import Answer

log = logging.getLogger(__name__)

FILENAME = "review.sqlite"
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
"""


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
    """SQLite-backed; safe to share between the UI's worker threads (one connection per call)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @classmethod
    def beside(cls, index_dir: str | Path) -> "ReviewStore":
        return cls(review_path(index_dir))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            try:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA foreign_keys = ON")
                if not self._ready:
                    conn.executescript(_SCHEMA)
                    self._ready = True
                with conn:  # one transaction: committed on success, rolled back on error
                    yield conn
            finally:
                conn.close()

    def record(self, answer: Answer) -> int | None:
        """Store an answer and its citations for review. Refusals and uncited answers are not recorded
        (there is nothing to check); returns the answer's id, or None."""
        if answer.refused or not answer.citations:
            return None
        supports: dict[int, list[str]] = {}
        for s in answer.sentences:
            if s.supported:
                for n in s.citations:
                    supports.setdefault(n, []).append(s.text)
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO answers (question, text, standalone_question, model, conflict, extractive, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer.question, answer.text, answer.standalone_question, answer.model, int(answer.conflict),
                 int(answer.extractive), _now()))
            answer_id = cur.lastrowid
            conn.executemany(
                'INSERT INTO citations (answer_id, number, doc_id, title, source, published_at, quote, start, "end",'
                " score, sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(answer_id, c.number, c.doc_id, c.title, c.source, c.published_at, c.quote, c.start, c.end,
                  float(c.score), " ".join(supports.get(c.number, []))) for c in answer.citations])
        return answer_id

    def set_verdict(self, citation_id: int, verdict: str | None, note: str = "") -> ReviewItem:
        """Accept or reject one citation (None clears the verdict), with a free-text note."""
        if verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)} (or None), got {verdict!r}")
        with self._connect() as conn:
            cur = conn.execute("UPDATE citations SET verdict = ?, note = ?, reviewed_at = ? WHERE id = ?",
                               (verdict, note or "", _now() if verdict else None, int(citation_id)))
            if cur.rowcount == 0:
                raise KeyError(f"no citation with id {citation_id} in {self.path}")
        return self.get(citation_id)

    def get(self, citation_id: int) -> ReviewItem:
        items = self._select("WHERE c.id = ?", (int(citation_id),))
        if not items:
            raise KeyError(f"no citation with id {citation_id} in {self.path}")
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
        with self._connect() as conn:
            row = conn.execute("SELECT COUNT(*), SUM(verdict = 'accepted'), SUM(verdict = 'rejected') "
                               "FROM citations").fetchone()
        return ReviewStats(row[0] or 0, row[1] or 0, row[2] or 0)

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
        sql = ("SELECT c.*, a.question, a.text AS answer_text, a.created_at FROM citations c "
               f"JOIN answers a ON a.id = c.answer_id {where} ORDER BY a.id DESC, c.number")
        with self._connect() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [ReviewItem(id=r["id"], answer_id=r["answer_id"], question=r["question"],
                           answer_text=r["answer_text"], number=r["number"], doc_id=r["doc_id"], title=r["title"],
                           source=r["source"], published_at=r["published_at"], quote=r["quote"], start=r["start"],
                           end=r["end"], score=r["score"], sentence=r["sentence"], verdict=r["verdict"],
                           note=r["note"], reviewed_at=r["reviewed_at"], created_at=r["created_at"])
                for r in rows]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
