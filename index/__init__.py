"""The article store: loading and cleaning articles, chunking them with character offsets, embedding them,
and the persisted FAISS + BM25 indexes with their manifest.

Nothing here answers questions (that is `qa/`) or draws anything (that is `ui/`).
"""
from index.articles import Article
from index.chunking import Chunk, ChunkingParams
from index.errors import IndexError_, IndexMismatchError, IngestError, NotIndexedError, StoreError

__all__ = [
    "Article",
    "Chunk",
    "ChunkingParams",
    "IndexError_",
    "IndexMismatchError",
    "IngestError",
    "NotIndexedError",
    "StoreError",
]
