"""POST /v1/answer: one question answered with numbered citations, as JSON (`Answer.to_dict()`) or, with
`"stream": true`, as server-sent events: `queued` (position in line, while waiting), `evidence` (the quotes,
before the model starts), `text` (pieces as generated, not yet verified), then `answer` (the final, verified
`Answer`) or `error`. It holds no answering logic (see `server.answering`)."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from server import answering
from server.errors import ApiError
from server.runner import AnswerRun, Question
from server.schemas import AnswerRequest, to_filters
from server.services import Services, Svc
from server.sse import SSE_HEADERS, sse

log = logging.getLogger(__name__)
router = APIRouter(tags=["answers"])

STREAM_DOC = {"description": "the answer; with stream=true, text/event-stream events: queued, evidence, text, "
                             "answer, error",
              "content": {"text/event-stream": {}}}


@router.post("/v1/answer", responses={200: STREAM_DOC, 429: {"description": "the model's queue is full"}})
async def post_answer(body: AnswerRequest, request: Request, svc: Svc) -> Any:
    """Answer a question from the articles, every sentence citing an exact quote."""
    question = Question(body.question, history=[(t.question, t.answer) for t in body.history] or None,
                        filters=to_filters(body.filters), top_k=body.top_k, as_of=body.as_of)
    run = answering.start(svc, question)
    if body.stream:
        return StreamingResponse(_stream(svc, run), media_type="text/event-stream", headers=SSE_HEADERS)
    a = await answering.answer(svc, run, request.is_disconnected)
    return a.to_dict()


async def _stream(svc: Services, run: AnswerRun) -> AsyncIterator[str]:
    """The run's events as SSE; a client that goes away cancels the run (Starlette cancels this generator)."""
    try:
        async for event in answering.events(svc, run):
            d = event.to_dict()
            yield sse(d, event=d["type"])
    except ApiError as e:
        yield sse({"type": "error", "error": {"type": e.kind, "message": e.message, "status": e.status}},
                  event="error")
    finally:
        run.cancel()
