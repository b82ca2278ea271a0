"""Kiosk enrolment (one-time code -> secret), heartbeat with device health, audit events."""
from __future__ import annotations

import hashlib
import secrets

from fastapi import APIRouter, Depends

from kiosk.platform.schema import (AuditAck, AuditBatch, EnrolRequest, EnrolResponse, ErrorCode, ErrorResponse,
                                   Heartbeat, HeartbeatResponse)

from ..auth import kiosk_id
from ..context import Platform, platform
from ..errors import ApiError

router = APIRouter(prefix="/kiosks", tags=["kiosks"])


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@router.post("/enrol", response_model=EnrolResponse, responses={403: {"model": ErrorResponse}},
             summary="Exchange a one-time enrolment code for the kiosk's secret (unsigned)")
def enrol(body: EnrolRequest, p: Platform = Depends(platform)) -> EnrolResponse:
    if not p.store.use_enrolment(code_hash(body.code), body.kiosk_id, p.config.clock()):
        raise ApiError(403, ErrorCode.ENROLMENT_REFUSED, "enrolment code unknown, used or expired for this kiosk id")
    secret = secrets.token_urlsafe(32)
    p.store.add_kiosk(body.kiosk_id, secret, p.config.now_iso(), body.location, body.region_code)
    return EnrolResponse(kiosk_id=body.kiosk_id, secret=secret)


@router.post("/heartbeat", response_model=HeartbeatResponse, summary="Device health and outbox state, every minute")
def heartbeat(body: Heartbeat, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> HeartbeatResponse:
    p.store.record_heartbeat(kid, p.config.now_iso(), body.model_dump(mode="json"))
    return HeartbeatResponse(server_time=p.config.now_iso(), catalog_version=p.digest)


@router.post("/audit", response_model=AuditAck, summary="Audit events (全流程电子监察); each (kiosk, seq) stored once")
def audit(body: AuditBatch, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> AuditAck:
    stored = p.store.add_audit(kid, [e.model_dump(mode="json") for e in body.events])
    return AuditAck(stored=stored, last_seq=p.store.audit_last_seq(kid))
