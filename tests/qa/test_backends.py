"""The LLM backends: the bundled GGUF (checksummed), any GGUF path, and an OpenAI-compatible server —
tested against llama-cpp-python's own server started on loopback."""
import os
import socket
import subprocess
import sys
import time

import pytest

from qa.errors import BackendUnavailable, ModelError
from qa.models import BUNDLED, assemble, resolve_model
from qa.settings import DEFAULT_MODEL, Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_model_whose_checksum_does_not_match_is_refused(tmp_path):
    import dataclasses

    wrong = dataclasses.replace(BUNDLED[DEFAULT_MODEL], sha256="0" * 64)
    with pytest.raises(ModelError, match="SHA-256"):
        assemble(wrong, tmp_path)
    assert not list(tmp_path.glob("*.gguf"))  # nothing half-verified is left to be loaded later


def test_a_missing_or_non_gguf_model_path_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="neither a bundled model"):
        resolve_model(str(tmp_path / "nope.gguf"), tmp_path)
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a GGUF"):
        resolve_model(str(bad), tmp_path)


def test_settings_validate_numbers():
    with pytest.raises(ValueError, match="QA_TOP_K must be an integer"):
        Settings.from_env({"QA_TOP_K": "many"})


def test_settings_hold_every_path_read_from_the_environment(tmp_path):
    s = Settings.from_env({"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert s.index_dir == tmp_path / "data" / "news-qa" / "index"
    assert s.model_cache_dir == tmp_path / "cache" / "news-qa" / "models"
    s = Settings.from_env({"QA_INDEX_DIR": str(tmp_path / "i"), "QA_MODEL_CACHE": str(tmp_path / "m")})
    assert (s.index_dir, s.model_cache_dir) == (tmp_path / "i", tmp_path / "m")


def test_an_unreachable_server_names_the_url_to_fix():
    from qa.llm_openai import OpenAICompatibleLLM

    llm = OpenAICompatibleLLM(f"http://127.0.0.1:{free_port()}/v1", timeout=5)
    with pytest.raises(BackendUnavailable, match="QA_LLM_URL"):
        list(llm.stream("system", "user"))


@pytest.fixture(scope="module")
def llama_server():
    path = str(resolve_model(DEFAULT_MODEL, Settings.from_env().model_cache_dir))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", path, "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "2048", "--verbose", "False"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("llama_cpp.server exited early")
            time.sleep(1)
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.llm
@pytest.mark.slow
def test_answers_through_an_openai_compatible_server(llama_server, seed_store, embedder):
    from qa.llm import make_llm
    from tests.conftest import make_engine

    llm = make_llm(Settings.from_env({"QA_LLM_URL": llama_server, "QA_LLM_NAME": "local"}))
    a = make_engine(seed_store, llm).answer("What share of Scale AI did Meta take?")
    assert not a.refused and "49" in a.text
    assert all(seed_store.snapshot().articles[c.doc_id].text[c.start:c.end] == c.quote for c in a.citations)
