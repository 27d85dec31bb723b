"""The HTTP and MCP server: one process that holds the models once and serves the REST API under /v1, an
OpenAI-compatible chat endpoint, the Gradio UI at /, and (as `python -m server mcp`) an MCP server on stdio.

It sits on top of the layers (server -> ui -> qa -> index) and holds no answering logic: answering is
`qa.pipeline.Engine`, the library is `qa.library.Library`, reviews are `qa.review.ReviewStore`. Start it with
`qa serve` (or `python -m server`); `create_app` builds the ASGI app for tests and embedding.
"""
