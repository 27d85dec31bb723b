"""A local GGUF model run by llama-cpp-python, through llama-index's `LlamaCPP`.

What we change in LlamaCPP, and why:
- prompts are formatted as ChatML (Qwen's format); LlamaCPP's default is Llama-2's [INST] format;
- replies are written by greedy decoding of our own (`qa.decoding`), with per-call arguments (a grammar, stop
  strings): LlamaCPP.complete() ignores its **kwargs and mutates one shared dict, and llama-cpp-python checks a
  grammar against the whole vocabulary at every step, which halves the writing speed here;
- calls are serialised with a lock, since one llama.cpp context cannot run two prompts at a time;
- the model loads with `use_extra_bufts=False` (measured ~30 % less memory and faster prefill here).
The model's memory (KV cache) of the previous prompt is kept, and of each system prompt (restored when another
was read since): only what follows the common prefix is read, so a fixed system prompt costs nothing after the
first question.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from qa.errors import ModelError
from qa.models import resolve_model

log = logging.getLogger(__name__)


def chatml(system: str, user: str) -> str:
    return (f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
            "<|im_start|>assistant\n")


def _messages_to_prompt(messages) -> str:
    system = "\n".join(m.content for m in messages if m.role.value == "system")
    parts = [f"<|im_start|>system\n{system}<|im_end|>\n"] if system else []
    for m in messages:
        if m.role.value != "system":
            parts.append(f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n")
    return "".join(parts) + "<|im_start|>assistant\n"


class LlamaCppLLM:
    def __init__(self, model: str, *, cache_dir: Path, n_threads: int = 0, n_ctx: int = 2048):
        if n_threads < 0:
            raise ValueError(f"n_threads must be 0 (all cores) or more, got {n_threads}")
        self.model = model
        self.cache_dir = cache_dir  # where bundled models are assembled
        self.n_threads = n_threads or os.cpu_count() or 2
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        # The model's memory (KV cache) right after each system prompt it has read (`_read_prompt`): the judge asks
        # three kinds of question, each with its own system prompt, and switching re-read it (~0.5 s a check).
        self._system_states: dict[str, bytes] = {}

    @property
    def name(self) -> str:
        return os.path.basename(self.model)

    @cached_property
    def path(self) -> str:
        return str(resolve_model(self.model, self.cache_dir))  # assembles and verifies the SHA-256 of bundled models

    @cached_property
    def llama_index_llm(self):
        import llama_cpp
        from llama_index.llms.llama_cpp import LlamaCPP

        path = self.path
        defaults = llama_cpp.llama_cpp.llama_model_default_params

        def params_without_extra_bufts():
            p = defaults()
            p.use_extra_bufts = False
            return p

        llama_cpp.llama_cpp.llama_model_default_params = params_without_extra_bufts
        try:
            llm = LlamaCPP(
                model_path=path, temperature=0.0, max_new_tokens=128, context_window=self.n_ctx, verbose=False,
                messages_to_prompt=_messages_to_prompt, completion_to_prompt=lambda p: p,
                model_kwargs={"n_threads": self.n_threads, "n_threads_batch": self.n_threads, "n_batch": 512,
                              "seed": 0},
            )
        except (ValueError, RuntimeError) as e:
            raise ModelError(f"llama.cpp could not load {path}: {e}") from e
        finally:
            llama_cpp.llama_cpp.llama_model_default_params = defaults
        log.info("loaded %s with %d threads", path, self.n_threads)
        return llm

    def stream(self, system: str, user: str, *, grammar: str | None = None, max_tokens: int = 128,
               stop: list[str] | None = None) -> Iterator[str]:
        """The greedy reply to `system` + `user` (`qa.decoding.greedy`: a grammar is checked against the chosen
        token, not the whole vocabulary, at each step). The prompt is read as in `logprob_margin`: after the
        system prompt's kept memory, only what follows the common prefix with what the model last read."""
        from qa.decoding import greedy

        model = self.llama_index_llm._model
        with self._lock:
            tokens = self._read_prompt(model, system, user)
            room = model.n_ctx() - len(tokens)  # the reply stops where the model's memory ends
            yield from greedy(model, grammar=grammar, max_tokens=min(max_tokens, room), stop=list(stop or []))

    def logprob_margin(self, system: str, user: str, yes: tuple[str, ...], no: tuple[str, ...]) -> float:
        """log P(the reply's first token is one of `yes`) - log P(it is one of `no`), from one forward pass
        over the prompt (no token is generated). As in `stream`, only what follows the common prefix with the
        previous prompt is read, so a fixed system prompt and a premise shared by several checks cost nothing
        the second time."""
        import numpy as np

        model = self.llama_index_llm._model
        with self._lock:
            self._read_prompt(model, system, user)
            logits = _logits(model)

        def log_mass(words: tuple[str, ...]) -> float:  # unnormalised: the normaliser cancels in the difference
            ids = {model.tokenize(w.encode(), add_bos=False)[0] for w in words}
            return float(np.logaddexp.reduce([logits[i] for i in ids]))
        return log_mass(yes) - log_mass(no)

    def choice_logprobs(self, system: str, user: str, choices: list[str], max_tokens: int = 4) -> list[float]:
        """log P(the reply opens with each of `choices`): the prompt is read once, then each choice's first
        `max_tokens` tokens one at a time from the memory right after the prompt (a name of 2-3 tokens costs 1-2
        more steps). Names that open with the same tokens ("Scale", "Scale AI") share their log-probability up
        to where they part; what the model would write after a choice is not asked."""
        import numpy as np

        model = self.llama_index_llm._model

        def log_softmax() -> np.ndarray:
            logits = _logits(model)
            return logits - np.logaddexp.reduce(logits)

        out = []
        with self._lock:
            tokens = self._read_prompt(model, system, user)
            first = log_softmax()
            for choice in choices:
                ids = model.tokenize(choice.encode(), add_bos=False)[:max_tokens]
                total = float(first[ids[0]])
                model.n_tokens = len(tokens)  # back to right after the prompt
                for prev, nxt in zip(ids, ids[1:], strict=False):
                    model.eval([prev])
                    total += float(log_softmax()[nxt])
                out.append(total)
            model.n_tokens = len(tokens)  # what the memory holds: the prompt (and the last choice's tokens, unused)
        return out

    def _read_prompt(self, model, system: str, user: str) -> list[int]:
        """Read the ChatML prompt of `system` and `user` into the model's memory, only what follows the common
        prefix with what it last read (after restoring the system prompt's memory, `_resume_after_system`),
        and at least its last token, so that the logits are those of the reply's first token; returns the
        prompt's tokens. The caller holds the lock."""
        from llama_cpp import Llama

        tokens = model.tokenize(chatml(system, user).encode(), add_bos=False, special=True)
        if len(tokens) >= model.n_ctx():
            raise ValueError(f"Requested tokens ({len(tokens)}) exceed context window of {model.n_ctx()}")
        self._resume_after_system(model, system, tokens)
        p = Llama.longest_token_prefix(model.input_ids[:model.n_tokens], tokens)
        model.n_tokens = min(p, len(tokens) - 1)  # at least one token is read, to have its logits
        model.eval(tokens[model.n_tokens:])
        return tokens

    def _resume_after_system(self, model, system: str, tokens: list[int]) -> None:
        """Put the model's memory where it stood right after reading `system` (the prompt `tokens` open with it),
        unless what it last read already opens the same way: the first time, read the system prompt and keep a
        copy of that memory (about 1 MB for the 1.5 B model's 40-token prompt); after that, restore the copy
        (~1 ms) instead of reading it again. The log-odds are the same either way."""
        import ctypes

        import llama_cpp
        from llama_cpp import Llama

        end = tokens.index(model.tokenize(b"<|im_end|>", add_bos=False, special=True)[0]) + 2  # "...<|im_end|>\n"
        prefix = tokens[:end]
        read = Llama.longest_token_prefix(model.input_ids[:model.n_tokens], prefix)
        if read == len(prefix):
            return
        ctx = model._ctx.ctx
        data = self._system_states.get(system)
        if data is None:
            model.n_tokens = read
            model.eval(prefix[read:])
            size = llama_cpp.llama_state_seq_get_size(ctx, 0)
            buf = (ctypes.c_uint8 * size)()
            n = llama_cpp.llama_state_seq_get_data(ctx, buf, size, 0)
            self._system_states[system] = bytes(buf[:n])
            return
        model._ctx.kv_cache_seq_rm(-1, 0, -1)
        if llama_cpp.llama_state_seq_set_data(ctx, (ctypes.c_uint8 * len(data)).from_buffer_copy(data),
                                              len(data), 0) != len(data):
            model.n_tokens = 0  # not restored: read from the start
            return
        model.input_ids[:len(prefix)] = prefix
        model.n_tokens = len(prefix)


def _logits(model):
    """The logits of the token after the last one the model read, as float64."""
    import numpy as np

    return np.ctypeslib.as_array(model._ctx.get_logits(), shape=(model.n_vocab(),)).astype(np.float64)
