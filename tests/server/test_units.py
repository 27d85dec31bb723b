"""Narrow units of the server: the address safety check, secrets from files, `as_of` merged into filters, the
chat history, the queue's positions and refusal, and the login rate limit."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from server.auth import RateLimiter
from server.config import ServerConfig, check_safe, is_loopback, read_keys, read_password
from server.errors import ConfigError, TooManyRequests
from server.gate import Gate
from server.schemas import ChatMessage, FilterSpec, chat_question, to_filters


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                            ("localhost", True), ("0.0.0.0", False), ("::", False),
                                            ("192.168.1.4", False), ("example.org", False)])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_public_address_needs_keys_and_a_ui_login():
    check_safe(ServerConfig(host="127.0.0.1"))
    with pytest.raises(ConfigError, match="API keys.*--username"):
        check_safe(ServerConfig(host="0.0.0.0"))
    with pytest.raises(ConfigError, match="--username"):
        check_safe(ServerConfig(host="0.0.0.0", api_keys=("k",)))
    check_safe(ServerConfig(host="0.0.0.0", api_keys=("k",), username="u", password="p"))
    check_safe(ServerConfig(host="0.0.0.0", api_keys=("k",), ui=False))


def test_secrets_come_from_the_environment_and_files(tmp_path):
    (tmp_path / "keys").write_text("k2\n\nk3\n")
    (tmp_path / "pw").write_text("s3cret\nignored\n")
    assert read_keys({"QA_API_KEYS": "k1, k2"}, ["k4"], tmp_path / "keys") == ("k1", "k2", "k4", "k3")
    assert read_password({"QA_UI_PASSWORD": "env"}, None) == "env"
    assert read_password({"QA_UI_PASSWORD": "env"}, tmp_path / "pw") == "s3cret"
    with pytest.raises(ConfigError, match="cannot read"):
        read_password({}, tmp_path / "missing")


def test_filters_from_the_request():
    assert to_filters(None) is None and to_filters(FilterSpec()) is None
    spec = FilterSpec(sources=["TechCrunch"], date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 3, 1))
    f = to_filters(spec)
    assert f is not None and (f.sources, f.date_from, f.date_to) == (("TechCrunch",), "2024-01-01", "2024-03-01")


def test_the_last_user_message_is_the_question_and_earlier_turns_the_history():
    msgs = [ChatMessage(role="system", content="be brief"), ChatMessage(role="user", content="Who bought Scale?"),
            ChatMessage(role="assistant", content="Meta [1]."),
            ChatMessage(role="user", content=[{"type": "text", "text": "How much?"}])]
    question, history = chat_question(msgs)
    assert question == "How much?"
    assert history == [{"role": "user", "content": "Who bought Scale?"}, {"role": "assistant", "content": "Meta [1]."}]


def test_the_gate_gives_positions_and_refuses_when_full():
    gate = Gate(capacity=2)
    first, second, third = gate.enter(), gate.enter(), gate.enter()
    assert [t.position for t in (first, second, third)] == [0, 1, 2]
    with pytest.raises(TooManyRequests) as e:
        gate.enter()
    assert e.value.headers["Retry-After"].isdigit() and int(e.value.headers["Retry-After"]) >= 1
    second.release()  # a waiting request that gives up leaves the line
    assert third.position == 1
    done = threading.Event()
    threading.Thread(target=lambda: (third.wait(), done.set()), daemon=True).start()
    first.release(seconds=2.0)
    assert done.wait(5) and third.position == 0
    assert gate.stats()["running"] == 1 and gate.stats()["waiting"] == 0


def test_login_attempts_are_rate_limited_per_address():
    limiter = RateLimiter(limit=3, window_s=60)
    for _ in range(3):
        limiter.hit("10.0.0.1")
    with pytest.raises(TooManyRequests):
        limiter.hit("10.0.0.1")
    limiter.hit("10.0.0.2")  # another address is not affected
