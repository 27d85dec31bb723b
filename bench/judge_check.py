"""Benchmark: can a bundled model judge whether an answer is right? It answers the questions of a QA set with
the default pipeline, then asks a judge model, for every answer not refused, "Does the quote show that the
proposed answer is right?" and reads the judge's preference for "Yes" over "No" from its next-token logits
(one forward pass, the KV cache of the fixed system prompt reused). Prints the AUC of that margin at telling
right answers from wrong ones (0.5: no better than chance) and the seconds a check takes. Not a test.

This is the measurement behind leaving LLM judges out of the answering path (README, Models): measured here,
neither bundled model separates right answers from wrong ones well enough to refuse on its word.

    .venv/bin/python bench/judge_check.py --judge qwen2.5-coder-0.5b|qwen2.5-coder-1.5b [--limit 60]
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from itertools import product
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RTQA = Path("/work/shared/bench/realtimeqa22")
SYSTEM = "You check answers to questions about news against a quote from an article. Reply Yes or No."


def yes_margin(llm, user: str) -> float:
    """log P("Yes") - log P("No") (either case) for the judge's first token, from the logits llama.cpp
    leaves after reading the prompt; only the part after the common prefix with the last prompt is read."""
    from qa.llm_llamacpp import chatml

    m = llm.llama_index_llm._model
    tokens = m.tokenize(chatml(SYSTEM, user).encode(), add_bos=False, special=True)
    have = list(m.input_ids[:m.n_tokens])
    p = 0
    while p < min(len(have), len(tokens)) and have[p] == tokens[p]:
        p += 1
    m.n_tokens = min(p, len(tokens) - 1)
    m.eval(tokens[m.n_tokens:])
    logits = np.ctypeslib.as_array(m._ctx.get_logits(), shape=(m.n_vocab(),))
    first = lambda word: logits[m.tokenize(word, add_bos=False)[0]]  # noqa: E731
    return float(max(first(b"Yes"), first(b"yes")) - max(first(b"No"), first(b"no")))


def auc(pos: list[float], neg: list[float]) -> float:
    pairs = list(product(pos, neg))
    return sum((p > n) + 0.5 * (p == n) for p, n in pairs) / len(pairs) if pairs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--judge", default="qwen2.5-coder-0.5b")
    ap.add_argument("--limit", type=int, default=60)
    args = ap.parse_args()
    from qa import evaluation as ev
    from qa.eval_qa import load_qa_queries, matches, shown_text
    from qa.factory import build_engine, open_store
    from qa.llm_llamacpp import LlamaCppLLM
    from qa.settings import Settings

    settings = Settings.from_env()
    corpus = RTQA / "corpus.jsonl"
    store = open_store(dataclasses.replace(settings, index_dir=ev.default_eval_index_dir(corpus, settings.cache_dir)))
    ev.prepare_index(store, corpus)
    engine = build_engine(settings, store=store)
    judge = LlamaCppLLM(args.judge, cache_dir=settings.model_cache_dir)
    margins: dict[bool, list[float]] = {True: [], False: []}
    seconds = []
    for q in ev.stratified(load_qa_queries(RTQA / "queries.jsonl"), args.limit):
        a = engine.answer(q.query, as_of=q.asked_on or None)
        if a.refused:
            continue
        claim = a.text if a.extractive else (a.short_answer or (a.sentences[0].text if a.sentences else a.text))
        quotes = " ".join(c.quote for c in a.citations[:2])
        t0 = time.perf_counter()
        margin = yes_margin(judge, f"Quote: {quotes}\nQuestion: {q.query}\nProposed answer: {claim}\n"
                                   "Does the quote show that the proposed answer is right?")
        seconds.append(time.perf_counter() - t0)
        margins[q.answerable and matches(shown_text(a), q.answers)].append(margin)
    print(f"judge {args.judge}: {len(margins[True])} right and {len(margins[False])} wrong answers; "
          f"AUC {auc(margins[True], margins[False]):.2f}; a check takes {np.median(seconds):.1f} s "
          f"(p50), {max(seconds):.1f} s at most")


if __name__ == "__main__":
    main()
