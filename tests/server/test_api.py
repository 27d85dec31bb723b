"""Every endpoint that does not call the language model, against a real server on loopback: health and info,
search, the article library (JSON records, files, jobs, limits), reviews, errors as JSON, docs and the UI."""
from __future__ import annotations

import time

import pytest

from server.config import ServerConfig
from tests.conftest import META_DOC
from tests.server.conftest import KEY

RECORD = {"doc_id": "api-test-1", "title": "Harbour bridge reopens", "source": "Test Gazette",
          "published_at": "2024-03-02", "body": "The harbour bridge reopened on Monday after a repair that took "
                                                "nine weeks and cost 4.2 million euros, the city council said."}


def test_healthz_needs_no_key(api):
    with api.client(key=None) as c:
        r = c.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "service": "news-qa"}


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_a_missing_or_wrong_key_is_refused(api, key):
    with api.client(key=key) as c:
        for method, path in [("GET", "/v1/info"), ("GET", "/v1/search?q=Meta"), ("GET", "/v1/articles"),
                             ("POST", "/v1/answer"), ("POST", "/v1/chat/completions"), ("GET", "/v1/models")]:
            r = c.request(method, path, json={"question": "x"} if method == "POST" else None)
            assert r.status_code == 401, (path, r.text)
            assert r.json()["error"]["type"] == "unauthorized"
            assert r.headers["www-authenticate"] == "Bearer"


def test_x_api_key_header_is_accepted(api):
    with api.client(key=None) as c:
        assert c.get("/v1/info", headers={"X-API-Key": KEY}).status_code == 200


def test_info_reports_models_counts_and_versions(client):
    info = client.get("/v1/info").json()
    assert info["library"]["articles"] >= 2 and info["library"]["chunks"] >= 2
    assert info["models"]["llm"] and info["models"]["embedding"]
    assert info["queue"]["capacity"] == ServerConfig.queue_size and info["versions"]["fastapi"]


def test_search_returns_ranked_passages_with_scores(client):
    r = client.get("/v1/search", params={"q": "Meta stake in Scale AI", "k": 3})
    assert r.status_code == 200
    passages = r.json()["passages"]
    assert 1 <= len(passages) <= 3
    top = passages[0]
    assert top["doc_id"] == META_DOC and "Scale" in top["text"]
    assert set(top["scores"]) == {"dense", "keyword", "fused"} and -1 <= top["scores"]["dense"] <= 1
    assert [p["rank"] for p in passages] == sorted(p["rank"] for p in passages)


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "x", "k": 0}, {"q": "x", "k": 11}, {"q": "x" * 2001}, {}])
def test_bad_search_input_is_a_json_422(client, params):
    r = client.get("/v1/search", params=params)
    assert r.status_code == 422
    assert r.json()["error"]["type"] == "invalid_request" and r.json()["error"]["message"]


def test_articles_list_and_get(client):
    listed = client.get("/v1/articles").json()
    assert META_DOC in [a["doc_id"] for a in listed["articles"]] and listed["count"] == len(listed["articles"])
    one = client.get(f"/v1/articles/{META_DOC}").json()
    assert "Scale AI" in one["text"] and one["chars"] == len(one["text"])
    r = client.get("/v1/articles/no-such-article")
    assert r.status_code == 404 and "no-such-article" in r.json()["error"]["message"]


def _doc_ids(client) -> list[str]:
    return [a["doc_id"] for a in client.get("/v1/articles").json()["articles"]]


def test_json_records_are_added_read_and_deleted(client):
    before = _doc_ids(client)
    r = client.post("/v1/articles", json={"articles": [RECORD]})
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["state"] == "done" and job["report"]["added"] == ["api-test-1"]
    got = client.get("/v1/articles/api-test-1").json()
    assert got["source"] == "Test Gazette" and "harbour bridge" in got["text"].lower()
    assert "/tmp" not in got["path"] and "qa-upload" not in got["path"]
    assert client.delete("/v1/articles/api-test-1").json()["removed"] == ["api-test-1"]
    assert client.delete("/v1/articles/api-test-1").status_code == 404
    assert _doc_ids(client) == before


def test_files_are_uploaded_and_only_allowed_types(client):
    before = _doc_ids(client)
    r = client.post("/v1/articles", files=[("files", ("evil.exe", b"MZ\x00\x00", "application/octet-stream"))])
    assert r.status_code == 415 and ".txt" in r.json()["error"]["message"]
    text = RECORD["body"].encode()
    r = client.post("/v1/articles", files=[("files", ("../../bridge-note.txt", text, "text/plain"))])
    assert r.status_code == 200, r.text
    assert r.json()["report"]["added"] == ["bridge-note"]
    assert client.get("/v1/articles/bridge-note").json()["path"] == "bridge-note.txt"
    client.delete("/v1/articles/bridge-note")
    assert _doc_ids(client) == before


def test_a_large_upload_becomes_a_job_with_progress(client):
    before = _doc_ids(client)
    records = [{**RECORD, "doc_id": f"api-job-{i}", "body": f"Report {i}: " + RECORD["body"] * (i + 1)}
               for i in range(3)]
    r = client.post("/v1/articles", params={"background": "true"}, json={"articles": records})
    assert r.status_code == 202 and r.headers["location"] == r.json()["status_url"]
    deadline = time.monotonic() + 60
    while (job := client.get(r.headers["location"]).json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job["state"] == "done" and sorted(job["report"]["added"]) == [f"api-job-{i}" for i in range(3)]
    assert job["progress"]["chunks_embedded"] == job["progress"]["chunks_total"] > 0
    for i in range(3):
        client.delete(f"/v1/articles/api-job-{i}")
    assert _doc_ids(client) == before
    assert client.get("/v1/jobs/nope").status_code == 404


@pytest.mark.parametrize("body, status", [
    ({"articles": []}, 400),
    ({"articles": [{"doc_id": "x"}]}, 400),  # no body
    ({"articles": [{**RECORD, "doc_id": "a/b"}]}, 200),  # reported as skipped, nothing added
    ({"nonsense": 1}, 400),
])
def test_bad_article_input_changes_nothing(client, body, status):
    before = _doc_ids(client)
    r = client.post("/v1/articles", json=body)
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["report"]["added"] == [] and r.json()["report"]["skipped"]
    else:
        assert r.json()["error"]["message"]
    assert _doc_ids(client) == before


def test_malformed_json_and_wrong_content_type(client):
    r = client.post("/v1/articles", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = client.post("/v1/articles", content=b"hello", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_an_oversized_body_is_413(client):
    r = client.post("/v1/answer", content=b"x" * (2**20 + 10), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["type"] == "payload_too_large"


@pytest.mark.parametrize("body", [{}, {"question": ""}, {"question": "x" * 2001}, {"question": "ok", "top_k": 0},
                                  {"question": "ok", "as_of": "yesterday"}, {"question": "ok", "extra": 1}])
def test_bad_answer_input_is_422(client, body):
    r = client.post("/v1/answer", json=body)
    assert r.status_code == 422 and r.json()["error"]["message"]


def test_a_blank_question_is_400(client):
    r = client.post("/v1/answer", json={"question": "   "})
    assert r.status_code == 400 and "empty" in r.json()["error"]["message"]


def test_reviews_list_verdict_and_export(client):
    assert isinstance(client.get("/v1/reviews").json()["citations"], list)
    r = client.post("/v1/reviews", json={"citation": 999999, "verdict": "accepted", "note": ""})
    assert r.status_code == 404
    r = client.post("/v1/reviews", json={"citation": 1, "verdict": "maybe", "note": ""})
    assert r.status_code == 422
    csv = client.get("/v1/reviews/export", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("id,answer_id,")
    js = client.get("/v1/reviews/export", params={"format": "json"}).json()
    assert set(js) == {"stats", "citations"}
    assert client.get("/v1/reviews/export", params={"format": "xml"}).status_code == 422


def test_unknown_routes_and_methods_are_json(client):
    r = client.get("/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["type"] == "not_found"
    r = client.put("/v1/articles")
    assert r.status_code == 405 and r.json()["error"]["type"] == "method_not_allowed"


def test_models_lists_the_assistant(client):
    data = client.get("/v1/models").json()["data"]
    assert [m["id"] for m in data] == ["news-qa"]


def test_docs_and_ui_are_served(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/v1/answer", "/v1/search", "/v1/articles", "/v1/chat/completions", "/v1/reviews"} <= set(spec["paths"])
    page = client.get("/")
    assert page.status_code == 200 and "gradio" in page.text.lower()
