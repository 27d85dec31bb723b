"""The public entry points `answer()` and `stream_answer()`, with a default engine built from `QA_*`
environment variables on first use and kept for the life of the process."""
from __future__ import annotations

import threading
from collections.abc import Iterator

from qa.types import Answer

_engine = None
_lock = threading.Lock()


def default_engine():
    """The engine `answer()` uses: the index in QA_INDEX_DIR and the model QA_LLM_MODEL / QA_LLM_URL."""
    global _engine
    with _lock:
        if _engine is None:
            from index.embedding import offline_environment
            from qa.pipeline import Engine
            from qa.settings import Settings

            offline_environment()
            _engine = Engine.from_settings(Settings.from_env())
        return _engine


def set_default_engine(engine) -> None:
    """Replace the engine `answer()` uses (for scripts that build their own, and for tests)."""
    global _engine
    with _lock:
        _engine = engine


def answer(question: str, *, top_k: int | None = None, history: list | None = None, filters=None) -> Answer:
    """Answer `question` from the indexed articles, with numbered citations of exact quotes."""
    from qa.pipeline import validate_question

    validate_question(question)  # fail fast, before any model loads
    return default_engine().answer(question, top_k=top_k, history=history, filters=filters)


def stream_answer(question: str, *, top_k: int | None = None, history: list | None = None,
                  filters=None) -> Iterator[str | Answer]:
    """Yield the answer's text as it is generated, then the final, verified `Answer`."""
    from qa.pipeline import validate_question

    validate_question(question)
    return default_engine().stream_answer(question, top_k=top_k, history=history, filters=filters)
