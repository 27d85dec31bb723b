"""Scoring a QA set the way its reference scorer does (whole-word accepted answers, refusals)."""
import json

import pytest

from qa.eval_qa import QAQuery, evaluate_qa, load_qa_queries, matches, summarise_qa
from qa.evaluation import stratified
from qa.types import Answer, Citation


@pytest.mark.parametrize("text, accepted, ok", [
    ("Rob Gronkowski retired [1].", ("Gronkowski",), True),
    ("The Gronkowskis retired.", ("Gronkowski",), False),  # whole words only
    ("It rose to 8.5% [1].", ("8.5%",), True),
    ("“Flurona” is the name.", ('"Flurona"',), True),  # quotes folded
    ("Brady retired.", ("Gronkowski", "Gronk"), False),
])
def test_accepted_answers_match_as_whole_words(text, accepted, ok):
    assert matches(text, accepted) is ok


def test_accuracy_refusals_and_citations_are_scored(tmp_path):
    qs = [QAQuery("a", "Who retired?", ("Gronkowski",), True, ("d1",), "2022-06-03", "t"),
          QAQuery("b", "Who won?", ("Nobody",), False, (), "2022-06-03", "u"),
          QAQuery("c", "What rose?", ("prices",), True, ("d2",), "", "t")]
    replies = {
        "Who retired?": Answer("Who retired?", "Rob Gronkowski retired [1].",
                               citations=[Citation(1, "d1", "t", "q", 0, 1, 1.0)]),
        "Who won?": Answer("Who won?", "The articles do not cover this.", refused=True),
        "What rose?": Answer("What rose?", "The articles do not cover this.", refused=True),
    }
    out = summarise_qa(evaluate_qa(qs, lambda q: replies[q.query]))
    assert out["answerable_accuracy"] == 0.5 and out["unanswerable_refused"] == 1.0
    assert out["false_refusal"] == 0.5 and out["citation_precision"] == 1.0 and out["accuracy"] == 0.6667
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps({"qid": q.qid, "query": q.query, "answers": list(q.answers),
                                          "answerable": q.answerable, "question_type": q.question_type})
                              for q in qs), encoding="utf-8")
    assert [q.qid for q in stratified(load_qa_queries(path), 2)] == ["a", "b"]  # one of each type


def test_the_time_until_the_evidence_is_shown_is_reported_apart_from_the_answers():
    qs = [QAQuery(x, f"Question {x}?", ("y",), True, (), "", "t") for x in "abc"]
    timings = {"a": {"evidence_s": 0.4, "total_s": 5.0}, "b": {"evidence_s": 0.8, "total_s": 3.0},
               "c": {"total_s": 1.0}}  # an answerer that does not say when evidence was shown
    out = summarise_qa(evaluate_qa(qs, lambda q: Answer(q.query, "y", timings=timings[q.qid])))
    assert out["evidence_p50_s"] == 0.6 and out["latency_p50_s"] == 3.0
