"""The public entry points `answer()` and `stream_answer()`, with a default engine built from `QA_*`
environment variables on first use and kept for the life of the process."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from qa.events import Event
from qa.filters import Filters
from qa.types import Answer

if TYPE_CHECKING:
    from qa.pipeline import Engine

_engine: Engine | None = None
_lock = threading.Lock()


def default_engine() -> Engine:
    """The engine `answer()` uses: the index in QA_INDEX_DIR and the model QA_LLM_MODEL / QA_LLM_URL."""
    global _engine
    with _lock:
        if _engine is None:
            from index.embedding import offline_environment
            from qa.factory import build_engine
            from qa.settings import Settings

            offline_environment()
            _engine = build_engine(Settings.from_env())
        return _engine


def answer(question: str, *, top_k: int | None = None, history: list | None = None,
           filters: Filters | None = None, as_of: date | str | None = None) -> Answer:
    """Answer `question` from the indexed articles, with numbered citations of exact quotes. `as_of` (default
    today) is the day it is asked: "this week" counts back from it; articles dated after it are not used."""
    from qa.pipeline import validate_question

    validate_question(question)  # fail fast, before any model loads
    return default_engine().answer(question, top_k=top_k, history=history, filters=filters, as_of=as_of)


def stream_answer(question: str, *, top_k: int | None = None, history: list | None = None,
                  filters: Filters | None = None, as_of: date | str | None = None) -> Iterator[Event]:
    """Yield `EvidenceFound` as soon as the evidence is chosen (and again, with the same passages first, when
    the passage giving a name or figure offered is added), `TextDelta`s as the answer is written, then `Done`
    with the final, verified `Answer`."""
    from qa.pipeline import validate_question

    validate_question(question)
    return default_engine().stream_answer(question, top_k=top_k, history=history, filters=filters, as_of=as_of)
