"""Benchmark: how well the judge reads a yes/no question's verdict from the evidence (`qa.verdict.PolarJudge`,
README "Models"). The question is read, retrieved and its evidence selected as when answering; the judge then
gives its log-odds of Yes over No (Unclear offered too). No reader model runs.

Two sets: the plain questions of bench/yes_no_questions.jsonl, written here about the seed articles and
RealTimeQA's articles (each expects yes, no, or a refusal: the articles do not say), and MultiHop-RAG's yes/no dev
questions. For each threshold it prints how many get Yes and how many of them rightly.

With --answers, the plain questions are also answered end to end (`Engine.answer`, the reader and every check),
and each answer's verdict is printed against the one expected: right, wrong (the other verdict, or any verdict
where the articles do not say), or refused.

    .venv/bin/python bench/polar_check.py --realtimeqa ../shared/bench/realtimeqa22/corpus.jsonl \
        [--multihop ../shared/bench/multihop/corpus.jsonl ../shared/bench/multihop/dev_queries.jsonl] [--dump F] \
        [--answers]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
HERE = Path(__file__).resolve().parent
THRESHOLDS = (0.5, 0.8, 1.0, 1.3, 1.5)


def engine_over(settings, corpus: Path | None):
    """The engine over the seed library, or over `corpus` (its evaluation index, built on first use)."""
    from qa import evaluation as ev
    from qa.factory import build_engine, open_store

    if corpus is None:
        return build_engine(settings)
    store = open_store(dataclasses.replace(settings, index_dir=ev.default_eval_index_dir(corpus, settings.cache_dir)))
    ev.prepare_index(store, corpus)
    return build_engine(settings, store=store)


def _margin(engine, query: str, as_of: str | None) -> float | None:
    from qa.dates import as_of_date
    from qa.generation import context_lines

    p, snap, day = engine.parts, engine.store.snapshot(), as_of_date(as_of)
    asked = p.analyzer.run(query, snap, as_of=day)
    result = p.retriever.run(asked, snap, until=day.isoformat())
    evidence, _conflict = p.conflicts.run(p.selector.run(asked, result))
    if not p.policy.decide(asked, result, evidence).answerable:
        return None  # refused before the judge is asked
    return p.polar.margin(asked, context_lines(evidence, snap), evidence)


def _answers(engines: dict, rows: list[dict]) -> None:
    """Answer each question end to end and print its verdict against the one expected, then the totals."""
    right = wrong = refused = 0
    for q in rows:
        a = engines[q["corpus"]].answer(q["query"], as_of=q["as_of"])
        said = "refuse" if a.refused else (a.short_answer or a.text.split(":")[0]).strip().lower()
        if said == q["expect"]:
            right += 1
        elif said == "refuse":
            refused += 1
        else:
            wrong += 1
        print(f"  {'right' if said == q['expect'] else said:7} expects {q['expect']:6} {q['query']} | {a.text[:160]}")
    print(f"  end to end: {right} right, {wrong} wrong, {refused} refused (of {len(rows)})")


def _report(name: str, rows: list[dict]) -> None:
    counts = ", ".join(f"{k} {sum(r['expect'] == k for r in rows)}" for k in ("yes", "no", "refuse"))
    print(f"\n{name}: {len(rows)} questions ({counts})")
    judged = [r for r in rows if r["margin"] is not None]
    print(f"  refused before the judge: {len(rows) - len(judged)}")
    for t in THRESHOLDS:
        yes = [r for r in judged if r["margin"] >= t]
        print(f"  Yes at >= {t}: {len(yes)} questions, {sum(r['expect'] == 'yes' for r in yes)} rightly")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--realtimeqa", type=Path, required=True, help="RealTimeQA's corpus.jsonl")
    ap.add_argument("--multihop", type=Path, nargs=2, metavar=("CORPUS", "QUERIES"))
    ap.add_argument("--dump", type=Path, help="write every question's margin here (JSON lines)")
    ap.add_argument("--answers", action="store_true", help="also answer the plain questions end to end")
    args = ap.parse_args()

    from qa.settings import Settings

    settings = Settings.from_env()
    engines = {"seeds": engine_over(settings, None), "realtimeqa22": engine_over(settings, args.realtimeqa)}
    plain = [json.loads(line) for line in (HERE / "yes_no_questions.jsonl").open()]
    for q in plain:
        q["margin"] = _margin(engines[q["corpus"]], q["query"], q["as_of"])
    _report("plain questions", plain)
    if args.answers:
        _answers(engines, plain)
    rows = plain
    if args.multihop:
        engine = engine_over(settings, args.multihop[0])
        multihop = [{"query": q["query"], "expect": q["answer"].lower(), "corpus": "multihop"}
                    for q in map(json.loads, args.multihop[1].open()) if q["answer"].lower() in ("yes", "no")]
        for q in multihop:
            q["margin"] = _margin(engine, q["query"], None)
        _report("MultiHop-RAG yes/no", multihop)
        rows = plain + multihop
    if args.dump:
        args.dump.write_text("".join(json.dumps(r) + "\n" for r in rows))


if __name__ == "__main__":
    main()
