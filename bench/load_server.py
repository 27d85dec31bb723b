"""Load benchmark of `qa serve` on loopback: C concurrent clients ask Q questions each through POST /v1/answer
while a prober searches GET /v1/search; every request must be answered (200) or cleanly refused (429), none
lost or hung. Prints answer latency p50/p95, throughput, the refusals, and search p50/p95 while generation is
busy; with --ask-runs N, also the end-to-end time of `qa ask` against the server (p50).

    .venv/bin/python bench/load_server.py                       # 20 clients x 5 questions, seeds/ index
    .venv/bin/python bench/load_server.py --clients 4 --questions 2 --ask-runs 3

Bounded: loopback only, a fixed number of requests, and a deadline (--deadline, default 600 s) after which
whatever is still open counts as hung and the run fails. It starts its own server (a subprocess over a copy
of the seed index) unless --url names a running one.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-key"
QUESTIONS = ["What share of Scale AI did Meta take?", "Who founded Scale AI?",
             "How much did Meta invest in Scale AI?", "What is the capital of France?",
             "What did competitors say about the Scale AI deal?"]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def start_server(index_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "QA_API_KEYS": KEY, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "qa.cli", "index", "add", str(ROOT / "seeds"), "--index-dir",
                    str(index_dir)], check=True, env=env, cwd=ROOT, capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "server", "--no-ui", "--port", str(port), "--index-dir",
                             str(index_dir)], env=env, cwd=ROOT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise SystemExit("the server exited during startup")
    proc.terminate()
    raise SystemExit("the server did not start within 300 s")


class Load:
    def __init__(self, url: str, timeout: float):
        self.url, self.timeout = url, timeout
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.search: list[float] = []
        self.busy = threading.Event()
        self.lock = threading.Lock()

    def client(self, n: int, questions: int) -> None:
        with httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {KEY}"}, timeout=self.timeout) as c:
            for i in range(questions):
                t0 = time.perf_counter()
                try:
                    r = c.post("/v1/answer", json={"question": QUESTIONS[(n + i) % len(QUESTIONS)]})
                    status = str(r.status_code)
                except httpx.HTTPError as e:
                    status = type(e).__name__
                with self.lock:
                    self.statuses[status] += 1
                    if status == "200":
                        self.latencies.append(time.perf_counter() - t0)

    def prober(self, stop: threading.Event) -> None:
        with httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as c:
            while not stop.is_set():
                running = c.get("/v1/info").json()["queue"]["running"]
                t0 = time.perf_counter()
                r = c.get("/v1/search", params={"q": "Meta stake in Scale AI", "k": 5})
                took = time.perf_counter() - t0
                if r.status_code == 200 and running:  # only while generation is busy
                    self.search.append(took)
                time.sleep(0.2)


def run_load(url: str, clients: int, questions: int, deadline: float) -> bool:
    load, stop = Load(url, timeout=deadline), threading.Event()
    threads = [threading.Thread(target=load.client, args=(n, questions), daemon=True) for n in range(clients)]
    probe = threading.Thread(target=load.prober, args=(stop,), daemon=True)
    t0 = time.perf_counter()
    probe.start()
    for t in threads:
        t.start()
    end = time.monotonic() + deadline
    for t in threads:
        t.join(max(0.0, end - time.monotonic()))
    wall = time.perf_counter() - t0
    stop.set()
    probe.join(5)
    hung = sum(t.is_alive() for t in threads)
    total = clients * questions
    lost = total - sum(load.statuses.values())
    answered, refused = load.statuses["200"], load.statuses["429"]
    say(f"requests {total}: answered {answered}, refused 429 {refused}, other {dict(load.statuses)}, "
          f"lost {lost}, clients hung {hung}; wall {wall:.1f} s")
    say(f"answer latency p50 {pct(load.latencies, .5):.2f} s, p95 {pct(load.latencies, .95):.2f} s; "
          f"throughput {answered / wall:.3f} answers/s ({answered / wall * 60:.1f}/min)")
    say(f"search while generating: {len(load.search)} probes, p50 {pct(load.search, .5) * 1000:.0f} ms, "
          f"p95 {pct(load.search, .95) * 1000:.0f} ms (target p95 < 100 ms)")
    return lost == 0 and hung == 0 and answered + refused == total


def time_qa_ask(url: str, runs: int) -> None:
    times = []
    env = {**os.environ, "QA_SERVER_URL": url, "QA_API_KEY": KEY}
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run([str(ROOT / ".venv/bin/qa"), "ask", QUESTIONS[0]], env=env, capture_output=True,
                           text=True, timeout=300)
        times.append(time.perf_counter() - t0)
        if r.returncode:
            say(f"qa ask failed: {r.stderr.strip()}")
    say(f"qa ask via the server, {runs} runs: p50 {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}; target <= 5 s)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default=None, help="a running server (loopback) instead of starting one; key bench-key")
    p.add_argument("--port", type=int, default=7871)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--questions", type=int, default=5)
    p.add_argument("--deadline", type=float, default=600.0, help="seconds before open requests count as hung")
    p.add_argument("--ask-runs", type=int, default=0, help="also time `qa ask` against the server this many times")
    args = p.parse_args()
    if args.clients * args.questions > 500 or args.deadline > 1800:
        raise SystemExit("keep it bounded: at most 500 requests and 1800 s")
    tmp, proc = Path(tempfile.mkdtemp(prefix="load-server-")), None
    try:
        url = args.url or f"http://127.0.0.1:{args.port}"
        if not url.startswith(("http://127.0.0.1", "http://localhost")):
            raise SystemExit("loopback only")
        if args.url is None:
            proc = start_server(tmp / "index", args.port)
        ok = run_load(url, args.clients, args.questions, args.deadline)
        if args.ask_runs:
            time_qa_ask(url, args.ask_runs)
        return 0 if ok else 1
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
