"""`qa eval multihop`: score the assistant (and, with --baseline, llama-index's CitationQueryEngine on the
same index and model) on MultiHop-RAG queries. The metrics and the loop live in qa/evaluation.py; this
module only wires the parts together and prints the figures."""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

from qa import evaluation as ev

EXIT_OK = 0
BASELINE_SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "baseline_citation_engine.py"


def add_eval_commands(sub, index_dir_arg) -> None:
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
    m.add_argument("--baseline", action="store_true",
                   help="also run llama-index's CitationQueryEngine on the same index and model (slow)")
    m.add_argument("--baseline-limit", type=int, default=None,
                   help="run the baseline on only N of the scored queries (default: all of them)")
    m.add_argument("--json", action="store_true", help="print one JSON object")
    m.add_argument("--per-query", type=Path, default=None, help="also write per-query results (JSON lines)")
    m.add_argument("--quiet", action="store_true", help="no progress on stderr")
    index_dir_arg(m)
    m.set_defaults(func=cmd_multihop)


def cmd_multihop(args) -> int:
    from index.store import Store
    from qa.cli import settings_from

    if args.retrieval_only and args.baseline:
        raise ValueError("--baseline needs the model: drop --retrieval-only")
    for name in ("corpus", "queries"):
        if not getattr(args, name).is_file():
            raise ValueError(f"--{name} {getattr(args, name)}: no such file")
    queries = ev.stratified(ev.load_queries(args.queries), args.limit)
    index_dir = args.index_dir or ev.default_eval_index_dir(args.corpus)
    settings = settings_from(args)
    store = Store(index_dir)
    progress = _Progress(args.quiet)
    snap, how = ev.prepare_index(store, args.corpus, progress=progress.embedded)
    _say(args, f"index {index_dir}: {how}, {len(snap.articles)} articles, {len(snap.chunks)} chunks")

    engine = _engine(store, settings, retrieval_only=args.retrieval_only)
    results = ev.evaluate(queries, chunk_text=lambda row: snap.chunk_text(row),
                          retrieve=lambda q: _ranked_rows(engine, q),
                          answerer=None if args.retrieval_only else engine.answer,
                          on_result=progress.scored(len(queries), "ours"))
    out = ev.report(results)
    out["model"] = None if args.retrieval_only else engine.llm.name
    out["index_dir"] = str(index_dir)
    out["chunks"] = len(snap.chunks)

    base_results = None
    if args.baseline:
        base_queries = ev.stratified(queries, args.baseline_limit)
        baseline = _load_baseline().CitationBaseline(store, settings, embedder=engine.embedder)
        base_results = ev.evaluate(base_queries, chunk_text=lambda row: snap.chunk_text(row),
                                   retrieve=baseline.ranked_rows, answerer=baseline.answer,
                                   on_result=progress.scored(len(base_queries), "baseline"))
        ids = {q.qid for q in base_queries}
        out["baseline"] = ev.report(base_results)
        out["baseline"]["model"] = baseline.name
        out["ours_on_baseline_queries"] = ev.report([r for r in results if r.qid in ids])

    if args.per_query:
        with open(args.per_query, "w", encoding="utf-8") as f:
            for who, rs in (("ours", results), ("baseline", base_results or [])):
                for r in rs:
                    f.write(json.dumps({"system": who, **r.to_dict()}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(format_report(out))
    return EXIT_OK


def _engine(store, settings, *, retrieval_only: bool):
    from qa.pipeline import Engine

    if retrieval_only:
        llm = _NoLLM()
    else:
        from qa.llm import make_llm

        llm = make_llm(settings)
    return Engine(store, llm, top_k=settings.top_k, max_tokens=settings.max_tokens)


class _NoLLM:
    """Stands in for the model in a retrieval-only run, where the engine only retrieves."""

    name = "none (retrieval only)"

    def stream(self, *args, **kwargs):
        raise RuntimeError("retrieval-only evaluation must not call the model")


def _ranked_rows(engine, question: str) -> list[int]:
    """The chunks the engine retrieves for `question`, best first. An engine that issues several
    sub-queries can expose the merged list as `retrieve_for_eval`; otherwise its retriever is asked once."""
    if hasattr(engine, "retrieve_for_eval"):
        hits = engine.retrieve_for_eval(question)
        hits = getattr(hits, "hits", hits)
    else:
        hits = engine.retriever.search(question, top_k=ev.RETRIEVAL_K).hits
    return [h.row for h in hits][:ev.RETRIEVAL_K]


def _load_baseline():
    if not BASELINE_SCRIPT.is_file():
        raise ValueError(f"--baseline needs {BASELINE_SCRIPT} (part of the source checkout)")
    spec = importlib.util.spec_from_file_location("baseline_citation_engine", BASELINE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _by_type_table(rep: dict) -> str:
    types = list(rep["by_type"])
    rows = [[k, _fmt(rep[k])] + [_fmt(rep["by_type"][t][k]) for t in types]
            for k in _ROWS if rep.get(k) is not None]
    return _table(["metric", "overall"] + [t.removesuffix("_query") for t in types], rows)


def format_report(out: dict) -> str:
    parts = [f"MultiHop-RAG (Tang & Yang, 2024): {out['queries']} queries, model {out['model'] or '-'}",
             _by_type_table(out)]
    if "baseline" in out:
        b, o = out["baseline"], out["ours_on_baseline_queries"]
        parts += ["", f"Baseline: llama-index CitationQueryEngine, model {b['model']}, {b['queries']} queries",
                  _by_type_table(b), "", "Side by side on the baseline's queries (overall):"]
        rows = [[k, _fmt(o[k]), _fmt(b[k])] for k in _ROWS if o.get(k) is not None or b.get(k) is not None]
        parts.append(_table(["metric", "ours", "baseline"], rows))
    return "\n".join(parts)
