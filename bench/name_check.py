"""Benchmark: how often the names a "Who/Which/Where ...?" answer may give hold the right one (README, "How it
works"). No language model runs: the question is read, retrieved and its evidence selected as when answering,
then `Generator.short_answers` gives the names offered to the model (`qa.candidates.NameRanker`).

For each answerable RealTimeQA question that asks for a name, it counts: the first name offered is an accepted
answer; some name offered is; some name ranked at all is (what better ranking could reach). With --dump FILE
it writes each question's ranked names and their scores, to read the misses.

    .venv/bin/python bench/name_check.py ../shared/bench/realtimeqa22/corpus.jsonl \
        ../shared/bench/realtimeqa22/queries.jsonl [--dump /tmp/names.jsonl]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--dump", type=Path, help="write each question's ranked names here (JSON lines)")
    args = ap.parse_args()

    from qa import evaluation as ev
    from qa.candidates import name_pool
    from qa.dates import as_of_date
    from qa.eval_qa import load_qa_queries, matches
    from qa.factory import build_engine, open_store
    from qa.settings import Settings

    settings = Settings.from_env()
    store = open_store(dataclasses.replace(settings, index_dir=ev.default_eval_index_dir(args.corpus,
                                                                                        settings.cache_dir)))
    snap, _how = ev.prepare_index(store, args.corpus)
    parts = build_engine(settings, store=store).parts
    counts = {"questions": 0, "first_right": 0, "offered_right": 0, "ranked_right": 0}
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    for q in load_qa_queries(args.queries):
        day = as_of_date(q.asked_on or None)
        asked = parts.analyzer.run(q.query, snap, as_of=day)
        if not (q.answerable and asked.asks_name):
            continue
        result = parts.retriever.run(asked, snap, until=day.isoformat())
        selection = parts.selector.run(asked, result)
        evidence, _conflict = parts.conflicts.run(selection)
        offered, _read = parts.generator.short_answers(asked, evidence, snap, selection.ranked)
        wider = [*evidence, *name_pool(evidence, selection.ranked)]
        articles = [snap.articles[d].text for d in dict.fromkeys(e.doc_id for e in wider)]
        ranked = parts.generator.names.rank(asked, wider, articles, exclude=set(snap.sources))
        right = [r.name for r in ranked if matches(r.name, q.answers)]
        counts["questions"] += 1
        counts["first_right"] += bool(offered) and matches(offered[0], q.answers)
        counts["offered_right"] += any(matches(n, q.answers) for n in offered)
        counts["ranked_right"] += bool(right)
        if dump:
            dump.write(json.dumps({"qid": q.qid, "query": q.query, "answers": q.answers, "wanted": asked.wanted,
                                   "offered": offered, "right": right,
                                   "ranked": [dataclasses.asdict(r) for r in ranked[:8]]}) + "\n")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
