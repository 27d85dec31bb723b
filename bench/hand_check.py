"""Benchmark aid: answers to a reproducible sample of dev questions, written out for a person to check by hand
whether any shipped sentence contradicts (or is not stated by) the quote it cites. Not a test.

For each dev set it draws questions with a fixed seed, answers them with the default pipeline (as of the day
each RealTimeQA question was asked), and writes Markdown: the question, the accepted answers, the answer as
shown, then every sentence the answer ships with the exact quote (article, character span) of each citation
it carries. Refusals are listed apart (they ship no sentence to check) and do not count towards `--answers`.

    .venv/bin/python bench/hand_check.py OUT.md [--answers 15] [--seed 16]

Reads ../shared/bench/ (RealTimeQA and MultiHop-RAG, their dev queries) beside the project.
"""
from __future__ import annotations

import argparse
import dataclasses
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(ROOT))


def sample(kind: str, seed: int) -> tuple[Path, list[tuple[str, str | None, tuple[str, ...]]]]:
    """The corpus and the shuffled (question, as_of, accepted answers) of one dev set."""
    from qa import evaluation as ev
    from qa.eval_qa import load_qa_queries

    if kind == "rt":
        folder = BENCH / "realtimeqa22"
        qs = [(q.query, q.asked_on or None, q.answers) for q in load_qa_queries(folder / "queries.jsonl")]
    else:
        folder = BENCH / "multihop"
        qs = [(q.query, None, (q.answer,)) for q in ev.load_queries(folder / "dev_queries.jsonl")]
    random.Random(seed).shuffle(qs)
    return folder / "corpus.jsonl", qs


def write_answer(out, n: int, question: str, accepted: tuple[str, ...], answer) -> None:
    out.write(f"## {n}. {question}\n\naccepted: {' | '.join(accepted)}\n\n**answer:** {answer.text}\n\n")
    quotes = {c.number: c for c in answer.citations}
    for s in answer.sentences:
        if not s.supported or not s.citations:
            continue
        out.write(f"- sentence: {s.text}\n")
        for m in s.citations:
            c = quotes[m]
            out.write(f"  - [{m}] {c.doc_id} {c.start}-{c.end}: “{c.quote}”\n")
    out.write("\n- [ ] every sentence stated by its quotes, none contradicted\n\n")


def run(kind: str, answers: int, seed: int, out) -> None:
    from qa import evaluation as ev
    from qa.factory import build_engine, open_store
    from qa.settings import Settings

    corpus, qs = sample(kind, seed)
    settings = Settings.from_env()
    store = open_store(dataclasses.replace(settings, index_dir=ev.default_eval_index_dir(corpus, settings.cache_dir)))
    ev.prepare_index(store, corpus)
    engine = build_engine(settings, store=store)
    out.write(f"# {kind}: {answers} answers (seed {seed})\n\n")
    done, refused = 0, []
    for question, as_of, accepted in qs:
        if done == answers:
            break
        a = engine.answer(question, as_of=as_of)
        if a.refused:
            refused.append(question)
            continue
        done += 1
        write_answer(out, done, question, accepted, a)
        out.flush()
    out.write("Refused on the way (not checked): " + "; ".join(refused) + "\n\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--answers", type=int, default=15, help="answers to write from each dev set")
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for kind in ("rt", "mh"):
            run(kind, args.answers, args.seed, out)


if __name__ == "__main__":
    main()
