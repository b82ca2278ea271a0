"""Data sharing (数据共享, 减材料) for an applicant the kiosk has authenticated."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from kiosk.platform.schema import ErrorResponse, SharingRequest, SharingResponse

from ..auth import kiosk_id
from ..context import Platform, platform
from ..errors import not_found

router = APIRouter(prefix="/sharing", tags=["sharing"])


@router.post("/lookup", response_model=SharingResponse, responses={404: {"model": ErrorResponse}},
             summary="Shared values and held e-licences for an applicant (POST: the ID number stays out of URLs)")
def lookup(body: SharingRequest, p: Platform = Depends(platform), _k: str = Depends(kiosk_id)) -> SharingResponse:
    item = None
    if body.item_code is not None:
        item = p.by_code.get(body.item_code)
        if item is None:
            raise not_found(f"item {body.item_code}")
    return p.sharing.lookup(body.id_number.upper(), p.config.now().date(), item, body.name)
