"""The naive baseline: llama-index's CitationQueryEngine on our index and our model, scored like the assistant.

It composes stock llama-index parts with nothing of ours but the retriever (our HybridRetriever is a
llama-index BaseRetriever, so both systems read the same top chunks) and the GGUF model (the same file, through
llama-index's LlamaCPP with ChatML prompts). No sentence selection, no grammar, no verification, no refusal
gate: whatever the engine writes is the answer.

    python bench/baseline_citation_engine.py --corpus C --queries Q [--limit N]   # both systems, side by side
    python bench/baseline_citation_engine.py --ask "a question"                    # one answer, $QA_INDEX_DIR

Both systems are scored by qa/evaluation.py on the same evaluation index (the one `qa eval multihop` uses).

The `llm=` is always passed and llama-index's global Settings are pointed at local models first, so nothing
can fall back to OpenAI.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from a checkout

from qa.text import MARKER  # noqa: E402
from qa.types import Answer, Citation  # noqa: E402

BASELINE_TOP_K = 4  # chunks handed to the engine, as in the authors' answer experiments
BASELINE_CTX = 4096  # four chunks and the citation template need more than the assistant's 2,048 tokens
_REFUSAL = re.compile(r"insufficient information|not (?:provide|mention|contain|specif|state|include)|"
                      r"no (?:information|mention)|cannot (?:be )?(?:determine|answer)|unable to|do not (?:say|cover)",
                      re.I)


class CitationBaseline:
    def __init__(self, store, settings, *, embedder=None, top_k: int = BASELINE_TOP_K):
        from llama_index.core import Settings as LISettings
        from llama_index.core.query_engine import CitationQueryEngine

        from qa.llm_llamacpp import LlamaCppLLM, chatml
        from qa.retrieval import HybridRetriever

        if settings.llm_url:
            raise ValueError("the baseline runs the local GGUF model only; unset QA_LLM_URL")
        own = LlamaCppLLM(settings.llm_model, cache_dir=settings.model_cache_dir, n_threads=settings.llm_threads,
                          n_ctx=BASELINE_CTX)
        llm = own.llama_index_llm
        # LlamaCPP is a completion model: the engine's prompt reaches it through completion_to_prompt, which
        # our backend leaves as the identity (it formats ChatML itself). Give it the chat template here.
        llm.completion_to_prompt = lambda prompt: chatml("You are a helpful assistant.", prompt)
        llm.generate_kwargs.update({"max_tokens": 128})
        LISettings.llm = llm
        LISettings.embed_model = _local_embed_model()
        self.name = f"CitationQueryEngine/{own.name}"
        self.embedder = embedder or store.embedder
        self.retriever = HybridRetriever(store, self.embedder, top_k=top_k)
        self.engine = CitationQueryEngine(retriever=self.retriever, llm=llm)

    def ranked_rows(self, question: str) -> list[int]:
        return [h.row for h in self.retriever.search(question, top_k=10).hits]

    def answer(self, question: str) -> Answer:
        t0 = time.perf_counter()
        response = self.engine.query(question)
        text = str(response).strip()
        nodes = response.source_nodes
        citations = []
        for n in dict.fromkeys(int(m) for m in MARKER.findall(text)):
            if 1 <= n <= len(nodes):
                meta = nodes[n - 1].node.metadata
                citations.append(Citation(number=n, doc_id=meta.get("doc_id", ""), title=meta.get("title", ""),
                                          quote=nodes[n - 1].node.get_content()[:200], start=meta.get("start", 0),
                                          end=meta.get("end", 0), score=float(nodes[n - 1].score or 0.0)))
        return Answer(question=question, text=text, citations=citations,
                      refused=bool(_REFUSAL.search(text)) and not citations, model=self.name,
                      timings={"total_s": round(time.perf_counter() - t0, 3)})


def _local_embed_model():
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from index.embedding import bundled_model_path

    return HuggingFaceEmbedding(model_name=bundled_model_path(), device="cpu")


def compare(args: argparse.Namespace) -> None:
    """Score the assistant and the baseline on the same queries and print both, then side by side."""
    from qa import evaluation as ev
    from qa.cli_args import settings_from
    from qa.cli_eval import format_report, prepare_engine, side_by_side

    args.retrieval_only, args.quiet = False, False
    settings = settings_from(args)
    queries = ev.stratified(ev.load_queries(args.queries), args.limit)
    engine, snap = prepare_engine(args, settings)
    baseline = CitationBaseline(engine.store, settings)
    ours = ev.evaluate(queries, chunk_text=snap.chunk_text, retrieve=lambda q: [h.row for h in engine.retrieve(q).hits],
                       answerer=engine.answer)
    theirs = ev.evaluate(queries, chunk_text=snap.chunk_text, retrieve=baseline.ranked_rows,
                         answerer=baseline.answer)
    o, b = ev.report(ours), ev.report(theirs)
    o["model"], b["model"] = engine.model_name, baseline.name
    if args.json:
        print(json.dumps({"ours": o, "baseline": b}, ensure_ascii=False))
        return
    print(format_report(o, "Ours"), format_report(b, "Baseline: llama-index CitationQueryEngine"),
          side_by_side(o, b, "baseline"), sep="\n\n")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path)
    p.add_argument("--queries", type=Path)
    p.add_argument("--limit", type=int, default=8)
    p.add_argument("--index-dir", type=Path, default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--ask", default=None, help="answer one question from the index in $QA_INDEX_DIR")
    args = p.parse_args(argv)
    from index.embedding import offline_environment

    offline_environment()
    if args.ask:
        from index.store import Store
        from qa.settings import Settings

        s = Settings.from_env()
        a = CitationBaseline(Store(s.index_dir), s).answer(args.ask)
        print(a.text, *(f"[{c.number}] {c.doc_id} {c.title}" for c in a.citations), sep="\n")
        return
    if not (args.corpus and args.queries):
        p.error("give --corpus and --queries, or --ask")
    compare(args)


if __name__ == "__main__":
    main()
