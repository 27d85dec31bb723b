"""The MultiHop-RAG evaluation: metric functions on hand-worked cases, then `qa eval multihop` end to end on a
tiny corpus cut from the real benchmark (four dev queries and the articles holding their evidence)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import evaluation as ev
from qa.types import Answer, Citation
from tests.conftest import ROOT

BENCH = Path(os.environ.get("QA_BENCH_DIR", ROOT.parent / "shared" / "bench")) / "multihop"
# One query of each type whose evidence lies in at most two articles, plus one distractor article.
TINY_QIDS = ("mhr-q-0005", "mhr-q-0013", "mhr-q-0029", "mhr-q-0042")
DISTRACTOR = "mhr-doc-0100"
QA = [sys.executable, "-m", "qa.cli"]


# ---- retrieval metrics ----------------------------------------------------------------------------------------

def test_relevance_ignores_spaces_newlines_and_a_byte_order_mark():
    chunk = "Intro.\nBut “all of that, all of it,\nwas built on lies,” Rehn declared."
    facts = ["But “all of that, all of it, was built on lies,”", "\ufeffRehn  declared", "not in the chunk"]
    assert ev.facts_in(chunk, facts) == {0, 1}


def test_an_empty_fact_is_never_relevant():
    assert ev.facts_in("anything", [""]) == set()


def test_score_ranking_worked_example():
    # Three gold facts. Rank 1 holds none, rank 2 holds fact 0, rank 5 holds fact 1, rank 11 holds fact 2.
    found = [set(), {0}, set(), set(), {1}, set(), set(), set(), set(), set(), {2}]
    s = ev.score_ranking(found, n_facts=3)
    assert s.hit4 == 1.0 and s.hit10 == 1.0  # first relevant chunk at rank 2 <= 4
    assert s.rr10 == 0.5  # 1 / 2
    assert s.evidence_recall == pytest.approx(2 / 3)  # facts 0 and 1; fact 2 is at rank 11, past the cut
    assert s.all_evidence == 0.0


def test_score_ranking_first_hit_at_rank_five_misses_hits_at_4():
    s = ev.score_ranking([set()] * 4 + [{0, 1}], n_facts=2)
    assert (s.hit4, s.hit10, s.rr10, s.all_evidence, s.evidence_recall) == (0.0, 1.0, 0.2, 1.0, 1.0)


@pytest.mark.parametrize("found", [[], [set()] * 10, [set()] * 10 + [{0}]])
def test_score_ranking_without_a_hit_in_the_top_ten_scores_zero(found):
    s = ev.score_ranking(found, n_facts=1)
    assert (s.hit4, s.hit10, s.rr10, s.all_evidence, s.evidence_recall) == (0, 0, 0, 0, 0)


def test_score_ranking_refuses_a_query_without_facts():
    with pytest.raises(ValueError):
        ev.score_ranking([{0}], n_facts=0)


# ---- answer metrics -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("prediction,gold,expected", [
    ("Sam Bankman-Fried", "Sam Bankman-Fried", True),
    ("bankman-fried", "Sam Bankman-Fried", True),  # one shared token is enough
    ("Yes", "yes", True),  # lower-cased
    ("Yes.", "Yes", False),  # the authors split on whitespace only: "yes." is not "yes"
    ("No", "Yes", False),
    ("", "Yes", False),
    ("Insufficient information.", "Insufficient information.", True),
])
def test_lenient_accuracy_is_the_authors_token_overlap(prediction, gold, expected):
    assert ev.lenient_correct(prediction, gold) is expected


@pytest.mark.parametrize("prediction,gold,expected", [
    ("The Verge.", "the verge", True),  # case, punctuation and articles removed
    ("Sam  Bankman-Fried", "Sam Bankman-Fried", True),  # both sides become "sam bankmanfried"
    ("Yes, it did", "Yes", False),
])
def test_exact_match_on_normalised_answers(prediction, gold, expected):
    assert ev.exact_match(prediction, gold) is expected


def test_prediction_prefers_the_short_answer_and_refusals_predict_insufficient_information():
    a = Answer(question="q", text="Yes: both say so [1].", short_answer="Yes")
    assert ev.prediction_of(a) == "Yes"
    assert ev.prediction_of(Answer(question="q", text="Google [1].")) == "Google [1]."
    refused = Answer(question="q", text="The articles do not cover this.", refused=True)
    assert ev.prediction_of(refused) == "Insufficient information."
    assert ev.lenient_correct(ev.prediction_of(refused), "Insufficient information.")


def test_citation_precision_and_recall_worked_example():
    # Cites A, B, C; the gold articles are A and D: precision 1/3, recall 1/2.
    p, r = ev.citation_scores(["A", "B", "C", "A"], ["A", "D"])
    assert p == pytest.approx(1 / 3) and r == 0.5
    assert ev.citation_scores([], ["A"]) == (None, 0.0)  # no citation: precision undefined


def test_percentile_interpolates_like_numpy():
    # 1..10: p50 is halfway between 5 and 6; p95 sits at position 8.55 -> 9 + 0.55 * (10 - 9).
    v = [float(x) for x in range(10, 0, -1)]
    assert ev.percentile(v, 50) == 5.5
    assert ev.percentile(v, 95) == pytest.approx(9.55)
    assert ev.percentile([], 50) is None


def test_summary_of_hand_made_results():
    def answered(qid, qtype, answerable, pred, gold, refused, cited, evidence, latency):
        q = ev.EvalQuery(qid, "question?", gold, qtype, answerable, evidence_doc_ids=tuple(evidence))
        a = Answer(question="question?", text=pred, refused=refused, short_answer="" if refused else pred,
                   citations=[Citation(1, d, "", "", 0, 0, 1.0) for d in cited],
                   timings={"total_s": latency, "first_token_s": latency / 4})
        return ev.evaluate([q], chunk_text=str, retrieve=None, answerer=lambda _: a)[0]

    results = [
        answered("1", "comparison_query", True, "Yes", "Yes", False, ["A", "B"], ["A", "C"], 2.0),
        answered("2", "comparison_query", True, "", "No", True, [], ["A"], 1.0),  # a false refusal
        answered("3", "null_query", False, "", "Insufficient information.", True, [], [], 1.0),
        answered("4", "null_query", False, "Google", "Insufficient information.", False, ["Z"], [], 4.0),
    ]
    s = ev.report(results)
    assert s["accuracy"] == 0.5  # queries 1 and 3 are right
    assert s["exact_match"] == 0.5
    assert s["false_refusal"] == 0.5 and s["null_refusal"] == 0.5
    # Only query 1 is an answered, answerable query: it cites A (gold) and B (not): 1/2; recalls A of A, C: 1/2.
    assert s["citation_precision"] == 0.5 and s["citation_recall"] == 0.5
    assert s["latency_p50_s"] == 1.5  # of 1, 1, 2, 4
    assert s["hits@10"] is None  # no retrieval was scored
    assert s["by_type"]["null_query"]["accuracy"] == 0.5 and s["by_type"]["comparison_query"]["accuracy"] == 0.5


def test_an_answerer_that_raises_is_recorded_not_fatal():
    q = ev.EvalQuery("1", "q?", "Yes", "comparison_query", True)

    def broken(_):
        raise RuntimeError("model fell over")

    r = ev.evaluate([q], chunk_text=str, retrieve=None, answerer=broken)[0]
    assert r.correct is False and "model fell over" in r.error
    assert ev.report([r])["errors"] == 1


def test_stratified_limit_takes_types_in_turn():
    qs = [ev.EvalQuery(str(i), "q", "a", t, True) for i, t in enumerate("aaabbc")]
    assert [q.qid for q in ev.stratified(qs, 4)] == ["0", "1", "3", "5"]  # a, b, c, then a again
    assert len(ev.stratified(qs, None)) == 6
    with pytest.raises(ValueError):
        ev.stratified(qs, 0)


def test_load_queries_names_the_bad_line(tmp_path):
    p = tmp_path / "q.jsonl"
    p.write_text('{"query": "q?", "answer": "a", "question_type": "x", "evidence": []}\n{"query": 1}\n')
    with pytest.raises(ValueError, match=r"q.jsonl:2"):
        ev.load_queries(p)


# ---- end to end -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_bench(tmp_path_factory):
    if not (BENCH / "corpus.jsonl").is_file():
        pytest.skip(f"MultiHop-RAG files not found in {BENCH}")
    d = tmp_path_factory.mktemp("tiny-multihop")
    queries = [json.loads(x) for x in (BENCH / "dev_queries.jsonl").read_text().splitlines() if x.strip()]
    queries = [q for q in queries if q["qid"] in TINY_QIDS]
    wanted = {doc for q in queries for doc in q["evidence_doc_ids"]} | {DISTRACTOR}
    with open(BENCH / "corpus.jsonl", encoding="utf-8") as f:
        docs = [line for line in f if json.loads(line)["doc_id"] in wanted]
    (d / "corpus.jsonl").write_text("".join(docs))
    (d / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in queries))
    return d


def run_eval(bench_dir: Path, *extra: str, timeout: int = 900):
    args = QA + ["eval", "multihop", "--corpus", str(bench_dir / "corpus.jsonl"),
                 "--queries", str(bench_dir / "queries.jsonl"), "--index-dir", str(bench_dir / "index"), *extra]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=timeout)


@pytest.mark.slow
def test_retrieval_only_json_end_to_end(tiny_bench):
    p = run_eval(tiny_bench, "--retrieval-only", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)  # exactly one JSON object
    for key in ev.RETRIEVAL_KEYS + ("accuracy", "exact_match", "citation_precision", "citation_recall",
                                   "null_refusal", "false_refusal", "latency_p50_s", "latency_p95_s", "by_type"):
        assert key in d
    assert d["queries"] == 4 and d["retrieval_scored"] == 3  # the null query is skipped, as the authors do
    # Six articles: every query's evidence article is among the ten chunks retrieved.
    assert d["hits@10"] == 1.0
    assert 0 < d["mrr@10"] <= 1 and d["hits@4"] <= d["hits@10"]
    assert d["evidence_recall@10"] >= d["all_evidence@10"]
    assert d["accuracy"] is None and d["answers_scored"] == 0  # no model in a retrieval-only run
    assert set(d["by_type"]) == {"comparison_query", "inference_query", "null_query", "temporal_query"}
    assert d["by_type"]["null_query"]["hits@10"] is None


@pytest.mark.slow
def test_second_run_reuses_the_index_and_prints_a_table(tiny_bench):
    run_eval(tiny_bench, "--retrieval-only", "--json")  # builds it, if the test above did not
    p = run_eval(tiny_bench, "--retrieval-only", "--limit", "3")
    assert p.returncode == 0, p.stderr
    assert "reused" in p.stderr and "embedding the corpus" not in p.stderr
    assert "hits@10" in p.stdout and "overall" in p.stdout and "3 queries" in p.stdout


@pytest.mark.slow
def test_missing_queries_file_is_a_clear_error(tiny_bench, tmp_path):
    p = subprocess.run(QA + ["eval", "multihop", "--corpus", str(tiny_bench / "corpus.jsonl"), "--queries",
                             str(tmp_path / "nope.jsonl"), "--retrieval-only"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 1 and "nope.jsonl" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.llm
def test_answers_end_to_end_with_the_bundled_model(tiny_bench):
    p = run_eval(tiny_bench, "--json", "--limit", "2", "--per-query", str(tiny_bench / "per-query.jsonl"))
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["answers_scored"] == 2 and d["errors"] == 0
    assert set(d["by_type"]) == {"inference_query", "null_query"}  # round-robin: one of each first type
    assert 0 <= d["accuracy"] <= 1 and d["null_refusal"] in (0.0, 1.0)
    assert d["latency_p50_s"] > 0
    rows = [json.loads(x) for x in (tiny_bench / "per-query.jsonl").read_text().splitlines()]
    assert [r["qid"] for r in rows] == ["mhr-q-0005", "mhr-q-0013"]
    assert all(isinstance(r["prediction"], str) for r in rows)
