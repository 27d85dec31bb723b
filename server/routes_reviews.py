"""Citation review over HTTP: GET /v1/reviews (each recorded citation with its verdict), POST /v1/reviews (accept
or reject one citation, with a note), GET /v1/reviews/export?format=json|csv. The store is
`qa.review.ReviewStore`, used through its public methods only."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from server.errors import BadRequest, NotFound
from server.schemas import ReviewVerdict
from server.services import Svc

router = APIRouter(tags=["reviews"])

Which = Literal["all", "unreviewed", "accepted", "rejected"]  # qa.review.FILTERS


@router.get("/v1/reviews")
def list_reviews(svc: Svc, filter: Annotated[Which, Query(description="which citations")] = "all"
                 ) -> dict[str, Any]:
    """Recorded citations, newest answer first, with their verdicts and notes."""
    items = [i.to_dict() for i in svc.assistant.reviews.items(filter)]
    return {"citations": items, "count": len(items)}


@router.post("/v1/reviews")
def set_verdict(body: ReviewVerdict, svc: Svc) -> dict[str, Any]:
    """Accept or reject one citation (null clears the verdict), with a note."""
    try:
        return svc.assistant.reviews.set_verdict(body.citation, body.verdict, body.note).to_dict()
    except KeyError as e:
        raise NotFound(f"no citation with id {body.citation}; GET /v1/reviews lists them") from e
    except ValueError as e:
        raise BadRequest(str(e)) from e


@router.get("/v1/reviews/export")
def export_reviews(svc: Svc, format: Annotated[Literal["json", "csv"], Query()] = "json",
                   filter: Annotated[Which, Query()] = "all") -> Response:
    """Every citation with its question, answer, sentence, verdict and note, as a JSON or CSV download."""
    body = svc.assistant.reviews.export(format, filter)
    media = "application/json" if format == "json" else "text/csv"
    return Response(body, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="reviews.{format}"'})
