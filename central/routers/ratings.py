"""好差评 (国办发〔2019〕51号, issue 17): a kiosk sends a citizen's rating of a case (signed, like every kiosk
endpoint); the platform keeps one per case. A case the platform does not hold, or another kiosk's, is not found
(404: nothing said about whether it exists); a second rating of the same case is a conflict (409). Staff list
them (admin token; ``kiosk central ratings``)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from kiosk.platform.rating_schema import Rating, RatingRequest
from kiosk.platform.schema import ErrorCode, ErrorResponse

from ..auth import admin, kiosk_id
from ..context import Platform, platform
from ..errors import ApiError
from ..store.base import Duplicate

MAX_RATING_BYTES = 1024  # a rating is an id and a level: anything bigger is not a rating


async def _small(request: Request) -> None:
    """Refuse a body far beyond a rating's size (the signed-request cap is for submissions: 64 MB)."""
    if len(await request.body()) > MAX_RATING_BYTES:
        raise ApiError(413, ErrorCode.BODY_TOO_LARGE, f"a rating is at most {MAX_RATING_BYTES} bytes")


router = APIRouter(prefix="/ratings", tags=["ratings"], dependencies=[Depends(_small)])
admin_router = APIRouter(prefix="/admin/ratings", tags=["admin"], dependencies=[Depends(admin)])
_ERR = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 409: {"model": ErrorResponse},
        422: {"model": ErrorResponse}}


@router.post("", response_model=Rating, responses=_ERR, summary="Rate a case of this kiosk (once)")
def rate(body: RatingRequest, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> Rating:
    case = p.store.find_by_key(body.application_id)
    if case is None or case["kiosk_id"] != kid:
        raise ApiError(404, ErrorCode.RATING_NO_CASE, f"no case {body.application_id} of this kiosk")
    row = {"application_id": body.application_id, "reference": case["reference"], "item_code": case["item_code"],
           "kiosk_id": kid, "level": body.level.value, "rated_at": p.config.now_iso()}
    try:
        p.store.add_rating(row)
    except Duplicate:
        raise ApiError(409, ErrorCode.RATING_TWICE, "this case has been rated already") from None
    return Rating(**row)


@admin_router.get("", response_model=list[Rating], responses=_ERR, summary="Ratings, newest first")
def list_ratings(p: Platform = Depends(platform), limit: int = Query(200, ge=1, le=1000)) -> list[Rating]:
    return [Rating(**r) for r in p.store.ratings(limit)]


