"""Fixtures of the store suite (the PostgreSQL server and `pg_url` are in tests/conftest.py): `any_store`,
every test's store on each backend in turn (embedded, then PostgreSQL), and `filled_store`."""
from __future__ import annotations

import pytest


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
    from tests.conftest import SEEDS, new_database
    from tests.store.test_backends import WIRE

    url = new_database(request.getfixturevalue("pg_server")) if request.param == "postgresql" else ""
    store = open_store(url, tmp_path_factory.mktemp("filled") / "index", embedder=embedder)
    store.add(load_paths([str(SEEDS)]).articles + WIRE)
    yield store
    close = getattr(store, "close", None)
    if close:
        close()
