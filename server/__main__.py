"""`python -m server [options]` serves the API and UI (`qa serve`); `python -m server mcp [options]` runs the
MCP server on stdio (`qa mcp`)."""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["mcp"]:
        from server.mcp_stdio import main as mcp_main

        return mcp_main(argv[1:])
    from server.serve import main as serve_main

    return serve_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
