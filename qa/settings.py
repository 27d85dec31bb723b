"""Settings read from `QA_*` (and XDG) environment variables, at the edges only (command line, UI,
`answer()`'s default engine). Every path and every environment read of the project lives here; library code
takes explicit arguments."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "qwen2.5-coder-0.5b"
DEFAULT_JUDGE = "qwen2.5-coder-1.5b"  # bench/entail_check.py: the 0.5 B model finds most right sentences not entailed


def _xdg(env: Mapping[str, str], name: str, *default: str) -> Path:
    return Path(env.get(name) or os.path.join(os.path.expanduser("~"), *default))


def default_index_dir(env: Mapping[str, str] | None = None) -> Path:
    """$QA_INDEX_DIR, else ~/.local/share/news-qa/index (under $XDG_DATA_HOME when set)."""
    env = os.environ if env is None else env
    if env.get("QA_INDEX_DIR"):
        return Path(env["QA_INDEX_DIR"]).expanduser()
    return _xdg(env, "XDG_DATA_HOME", ".local", "share") / "news-qa" / "index"


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """~/.cache/news-qa (under $XDG_CACHE_HOME when set): assembled models, evaluation indexes."""
    env = os.environ if env is None else env
    return _xdg(env, "XDG_CACHE_HOME", ".cache") / "news-qa"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = field(default_factory=default_index_dir)
    # Where the library lives: "" for the embedded store in index_dir (the default); a postgresql:// URL for
    # PostgreSQL with pgvector (index_dir then keeps only the review journal). From QA_STORE_URL.
    store_url: str = ""
    # An OpenAI-compatible embeddings endpoint for bulk ingestion (QA_EMBED_URL); "" embeds in-process.
    embed_url: str = ""
    embed_name: str = ""  # the model name to ask that endpoint for (QA_EMBED_NAME)
    embed_api_key: str = ""  # QA_EMBED_API_KEY
    cache_dir: Path = field(default_factory=default_cache_dir)
    model_cache_dir: Path = field(default_factory=lambda: default_cache_dir() / "models")
    llm_model: str = DEFAULT_MODEL  # a bundled model's name or a path to any GGUF file
    llm_url: str = ""  # an OpenAI-compatible server; when set, llm_model is ignored
    llm_api_key: str = ""
    llm_name: str = ""  # the model name to ask that server for
    llm_threads: int = 0  # 0: all cores
    # The model judging whether a quote entails each sentence (`qa.entailment`): a bundled model's name or a
    # GGUF path; "" turns the judge off. From QA_JUDGE_MODEL ("none" also turns it off).
    judge_model: str = DEFAULT_JUDGE
    top_k: int = 6  # evidence sentences given to the model
    max_tokens: int = 120
    # Rules fitted to MultiHop-RAG's question templates (either-or options, one article per outlet mention,
    # a quote for each named outlet left uncited); off for everyday questions, on with QA_MULTIHOP_RULES=1.
    multihop_rules: bool = False
    server_url: str = "http://127.0.0.1:7860"  # the `qa serve` that `qa ask` asks first
    api_key: str = ""  # the key `qa ask` sends it

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from `env` (default: the process environment); `overrides` that are not None win."""
        env = os.environ if env is None else env
        cache = default_cache_dir(env)
        s = cls(
            index_dir=default_index_dir(env),
            store_url=env.get("QA_STORE_URL", ""),
            embed_url=env.get("QA_EMBED_URL", ""),
            embed_name=env.get("QA_EMBED_NAME", ""),
            embed_api_key=env.get("QA_EMBED_API_KEY", ""),
            cache_dir=cache,
            model_cache_dir=Path(env["QA_MODEL_CACHE"]) if env.get("QA_MODEL_CACHE") else cache / "models",
            llm_model=env.get("QA_LLM_MODEL", DEFAULT_MODEL) or DEFAULT_MODEL,
            llm_url=env.get("QA_LLM_URL", ""),
            llm_api_key=env.get("QA_LLM_API_KEY", ""),
            llm_name=env.get("QA_LLM_NAME", ""),
            llm_threads=_int(env, "QA_LLM_THREADS", 0),
            judge_model=_judge(env.get("QA_JUDGE_MODEL")),
            top_k=_int(env, "QA_TOP_K", 6),
            max_tokens=_int(env, "QA_MAX_TOKENS", 120),
            multihop_rules=env.get("QA_MULTIHOP_RULES", "") in ("1", "true", "yes"),
            server_url=env.get("QA_SERVER_URL") or "http://127.0.0.1:7860",
            api_key=env.get("QA_API_KEY", ""),
        )
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})


def _judge(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return DEFAULT_JUDGE
    return "" if raw.strip().lower() in ("none", "off", "0") else raw.strip()


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as e:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from e
