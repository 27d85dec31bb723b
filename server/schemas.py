"""The request bodies of the API as pydantic models (they give /docs its schemas and reject bad input with a
422 before anything runs), and their conversion to `qa` types (`Filters`, with `as_of` as an upper date bound).
Responses are the `to_dict()` of `qa`'s own types. It does not run anything."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.filters import Filters
from qa.pipeline import MAX_QUESTION_CHARS

MAX_HISTORY_TURNS = 20


class FilterSpec(BaseModel):
    """Which articles an answer or a search may draw from."""
    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(default_factory=list, max_length=50, description="outlet names, case-insensitive")
    date_from: dt.date | None = Field(None, description="ISO date, inclusive")
    date_to: dt.date | None = Field(None, description="ISO date, inclusive")
    doc_ids: list[str] = Field(default_factory=list, max_length=1000)


class Turn(BaseModel):
    """An earlier question and the answer it got."""
    model_config = ConfigDict(extra="forbid")
    question: str = Field(max_length=MAX_QUESTION_CHARS)
    answer: str = Field(max_length=20_000)


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    filters: FilterSpec | None = None
    as_of: dt.date | None = Field(None, description="the day the question is asked (default today): articles "
                                                    "dated later are left out; 'last week' counts from it")
    top_k: int | None = Field(None, ge=1, le=20, description="evidence sentences given to the model")
    stream: bool = Field(False, description="server-sent events: queued, evidence, text, answer (or error)")


class ReviewVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    citation: int = Field(description="the citation's id, as listed by GET /v1/reviews")
    verdict: Literal["accepted", "rejected"] | None = Field(description="null clears the verdict")
    note: str = Field("", max_length=5000)


class ArticleRecord(BaseModel):
    """One article as JSON, like a line of a .jsonl file."""
    model_config = ConfigDict(extra="forbid")
    doc_id: str | None = Field(None, max_length=200)
    body: str = Field(min_length=1, description="plain text, or HTML (with format='html' or a leading tag)")
    title: str = ""
    source: str = ""
    published_at: str = ""
    url: str = ""
    format: Literal["text", "html"] | None = None


class ArticleBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[ArticleRecord] = Field(min_length=1, max_length=100_000)


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text (the text parts of a multi-part content)."""
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """OpenAI's chat completion request; sampling options are accepted and ignored (answers are greedy)."""
    model_config = ConfigDict(extra="allow")
    model: str = ""
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False

    @field_validator("messages")
    @classmethod
    def _has_user(cls, messages: list[ChatMessage]) -> list[ChatMessage]:
        if not any(m.role == "user" and m.text().strip() for m in messages):
            raise ValueError("messages must hold a user message with the question")
        return messages


def to_filters(spec: FilterSpec | None) -> Filters | None:
    """`spec` as `Filters`; None when nothing is filtered. (`as_of` is the engine's own option.)"""
    date_to = spec.date_to if spec else None
    f = Filters(sources=tuple(spec.sources) if spec else (),
                date_from=spec.date_from.isoformat() if spec and spec.date_from else "",
                date_to=date_to.isoformat() if date_to else "",
                doc_ids=tuple(spec.doc_ids) if spec else ())
    return f if f else None


def chat_question(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The last user message is the question; the user and assistant turns before it are the history."""
    last = max(i for i, m in enumerate(messages) if m.role == "user" and m.text().strip())
    history = [{"role": m.role, "content": m.text()} for m in messages[:last] if m.role in ("user", "assistant")]
    return messages[last].text(), history
