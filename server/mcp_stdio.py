"""`qa mcp` (also `python -m server mcp`): an MCP server on stdio, so that assistants such as Claude Desktop
can search the articles and get answers with citations. Tools: `search_articles`, `answer_question`,
`list_articles`, `get_article`. It loads its own models (one client, one process); stdout carries the
protocol only, so everything else goes to stderr. It holds no answering logic."""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.embedding import offline_environment
from index.errors import IndexError_, NotIndexedError
from qa.errors import QAError
from qa.factory import Assistant, build
from qa.settings import Settings
from server.passages import search_passages

INSTRUCTIONS = ("Answers from a local library of news articles. Use answer_question for a question (the answer's "
                "[n] markers point at exact quotes in `citations`; a refusal means the articles do not say); "
                "use search_articles to see the passages themselves.")


def build_mcp(assistant: Assistant) -> Any:
    """The MCP server over `assistant`, its tools registered."""
    from mcp.server.mcpserver import MCPServer

    mcp: Any = MCPServer("news-qa", instructions=INSTRUCTIONS)
    tool = _tool(mcp)

    @tool
    def search_articles(query: str, k: int = 5) -> dict[str, Any]:
        """The passages of the articles that best match `query` (1 to 10), with their scores. No LLM."""
        if not 1 <= k <= 10:
            raise ValueError(f"k must be between 1 and 10, got {k}")
        return {"query": query, "passages": search_passages(assistant.engine, query, k)}

    @tool
    def answer_question(question: str, as_of: str | None = None) -> dict[str, Any]:
        """Answer `question` from the articles: text with [n] markers, and the citations (exact quotes).
        `as_of` (an ISO date) leaves out articles published after it."""
        return assistant.engine.answer(question, as_of=dt.date.fromisoformat(as_of) if as_of else None).to_dict()

    @tool
    def list_articles() -> dict[str, Any]:
        """Every article in the library: doc_id, title, source, date."""
        return {"articles": [{k: v for k, v in a.to_dict().items() if k != "text"}
                             for a in assistant.library.articles()]}

    @tool
    def get_article(doc_id: str) -> dict[str, Any]:
        """One article's text and metadata."""
        info = assistant.library.get(doc_id)
        if info is None:
            raise ValueError(f"no article {doc_id!r} in the library")
        return info.to_dict()

    return mcp


def _tool(mcp: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`mcp.tool()`, with the library's errors (a bad argument, an empty library) turned into `ToolError`s,
    whose message the client sees (other exceptions reach it as a bare "Error executing tool")."""
    from mcp.server.mcpserver.exceptions import ToolError

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except NotIndexedError as e:
                raise ToolError("the library is empty: add articles with `qa index add`") from e
            except (ValueError, QAError, IndexError_) as e:
                raise ToolError(str(e)) from e

        return mcp.tool()(wrapped)

    return register


def main(argv: list[str] | None = None) -> int:
    offline_environment()
    p = argparse.ArgumentParser(prog="qa mcp", description="Serve the articles to MCP clients over stdio.")
    p.add_argument("--index-dir", type=Path, default=None,
                   help="index directory (default: $QA_INDEX_DIR or ~/.local/share/news-qa/index)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens (to stderr)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        build_mcp(build(Settings.from_env(index_dir=args.index_dir))).run("stdio")
    except (QAError, IndexError_, ValueError) as e:
        sys.stderr.write(f"error: {e}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
