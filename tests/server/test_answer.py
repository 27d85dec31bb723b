"""Answering over HTTP with the real bundled models: /v1/answer as JSON and as server-sent events, and the
OpenAI-compatible endpoint through the `openai` package, plain and streaming, each carrying the citations.
Kept to a few calls (2 cores). The known answer: seeds/001_5391de805404b0fb.txt says Meta took a 49% stake
in Scale AI, so the answer cites that article and its quote holds "49%"."""
from __future__ import annotations

import json

import pytest

from tests.conftest import META_DOC
from tests.server.conftest import KEY, META_QUESTION

pytestmark = pytest.mark.llm


def _check_cited(text: str, citations: list[dict]) -> None:
    assert citations, text
    assert any(c["doc_id"] == META_DOC and "49" in c["quote"] for c in citations), citations
    for c in citations:
        assert f"[{c['number']}]" in text


def sse_events(lines) -> list[tuple[str, dict]]:
    out, event = [], "message"
    for line in lines:
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            out.append((event, json.loads(line[6:])))
            event = "message"
    return out


def test_answer_as_json_cites_the_quote_and_is_recorded_for_review(client):
    r = client.post("/v1/answer", json={"question": META_QUESTION})
    assert r.status_code == 200, r.text
    a = r.json()
    assert not a["refused"] and "49" in a["text"]
    _check_cited(a["text"], a["citations"])
    article = client.get(f"/v1/articles/{META_DOC}").json()["text"]
    c = next(c for c in a["citations"] if c["doc_id"] == META_DOC)
    assert article[c["start"]:c["end"]] == c["quote"]
    recorded = client.get("/v1/reviews", params={"filter": "unreviewed"}).json()["citations"]
    mine = next(i for i in recorded if i["question"] == META_QUESTION)
    r = client.post("/v1/reviews", json={"citation": mine["id"], "verdict": "accepted", "note": "checked"})
    assert r.status_code == 200 and r.json()["verdict"] == "accepted" and r.json()["note"] == "checked"


def test_answer_streams_evidence_text_then_the_answer(client):
    with client.stream("POST", "/v1/answer", json={"question": META_QUESTION, "stream": True}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.iter_lines())
    kinds = [k for k, _ in events]
    assert kinds[0] in ("queued", "evidence") and kinds[-1] == "answer"
    assert "evidence" in kinds and "text" in kinds
    assert kinds.index("evidence") < kinds.index("text")
    assert all(d["type"] == k for k, d in events)
    final = events[-1][1]["answer"]
    _check_cited(final["text"], final["citations"])


def test_as_of_leaves_out_later_articles(client):
    """An article dated 2024-03-02 is the only one about the bridge: asked as of 2024-01-01 it is left out, so
    the answer is a refusal (and the model is never called)."""
    record = {"doc_id": "as-of-bridge", "title": "Harbour bridge reopens", "source": "Test Gazette",
              "published_at": "2024-03-02", "body": "The harbour bridge reopened on Monday after a repair that "
                                                    "took nine weeks and cost 4.2 million euros, the council said."}
    assert client.post("/v1/articles", json={"articles": [record]}).status_code == 200
    try:
        r = client.post("/v1/answer", json={"question": "How much did the harbour bridge repair cost?",
                                            "as_of": "2024-01-01"})
        assert r.status_code == 200 and r.json()["refused"]
        assert "as-of-bridge" not in [c["doc_id"] for c in r.json()["citations"]]
    finally:
        client.delete("/v1/articles/as-of-bridge")


def test_openai_client_plain_and_streaming(api):
    from openai import OpenAI

    oa = OpenAI(base_url=f"{api.url}/v1", api_key=KEY, max_retries=0, timeout=120)
    assert [m.id for m in oa.models.list().data] == ["news-qa"]
    resp = oa.chat.completions.create(model="news-qa", messages=[{"role": "user", "content": META_QUESTION}])
    msg = resp.choices[0].message
    assert resp.choices[0].finish_reason == "stop"
    _check_cited(msg.content, msg.citations)

    stream = oa.chat.completions.create(model="news-qa", stream=True,
                                        messages=[{"role": "user", "content": META_QUESTION}])
    chunks = list(stream)
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    final = chunks[-1]
    assert final.choices[0].finish_reason == "stop"
    _check_cited(content, final.citations)
    assert content == msg.content  # greedy decoding: the same answer both ways


def test_openai_client_with_a_wrong_key_is_refused(api):
    from openai import AuthenticationError, OpenAI

    oa = OpenAI(base_url=f"{api.url}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(AuthenticationError):
        oa.chat.completions.create(model="news-qa", messages=[{"role": "user", "content": META_QUESTION}])
