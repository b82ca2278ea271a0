"""Kiosk enrolment (one-time code -> secret), heartbeat with device health, and the audit trail's anchor.

Enrolment never silently re-keys a live kiosk: an id that already has a secret is refused (409, 4018) unless
an administrator granted a re-key (``POST /admin/kiosks/{id}/rekey``, audited). The code is spent and the
secret stored in one transaction; a kiosk may bring its own secret (saved before the code is spent).

The audit endpoint anchors each kiosk's hash chain: every record's hash is recomputed over all its fields, and
a record must continue the head the platform holds (epoch, seq, hash). A changed record, a gap, or a trail that
goes backwards or forks (a wiped or rewound kiosk) is refused with 409 and leaves an alarm on the kiosk
(``GET /admin/kiosks``); a replaced disk starts a new epoch only by ``POST /admin/kiosks/{id}/audit-epoch``.
"""
from __future__ import annotations

import hashlib
import secrets

from fastapi import APIRouter, Depends

from kiosk.platform.audit_chain import record_hash
from kiosk.platform.schema import (AuditAck, AuditBatch, AuditHead, EnrolRequest, EnrolResponse, ErrorCode,
                                   ErrorResponse, Heartbeat, HeartbeatResponse)

from ..auth import kiosk_id
from ..context import Platform, platform
from ..errors import ApiError

router = APIRouter(prefix="/kiosks", tags=["kiosks"])
_AUDIT_ERR = {409: {"model": ErrorResponse}}


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


@router.post("/enrol", response_model=EnrolResponse,
             responses={403: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
             summary="Exchange a one-time enrolment code for the kiosk's secret (unsigned)")
def enrol(body: EnrolRequest, p: Platform = Depends(platform)) -> EnrolResponse:
    secret = body.secret or secrets.token_urlsafe(32)
    outcome = p.store.enrol_kiosk(code_hash(body.code), body.kiosk_id, secret, p.config.clock(), p.config.now_iso(),
                                  body.location, body.region_code)
    if outcome == "live":
        raise ApiError(409, ErrorCode.ENROLMENT_LIVE_KIOSK, "this kiosk id is enrolled already; its secret is kept "
                                                            "unless an administrator grants a re-key")
    if outcome != "ok":
        raise ApiError(403, ErrorCode.ENROLMENT_REFUSED, "enrolment code unknown, used or expired for this kiosk id")
    return EnrolResponse(kiosk_id=body.kiosk_id, secret=secret)


@router.post("/heartbeat", response_model=HeartbeatResponse, summary="Device health and outbox state, every minute")
def heartbeat(body: Heartbeat, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> HeartbeatResponse:
    p.store.record_heartbeat(kid, p.config.now_iso(), body.model_dump(mode="json"))
    return HeartbeatResponse(server_time=p.config.now_iso(), catalog_version=p.digest)


@router.post("/audit", response_model=AuditAck, responses=_AUDIT_ERR,
             summary="Audit records (全流程电子监察), anchored: each must continue the chain the platform holds")
def audit(body: AuditBatch, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> AuditAck:
    records = []
    broken = ""
    for e in body.events:
        rec = dict(e.data, seq=e.seq, ts=e.at, event=e.kind)
        digest, prev = rec.get("hash"), rec.get("prev")
        if not isinstance(digest, str) or not isinstance(prev, str) or record_hash(rec) != digest:
            broken = f"seq {e.seq} does not match its hash: the record was changed after it was written"
            break
        content = {k: v for k, v in e.data.items() if k not in ("prev", "hash")}
        records.append({"seq": e.seq, "at": e.at, "kind": e.kind, "data": content, "hash": digest, "prev": prev})
    stored, head, refusal = p.store.anchor_audit(kid, records, p.config.now_iso(), broken)
    if refusal:
        code = ErrorCode.AUDIT_CHAIN_BROKEN if refusal == broken else ErrorCode.AUDIT_REWOUND
        raise ApiError(409, code, f"audit trail refused: {refusal}", last_seq=head["seq"])
    return AuditAck(stored=stored, last_seq=head["seq"])


@router.get("/audit/head", response_model=AuditHead, summary="The platform's anchor of this kiosk's audit trail")
def audit_head(p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> AuditHead:
    return AuditHead(**p.store.audit_head(kid))
