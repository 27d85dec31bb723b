"""The UI served alone (`python -m ui`'s `serve`) is closed to strangers like the server's: a login in a real
browser, login attempts limited per address, uploads bounded in size and deleted once ingested."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.ui.conftest import free_port

USER, PASSWORD = "reader", "correct horse battery staple"


@contextmanager
def served_with_login(index_dir: Path, llm, embedder):
    from index.store import Store
    from qa.factory import build
    from qa.settings import Settings
    from ui.app import build_app, serve

    assistant = build(Settings.from_env(index_dir=index_dir), store=Store(index_dir, embedder=embedder), llm=llm)
    app = serve(build_app(assistant), port=free_port(), block=False, quiet=True, auth=(USER, PASSWORD))
    try:
        yield app.local_url.rstrip("/")
    finally:
        app.close()


@pytest.fixture
def login_app(index_copy, embedder):
    from tests.conftest import ScriptedLLM

    # Nothing here answers a question: the scripted model only stands in for the one the app would load.
    with served_with_login(index_copy, ScriptedLLM("unused"), embedder) as url:
        yield url


def test_login_attempts_are_limited_per_address(login_app):
    codes = [httpx.post(f"{login_app}/login", data={"username": USER, "password": f"guess {i}"}).status_code
             for i in range(12)]
    assert all(c in (400, 401) for c in codes[:10]), codes  # refused, but answered
    assert codes[10:] == [429, 429], codes
    blocked = httpx.post(f"{login_app}/login", data={"username": USER, "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1  # even the right one waits


def test_an_upload_over_the_limit_is_refused(login_app):
    from ui.access import MAX_UPLOAD_BYTES

    with httpx.Client() as client:
        assert client.post(f"{login_app}/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        too_big = b"x" * (MAX_UPLOAD_BYTES + 1)
        r = client.post(f"{login_app}/gradio_api/upload", files={"files": ("big.txt", too_big, "text/plain")})
    assert r.status_code == 413, (r.status_code, r.text[:200])


def test_uploads_are_deleted_once_ingested_and_other_files_never(empty_store, tmp_path, monkeypatch):
    from qa.library import Library
    from ui.library import add_files

    uploads = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    upload = uploads / "3f9a" / "quake.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("A strong earthquake struck the coast on Monday, officials said. No damage was reported.")
    elsewhere = tmp_path / "mine" / "fire.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("A fire closed the harbour road on Sunday, the fire service said. Nobody was hurt.")

    message = add_files(Library(empty_store), [str(upload), str(elsewhere)])

    assert "Added 2" in message or message.count("added") >= 1, message
    assert sorted(a.doc_id for a in Library(empty_store).articles()) == ["fire", "quake"]
    assert not upload.exists() and not upload.parent.exists()  # the upload and Gradio's folder for it
    assert elsewhere.exists()  # a file outside the upload folder is never deleted


@pytest.mark.browser
def test_a_browser_must_log_in_and_a_wrong_password_is_told(login_app, page, pages):
    pages.allow(r"status of 400 \(Bad Request\)")  # the refused login request, logged by the browser
    page.goto(login_app)
    page.get_by_label("username").fill(USER)
    page.get_by_label("password").fill("wrong")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Incorrect Credentials").wait_for()
    assert page.locator("#question").count() == 0  # nothing of the app before a login
    page.get_by_label("username").fill(USER)
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for()
