"""OpenAI-compatible chat: POST /v1/chat/completions and GET /v1/models, so that the `openai` package and tools
built on it can ask the library. The last user message is the question and the turns before it the history.
The content is the answer's text with its [n] markers; the citations travel beside it, as a `citations`
field of the message (and of the final chunk when streaming).

Streaming sends the verified text, not the model's raw pieces: verification may drop or renumber sentences,
and a chat client cannot take back text it has shown. The stream opens at once (role chunk), sends the text
when it is verified, then a final chunk with `finish_reason` and the citations. It does not answer itself."""
from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from qa.events import Done
from qa.types import Answer
from server import answering
from server.errors import ApiError
from server.runner import AnswerRun, Question
from server.schemas import ChatRequest, chat_question
from server.services import Services, Svc
from server.sse import SSE_HEADERS, sse

router = APIRouter(tags=["openai"])

MODEL_ID = "news-qa"


@router.get("/v1/models")
def list_models(svc: Svc) -> dict[str, Any]:
    """One model: the assistant (whatever language model it runs on)."""
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": int(svc.started),
                                        "owned_by": "news-qa", "llm": svc.assistant.engine.model_name}]}


@router.post("/v1/chat/completions")
async def chat_completions(body: ChatRequest, request: Request, svc: Svc) -> Any:
    """Answer the last user message from the articles; the citations are in `message.citations`."""
    text, history = chat_question(body.messages)
    run = answering.start(svc, Question(text, history=history or None))
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if body.stream:
        return StreamingResponse(_stream(svc, run, cid, created), media_type="text/event-stream",
                                 headers=SSE_HEADERS)
    a = await answering.answer(svc, run, request.is_disconnected)
    message = {"role": "assistant", "content": a.text, "citations": _citations(a), "refusal": None}
    return {"id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "answer": a.to_dict()}


def _citations(a: Answer) -> list[dict[str, Any]]:
    return [c.to_dict() for c in a.citations]


def _chunk(cid: str, created: int, delta: dict[str, Any], finish: str | None = None,
           **extra: Any) -> dict[str, Any]:
    return {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}


async def _stream(svc: Services, run: AnswerRun, cid: str, created: int) -> AsyncIterator[str]:
    try:
        yield sse(_chunk(cid, created, {"role": "assistant", "content": ""}))
        async for event in answering.events(svc, run):
            if isinstance(event, Done):
                a = event.answer
                yield sse(_chunk(cid, created, {"content": a.text}))
                yield sse(_chunk(cid, created, {"citations": _citations(a)}, "stop", citations=_citations(a),
                                 answer=a.to_dict()))
    except ApiError as e:
        yield sse({"error": {"type": e.kind, "message": e.message, "code": e.status}})
    finally:
        run.cancel()
    yield sse("[DONE]")
