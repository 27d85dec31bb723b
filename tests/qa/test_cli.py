import json
import os
import subprocess
import sys

import pytest

from tests.conftest import META_DOC, ROOT

QA = [sys.executable, "-m", "qa.cli"]


def run(args, index_dir, timeout=300):
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir)}
    return subprocess.run(QA + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


@pytest.mark.llm
def test_ask_json_cites_the_49_percent_quote(seed_store):
    p = run(["ask", "--local", "--json", "What share of Scale AI did Meta take?"], seed_store.path)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert "49" in d["text"] and d["refused"] is False
    assert any(c["doc_id"] == META_DOC and "49%" in c["quote"] for c in d["citations"])


@pytest.mark.llm
def test_ask_json_refuses_the_capital_of_france(seed_store):
    p = run(["ask", "--local", "--json", "What is the capital of France?"], seed_store.path)
    d = json.loads(p.stdout)
    assert d["refused"] is True and d["citations"] == []


@pytest.mark.slow
def test_ask_without_an_index_says_how_to_make_one(tmp_path):
    p = run(["ask", "--local", "anything?"], tmp_path / "nothing-here")  # in this process, whatever server runs
    assert p.returncode == 1
    assert "qa index add" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.slow
def test_empty_question_is_a_clear_error(tmp_path):
    p = run(["ask", "  "], tmp_path)
    assert p.returncode == 1 and "question is empty" in p.stderr
