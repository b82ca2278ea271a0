"""Data sharing (数据共享, 减材料) for an applicant the kiosk has authenticated, inside a citizen session."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from kiosk.platform.schema import ErrorCode, ErrorResponse, SharingRequest, SharingResponse

from ..auth import kiosk_id
from ..citizens import admit, record, require_session
from ..context import Platform, platform
from ..errors import ApiError, not_found
from ..sharing import mask_number

router = APIRouter(prefix="/sharing", tags=["sharing"])
_ERR = {403: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
        429: {"model": ErrorResponse}}


@router.post("/lookup", response_model=SharingResponse, responses=_ERR,
             summary="Shared values and held e-licences for the applicant of a citizen session, minimised to "
                     "what the item's rules read (POST: the ID number stays out of URLs)")
def lookup(body: SharingRequest, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> SharingResponse:
    id_number = body.id_number.upper()
    subject = mask_number(id_number)
    sid = body.session_id or ""
    admit(p, kid, "sharing", subject, session_id=sid, item_code=body.item_code or "")
    try:
        require_session(p, kid, body.session_id, id_number)
        if body.item_code is None:
            raise ApiError(422, ErrorCode.ITEM_REQUIRED, "item_code is required: only what an item's rules read "
                                                         "is shared (最小必要)")
        item = p.by_code.get(body.item_code)
        if item is None:
            raise not_found(f"item {body.item_code}")
    except ApiError as exc:
        record(p, kid, "sharing", subject, f"refused: {exc.code}", session_id=sid, item_code=body.item_code or "")
        raise
    record(p, kid, "sharing", subject, "ok", session_id=sid, item_code=item.code)
    # No name is checked or confirmed: the card the kiosk read is the identity (no name-guessing oracle).
    return p.sharing.lookup(id_number, p.config.now().date(), item)
