"""Typed client for the central platform: one method per endpoint of /api/v1 (docs/api.md).

Built on ``SignedTransport`` (signing, timeouts, retries only where safe). Which calls are safe to repeat
is decided here, per endpoint: reads, and writes the platform deduplicates (a submission by its
idempotency key, an upload by its hash and offset, a payment order per application, a waybill per
application, audit events per sequence number). Enrolment is not: its code works once.
The outbox owns the long retry schedule for submissions.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Callable

import requests

from .schema import (IDEMPOTENCY_HEADER, AuditAck, AuditBatch, AuditEvent, AuditHead, Bill, BillQuery, CatalogResponse,
                     CitizenSession, CitizenSessionOpen, DeliveryRequest, EnrolRequest, EnrolResponse, FileRef,
                     Heartbeat, HeartbeatResponse, HelpRequest, HelpStatus, Manifest,
                     PaymentOrder, PaymentOrderCreate, SharingRequest, SharingResponse, StatusResponse,
                     SubmitResponse, UploadCreate, UploadStatus, Waybill)
from .mine_schema import DEFAULT_PER_PAGE, MyApplications
from .rating_schema import Rating, RatingLevel, RatingRequest
from .transport import PlatformError, RetryPolicy, SignedTransport, parse

log = logging.getLogger(__name__)

__all__ = ["PlatformClient", "PlatformError", "RetryPolicy"]

INLINE_MAX_BYTES = 2 * 1024 * 1024  # files up to this size go inside the submission; larger ones resumably


class PlatformClient:
    def __init__(self, base_url: str, *, kiosk_id: str, secret: str | None = None, timeout_s: float = 10.0,
                 connect_timeout_s: float = 3.0, verify_tls: bool | str = True, retry: RetryPolicy = RetryPolicy(),
                 inline_max_bytes: int = INLINE_MAX_BYTES, session: requests.Session | None = None,
                 sleep: Callable[[float], None] | None = None,
                 observer: Callable[[bool, str], None] | None = None) -> None:
        kwargs: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self.t = SignedTransport(base_url, kiosk_id=kiosk_id, secret=secret, connect_timeout_s=connect_timeout_s,
                                 timeout_s=timeout_s, verify_tls=verify_tls, retry=retry, session=session,
                                 observer=observer, **kwargs)
        self.inline_max_bytes = inline_max_bytes
        self.catalog_etag: str | None = None

    @property
    def base_url(self) -> str:
        return self.t.base_url

    @property
    def kiosk_id(self) -> str:
        return self.t.kiosk_id

    @property
    def timeout_s(self) -> float:
        return self.t.timeout_s

    def close(self) -> None:
        self.t.close()

    # ----- basics -------------------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self.t.request("GET", "/health", safe=True, signed=False).json()

    def catalog(self) -> CatalogResponse:
        resp = self.t.request("GET", "/catalog", safe=True)
        self.catalog_etag = resp.headers.get("ETag")
        return parse(CatalogResponse, resp, "catalog")

    def catalog_if_changed(self, etag: str | None = None, *, attempts: int | None = None) -> CatalogResponse | None:
        """The catalogue, or None when ``etag`` (default: the last one seen) is still current (HTTP 304)."""
        etag = etag or self.catalog_etag
        resp = self.t.request("GET", "/catalog", safe=True, headers={"If-None-Match": etag} if etag else None,
                              ok_statuses=(304,), attempts=attempts)
        if resp.status_code == 304:
            return None
        self.catalog_etag = resp.headers.get("ETag")
        return parse(CatalogResponse, resp, "catalog")

    # ----- kiosk ---------------------------------------------------------------------------------------------
    def enrol(self, code: str, *, location: str = "", region_code: str = "",
              secret: str | None = None) -> EnrolResponse:
        """Exchange a one-time code for this kiosk's secret (not retried: the code works once). ``secret``: the
        kiosk's own, already saved durably; without it the platform makes one."""
        body = EnrolRequest(kiosk_id=self.kiosk_id, code=code, location=location, region_code=region_code,
                            secret=secret)
        resp = self.t.request("POST", "/kiosks/enrol", json_body=body.model_dump(mode="json", exclude_none=True),
                              signed=False)
        return parse(EnrolResponse, resp, "enrol")

    def heartbeat(self, hb: Heartbeat) -> HeartbeatResponse:
        resp = self.t.request("POST", "/kiosks/heartbeat", json_body=hb.model_dump(mode="json"), safe=True)
        return parse(HeartbeatResponse, resp, "heartbeat")

    def send_audit(self, events: list[AuditEvent]) -> AuditAck:
        resp = self.t.request("POST", "/kiosks/audit", json_body=AuditBatch(events=events).model_dump(mode="json"),
                              safe=True)
        return parse(AuditAck, resp, "audit")

    def audit_head(self) -> AuditHead:
        """The platform's anchor of this kiosk's audit trail (``kiosk audit verify`` compares with it)."""
        return parse(AuditHead, self.t.request("GET", "/kiosks/audit/head", safe=True), "audit head")

    # ----- citizen sessions (opened on a card read, closed at the session's end) ---------------------------------
    def open_citizen_session(self, id_number: str, *, authenticated_by: str = "id_card",
                             timeout_s: float | None = None, attempts: int | None = None) -> CitizenSession:
        body = CitizenSessionOpen(id_number=id_number, authenticated_by=authenticated_by)  # type: ignore[arg-type]
        resp = self.t.request("POST", "/citizen-sessions", json_body=body.model_dump(mode="json"), safe=True,
                              timeout_s=timeout_s, attempts=attempts)
        return parse(CitizenSession, resp, "citizen session")

    def close_citizen_session(self, session_id: str, *, timeout_s: float | None = None,
                              attempts: int | None = None) -> bool:
        resp = self.t.request("POST", f"/citizen-sessions/{session_id}/close", safe=True, timeout_s=timeout_s,
                              attempts=attempts)
        return bool(resp.json().get("closed"))

    def my_applications(self, session_id: str, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE,
                        timeout_s: float | None = None, attempts: int | None = None) -> MyApplications:
        """我的办件 (issue 18): the card holder's applications from every kiosk, inside this kiosk's citizen session."""
        resp = self.t.request("GET", f"/citizen-sessions/{session_id}/applications", safe=True, timeout_s=timeout_s,
                              params={"page": str(page), "per_page": str(per_page)}, attempts=attempts)
        return parse(MyApplications, resp, "my applications")

    # ----- 呼叫帮助 (issue 15): filed until staff acknowledge it ---------------------------------------------------
    def request_help(self, help_id: str, *, step: str = "", item_code: str = "",
                     timeout_s: float | None = None, attempts: int | None = None) -> HelpStatus:
        body = HelpRequest(help_id=help_id, step=step, item_code=item_code)
        resp = self.t.request("POST", "/help", json_body=body.model_dump(mode="json"), safe=True,  # idempotent
                              timeout_s=timeout_s, attempts=attempts)
        return parse(HelpStatus, resp, "help")

    def help_status(self, help_id: str, *, timeout_s: float | None = None) -> HelpStatus:
        return parse(HelpStatus, self.t.request("GET", f"/help/{help_id}", safe=True, timeout_s=timeout_s,
                                                attempts=1), "help")

    # ----- 好差评 (issue 17): one rating per case ------------------------------------------------------------------
    def rate(self, application_id: str, level: RatingLevel | str, *, timeout_s: float | None = None,
             attempts: int | None = None) -> Rating:
        """Safe to repeat: a repeat of a rating that arrived is a 409 (``ErrorCode.RATING_TWICE``), never a
        second rating."""
        body = RatingRequest(application_id=application_id, level=RatingLevel(level))
        resp = self.t.request("POST", "/ratings", json_body=body.model_dump(mode="json"), safe=True,
                              timeout_s=timeout_s, attempts=attempts)
        return parse(Rating, resp, "rating")

    # ----- data sharing -----------------------------------------------------------------------------------------
    def sharing(self, id_number: str, *, item_code: str | None = None, session_id: str | None = None,
                authenticated_by: str = "id_card", timeout_s: float | None = None,
                attempts: int | None = None) -> SharingResponse:
        """Inside the citizen session ``session_id`` (the platform refuses without one, or without an item)."""
        body = SharingRequest(id_number=id_number, item_code=item_code, session_id=session_id,
                              authenticated_by=authenticated_by)  # type: ignore[arg-type]
        resp = self.t.request("POST", "/sharing/lookup", json_body=body.model_dump(mode="json"), safe=True,
                              timeout_s=timeout_s, attempts=attempts)
        return parse(SharingResponse, resp, "sharing")

    # ----- uploads and submission ---------------------------------------------------------------------------------
    def upload(self, data: bytes, name: str = "", *, chunk_bytes: int | None = None,
               on_chunk: Callable[[int, int], None] | None = None) -> UploadStatus:
        """Send ``data`` resumably: the platform says where it stands, and we go on from there.

        A broken connection costs the chunk in flight: the next try (here, or after a restart, since the
        upload is found again by its hash) asks the offset and continues.
        """
        sha = hashlib.sha256(data).hexdigest()
        resp = self.t.request("POST", "/uploads", json_body=UploadCreate(sha256=sha, size=len(data),
                                                                         name=name[:100]).model_dump(), safe=True)
        st: UploadStatus = parse(UploadStatus, resp, "upload")
        chunk = chunk_bytes or st.chunk_bytes
        failures = 0
        while not st.complete:
            end = min(st.offset + chunk, len(data))
            try:
                resp = self.t.request("PUT", f"/uploads/{st.upload_id}", data=data[st.offset:end], attempts=1,
                                      headers={"Upload-Offset": str(st.offset),
                                               "Content-Type": "application/octet-stream"}, safe=True)
                st = parse(UploadStatus, resp, "upload")
                failures = 0
                if on_chunk is not None:
                    on_chunk(st.offset, st.size)
            except PlatformError as exc:
                failures += 1
                if not exc.retryable and exc.kind != "conflict" or failures >= self.t.retry.attempts:
                    raise
                # Where does the platform stand? (It may hold the chunk whose answer we lost.)
                st = parse(UploadStatus, self.t.request("GET", f"/uploads/{st.upload_id}", safe=True), "upload")
                log.info("upload %s resumes at %d/%d after: %s", st.upload_id, st.offset, st.size, exc)
        return st

    def submit(self, manifest: Manifest, files: dict[str, bytes], *, attempts: int | None = None) -> SubmitResponse:
        """Submit an application; the application id is the idempotency key. Large files go resumably.

        ``attempts=1`` for the outbox, which owns the long retry schedule (with backoff across restarts)."""
        refs = []
        inline: dict[str, bytes] = {}
        for ref in manifest.files:
            data = files.get(ref.name)
            if data is not None and len(data) > self.inline_max_bytes:
                st = self.upload(data, ref.name)
                refs.append(ref.model_copy(update={"upload_id": st.upload_id}))
            else:
                refs.append(ref)
                if data is not None:
                    inline[ref.name] = data
        for name, data in files.items():  # files the manifest does not list: the platform will say so
            if name not in inline and not any(r.name == name for r in refs):
                inline[name] = data
        sent = manifest.model_copy(update={"files": refs})
        parts: list[tuple[str, tuple[str | None, bytes, str]]] = [
            ("manifest", (None, sent.model_dump_json().encode("utf-8"), "application/json"))]
        mimes = {f.name: f.mime for f in manifest.files}
        for name, data in inline.items():
            parts.append(("files", (name, data, mimes.get(name, "application/octet-stream"))))
        resp = self.t.request("POST", "/applications", files=parts, safe=True, attempts=attempts,
                              headers={IDEMPOTENCY_HEADER: manifest.application_id})
        return parse(SubmitResponse, resp, "submit")

    def status(self, reference: str, *, session_id: str | None = None, token: str | None = None) -> StatusResponse:
        """For the submitting kiosk, inside a citizen session for the applicant, or with the receipt's token."""
        params = _only(session=session_id, token=token)
        return parse(StatusResponse, self.t.request("GET", f"/applications/{reference}", params=params or None,
                                                    safe=True), "status")

    def track(self, code: str, *, session_id: str | None = None) -> StatusResponse:
        """Status by a scanned receipt QR payload (tracking URL + token) or a typed reference (inside the
        citizen session ``session_id``, or at the kiosk that submitted it)."""
        params = dict(_only(session=session_id), code=code)
        return parse(StatusResponse, self.t.request("GET", "/track", params=params, safe=True), "track")

    def result_pdf(self, reference: str, *, session_id: str) -> bytes:
        """The signed result PDF of an approved application of the citizen whose card opened ``session_id``
        at this kiosk (issue 18). 404 (``PlatformError``) for anyone else's, or while nothing is issued (4172)."""
        resp = self.t.request("GET", f"/applications/{reference}/result", params={"session": session_id}, safe=True)
        if not resp.content.startswith(b"%PDF-"):
            raise PlatformError(f"result of {reference}: the platform's answer is not a PDF", status=resp.status_code,
                                retryable=True, kind="protocol")
        return resp.content

    # ----- payment -----------------------------------------------------------------------------------------
    def lookup_bill(self, item_code: str, account_no: str) -> Bill:
        body = BillQuery(item_code=item_code, account_no=account_no).model_dump()
        return parse(Bill, self.t.request("POST", "/bills/lookup", json_body=body, safe=True), "bill")

    def create_payment(self, application_id: str, item_code: str, form: dict[str, str] | None = None,
                       expected_amount_fen: int | None = None) -> PaymentOrder:
        body = PaymentOrderCreate(application_id=application_id, item_code=item_code, form=dict(form or {}),
                                  expected_amount_fen=expected_amount_fen).model_dump()
        return parse(PaymentOrder, self.t.request("POST", "/payments", json_body=body, safe=True), "payment")

    def payment(self, order_id: str, *, timeout_s: float | None = None) -> PaymentOrder:
        return parse(PaymentOrder, self.t.request("GET", f"/payments/{order_id}", safe=True, timeout_s=timeout_s),
                     "payment")

    def cancel_payment(self, order_id: str) -> PaymentOrder:
        return parse(PaymentOrder, self.t.request("POST", f"/payments/{order_id}/cancel", safe=True), "payment")

    def refund_payment(self, order_id: str) -> PaymentOrder:
        return parse(PaymentOrder, self.t.request("POST", f"/payments/{order_id}/refund", safe=True), "payment")

    def simulate_payment(self, qr_payload: str) -> PaymentOrder:
        """Demo only: pay the order the QR code names, as the citizen's payment app would (signed; the
        reference platform mounts its payer in demo mode only). The QR itself pays nothing."""
        order_id = qr_payload.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        resp = self.t.request("POST", f"/sim/payer/{order_id}", safe=True)
        return parse(PaymentOrder, resp, "simulated payer")

    # ----- delivery ----------------------------------------------------------------------------------------
    def request_delivery(self, reference: str, *, recipient: str, phone: str, address: str,
                         region: str = "") -> Waybill:
        body = DeliveryRequest(reference=reference, recipient=recipient, phone=phone, region=region,
                               address=address).model_dump()
        return parse(Waybill, self.t.request("POST", "/deliveries", json_body=body, safe=True), "delivery")

    def waybill(self, waybill_no: str, *, session_id: str | None = None, token: str | None = None) -> Waybill:
        params = _only(session=session_id, token=token)
        return parse(Waybill, self.t.request("GET", f"/deliveries/{waybill_no}", params=params or None, safe=True),
                     "waybill")


def _only(**params: str | None) -> dict[str, str]:
    return {k: v for k, v in params.items() if v}


def file_ref(name: str, data: bytes, mime: str = "application/octet-stream") -> FileRef:
    return FileRef(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), mime=mime)
