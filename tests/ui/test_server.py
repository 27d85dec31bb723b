"""The chat UI served by a real Gradio server on loopback, driven through gradio_client."""
import re
import socket

import pytest

pytestmark = [pytest.mark.llm, pytest.mark.slow]


@pytest.fixture
def server(engine):
    from ui.app import CSS, build_app

    app = build_app(engine)
    with socket.socket() as sock:  # a free port on loopback
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, css=CSS, quiet=True)
    yield app
    app.close()


def test_chat_streams_an_answer_with_numbered_sources(server):
    from gradio_client import Client

    client = Client(server.local_url, verbose=False)
    job = client.submit("What share of Scale AI did Meta take?", [], fn_index=0)
    outputs = list(job)
    assert len(outputs) >= 2, "the answer streams in several updates"
    history, sources = job.result()
    content = history[-1]["content"]
    final = content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
    assert re.search(r"\[1\]", final) and "49" in final
    assert "49%" in sources and "source-1" in sources
