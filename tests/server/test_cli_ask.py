"""`qa ask` against a running server: it asks the server (no models of its own), prints the same answer format,
reports the server's refusal as a one-line error, and answers here when no server of ours listens."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.server.conftest import KEY, META_QUESTION, free_port

pytestmark = pytest.mark.slow  # each test runs the real command line or server as a process


def qa(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env={**os.environ, **env})


@pytest.mark.llm
def test_qa_ask_uses_the_running_server(api):
    r = qa("ask", "--json", META_QUESTION, QA_SERVER_URL=api.url, QA_API_KEY=KEY)
    assert r.returncode == 0, r.stderr
    assert '"refused": false' in r.stdout and "49" in r.stdout


def test_qa_ask_reports_the_servers_refusal(api):
    r = qa("ask", META_QUESTION, QA_SERVER_URL=api.url, QA_API_KEY="wrong")
    assert r.returncode == 1 and "refused the question (401)" in r.stderr and "not valid" in r.stderr


def test_no_server_means_answering_here():
    from qa.client import ask_server

    assert ask_server(f"http://127.0.0.1:{free_port()}", META_QUESTION) is None
