"""Greedy decoding for a llama.cpp model, under an optional GBNF grammar checked lazily.

llama-cpp-python applies a grammar to every token of the vocabulary at every step (Qwen's is 151,936 tokens):
measured here, that halves the 0.5 B reader's writing speed (~19 against ~38 tokens/s). Greedy decoding only
needs to know whether the most likely token is allowed: when it is, it is also the most likely allowed token, so
the grammar is asked about that one token; only when it is not is the grammar applied to the whole vocabulary
(as llama.cpp's own `common_sampler` does). The tokens written are those of greedy decoding with the grammar
applied at every step.
"""
from __future__ import annotations

import codecs
import ctypes
from collections.abc import Iterator

import numpy as np

_TOKEN = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)  # llama_token_data


class Grammar:
    """A GBNF grammar's state while one reply is written (a llama.cpp grammar sampler). Close it when done."""

    def __init__(self, model, text: str):
        import llama_cpp
        from llama_cpp import LlamaGrammar

        parsed = LlamaGrammar.from_string(text, verbose=False)
        self._sampler = llama_cpp.llama_sampler_init_grammar(model._model.vocab, parsed._grammar.encode(),
                                                             parsed._root.encode())
        if not self._sampler:
            raise ValueError("llama.cpp could not load the grammar")
        self._one = np.zeros(1, dtype=_TOKEN)
        self._all = np.zeros(model.n_vocab(), dtype=_TOKEN)
        self._all["id"] = np.arange(model.n_vocab())

    def allows(self, token: int) -> bool:
        """Whether the grammar allows `token` next."""
        self._one["id"], self._one["logit"], self._one["p"] = token, 0.0, 0.0
        self._apply(self._one)
        return bool(np.isfinite(self._one["logit"][0]))

    def best(self, logits: np.ndarray) -> int:
        """The most likely token the grammar allows next (the whole vocabulary is checked)."""
        self._all["logit"], self._all["p"] = logits, 0.0
        self._apply(self._all)
        return int(np.argmax(self._all["logit"]))

    def accept(self, token: int) -> None:
        import llama_cpp

        llama_cpp.llama_sampler_accept(self._sampler, token)

    def close(self) -> None:
        import llama_cpp

        if self._sampler:
            llama_cpp.llama_sampler_free(self._sampler)
            self._sampler = None

    def _apply(self, tokens: np.ndarray) -> None:
        import llama_cpp

        array = llama_cpp.llama_token_data_array(tokens.ctypes.data_as(llama_cpp.llama_token_data_p), len(tokens),
                                                 -1, False)
        llama_cpp.llama_sampler_apply(self._sampler, ctypes.byref(array))


def greedy(model, *, grammar: str | None, max_tokens: int, stop: list[str]) -> Iterator[str]:
    """Write from what `model` has read (its last token's logits) until an end-of-generation token, `max_tokens`
    tokens or one of the `stop` strings (not included), yielding the text as it comes. Text that may begin a
    stop string is held back until it is known not to."""
    import llama_cpp

    vocab, n_vocab = model._model.vocab, model.n_vocab()
    rules = Grammar(model, grammar) if grammar else None
    decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may span two tokens
    text, sent = "", 0
    try:
        for _ in range(max_tokens):
            logits = np.ctypeslib.as_array(model._ctx.get_logits(), shape=(n_vocab,))
            token = int(np.argmax(logits))
            if rules is not None and not rules.allows(token):
                token = rules.best(logits)
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                break
            if rules is not None:
                rules.accept(token)
            text += decoder.decode(model.detokenize([token]))
            ends = [i for i in (text.find(s) for s in stop) if i >= 0]
            if ends:
                text = text[:min(ends)]
                break
            ready = len(text) - _held(text, stop)
            if ready > sent:
                yield text[sent:ready]
                sent = ready
            model.eval([token])
        if len(text) > sent:
            yield text[sent:]
    finally:
        if rules is not None:
            rules.close()


def _held(text: str, stop: list[str]) -> int:
    """How many characters at the end of `text` may be the start of a stop string."""
    return max((k for s in stop for k in range(len(s) - 1, 0, -1) if text.endswith(s[:k])), default=0)
