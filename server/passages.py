"""Search results as plain data: the passages `Engine.retrieve` ranks for a query, each with its article's
metadata, its exact text and its dense, keyword and fused scores. Shared by GET /v1/search and the MCP
search tool. It does not rank anything itself."""
from __future__ import annotations

from typing import Any

from index.errors import NotIndexedError
from qa.filters import Filters
from qa.pipeline import Engine


def search_passages(engine: Engine, query: str, k: int, filters: Filters | None = None) -> list[dict[str, Any]]:
    """The `k` best passages for `query` (fewer when the library holds fewer; none when it is empty)."""
    try:
        result = engine.retrieve(query, filters=filters)
    except NotIndexedError:
        return []
    snap = result.snapshot
    out = []
    for h in result.hits[:k]:
        a = snap.articles[h.doc_id]
        out.append({"rank": h.rank, "doc_id": h.doc_id, "title": a.title, "source": a.source,
                    "published_at": a.published_at, "url": a.url, "start": h.start, "end": h.end,
                    "text": a.text[h.start:h.end],
                    "scores": {"dense": h.dense, "keyword": h.keyword, "fused": h.fused}})
    return out
