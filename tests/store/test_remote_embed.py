"""QA_EMBED_URL: vectors made by an OpenAI-compatible embeddings endpoint. The endpoint here is a real HTTP
server on loopback serving the bundled MiniLM model in fp32 (what a GPU server would run), not a stand-in."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from index.backends import open_store
from index.embedding import Embedder
from index.embedding_remote import RemoteEmbedder
from index.errors import IndexMismatchError, StoreError
from tests.server.conftest import free_port
from tests.store.test_backends import WIRE


@pytest.fixture(scope="module")
def endpoint():
    import uvicorn
    from fastapi import FastAPI

    model = Embedder(precision="fp32")
    app = FastAPI()

    @app.post("/v1/embeddings")
    def embeddings(body: dict) -> dict:
        vecs = model.encode(list(body["input"]))
        return {"object": "list", "model": body.get("model"),
                "data": [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vecs)]}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1", model
    server.should_exit = True
    thread.join(timeout=10)


def test_remote_vectors_match_the_local_model(endpoint):
    url, model = endpoint
    remote = RemoteEmbedder(url, model="all-MiniLM-L6-v2", batch_size=2)
    texts = [a.text for a in WIRE]
    got = remote.encode(texts)
    assert got.shape == (3, 384) and np.allclose(np.linalg.norm(got, axis=1), 1, atol=1e-5)
    assert np.allclose(got, model.encode(texts), atol=1e-5)


def test_a_library_records_the_endpoint_model_and_refuses_mixing(any_store, endpoint, tmp_path):
    url, _model = endpoint
    remote = RemoteEmbedder(url, model="all-MiniLM-L6-v2")
    kind = "postgresql" if hasattr(any_store, "url") else "embedded"
    store = open_store(getattr(any_store, "url", ""), any_store.path, embedder=remote)
    store.add(WIRE)
    snap = store.snapshot()
    assert snap.manifest["embedding_precision"] == "remote:all-MiniLM-L6-v2"
    assert {e.model for e in store.export()} == {"sentence-transformers/all-MiniLM-L6-v2@remote:all-MiniLM-L6-v2"}
    local = open_store(getattr(any_store, "url", ""), any_store.path, embedder=Embedder())
    with pytest.raises(IndexMismatchError):
        local.add([WIRE[0].__class__("other", "A different article about tram fares in Osaka.")])
    assert kind in ("embedded", "postgresql")


def test_an_unreachable_endpoint_is_a_clear_error():
    with pytest.raises(StoreError, match="QA_EMBED_URL"):
        RemoteEmbedder(f"http://127.0.0.1:{free_port()}/v1", timeout=2).encode(["x"])
