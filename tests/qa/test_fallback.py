"""When nothing the model wrote survives verification, the answer quotes the evidence instead, and keeps the
model's sentences marked unsupported. The model is scripted here (so that it reliably invents a number);
the index, the embedding model, evidence selection and verification are the real ones."""
from qa.events import Done, EvidenceFound
from tests.conftest import META_DOC, OTHER_SEED_DOC, ScriptedLLM, make_engine


def test_an_invented_number_is_dropped_and_the_evidence_quoted(seed_store, embedder):
    llm = ScriptedLLM("Meta took a 75% stake in Scale AI [1].\nShort answer: 75%")
    events = list(make_engine(seed_store, llm).stream_answer("What share of Scale AI did Meta take?"))
    shown = [c for e in events if isinstance(e, EvidenceFound) for c in e.evidence]
    a = events[-1].answer if isinstance(events[-1], Done) else None
    assert len(llm.calls) == 1 and not a.refused and a.extractive
    assert "75" not in a.text and a.text.startswith("The closest the articles come:")
    assert [s.supported for s in a.sentences if "75%" in s.text] == [False]
    assert {c.doc_id for c in a.citations} == {META_DOC, OTHER_SEED_DOC}  # one quote per article
    assert {(c.doc_id, c.start) for c in a.citations} <= {(c.doc_id, c.start) for c in shown}
    for c in a.citations:
        assert seed_store.snapshot().articles[c.doc_id].text[c.start:c.end] == c.quote
        assert f"[{c.number}]" in a.text
    assert a.short_answer == ""  # an open question: no verdict is kept from an unsupported answer


def test_a_closed_question_keeps_the_models_verdict_labelled_as_such(seed_store, embedder):
    llm = ScriptedLLM("OpenAI signed a $900 million contract with Scale AI [1].\nShort answer: No")
    a = make_engine(seed_store, llm).answer("Is OpenAI phasing out its work with Scale AI?")
    assert a.extractive and a.short_answer == "No"
    assert "The model reads these passages as “No”" in a.text


def test_a_yes_or_no_short_answer_to_an_open_question_is_not_kept(seed_store, embedder):
    llm = ScriptedLLM("Meta took a 49% stake in Scale [1].\nShort answer: No")
    a = make_engine(seed_store, llm).answer("What share of Scale AI did Meta take?")
    assert not a.extractive and "49%" in a.text and a.short_answer == ""
