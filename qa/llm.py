"""The language-model interface and the choice of backend.

A backend streams the reply to a system + user message pair, optionally constrained by a GBNF grammar.
Backends live in their own modules: `llm_llamacpp` (a local GGUF file through llama-index's LlamaCPP) and
`llm_openai` (any OpenAI-compatible server through llama-index's OpenAILike).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from qa.settings import Settings


class LLM(Protocol):
    @property
    def name(self) -> str:
        """The model's name, as shown in answers and evaluation reports."""
        ...

    def stream(self, system: str, user: str, *, grammar: str | None = None, max_tokens: int = 128,
               stop: list[str] | None = None) -> Iterator[str]:
        """Yield the reply's text piece by piece."""
        ...


def complete(llm: LLM, system: str, user: str, **kwargs: Any) -> str:
    return "".join(llm.stream(system, user, **kwargs))


def make_llm(settings: Settings) -> LLM:
    """The backend `settings` ask for. Nothing is loaded until the first call."""
    if settings.llm_url:
        from qa.llm_openai import OpenAICompatibleLLM

        return OpenAICompatibleLLM(settings.llm_url, model=settings.llm_name, api_key=settings.llm_api_key)
    from qa.llm_llamacpp import LlamaCppLLM

    return LlamaCppLLM(settings.llm_model, cache_dir=settings.model_cache_dir, n_threads=settings.llm_threads)
