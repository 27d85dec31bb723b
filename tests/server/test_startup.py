"""Starting the server: a non-loopback bind without credentials refuses to start (before any model loads);
the UI's password is never an argv value; `qa serve` launches `python -m server` (qa never imports it)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # each test runs the real command line or server as a process


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, **(env or {}), "QA_API_KEYS": "", "QA_UI_PASSWORD": ""})


@pytest.mark.parametrize("extra, missing", [
    ([], "API keys"),
    (["--api-key", "k"], "--username"),
    (["--api-key", "k", "--username", "admin"], "needs a password"),
])
def test_a_public_bind_without_credentials_refuses_to_start(extra, missing):
    r = run("serve", "--host", "0.0.0.0", "--port", "1", *extra)
    assert r.returncode == 1 and missing in r.stderr and "Traceback" not in r.stderr


def test_the_password_is_not_an_argument():
    r = run("serve", "--password", "hunter2")
    assert r.returncode == 2 and "unrecognized arguments: --password" in r.stderr
    r = run("ui", "--password", "hunter2")
    assert r.returncode == 2 and "unrecognized arguments: --password" in r.stderr
