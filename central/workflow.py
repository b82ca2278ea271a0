"""What happens to an application after it arrives: the decision, review, payment reconciliation, delivery.

Status moves received -> (approved | under_review) -> approved | rejected -> completed (result delivered).
Every change adds a timeline entry with bilingual text; the kiosk's status screen and the receipt's QR
show that timeline.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any, Callable

from kiosk.platform.catalog_schema import DeliveryMethod, Item, MaterialSource
from kiosk.platform.schema import (Decision, Manifest, PublicStatus, Reason, StatusResponse, SubmitResponse,
                                   TimelineEntry, Waybill, WaybillEvent)

from .citizens import alarm, new_tracking_token
from .context import Platform
from .errors import ApiError, not_found
from .results.issue import issue_quietly
from .notify import record_event, sms_promised
from .notify.courier import COURIER_STEPS, WAYBILL_NOTES
from .notify.courier import apply_event as apply_courier_event
from .rules import decide
from .store import Duplicate
from .face import face_reasons

CARRIER = "EMS"
WAYBILL_STEPS = COURIER_STEPS  # created -> picked_up -> in_transit -> out_for_delivery -> delivered


def platform_checks(p: Platform, item: Item, m: Manifest, kiosk_id: str, held_types: set[str]) -> list[Reason]:
    """What the platform verifies itself before trusting a decision: e-licences held, the fee paid."""
    reasons: list[Reason] = []
    captured = {ref.id for ref in m.materials if ref.pages > 0}
    for mat in item.materials:
        if mat.source == MaterialSource.E_LICENCE and mat.required and mat.id not in captured \
                and mat.licence_type not in held_types:
            reasons.append(Reason(zh=f"未能调取电子证照：{mat.name.zh}，转人工核验",
                                  en=f"E-licence not available: {mat.name.en}; to be checked by staff"))
    amount = item.fee.amount_for(m.form)
    if item.fee.charged or item.fee.from_bill:
        order = p.store.payment(m.payment.order_id) if m.payment.order_id else None
        paid = order is not None and order["status"] == "paid" and order["kiosk_id"] == kiosk_id \
            and order["application_id"] == m.application_id
        if not paid:
            reasons.append(Reason(zh="未核实到缴费，转人工核实", en="Payment not confirmed; to be checked by staff"))
        elif amount is not None and order["amount_fen"] != amount:
            reasons.append(Reason(zh="缴费金额与收费标准不符，转人工核实",
                                  en="The amount paid differs from the fee; to be checked by staff"))
    return reasons


REFUND_DUE = "refund_due"  # payments.status of a paid order whose application the platform refused


def mark_refund_due(p: Platform, kiosk_id: str, m: Manifest, why: str) -> str | None:
    """THE REFUND HOOK for a paid application that validation refused (it is not stored, so nothing else
    will ever use the money): its order, if it is this kiosk's order for this application and paid, moves
    to status ``refund_due`` for the refund code (central/routers/payments.py) to pay back; an alarm says
    why. Returns the order id so marked, else None. Idempotent: a refused retry marks nothing new."""
    if not m.payment.order_id:
        return None
    order = p.store.payment(m.payment.order_id)
    if order is None or order["kiosk_id"] != kiosk_id or order["application_id"] != m.application_id \
            or order["status"] != "paid":
        return None
    p.store.update_payment(order["order_id"], status=REFUND_DUE)
    alarm(p, kiosk_id, "refund_due", f"order {order['order_id']} paid, application refused: {why}")
    return order["order_id"]


def manifest_sha256(raw: dict[str, Any]) -> str:
    """Identity of a submission's content; how each file travelled (inline or upload id) is not part of it."""
    raw = dict(raw, files=[{k: v for k, v in f.items() if k != "upload_id"} for f in raw.get("files", [])])
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def accept(p: Platform, item: Item, m: Manifest, kiosk_id: str, key: str, sha: str,
           files: Callable[[str], None] = lambda reference: None,
           face: dict[str, Any] | None = None) -> tuple[SubmitResponse, bool]:
    """Decide and store a new application; (answer, stored_now). ``files(reference)`` writes its files
    before the record is inserted, so a crash in between leaves stray files, never an application without
    them. A lost insert race answers the winner's. ``face``: the signed face record's ``face`` part
    (central/face.py), None when the package carries none."""
    now = p.config.now()  # one reading: the decision's date and the reference's date are the same day at midnight
    today = now.date()
    shared, held = (p.sharing.decision_values(m.applicant.id_number, today) if m.applicant else ({}, set()))
    decision = decide(item, m, shared, face_reasons(item, face) + platform_checks(p, item, m, kiosk_id, held),
                      names=p.sharing.names, today=today)
    status = "received" if not decision.instant else ("approved" if decision.approved else "under_review")
    reference = f"SZ{now:%Y%m%d}{p.store.next_seq():06d}"
    received_at = now.isoformat(timespec="seconds")
    # The receipt's QR carries this token (not the reference): whoever holds the paper may follow it.
    response = SubmitResponse(reference=reference, status=status, decision=decision, received_at=received_at,
                              tracking_token=new_tracking_token(),
                              sms=sms_promised(p, item, m.model_dump(mode="json")))
    files(reference)
    try:
        p.store.insert({
            "reference": reference, "idempotency_key": key, "manifest_sha256": sha, "item_code": m.item_code,
            "kiosk_id": kiosk_id, "status": status, "decision": decision.model_dump(mode="json"),
            "manifest": m.model_dump(mode="json"), "response": response.model_dump(mode="json"),
            "received_at": received_at})
    except Duplicate:
        seen = p.store.find_by_key(key)
        if seen is None:
            raise ApiError(409, 4009, "conflicting submission, try again") from None
        return SubmitResponse.model_validate(dict(seen["response"], duplicate=True)), False
    p.store.set_tracking_token(reference, response.tracking_token or "")
    # 秒批 approved in the same breath: one message (the approval), not two
    record_event(p, reference, received_at, "received", {"zh": "已受理", "en": "Received"},
                 notify_applicant=not (decision.instant and decision.approved))
    if m.payment.order_id:
        order = p.store.payment(m.payment.order_id)
        if order is not None and order["kiosk_id"] == kiosk_id and order["application_id"] == m.application_id:
            p.store.update_payment(m.payment.order_id, reference=reference)
            if order["status"] == "paid":
                record_event(p, reference, received_at, "paid",
                                  {"zh": f"已缴费 {order['amount_fen'] / 100:.2f} 元",
                                   "en": f"Paid CNY {order['amount_fen'] / 100:.2f}"})
    if decision.instant:
        note = {"zh": "秒批：自动审批通过", "en": "Instant approval"} if decision.approved else \
            {"zh": "转人工审核", "en": "Sent to manual review"}
        record_event(p, reference, received_at, status, note)
        if decision.approved:
            on_approved(p, reference, m)
    return response, True


def after_stored(p: Platform, response: SubmitResponse) -> None:
    """After a new submission is stored, OUTSIDE the submission lock: a 秒批-approved case gets its signed
    result document now (issue 18; ~0.25 s that other kiosks' submissions must not wait for)."""
    if response.status == "approved":
        issue_quietly(p, response.reference)


def on_approved(p: Platform, reference: str, m: Manifest) -> None:
    if m.delivery.method == DeliveryMethod.EXPRESS.value and m.delivery.address:
        create_waybill(p, reference, m.delivery.recipient, m.delivery.phone, m.delivery.region, m.delivery.address)


def review(p: Platform, reference: str, approved: bool, note: Reason | None, reviewer: str,
           staff_note: str = "") -> StatusResponse:
    """``note`` is what the citizen is told; the reviewer's name and ``staff_note`` stay with the staff."""
    row = p.store.find_by_reference(reference)
    if row is None:
        raise not_found(f"application {reference}")
    if row["status"] not in ("received", "under_review"):
        raise ApiError(409, 4009, f"application {reference} is {row['status']}, not waiting for review")
    decision = Decision.model_validate(row["decision"])
    decision = decision.model_copy(update={"approved": approved, "reasons": decision.reasons + ([note] if note else [])})
    status = "approved" if approved else "rejected"
    p.store.set_status(reference, status, decision.model_dump(mode="json"))
    default = {"zh": "人工审核通过", "en": "Approved by staff"} if approved else \
        {"zh": "人工审核不予批准", "en": "Not approved by staff"}
    text = note.model_dump() if note else default
    now = p.config.now_iso()
    if reviewer or staff_note:
        p.store.add_staff_note(reference, now, reviewer, approved, staff_note)
    record_event(p, reference, now, status, text)
    if approved:
        on_approved(p, reference, Manifest.model_validate(row["manifest"]))
        issue_quietly(p, reference)  # the signed result document (issue 18)
    return status_of(p, reference)


def ask_for_more(p: Platform, reference: str, note: Reason) -> StatusResponse:
    """补正 (issue 21): the case stays in review and the citizen is told what to add, on the timeline like a
    decision (the same path tells the citizen); who asked is the staff audit's (central/staff)."""
    row = p.store.find_by_reference(reference)
    if row is None:
        raise not_found(f"application {reference}")
    if row["status"] not in ("received", "under_review"):
        raise ApiError(409, 4009, f"application {reference} is {row['status']}, not waiting for review")
    p.store.set_status(reference, "under_review")
    # on the timeline as 补正 ("needs_more"), which also sends the applicant's SMS (central/notify)
    record_event(p, reference, p.config.now_iso(), "needs_more",
                 {"zh": f"请补充材料：{note.zh}", "en": f"Please add to your application: {note.en}"})
    return status_of(p, reference)


def status_of(p: Platform, reference: str) -> StatusResponse:
    row = p.store.find_by_reference(reference)
    if row is None:
        raise not_found(f"application {reference}")
    timeline = [TimelineEntry(at=e["at"], status=e["status"], note=e["note"]) for e in p.store.events(reference)]
    waybill = p.store.waybill_for(reference)
    order_id = row["manifest"].get("payment", {}).get("order_id")
    order = p.store.payment(order_id) if order_id else None
    return StatusResponse(reference=reference, item_code=row["item_code"], status=row["status"],
                          decision=Decision.model_validate(row["decision"]), timeline=timeline,
                          waybill_no=waybill["waybill_no"] if waybill else None,
                          payment_status=order["status"] if order else None)


def public_status_of(p: Platform, reference: str) -> PublicStatus:
    """For the holder of the receipt's token on the public page: no reasons, notes, names or waybill."""
    row = p.store.find_by_reference(reference)
    if row is None:
        raise not_found("application")
    timeline = [TimelineEntry(at=e["at"], status=e["status"]) for e in p.store.events(reference)]
    return PublicStatus(reference=reference, item_code=row["item_code"], status=row["status"], timeline=timeline)


def new_waybill_no(p: Platform) -> str:
    """Random (not derived from the reference): knowing an acceptance number tells nothing of its waybill."""
    while True:
        number = f"EM{secrets.randbelow(10 ** 9):09d}CN"
        if p.store.waybill(number) is None:
            return number


# ----- delivery ------------------------------------------------------------------------------------------------
def create_waybill(p: Platform, reference: str, recipient: str, phone: str, region: str, address: str) -> Waybill:
    existing = p.store.waybill_for(reference)
    if existing is None:
        number = new_waybill_no(p)
        now = p.config.now_iso()
        row = p.store.create_waybill({"waybill_no": number, "reference": reference, "carrier": CARRIER,
                                      "status": "created", "recipient": recipient, "phone": phone, "region": region,
                                      "address": address, "created_at": now})
        if row["waybill_no"] == number and not p.store.waybill_events(number):
            p.store.set_waybill_status(number, "created", now, WAYBILL_NOTES["created"])
            record_event(p, reference, now, "delivery", {"zh": f"结果将由{CARRIER}寄出，运单号 {number}",
                                                           "en": f"The result will be sent by {CARRIER}, waybill {number}"})
    return waybill_of(p, p.store.waybill_for(reference)["waybill_no"])  # type: ignore[index]


def waybill_of(p: Platform, waybill_no: str) -> Waybill:
    row = p.store.waybill(waybill_no)
    if row is None:
        raise not_found(f"waybill {waybill_no}")
    events = [WaybillEvent(at=e["at"], status=e["status"], note=e["note"] or "") for e in p.store.waybill_events(waybill_no)]
    name = row["recipient"]
    return Waybill(waybill_no=waybill_no, carrier=row["carrier"], reference=row["reference"], status=row["status"],
                   recipient_masked=(name[:1] + "*" * (len(name) - 1)) if name else "",
                   address_masked=(row["address"][:6] + "****") if row["address"] else "", events=events)


def advance_waybill(p: Platform, waybill_no: str) -> Waybill:
    """The simulated courier moves one step (demo and tests), as its posted events would (notify/courier.py)."""
    row = p.store.waybill(waybill_no)
    if row is None:
        raise not_found(f"waybill {waybill_no}")
    if row["status"] not in WAYBILL_STEPS[:-1]:
        raise ApiError(409, 4009, f"waybill {waybill_no} is {row['status']}")
    apply_courier_event(p, row, WAYBILL_STEPS[WAYBILL_STEPS.index(row["status"]) + 1])
    return waybill_of(p, waybill_no)
