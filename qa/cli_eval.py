"""`qa eval multihop`: score the assistant on MultiHop-RAG queries. The metrics and the loop live in
qa/evaluation.py; this module only wires the parts together and prints the figures. (llama-index's
CitationQueryEngine, scored by the same code, is run by bench/baseline_citation_engine.py.)"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from qa import evaluation as ev
from qa.cli_args import EXIT_OK, index_dir_arg, settings_from

if TYPE_CHECKING:
    from index.store import Snapshot
    from qa.evaluation import Judge
    from qa.pipeline import Engine
    from qa.settings import Settings


JUDGE_HELP = ("also count the shipped sentences this model (bundled name or GGUF path) finds entailed by the "
              "quotes they cite (qa.entailment). The answering path already drops those its own judge "
              "(QA_JUDGE_MODEL) rejects: with QA_JUDGE_MODEL=none this shows what that removes")


def add_eval_commands(sub: argparse._SubParsersAction) -> None:
    """Register `qa eval` subcommands on the argparse sub-parsers `sub`."""
    e = sub.add_parser("eval", help="evaluate retrieval and answers on a benchmark")
    esub = e.add_subparsers(dest="eval_command", required=True)
    m = esub.add_parser("multihop", help="MultiHop-RAG (Tang & Yang, 2024): retrieval, answers, citations",
                        description="Build (or reuse) an index of the corpus, then score the queries. The index "
                                    "defaults to ~/.cache/news-qa/eval-index-<corpus hash>, apart from your "
                                    "library.")
    m.add_argument("--corpus", type=Path, required=True, help="corpus JSON lines (doc_id, title, source, "
                                                              "published_at, body)")
    m.add_argument("--queries", type=Path, required=True, help="queries JSON lines (query, answer, "
                                                               "question_type, evidence)")
    m.add_argument("--retrieval-only", action="store_true", help="score retrieval only; no model is loaded")
    m.add_argument("--limit", type=int, default=None,
                   help="score N queries, taken round-robin across question types")
    m.add_argument("--json", action="store_true", help="print one JSON object")
    m.add_argument("--per-query", type=Path, default=None, help="also write per-query results (JSON lines)")
    m.add_argument("--quiet", action="store_true", help="no progress on stderr")
    m.add_argument("--judge", default=None, metavar="MODEL", help=JUDGE_HELP)
    m.add_argument("--multihop-rules", action="store_true", default=None,
                   help="turn on the rules fitted to MultiHop-RAG's templates (QA_MULTIHOP_RULES)")
    index_dir_arg(m)
    m.set_defaults(func=cmd_multihop)

    g = esub.add_parser("qa", help="any QA set of news questions (e.g. RealTimeQA): accuracy, refusals, citations",
                        description="corpus.jsonl: doc_id, title, source, published_at, url, body. queries.jsonl: "
                                    "qid, query, answers[], answerable, evidence_doc_ids, asked_on (passed as "
                                    "as_of). The index defaults to ~/.cache/news-qa/eval-index-<corpus hash>.")
    g.add_argument("--corpus", type=Path, required=True)
    g.add_argument("--queries", type=Path, required=True)
    g.add_argument("--limit", type=int, default=None, help="score N queries, round-robin across question types")
    g.add_argument("--closed-book", action="store_true", help="also run the same model without the articles")
    g.add_argument("--judge", default=None, metavar="MODEL", help=JUDGE_HELP)
    g.add_argument("--json", action="store_true", help="print one JSON object")
    g.add_argument("--per-query", type=Path, default=None, help="also write per-query results (JSON lines)")
    g.add_argument("--quiet", action="store_true", help="no progress on stderr")
    index_dir_arg(g)
    g.set_defaults(func=cmd_qa, retrieval_only=False)


def cmd_multihop(args: argparse.Namespace) -> int:
    _require_files(args)
    settings = settings_from(args)
    queries = ev.stratified(ev.load_queries(args.queries), args.limit)
    engine, snap = prepare_engine(args, settings)
    results = ev.evaluate(queries, chunk_text=snap.chunk_text,
                          retrieve=lambda q: [h.row for h in engine.retrieve(q).hits],
                          answerer=None if args.retrieval_only else engine.answer,
                          on_result=_Progress(args.quiet).scored(len(queries), "ours"),
                          judge=None if args.retrieval_only else _judge(args.judge, engine, settings))
    out = ev.report(results)
    out["model"] = None if args.retrieval_only else engine.model_name
    out["index_dir"] = str(engine.store.path)
    out["chunks"] = len(snap.chunks)
    if args.per_query:
        with open(args.per_query, "w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps({"system": "ours", **r.to_dict()}, ensure_ascii=False) + "\n")
    print(json.dumps(out, ensure_ascii=False) if args.json else format_report(out))
    return EXIT_OK


def cmd_qa(args: argparse.Namespace) -> int:
    from qa import eval_qa

    _require_files(args)
    settings = settings_from(args)
    queries = ev.stratified(eval_qa.load_qa_queries(args.queries), args.limit)
    engine, _snap = prepare_engine(args, settings)
    say = _qa_progress(args.quiet, len(queries))
    judge = _judge(args.judge, engine, settings)
    ours = eval_qa.evaluate_qa(queries, lambda q: engine.answer(q.query, as_of=q.asked_on or None),
                               judge=judge, on_result=say("ours"))
    out: dict = {"model": engine.model_name, "ours": eval_qa.summarise_qa(ours)}
    runs = {"ours": ours}
    if args.closed_book:
        runs["closed_book"] = eval_qa.evaluate_qa(
            queries, eval_qa.closed_book_answerer(engine.parts.generator.llm), on_result=say("closed book"))
        out["closed_book"] = eval_qa.summarise_qa(runs["closed_book"])
    if args.per_query:
        with open(args.per_query, "w", encoding="utf-8") as f:
            for who, rs in runs.items():
                for r in rs:
                    f.write(json.dumps({"system": who, **r.to_dict()}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        rows = [[k, _fmt(out["ours"][k])] + ([_fmt(out["closed_book"][k])] if args.closed_book else [])
                for k in out["ours"]]
        print(f"{args.queries.name}: {len(queries)} queries, model {out['model']}")
        print(_table(["metric", "ours"] + (["closed book"] if args.closed_book else []), rows))
    return EXIT_OK


def _judge(model: str | None, engine: Engine, settings: Settings) -> Judge | None:
    """The scorer of the entailment judge `model`: the verifier's own judge when it is that model (not loaded
    a second time), else one on the answering model or a newly loaded one (`make_judge`)."""
    if model is None:
        return None
    from qa.factory import make_judge

    own = engine.parts.verifier.judge
    if own is not None and getattr(own.llm, "model", None) == model:
        return own.judge_answer
    judge = make_judge(dataclasses.replace(settings, judge_model=model), engine.parts.generator.llm)
    return judge.judge_answer if judge else None


def _qa_progress(quiet: bool, total: int):
    def for_system(who: str):
        def cb(i: int, r) -> None:
            if not quiet:
                state = "refused" if r.refused else "answered"
                print(f"[{who} {i + 1}/{total}] {r.qid} {state} {'right' if r.correct else 'wrong'} "
                      f"in {r.latency_s:.1f}s: {r.text[:70]!r}", file=sys.stderr, flush=True)
        return cb
    return for_system


def _require_files(args: argparse.Namespace) -> None:
    for name in ("corpus", "queries"):
        if not getattr(args, name).is_file():
            raise ValueError(f"--{name} {getattr(args, name)}: no such file")


def prepare_engine(args: argparse.Namespace, settings: Settings) -> tuple[Engine, Snapshot]:
    """The engine over an index of exactly the corpus (built or reused; apart from the user's library unless
    --index-dir says otherwise), and that index's snapshot. The model loads only when a question is answered."""
    from qa.factory import build_engine, open_store

    index_dir = args.index_dir or ev.default_eval_index_dir(args.corpus, settings.cache_dir)
    store = open_store(dataclasses.replace(settings, index_dir=index_dir))
    snap, how = ev.prepare_index(store, args.corpus, progress=_Progress(args.quiet).embedded)
    _say(args, f"index {index_dir}: {how}, {len(snap.articles)} articles, {len(snap.chunks)} chunks")
    return build_engine(settings, store=store), snap


def _say(args, msg: str) -> None:
    if not args.quiet:
        print(msg, file=sys.stderr, flush=True)


class _Progress:
    """Plain progress lines on stderr (a log file of a long background run stays readable)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.next_at = 0
        self.t0 = time.perf_counter()

    def embedded(self, done: int, total: int) -> None:
        if self.quiet or (done < self.next_at and done < total):
            return
        if self.next_at == 0:
            self.t0 = time.perf_counter()
        self.next_at = done + max(1, total // 20)
        rate = done / max(time.perf_counter() - self.t0, 1e-9)
        eta = (total - done) / rate if rate > 0 else 0
        print(f"embedding the corpus: {done}/{total} chunks, about {eta / 60:.0f} min left",
              file=sys.stderr, flush=True)

    def scored(self, total: int, who: str):
        def cb(i: int, r: ev.QueryResult) -> None:
            if self.quiet:
                return
            extra = ""
            if r.prediction is not None:
                extra = (f" {'refused' if r.refused else 'answered'} {'right' if r.correct else 'wrong'}"
                         f" in {r.latency_s:.1f}s: {r.prediction[:60]!r}")
            elif r.retrieval is not None:
                extra = f" hit@10={r.retrieval.hit10:.0f} recall={r.retrieval.evidence_recall:.2f}"
            print(f"[{who} {i + 1}/{total}] {r.qid} {r.question_type}{extra}", file=sys.stderr, flush=True)
        return cb


# ---- the human-readable report --------------------------------------------------------------------------------

_ROWS = ev.RETRIEVAL_KEYS + ev.ANSWER_KEYS + ("queries",)


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths, strict=True)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _by_type_table(rep: dict) -> str:
    types = list(rep["by_type"])
    rows = [[k, _fmt(rep[k])] + [_fmt(rep["by_type"][t][k]) for t in types]
            for k in _ROWS if rep.get(k) is not None]
    return _table(["metric", "overall"] + [t.removesuffix("_query") for t in types], rows)


def format_report(out: dict, title: str = "MultiHop-RAG (Tang & Yang, 2024)") -> str:
    return "\n".join([f"{title}: {out['queries']} queries, model {out['model'] or '-'}", _by_type_table(out)])


def side_by_side(ours: dict, other: dict, name: str) -> str:
    """Overall figures of two systems on the same queries."""
    rows = [[k, _fmt(ours[k]), _fmt(other[k])] for k in _ROWS if ours.get(k) is not None or other.get(k) is not None]
    return _table(["metric", "ours", name], rows)
