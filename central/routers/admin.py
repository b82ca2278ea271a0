"""The administrator's endpoints (Bearer token): enrolment codes, kiosks, the review queue, reconciliation,
and the simulated courier. The demo and the tests use them; a province's back office has its own."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from kiosk.platform.schema import (AdminAction, AdminActionRequest, Alarm, AuditHead, Decision, EnrolmentCode,
                                   ErrorResponse, Heartbeat, KioskInfo, LookupRecord, ReconciliationReport,
                                   ReviewDecision, ReviewItem, StaffNote, StatusResponse, Waybill)

from ..auth import admin
from ..config import TZ
from ..context import Platform, platform
from ..errors import not_found
from ..workflow import advance_waybill, review
from .kiosks import code_hash

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(admin)])
_ERR = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}}


class EnrolmentRequest(BaseModel):
    kiosk_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")


@router.post("/enrolments", response_model=EnrolmentCode, responses=_ERR,
             summary="A one-time enrolment code for a new kiosk")
def new_enrolment(body: EnrolmentRequest, p: Platform = Depends(platform)) -> EnrolmentCode:
    code = secrets.token_urlsafe(12)
    expires = p.config.clock() + p.config.enrolment_ttl_s
    p.store.add_enrolment(code_hash(code), body.kiosk_id, expires)
    return EnrolmentCode(kiosk_id=body.kiosk_id, code=code,
                         expires_at=dt.datetime.fromtimestamp(expires, TZ).isoformat(timespec="seconds"))


@router.get("/kiosks", response_model=list[KioskInfo], responses=_ERR,
            summary="Enrolled kiosks with their last heartbeat")
def kiosks(p: Platform = Depends(platform)) -> list[KioskInfo]:
    out = []
    for k in p.store.kiosks():
        hb = Heartbeat.model_validate(k["last_heartbeat"]) if k.get("last_heartbeat") else None
        head = p.store.audit_head(k["kiosk_id"])
        out.append(KioskInfo(kiosk_id=k["kiosk_id"], location=k["location"], enrolled_at=k["enrolled_at"],
                             last_heartbeat=hb, last_seen_at=k.get("last_seen_at"),
                             audit_events=p.store.audit_count(k["kiosk_id"]), audit_epoch=head["epoch"],
                             audit_alarm=head["alarm"]))
    return out


# ----- issue 16: explicit, audited acts on a kiosk's identity and audit anchor ---------------------------------
def _enrolled(p: Platform, kiosk_id: str) -> None:
    if p.store.kiosk(kiosk_id) is None:
        raise not_found(f"enrolled kiosk {kiosk_id}")


@router.post("/kiosks/{kiosk_id}/audit-epoch", response_model=AuditHead, responses=_ERR,
             summary="Start a new audit epoch for a kiosk whose disk was replaced (audited; the old records stay)")
def new_audit_epoch(kiosk_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")],
                    body: AdminActionRequest, p: Platform = Depends(platform)) -> AuditHead:
    _enrolled(p, kiosk_id)
    return AuditHead(**p.store.new_audit_epoch(kiosk_id, p.config.now_iso(), body.operator, body.reason))


@router.post("/kiosks/{kiosk_id}/rekey", response_model=list[AdminAction], responses=_ERR,
             summary="Allow the next enrolment code of this kiosk to replace its secret (audited)")
def grant_rekey(kiosk_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")],
                body: AdminActionRequest, p: Platform = Depends(platform)) -> list[AdminAction]:
    _enrolled(p, kiosk_id)
    p.store.grant_rekey(kiosk_id, p.config.now_iso(), body.operator, body.reason)
    return [AdminAction(**a) for a in p.store.admin_actions(kiosk_id)]


@router.get("/actions", response_model=list[AdminAction], responses=_ERR,
            summary="The administrators' acts on kiosks (new audit epochs, re-keys) and refused re-enrolments")
def actions(p: Platform = Depends(platform)) -> list[AdminAction]:
    return [AdminAction(**a) for a in p.store.admin_actions()]


@router.get("/reviews", response_model=list[ReviewItem], responses=_ERR,
            summary="The manual review queue: applications waiting for a person")
def reviews(p: Platform = Depends(platform)) -> list[ReviewItem]:
    return [ReviewItem(reference=r["reference"], item_code=r["item_code"], kiosk_id=r["kiosk_id"],
                       received_at=r["received_at"], status=r["status"],
                       reasons=Decision.model_validate(r["decision"]).reasons)
            for r in p.store.by_status(["received", "under_review"])]


@router.post("/reviews/{reference}", response_model=StatusResponse, responses=_ERR,
             summary="Decide an application in the review queue")
def decide(reference: str, body: ReviewDecision, p: Platform = Depends(platform)) -> StatusResponse:
    return review(p, reference, body.approved, body.note, body.reviewer, body.staff_note)


@router.get("/reviews/{reference}/notes", response_model=list[StaffNote], responses=_ERR,
            summary="Staff notes of an application (reviewer and internal note; never shown to the citizen)")
def staff_notes(reference: str, p: Platform = Depends(platform)) -> list[StaffNote]:
    return [StaffNote(reference=r["reference"], at=r["at"], reviewer=r["reviewer"], approved=bool(r["approved"]),
                      note=r["text"]) for r in p.store.staff_notes(reference)]


@router.get("/alarms", response_model=list[Alarm], responses=_ERR,
            summary="Alarms raised on anomalies (look-up bursts, foreign or mismatched citizen sessions), newest first")
def alarms(limit: Annotated[int, Query(ge=1, le=10_000)] = 1000, p: Platform = Depends(platform)) -> list[Alarm]:
    return [Alarm.model_validate(r) for r in p.store.alarms(limit)]


@router.get("/lookups", response_model=list[LookupRecord], responses=_ERR,
            summary="The look-up ledger (masked), newest first")
def lookups(kiosk_id: Annotated[str | None, Query(max_length=64)] = None,
            limit: Annotated[int, Query(ge=1, le=10_000)] = 1000, p: Platform = Depends(platform)) -> list[LookupRecord]:
    return [LookupRecord(at=r["at_iso"], kiosk_id=r["kiosk_id"], kind=r["kind"], subject=r["subject"],
                         item_code=r["item_code"], outcome=r["outcome"]) for r in p.store.lookups(kiosk_id, limit)]


@router.get("/reconciliation", response_model=ReconciliationReport, responses=_ERR,
            summary="Paid orders of a day matched against applications (对账)")
def reconciliation(day: Annotated[str, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")],
                   p: Platform = Depends(platform)) -> ReconciliationReport:
    paid = p.store.payments_paid_on(day)
    report = ReconciliationReport(day=day, paid_orders=len(paid), paid_total_fen=sum(o["amount_fen"] for o in paid))
    for o in paid:
        (report.matched if o["reference"] else report.settled_bills if p.store.bill_settled_by(o["order_id"])
         else report.unmatched_orders).append(o["order_id"])
    refunded = p.store.payments_refunded_on(day)
    report.refunded_orders = [o["order_id"] for o in refunded]
    report.refunded_total_fen = sum(o["amount_fen"] for o in refunded)
    for app in p.store.applications_on(day):
        pay = app["manifest"].get("payment") or {}
        if not pay.get("order_id"):
            continue
        order = p.store.payment(pay["order_id"])
        if order is None or order["status"] != "paid":
            report.unpaid_claims.append(app["reference"])
        elif int(pay.get("amount_fen") or 0) != order["amount_fen"]:
            report.amount_mismatches.append(app["reference"])
    return report


@router.post("/deliveries/{waybill_no}/advance", response_model=Waybill, responses=_ERR,
             summary="Demo courier: move a waybill one step (created -> picked_up -> in_transit -> delivered)")
def advance(waybill_no: str, p: Platform = Depends(platform)) -> Waybill:
    return advance_waybill(p, waybill_no)
