"""Express delivery of the result (邮寄送达): a waybill per application and its tracking."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kiosk.platform.schema import DeliveryRequest, ErrorResponse, Waybill

from ..auth import kiosk_id
from ..citizens import admit, checked_read, record
from ..context import Platform, platform
from ..errors import not_found
from ..workflow import create_waybill, waybill_of

router = APIRouter(prefix="/deliveries", tags=["delivery"])
_ERR = {404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}


@router.post("", response_model=Waybill, responses=_ERR,
             summary="Request express delivery of an application's result (one waybill per application)")
def request_delivery(body: DeliveryRequest, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> Waybill:
    row = p.store.find_by_reference(body.reference)
    if row is None or row["kiosk_id"] != kid:
        raise not_found(f"application {body.reference}")
    return create_waybill(p, body.reference, body.recipient, body.phone, body.region, body.address)


@router.get("/{waybill_no}", response_model=Waybill, responses=_ERR,
            summary="A waybill and its tracking events, for whoever may read its application")
def get_waybill(waybill_no: str, session: Annotated[str | None, Query(max_length=64)] = None,
                token: Annotated[str | None, Query(max_length=64)] = None, p: Platform = Depends(platform),
                kid: str = Depends(kiosk_id)) -> Waybill:
    row = p.store.waybill(waybill_no)
    if row is None:
        admit(p, kid, "waybill", waybill_no[:40], session_id=session or "")
        record(p, kid, "waybill", waybill_no[:40], "refused: unknown waybill", session_id=session or "")
        raise not_found(f"waybill {waybill_no[:40]}")
    checked_read(p, kid, "waybill", row["reference"], session_id=session, token=token)
    return waybill_of(p, waybill_no)
