"""A writer or reader of an index in its own process, for the fault-injection tests (run as a script).

    python tests/index/fault_child.py INDEX_DIR OP [ARG ...] [--kill-at JSON] [--fsize BYTES]

OP is `add PATH...`, `remove DOC_ID...`, `recover` or `list`. It prints one JSON object: {"ok": ...} with
the result, or {"error": class name, "message": ...} with exit status 1 for an `IndexError_`, as the command
line does. Any other exception escapes as a traceback (exit status 1 from Python, with "Traceback" on
stderr), which the tests treat as a failure.

--kill-at {"event": E, "match": REGEX, "arg": I, "after": BOOL} sends this process SIGKILL at the first
audit event E (`os.rename`, `open`, `os.mkdir`, `shutil.rmtree`) whose I-th argument matches REGEX, just
before the operation runs, or with "after" at the next file operation after it (so the operation itself
completed). Audit hooks are the interpreter's own instrumentation: the library does not know it is tested.
--fsize sets RLIMIT_FSIZE, so that writes past that size fail with EFBIG as on a full disk.
"""
from __future__ import annotations

import json
import os
import re
import resource
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

FILE_EVENTS = ("open", "os.rename", "os.mkdir", "os.remove", "os.rmdir", "shutil.rmtree", "os.truncate", "os.link")


def install_kill(spec: dict) -> None:
    pattern = re.compile(spec["match"])
    state = {"armed": False}

    def hook(event: str, args: tuple) -> None:
        if event not in FILE_EVENTS:
            return
        if state["armed"]:
            os.kill(os.getpid(), signal.SIGKILL)
        if event == spec["event"] and len(args) > spec["arg"] and pattern.search(str(args[spec["arg"]])):
            if spec.get("after"):
                state["armed"] = True
            else:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)


def run(index_dir: str, op: str, args: list[str], delta_min_rows: int | None = None):
    from index.loaders import load_paths
    from index.store import Store

    store = Store(index_dir) if delta_min_rows is None else Store(index_dir, delta_min_rows=delta_min_rows)
    if op == "add":
        r = store.add(load_paths(args).articles)
        return {"added": r.added, "unchanged": r.unchanged, "duplicate_of": r.duplicate_of}
    if op == "remove":
        return list(store.remove(args))
    if op == "recover":
        r = store.recover()
        return {"generation": r.generation, "previous": r.previous, "articles": r.articles,
                "skipped": [g for g, _ in r.skipped], "describe": r.describe()}
    if op == "list":
        return sorted(store.snapshot().articles)
    raise SystemExit(f"unknown op {op}")


def main(argv: list[str]) -> int:
    from index.errors import IndexError_

    if "--fsize" in argv:
        i = argv.index("--fsize")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so that the write fails with EFBIG, not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(argv[i + 1]), resource.RLIM_INFINITY))
        del argv[i:i + 2]
    if "--kill-at" in argv:
        i = argv.index("--kill-at")
        spec = json.loads(argv[i + 1])
        del argv[i:i + 2]
        install_kill(spec)
    delta_min_rows = None
    if "--delta-min-rows" in argv:  # commits write deltas from this many rows on (index/segments.py)
        i = argv.index("--delta-min-rows")
        delta_min_rows = int(argv[i + 1])
        del argv[i:i + 2]
    index_dir, op, *args = argv
    try:
        result = run(index_dir, op, args, delta_min_rows)
    except IndexError_ as e:
        print(json.dumps({"error": type(e).__name__, "message": str(e)}))
        return 1
    print(json.dumps({"ok": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
