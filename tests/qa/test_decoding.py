"""Greedy decoding under a grammar checked against the chosen token (`qa.decoding`), with the real bundled model:
it writes what llama-cpp-python's own decoding (the grammar applied to the whole vocabulary at every step) writes."""
import pytest

from qa.decoding import _held
from qa.llm_llamacpp import chatml
from qa.prompts import ANSWER_SYSTEM, ANSWER_USER, answer_grammar

EVIDENCE = ("[1] Meta took a 49% stake in Scale and hired its founder, Alexandr Wang.\n"
            "[2] Scale announced in a June 12 press release that it received a significant investment from Meta.")
YES_NO = 'root ::= "Yes" | "No"\n'


def test_text_that_may_begin_a_stop_string_is_held_back():
    assert _held("Acme bought Zenith <", ["</s>"]) == 1
    assert _held("Acme bought Zenith </", ["</s>", "\n"]) == 2
    assert _held("Acme bought Zenith", ["</s>"]) == 0
    assert _held("Acme", []) == 0


@pytest.mark.llm
def test_a_grammar_holds_where_the_model_would_write_something_else(bundled_llm):
    reply = "".join(bundled_llm.stream("You are a poet.", "Write a poem about the sea.", grammar=YES_NO,
                                       max_tokens=8))
    assert reply in ("Yes", "No")


@pytest.mark.llm
def test_the_answer_is_the_one_llama_cpp_writes_with_the_grammar_on_every_token(bundled_llm):
    user = ANSWER_USER.format(evidence=EVIDENCE, lead_in="", question="How much of Scale did Meta buy?")
    grammar = answer_grammar(2)
    ours = "".join(bundled_llm.stream(ANSWER_SYSTEM, user, grammar=grammar, max_tokens=60))
    again = "".join(bundled_llm.stream(ANSWER_SYSTEM, user, grammar=grammar, max_tokens=60))
    # llama-cpp-python, from the same memory (both read only the prompt's last token again): the whole
    # vocabulary checked at every step
    from llama_cpp import LlamaGrammar

    model = bundled_llm.llama_index_llm._model
    theirs = model(prompt=chatml(ANSWER_SYSTEM, user), grammar=LlamaGrammar.from_string(grammar, verbose=False),
                   temperature=0.0, top_k=1, max_tokens=60, stop=["<|im_end|>"])["choices"][0]["text"]
    assert ours == again == theirs
    assert ("[1]" in ours or "[2]" in ours) and "\nShort answer: " in ours


@pytest.mark.llm
def test_a_stop_string_ends_the_reply_and_is_not_written(bundled_llm):
    reply = "".join(bundled_llm.stream("You list things.", "List three fruits, one per line.", max_tokens=40,
                                       stop=["\n"]))
    assert reply.strip() and "\n" not in reply


@pytest.mark.llm
def test_the_reply_stops_where_the_models_memory_ends(bundled_llm):
    long_user = "word " * (bundled_llm.n_ctx - 30)
    reply = "".join(bundled_llm.stream("Repeat.", long_user[:len(long_user) // 2], max_tokens=2000))
    assert len(bundled_llm.llama_index_llm._model.tokenize(reply.encode())) <= bundled_llm.n_ctx
    with pytest.raises(ValueError, match="context window"):
        list(bundled_llm.stream("Repeat.", long_user + long_user, max_tokens=5))
