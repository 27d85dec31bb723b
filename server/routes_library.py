"""The library over HTTP: GET /v1/search (ranked passages with their scores, no language model), and the
articles: POST /v1/articles (uploaded files or JSON records; a job for large uploads), GET /v1/articles,
GET/DELETE /v1/articles/{doc_id}, GET /v1/jobs/{job_id}. These are plain `def` routes: Starlette runs them
in its thread pool, so they never wait behind generation. Ingestion is `qa.library`; this module only
translates."""
from __future__ import annotations

import asyncio
import shutil
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from server.errors import BadRequest, NotFound, PayloadTooLarge, UnsupportedMediaType
from server.passages import search_passages
from server.schemas import ArticleBatch
from server.services import Svc
from server.uploads import new_folder, save_files, save_records

router = APIRouter(tags=["library"])

MAX_SEARCH_K = 10  # the answering path's retrieval depth (qa.factory.RETRIEVAL_TOP_K)
SYNC_LIMIT_BYTES = 256 * 1024  # smaller uploads are ingested before the response; larger ones become a job
SYNC_LIMIT_ARTICLES = 20
UPLOAD_DOC = {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"files": {
    "type": "array", "items": {"type": "string", "format": "binary"}}}}},
    "application/json": {"schema": ArticleBatch.model_json_schema()}}}


@router.get("/v1/search")
def search(svc: Svc, q: Annotated[str, Query(min_length=1, max_length=2000, description="what to search for")],
           k: Annotated[int, Query(ge=1, le=MAX_SEARCH_K, description="how many passages")] = 5) -> dict[str, Any]:
    """The passages answering `q` would draw from, best first, with their dense (cosine), keyword (BM25) and
    fused (reciprocal rank) scores. Outlets and dates named in `q` plan the search as they do for answers."""
    if not q.strip():
        raise BadRequest("q is empty: search for something")
    passages = search_passages(svc.assistant.engine, q, k)
    return {"query": q, "passages": passages}


@router.get("/v1/articles")
def list_articles(svc: Svc) -> dict[str, Any]:
    """Every article's metadata, sorted by doc_id."""
    items = [a.to_dict() for a in svc.assistant.library.articles()]
    return {"articles": items, "count": len(items)}


@router.get("/v1/articles/{doc_id}")
def get_article(doc_id: str, svc: Svc) -> dict[str, Any]:
    """One article: its text and metadata."""
    info = svc.assistant.library.get(doc_id)
    if info is None:
        raise NotFound(f"no article {doc_id!r} in the library")
    return info.to_dict()


@router.delete("/v1/articles/{doc_id}")
def delete_article(doc_id: str, svc: Svc) -> dict[str, Any]:
    """Remove one article from the library."""
    if svc.assistant.library.get(doc_id) is None:
        raise NotFound(f"no article {doc_id!r} in the library")
    report = svc.assistant.library.remove([doc_id])
    return {"removed": report.removed, "missing": report.missing}


@router.get("/v1/jobs/{job_id}")
def get_job(job_id: str, svc: Svc) -> dict[str, Any]:
    """An ingestion job's state, progress and, once done, its report."""
    job = svc.jobs.get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r} (jobs are kept for the last 100 uploads)")
    return job.to_dict()


@router.post("/v1/articles", openapi_extra={"requestBody": UPLOAD_DOC},
             responses={200: {"description": "ingested: the report"}, 202: {"description": "a job was started"}})
async def add_articles(request: Request, svc: Svc,
                       background: Annotated[bool, Query(description="always answer with a job")] = False) -> Any:
    """Add articles from uploaded files (.txt .md .html .pdf .jsonl, field `files`) or from JSON records
    (`{"articles": [{"doc_id", "body", "title", "source", "published_at", "url"}]}`). Small uploads answer
    with the ingest report; large ones (or `background=true`) with 202 and a job to poll."""
    folder = new_folder()
    try:
        paths, size, count = await _receive(request, folder, svc.config.max_upload_bytes)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job, future = svc.jobs.submit(paths, folder)
    if background or size > SYNC_LIMIT_BYTES or count > SYNC_LIMIT_ARTICLES:
        return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})
    await asyncio.wrap_future(future)
    return job.to_dict()


async def _receive(request: Request, folder: Any, limit: int) -> tuple[list, int, int]:
    """The request's articles saved in `folder`: (paths, bytes, number of records or files)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        async with request.form(max_files=1000, max_fields=100, max_part_size=limit) as form:
            files = [f for f in form.getlist("files") if not isinstance(f, str)]
            paths = await save_files(files, folder, limit)
        return paths, sum(p.stat().st_size for p in paths), len(paths)
    if kind == "application/json":
        raw = await request.body()
        if len(raw) > limit:
            raise PayloadTooLarge(f"the body is larger than {limit // 2**20} MB")
        try:
            batch = ArticleBatch.model_validate_json(raw)
        except ValidationError as e:
            raise BadRequest(f"invalid articles: {_first_error(e)}") from e
        return save_records(batch.articles, folder), len(raw), len(batch.articles)
    raise UnsupportedMediaType("send multipart/form-data with 'files', or application/json with 'articles'")


def _first_error(e: ValidationError) -> str:
    err = e.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    return f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid"))
