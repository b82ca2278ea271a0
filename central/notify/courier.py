"""Courier events (issue 18, Deliver 5): the carrier tells the platform where a waybill is; each event goes on
the application's timeline (进度查询 at the kiosk shows it) and notifies the applicant.

The carrier authenticates each event with an HMAC, like the kiosk's signature and not a bearer token: the
courier's systems post over networks the platform does not control, and a signature binds the key to this
very body, at this time, once (timestamp + nonce), so a captured request cannot be replayed or edited; a
bearer token would let whoever saw one request post any event for any waybill.

    X-Courier-Carrier: EMS
    X-Courier-Timestamp: Unix seconds (within ``courier_max_skew_s`` of the platform's clock)
    X-Courier-Nonce: 16-64 of [A-Za-z0-9_-], used once
    X-Courier-Signature: hex HMAC-SHA256(key, "POST\\n/api/v1/courier/events\\n{timestamp}\\n{nonce}\\n{sha256 hex of body}")

The body is one event ``{"event_id", "waybill_no", "status", "at"}``; the same ``event_id`` again (a courier's
retry) is answered as a duplicate and changes nothing."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import TYPE_CHECKING, Any, Callable

from kiosk.platform.schema import ErrorCode

from ..errors import ApiError
from . import record_event

if TYPE_CHECKING:
    from ..context import Platform
    from ..store.base import Row

COURIER_STEPS = ("created", "picked_up", "in_transit", "out_for_delivery", "delivered")
COURIER_EVENTS = COURIER_STEPS[1:]  # what a carrier may report
WAYBILL_NOTES = {"created": "已生成运单，待寄出", "picked_up": "快递员已揽收", "in_transit": "运输中",
                 "out_for_delivery": "派送中", "delivered": "已签收", "returned": "已退回"}
# waybill status -> (timeline status, what the citizen reads on the timeline); delivery completes the case
TIMELINE = {
    "picked_up": ("dispatched", {"zh": "办理结果已由快递揽收寄出", "en": "The result was picked up by the courier"}),
    "in_transit": ("in_transit", {"zh": "办理结果运输中", "en": "The result is in transit"}),
    "out_for_delivery": ("out_for_delivery", {"zh": "办理结果正在派送", "en": "The result is out for delivery"}),
    "delivered": ("completed", {"zh": "结果已送达", "en": "Result delivered"}),
}
PATH = "/api/v1/courier/events"


def string_to_sign(timestamp: str, nonce: str, body: bytes) -> str:
    return f"POST\n{PATH}\n{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}"


def sign(key: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(key.encode(), string_to_sign(timestamp, nonce, body).encode(), hashlib.sha256).hexdigest()


def headers(carrier: str, key: str, timestamp: int, nonce: str, body: bytes) -> dict[str, str]:
    """What the reference courier sends with an event (tests and the demo courier use it)."""
    return {"X-Courier-Carrier": carrier, "X-Courier-Timestamp": str(timestamp), "X-Courier-Nonce": nonce,
            "X-Courier-Signature": sign(key, str(timestamp), nonce, body), "Content-Type": "application/json"}


def post(base_url: str, carrier: str, key: str, event: dict[str, Any], *, timeout_s: float = 10.0,
         clock: Callable[[], float] = time.time) -> Any:
    """The reference courier: sign one event and post it to the platform (a fresh nonce each time; the same
    ``event_id`` when retrying). Returns the ``requests`` response."""
    import requests  # noqa: PLC0415 - the courier's side; the platform itself never posts

    body = json.dumps(event, ensure_ascii=False).encode()
    return requests.post(base_url.rstrip("/") + PATH, data=body, timeout=timeout_s,
                         headers=headers(carrier, key, int(clock()), secrets.token_hex(16), body))


def apply_event(p: "Platform", row: "Row", status: str) -> None:
    """Move a waybill to ``status`` (forward only; in transit may repeat) and tell its application."""
    if status not in COURIER_EVENTS:
        raise ApiError(422, ErrorCode.REQUEST_INVALID, f"unknown courier status {status!r}")
    current = COURIER_STEPS.index(row["status"]) if row["status"] in COURIER_STEPS else len(COURIER_STEPS)
    new = COURIER_STEPS.index(status)
    if new < current or (new == current and status != "in_transit"):
        raise ApiError(409, ErrorCode.COURIER_ORDER, f"waybill {row['waybill_no']} is {row['status']}, "
                                                     f"not before {status}")
    now = p.config.now_iso()
    p.store.set_waybill_status(row["waybill_no"], status, now, WAYBILL_NOTES[status])
    if status == "delivered":
        p.store.set_status(row["reference"], "completed")
    if new == current:
        return  # a further in-transit scan: on the waybill's tracking, not a new message
    timeline_status, note = TIMELINE[status]
    record_event(p, row["reference"], now, timeline_status, note)
