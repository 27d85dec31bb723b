"""`qa mcp` driven by the `mcp` package's own client over stdio: the tools are listed and called, against a
copy of the seed index; the answer tool runs the real bundled model."""
from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest

from tests.conftest import META_DOC, ROOT
from tests.server.conftest import META_QUESTION, copy_index

pytestmark = pytest.mark.slow


@pytest.fixture
def index_dir(seed_store, tmp_path):
    return copy_index(seed_store, tmp_path / "index")


def call_tools(index_dir, calls: list[tuple[str, dict]]) -> tuple[list[str], list]:
    """Start `python -m server mcp` (as `qa mcp` does), list its tools and make `calls`."""
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    params = StdioServerParameters(command=sys.executable, args=["-m", "server", "mcp", "--index-dir", str(index_dir)],
                                   cwd=str(ROOT), env={"PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", ""),
                                                       "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})

    async def go():
        async with Client(params, read_timeout_seconds=300) as client:
            tools = sorted(t.name for t in (await client.list_tools()).tools)
            results = [await client.call_tool(name, args) for name, args in calls]
            return tools, results

    return asyncio.run(go())


def payload(result) -> dict:
    """A tool's structured result (or its JSON text content)."""
    structured = getattr(result, "structured_content", None) or getattr(result, "structuredContent", None)
    if structured:
        return structured.get("result", structured) if set(structured) == {"result"} else structured
    return json.loads(result.content[0].text)


def test_mcp_lists_the_tools_and_searches(index_dir):
    tools, (search, listed, bad) = call_tools(index_dir, [("search_articles", {"query": "Meta stake in Scale AI",
                                                                               "k": 2}),
                                                          ("list_articles", {}),
                                                          ("search_articles", {"query": "x", "k": 0})])
    assert tools == ["answer_question", "get_article", "list_articles", "search_articles"]
    passages = payload(search)["passages"]
    assert len(passages) == 2 and passages[0]["doc_id"] == META_DOC and "Scale" in passages[0]["text"]
    assert META_DOC in [a["doc_id"] for a in payload(listed)["articles"]]
    assert bad.is_error and "k must be between 1 and 10" in bad.content[0].text


@pytest.mark.llm
def test_mcp_answers_with_citations(index_dir):
    _, (result,) = call_tools(index_dir, [("answer_question", {"question": META_QUESTION})])
    a = payload(result)
    assert not a["refused"] and "49" in a["text"]
    assert any(c["doc_id"] == META_DOC and "49" in c["quote"] for c in a["citations"])
