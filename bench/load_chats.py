"""Chats under load, and memory over many answers, against `qa serve` on loopback.

    .venv/bin/python bench/load_chats.py burst --chats 20        # 20 chats at once: all answered, each told its place
    .venv/bin/python bench/load_chats.py memory --answers 200    # server RSS after 20 answers and after 200

`burst` starts C streamed chats (POST /v1/answer, "stream": true) at the same moment. A chat that cannot start
at once must be told its place in line (`queued` events with its position) before its evidence arrives. It
prints, per chat, the first position it was told and when, when evidence and the answer came, and the medians.
`memory` asks A questions one after another (a mix of answerable and unanswerable ones) and reads the server's
resident memory (VmRSS) after the first 20 and after all A, then after a burst of 20 at once; the target is
RSS(A) within 10% of RSS(20).

Starts its own server (a subprocess over a fresh index of seeds/) unless --url names a running one (then
--pid gives its process for `memory`). Bounded: loopback only, a fixed number of requests, a deadline.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.load_server import KEY, pct, say, start_server

QUESTIONS = ["What share of Scale AI did Meta take?", "Who founded Scale AI?",
             "How much did Meta invest in Scale AI?", "Why is OpenAI phasing out Scale AI?",
             "Who else pulled back from Scale AI besides OpenAI?", "What is Scale AI's price per share?",
             "Who is the CEO of Scale AI now?", "How many employees does Scale AI have?",
             "What did Scale AI say about its customers?", "When was the Meta deal announced?"]


@dataclass
class Chat:
    number: int
    question: str
    positions: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, position)
    evidence_s: float | None = None
    answer_s: float | None = None
    error: str = ""

    def told(self, first_answer_s: float) -> bool:
        """Told its place while it waited, or did not wait (its evidence came before any answer was done)."""
        first_sign = self.evidence_s if self.evidence_s is not None else self.answer_s
        return bool(self.positions) or (first_sign is not None and first_sign <= first_answer_s)


def events(response: httpx.Response):
    """(event, data) pairs of a server-sent-events response."""
    kind = ""
    for line in response.iter_lines():
        if line.startswith("event:"):
            kind = line[6:].strip()
        elif line.startswith("data:"):
            yield kind, json.loads(line[5:])
            kind = ""


def run_chat(url: str, chat: Chat, start: threading.Event, t0: list[float], deadline: float) -> None:
    start.wait()
    try:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=deadline) as c, \
                c.stream("POST", "/v1/answer", json={"question": chat.question, "stream": True}) as r:
            if r.status_code != 200:
                chat.error = f"HTTP {r.status_code}"
                return
            for kind, data in events(r):
                now = time.perf_counter() - t0[0]
                if kind == "queued":
                    chat.positions.append((now, int(data["position"])))
                elif kind == "evidence" and chat.evidence_s is None:
                    chat.evidence_s = now
                elif kind == "answer":
                    chat.answer_s = now
                elif kind == "error":
                    chat.error = str(data)
    except httpx.HTTPError as e:
        chat.error = type(e).__name__


def burst(url: str, n: int, deadline: float) -> list[Chat]:
    chats = [Chat(i + 1, QUESTIONS[i % len(QUESTIONS)]) for i in range(n)]
    start, t0 = threading.Event(), [0.0]
    threads = [threading.Thread(target=run_chat, args=(url, c, start, t0, deadline), daemon=True) for c in chats]
    for t in threads:
        t.start()
    t0[0] = time.perf_counter()
    start.set()
    for t in threads:
        t.join(deadline)
    return chats


def report_burst(chats: list[Chat]) -> bool:
    for c in chats:
        first = f"told position {c.positions[0][1]} at {c.positions[0][0]:.1f} s" if c.positions else "started at once"
        say(f"chat {c.number:2d}: {first}; evidence {c.evidence_s or float('nan'):6.1f} s, "
            f"answer {c.answer_s or float('nan'):6.1f} s {c.error}")
    answered = [c for c in chats if c.answer_s is not None and not c.error]
    first_answer = min((c.answer_s for c in answered if c.answer_s is not None), default=0.0)
    told = [c for c in chats if c.told(first_answer)]
    first_told = [c.positions[0][0] for c in chats if c.positions]
    waits = [c.answer_s for c in answered if c.answer_s is not None]
    say(f"chats {len(chats)}: answered {len(answered)}, told their place {len(told)}; first position told after "
        f"p50 {pct(first_told, .5):.2f} s, p95 {pct(first_told, .95):.2f} s; answer after p50 "
        f"{pct(waits, .5):.1f} s, max {max(waits, default=float('nan')):.1f} s")
    return len(answered) == len(chats) and len(told) == len(chats)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def memory(url: str, pid: int, answers: int, deadline: float) -> bool:
    marks: dict[str, float] = {}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=deadline) as c:
        took = []
        for i in range(answers):
            t = time.perf_counter()
            r = c.post("/v1/answer", json={"question": QUESTIONS[i % len(QUESTIONS)]})
            took.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise SystemExit(f"answer {i + 1}: HTTP {r.status_code} {r.text[:200]}")
            if i + 1 in (1, answers) or (i + 1) % 20 == 0:
                marks[f"after {i + 1}"] = rss_mb(pid)
                say(f"RSS after {i + 1} answers: {marks[f'after {i + 1}']:.0f} MB "
                    f"(answer p50 so far {statistics.median(took):.1f} s)")
    report_burst(burst(url, 20, deadline))
    marks["after a burst of 20"] = rss_mb(pid)
    say(f"RSS after a burst of 20 more: {marks['after a burst of 20']:.0f} MB")
    growth = marks[f"after {answers}"] / marks["after 20"] - 1
    say(f"RSS growth from 20 to {answers} answers: {growth * 100:+.1f}% (target within 10%)")
    return abs(growth) <= 0.10


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=("burst", "memory"))
    p.add_argument("--chats", type=int, default=20)
    p.add_argument("--answers", type=int, default=200)
    p.add_argument("--url", default=None, help="a running server on loopback (key bench-key) instead of a new one")
    p.add_argument("--pid", type=int, default=None, help="with --url: the server's process id, for `memory`")
    p.add_argument("--port", type=int, default=7872)
    p.add_argument("--deadline", type=float, default=1800.0)
    args = p.parse_args()
    if args.chats > 100 or args.answers > 1000:
        raise SystemExit("keep it bounded: at most 100 chats and 1000 answers")
    tmp, proc = Path(tempfile.mkdtemp(prefix="load-chats-")), None
    try:
        url = args.url or f"http://127.0.0.1:{args.port}"
        if not url.startswith(("http://127.0.0.1", "http://localhost")):
            raise SystemExit("loopback only")
        if args.url is None:
            proc = start_server(tmp / "index", args.port)
        pid = args.pid or (proc.pid if proc else None)
        if args.mode == "burst":
            ok = report_burst(burst(url, args.chats, args.deadline))
        elif pid is None:
            raise SystemExit("--pid is needed with --url for `memory`")
        else:
            ok = memory(url, pid, args.answers, args.deadline)
        return 0 if ok else 1
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
