"""The chat UI served by a real Gradio server on loopback, driven through gradio_client (no browser)."""
import re

import pytest

pytestmark = [pytest.mark.llm, pytest.mark.slow]


def test_chat_streams_an_answer_with_numbered_sources(serve_app, index_copy):
    from gradio_client import Client

    with serve_app(index_copy) as url:
        client = Client(url, verbose=False)
        job = client.submit("What share of Scale AI did Meta take?", "", api_name="/ask")
        outputs = list(job)
        assert len(outputs) >= 2, "the answer streams in several updates"
        result = job.result()
    history, sources = result[0], result[1]
    content = history[-1]["content"]
    final = content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
    assert re.search(r"\[1\]", final) and "49" in final
    assert "49%" in sources and "source-1" in sources and '<mark class="cited">' in sources


def test_review_store_sits_beside_the_index_and_records_the_answer(serve_app, index_copy):
    from gradio_client import Client

    from qa.review import ReviewStore

    with serve_app(index_copy) as url:
        Client(url, verbose=False).predict("What share of Scale AI did Meta take?", "", api_name="/ask")
    items = ReviewStore.beside(index_copy).items()
    assert items and items[0].question == "What share of Scale AI did Meta take?"
    assert items[0].sentence and items[0].verdict is None
