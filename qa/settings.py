"""Settings read from `QA_*` environment variables, at the edges only (command line, UI, `answer()`'s
default engine). Library code takes explicit arguments."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.store import default_index_dir

DEFAULT_MODEL = "qwen2.5-coder-0.5b"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = field(default_factory=default_index_dir)
    llm_model: str = DEFAULT_MODEL  # a bundled model's name or a path to any GGUF file
    llm_url: str = ""  # an OpenAI-compatible server; when set, llm_model is ignored
    llm_api_key: str = ""
    llm_name: str = ""  # the model name to ask that server for
    llm_threads: int = 0  # 0: all cores
    top_k: int = 6  # evidence sentences given to the model
    max_tokens: int = 120

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        s = cls(
            index_dir=Path(env["QA_INDEX_DIR"]).expanduser() if env.get("QA_INDEX_DIR") else default_index_dir(),
            llm_model=env.get("QA_LLM_MODEL", DEFAULT_MODEL) or DEFAULT_MODEL,
            llm_url=env.get("QA_LLM_URL", ""),
            llm_api_key=env.get("QA_LLM_API_KEY", ""),
            llm_name=env.get("QA_LLM_NAME", ""),
            llm_threads=_int(env, "QA_LLM_THREADS", 0),
            top_k=_int(env, "QA_TOP_K", 6),
            max_tokens=_int(env, "QA_MAX_TOKENS", 120),
        )
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})


def _int(env, name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as e:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from e
