"""Embeddings from an OpenAI-compatible endpoint (`POST <url>/embeddings`), for bulk ingestion on faster
hardware (QA_EMBED_URL, e.g. a GPU server running the same all-MiniLM-L6-v2).

`RemoteEmbedder` has `Embedder`'s surface (encode, encode_query, name, dimension, precision), so a store uses
it unchanged. Vectors are L2-normalised here whatever the server returns, and must have the model's 384
dimensions. Its `precision` is "remote:<model the server names>", so the store records with each library
(manifest, and per passage in PostgreSQL) which model made its vectors, and refuses to mix them with
vectors made in-process (they are not guaranteed to be identical). It does not retry or cache.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from index.embedding import DIMENSION, MODEL_NAME
from index.errors import StoreError

log = logging.getLogger(__name__)


class RemoteEmbedder:
    name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, url: str, *, model: str = "", api_key: str = "", batch_size: int = 256, timeout: float = 120):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"QA_EMBED_URL must be an http(s) URL, got {url[:40]!r}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.url = url.rstrip("/") + "/embeddings"
        self.model = model or MODEL_NAME
        self.api_key = api_key
        self.batch_size = batch_size
        self.timeout = timeout
        self.precision = f"remote:{self.model}"

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            out[start:start + len(batch)] = self._post(batch)
            if progress:
                progress(len(batch))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def _post(self, batch: list[str]) -> np.ndarray:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            r = httpx.post(self.url, json={"model": self.model, "input": batch}, headers=headers, timeout=self.timeout)
            r.raise_for_status()
            data = sorted(r.json()["data"], key=lambda d: d["index"])
            vecs = np.asarray([d["embedding"] for d in data], dtype=np.float32)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as e:
            raise StoreError(f"the embeddings endpoint {self.url} failed ({str(e)[:200]}); check QA_EMBED_URL") from e
        if vecs.shape != (len(batch), DIMENSION):
            raise StoreError(f"the embeddings endpoint {self.url} returned vectors of shape {vecs.shape}, expected "
                             f"({len(batch)}, {DIMENSION}): it must serve {MODEL_NAME}")
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)
