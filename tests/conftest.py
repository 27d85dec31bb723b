"""Shared fixtures: the real bundled embedding model and LLM, and real indexes built in temporary folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
META_DOC = "001_5391de805404b0fb"


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


class CountingLLM:
    """The real bundled LLM, with a count of the calls made to it (to prove refusals skip the model)."""

    def __init__(self, llm):
        self.llm = llm
        self.calls = 0
        self.name = llm.name

    def stream(self, *args, **kwargs):
        self.calls += 1
        yield from self.llm.stream(*args, **kwargs)


@pytest.fixture(scope="session")
def bundled_llm():
    from qa.llm_llamacpp import LlamaCppLLM
    from qa.settings import DEFAULT_MODEL

    return LlamaCppLLM(DEFAULT_MODEL)


@pytest.fixture
def engine(seed_store, bundled_llm, embedder):
    from qa.pipeline import Engine

    return Engine(seed_store, CountingLLM(bundled_llm), embedder=embedder)
