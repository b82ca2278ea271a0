"""Issue 18: the courier's events in (HMAC-signed by the carrier, central/notify/courier.py) and the SMS outbox
out to the administrator (Bearer token, like every /admin path; the full mobile number never leaves)."""
from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.platform.schema import NONCE_PATTERN, ErrorCode, ErrorResponse

from ..auth import admin
from ..context import Platform, platform
from ..errors import ApiError
from ..notify import courier

MAX_EVENT_BYTES = 2048  # one event is four short fields
_NONCE = re.compile(NONCE_PATTERN)
_CARRIER = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

router = APIRouter(prefix="/courier", tags=["courier"])
admin_router = APIRouter(prefix="/admin/sms", tags=["admin"], dependencies=[Depends(admin)])
_ERR = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 409: {"model": ErrorResponse},
        413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}


class CourierEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    waybill_no: str = Field(min_length=4, max_length=40, pattern=r"^[A-Z0-9]+$")
    status: Literal["picked_up", "in_transit", "out_for_delivery", "delivered"]
    at: str = Field(max_length=40)  # the carrier's time of the scan (ISO 8601)


class CourierAck(BaseModel):
    event_id: str
    waybill_no: str
    status: str  # the waybill's status after the event
    duplicate: bool = False  # that event id was received before: nothing changed


class SmsRecord(BaseModel):
    id: int
    reference: str
    event: str
    event_at: str
    created_at: str
    state: Literal["queued", "sent", "failed", "no_mobile"]
    phone_masked: str  # 138****1234; the full number is never shown
    lang: str
    text: str
    attempts: int
    last_error: str = ""
    sent_at: str | None = None
    gateway: str = ""


def _refused(code: int, message: str, status: int = 401) -> ApiError:
    return ApiError(status, code, message)


async def _signed_event(request: Request, p: Platform) -> tuple[str, CourierEvent]:
    """The carrier and its event, once the size, the signature, the time and the nonce check out."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_EVENT_BYTES:
        raise _refused(ErrorCode.COURIER_BODY, f"a courier event is at most {MAX_EVENT_BYTES} bytes", 413)
    h = request.headers
    carrier, ts = h.get("x-courier-carrier", ""), h.get("x-courier-timestamp", "")
    nonce, signature = h.get("x-courier-nonce", ""), h.get("x-courier-signature", "")
    key = p.config.courier_keys.get(carrier) if _CARRIER.match(carrier) else None
    if not (key and ts and nonce and signature):
        raise _refused(ErrorCode.COURIER_AUTH, "courier event not signed by a known carrier (X-Courier-Carrier, "
                                               "-Timestamp, -Nonce, -Signature)")
    body = await request.body()
    if len(body) > MAX_EVENT_BYTES:
        raise _refused(ErrorCode.COURIER_BODY, f"a courier event is at most {MAX_EVENT_BYTES} bytes", 413)
    if not _NONCE.match(nonce) or not ts.isdigit() or len(ts) > 12:
        raise _refused(ErrorCode.COURIER_AUTH, "X-Courier-Nonce or X-Courier-Timestamp malformed")
    if not hmac.compare_digest(courier.sign(key, ts, nonce, body).encode(), signature.lower().encode("latin-1")):
        raise _refused(ErrorCode.COURIER_AUTH, "courier signature does not match")
    now = p.config.clock()
    if abs(int(ts) - now) > p.config.courier_max_skew_s:
        raise _refused(ErrorCode.COURIER_REPLAY, "courier timestamp too far from the platform's clock")
    if not p.store.remember_nonce(f"courier:{carrier}", nonce, now, now - 2 * p.config.courier_max_skew_s):
        raise _refused(ErrorCode.COURIER_REPLAY, "courier nonce already used: a replayed request")
    try:
        return carrier, CourierEvent.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        raise ApiError(422, ErrorCode.REQUEST_INVALID, "not a courier event") from None


@router.post("/events", response_model=CourierAck, responses=_ERR,
             summary="A carrier reports a waybill's event (HMAC-signed, see central/notify/courier.py); it goes on "
                     "the application's timeline and notifies the applicant")
async def courier_event(request: Request, p: Platform = Depends(platform)) -> CourierAck:
    carrier, event = await _signed_event(request, p)
    row = p.store.waybill(event.waybill_no)
    if row is None or row["carrier"] != carrier:
        raise ApiError(404, ErrorCode.COURIER_WAYBILL, f"no waybill {event.waybill_no} of {carrier}")
    fresh = p.store.add_courier_event({"event_id": event.event_id, "carrier": carrier, "waybill_no": event.waybill_no,
                                       "status": event.status, "at": event.at,
                                       "received_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    if fresh:
        courier.apply_event(p, row, event.status)
    return CourierAck(event_id=event.event_id, waybill_no=event.waybill_no, duplicate=not fresh,
                      status=p.store.waybill(event.waybill_no)["status"])  # type: ignore[index]


@admin_router.get("", response_model=list[SmsRecord], responses=_ERR,
                  summary="The SMS outbox, newest first: state, masked number, text (never the full number)")
def sms_outbox(reference: Annotated[str | None, Query(max_length=40)] = None,
               state: Annotated[str | None, Query(max_length=16)] = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 200, p: Platform = Depends(platform)) -> list[SmsRecord]:
    return [SmsRecord(**{k: v for k, v in r.items() if k in SmsRecord.model_fields})
            for r in p.store.sms_messages(reference, state, limit)]
