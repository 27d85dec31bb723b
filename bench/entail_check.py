"""Benchmark: can a bundled model judge whether a quote entails a sentence? Not a test.

`collect` answers questions of both dev sets with the default pipeline and writes, for every sentence the
answer ships, the sentence, the question and the quotes it cites (`qa.entailment.premise`). `score` asks a judge
(`qa.entailment.EntailmentJudge`) about those pairs and about pairs made from them that the quote does not
entail:
  - swapped: a name of the sentence replaced by another name its own quote holds ("Meta is phasing out
    Scale AI" against "OpenAI is phasing out Scale AI due to Scale's ties to Meta"): a role the quote gives to
    someone else, which the name check cannot see since both names are in the quote;
  - negated: the sentence with its first verb negated or its negation removed ("Scale AI is not independent"
    against "Scale remains an independent leader");
  - other quote: the sentence against the quotes of another answer's sentence (a quote about something else).
It prints, for the shipped pairs, how many the judge finds entailed, and for each kind of negative the AUC of
the judge's margin at telling the shipped pairs from them (0.5: chance) and how many it rejects; and the
seconds a check takes. The shipped pairs are not hand-labelled: a few of them are not entailed (the hand
check of 30 answers found 1 of about 60 sentences), so the share found entailed is a floor on the judge's
agreement.

    .venv/bin/python bench/entail_check.py collect rt|mh CORPUS QUERIES OUT.jsonl [--limit 40] [--skip 100]
    .venv/bin/python bench/entail_check.py score OUT.jsonl [OUT2.jsonl ...] [--judge qwen2.5-coder-0.5b]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
import time
from itertools import product
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def collect(kind: str, corpus: Path, queries: Path, out: Path, limit: int, skip: int) -> None:
    from qa import evaluation as ev
    from qa.entailment import premises
    from qa.factory import build_engine, open_store
    from qa.settings import Settings

    settings = Settings.from_env()
    store = open_store(dataclasses.replace(settings, index_dir=ev.default_eval_index_dir(corpus, settings.cache_dir)))
    ev.prepare_index(store, corpus)
    engine = build_engine(settings, store=store)
    if kind == "rt":
        from qa.eval_qa import load_qa_queries
        qs = [(q.query, q.asked_on or None) for q in load_qa_queries(queries)]
    else:
        qs = [(q.query, None) for q in ev.load_queries(queries)]
    with out.open("w") as f:
        for question, as_of in qs[skip:skip + limit]:
            a = engine.answer(question, as_of=as_of)
            if a.refused or a.extractive:
                continue
            for s, premise in premises(a):
                f.write(json.dumps({"question": question, "sentence": s.text, "premise": premise}) + "\n")


_VERB = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|did|does|do)\b(?! not)")
_NOT = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|did|does|do)( not|n't)\b")


def negated(sentence: str) -> str | None:
    if _NOT.search(sentence):
        return _NOT.sub(r"\1", sentence, count=1)
    if _VERB.search(sentence):
        return _VERB.sub(r"\1 not", sentence, count=1)
    return None


def swapped(sentence: str, premise: str) -> str | None:
    from qa.text import capitalised_words

    mine = [w for w in capitalised_words(sentence) if len(w) > 2]
    others = [w for w in capitalised_words(premise) if len(w) > 2 and w.lower() not in sentence.lower()]
    if not mine or not others:
        return None
    return re.sub(rf"\b{re.escape(mine[0])}\b", others[0], sentence, count=1)


def auc(pos: list[float], neg: list[float]) -> float:
    pairs = list(product(pos, neg))
    return sum((p > n) + 0.5 * (p == n) for p, n in pairs) / len(pairs) if pairs else float("nan")


def score(files: list[Path], judge_name: str, threshold: float | None) -> None:
    from qa.entailment import THRESHOLD, EntailmentJudge
    from qa.llm_llamacpp import LlamaCppLLM
    from qa.settings import Settings

    settings = Settings.from_env()
    judge = EntailmentJudge(LlamaCppLLM(judge_name, cache_dir=settings.model_cache_dir))
    cut = THRESHOLD if threshold is None else threshold
    rows = [json.loads(line) for f in files for line in f.open()]
    rng = random.Random(0)
    kinds: dict[str, list[tuple[str, str]]] = {"shipped": [], "swapped": [], "negated": [], "other quote": []}
    for r in rows:
        kinds["shipped"].append((r["premise"], r["sentence"]))
        if (s := swapped(r["sentence"], r["premise"])) is not None:
            kinds["swapped"].append((r["premise"], s))
        if (s := negated(r["sentence"])) is not None:
            kinds["negated"].append((r["premise"], s))
        other = rng.choice([o for o in rows if o["question"] != r["question"]] or [r])
        if other["question"] != r["question"]:
            kinds["other quote"].append((other["premise"], r["sentence"]))
    margins: dict[str, list[float]] = {}
    seconds = []
    for kind, pairs in kinds.items():
        margins[kind] = []
        for premise, hypothesis in pairs:
            t0 = time.perf_counter()
            margins[kind].append(judge.margin(premise, hypothesis))
            seconds.append(time.perf_counter() - t0)
    pos = margins["shipped"]
    print(f"judge {judge_name}, threshold {cut}: shipped pairs {len(pos)}, "
          f"found entailed {sum(m >= cut for m in pos)}")
    for kind in ("swapped", "negated", "other quote"):
        neg = margins[kind]
        print(f"  {kind}: {len(neg)} pairs, rejected {sum(m < cut for m in neg)}, AUC {auc(pos, neg):.2f}")
    print(f"  a check takes {np.median(seconds):.2f} s (p50), {max(seconds):.2f} s at most")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("kind", choices=["rt", "mh"])
    c.add_argument("corpus", type=Path)
    c.add_argument("queries", type=Path)
    c.add_argument("out", type=Path)
    c.add_argument("--limit", type=int, default=40)
    c.add_argument("--skip", type=int, default=100)
    s = sub.add_parser("score")
    s.add_argument("files", type=Path, nargs="+")
    s.add_argument("--judge", default="qwen2.5-coder-0.5b")
    s.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    if args.cmd == "collect":
        collect(args.kind, args.corpus, args.queries, args.out, args.limit, args.skip)
    else:
        score(args.files, args.judge, args.threshold)


if __name__ == "__main__":
    main()
