"""Any OpenAI-compatible server (llama.cpp's or llama-cpp-python's server, Ollama, vLLM) through
llama-index's `OpenAILike`. A grammar is passed as `grammar` in the request body, which llama.cpp-based
servers honour; other servers ignore it, and the citation parser then drops out-of-range markers itself."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import cached_property

from qa.errors import BackendUnavailable

log = logging.getLogger(__name__)


class OpenAICompatibleLLM:
    def __init__(self, url: str, *, model: str = "", api_key: str = "", timeout: float = 120.0):
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"QA_LLM_URL must start with http:// or https://, got {url!r}")
        self.url = url.rstrip("/")
        self.model = model or "default"
        self.api_key = api_key or "not-needed"
        self.timeout = timeout

    @property
    def name(self) -> str:
        return f"{self.model}@{self.url}"

    @cached_property
    def llama_index_llm(self):
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(model=self.model, api_base=self.url, api_key=self.api_key, is_chat_model=True,
                          context_window=4096, max_retries=0, timeout=self.timeout, temperature=0.0)

    def stream(self, system: str, user: str, *, grammar: str | None = None, max_tokens: int = 128,
               stop: list[str] | None = None) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        messages = [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]
        extra = {"grammar": grammar} if grammar else {}
        try:
            for r in self.llama_index_llm.stream_chat(messages, max_tokens=max_tokens, stop=stop or None,
                                                      extra_body=extra):
                if r.delta:
                    yield r.delta
        except Exception as e:  # the openai client raises many types; all mean the same to a user
            if type(e).__name__ in ("APIConnectionError", "APITimeoutError", "ConnectError", "ConnectTimeout"):
                raise BackendUnavailable(f"cannot reach the language-model server at {self.url} "
                                         f"(QA_LLM_URL): {e}") from e
            if type(e).__module__.startswith(("openai", "httpx")):
                raise BackendUnavailable(f"the language-model server at {self.url} answered with an error: {e}"
                                         ) from e
            raise
