"""The platform API's contract: model types (``signing``: the request-signing rule; ``error_codes``), /api/v1.

Shared by the kiosk's client and the reference platform (central/), and nothing else is shared between
them (besides the catalogue schema in ``catalog_schema``). docs/api.md describes every endpoint with
examples; the reference platform's OpenAPI document is generated from these models.

Money is in 分 (fen, integers), times are ISO 8601 with their offset, sizes in bytes.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# The signing rule and the error codes live beside the models; they are part of the same contract and are
# also importable from here, where callers have always found them.
from .error_codes import ErrorCode  # noqa: F401
from .signing import EMPTY_SHA256, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE  # noqa: F401
from .signing import H_SIGNATURE_VERSION, H_TIMESTAMP, IDEMPOTENCY_HEADER, NONCE_PATTERN  # noqa: F401
from .signing import SIGNATURE_SCHEME, SIGNATURE_SCHEME_V2, SIGNATURE_VERSION, SIGNED_HEADERS  # noqa: F401
from .signing import sign, sign_v2, string_to_sign, string_to_sign_v2  # noqa: F401

API_PREFIX = "/api/v1"
Status = Literal["received", "approved", "under_review", "rejected", "completed"]


class _M(BaseModel):
    # No NaN/Infinity: they are not JSON and a store could not hold them.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


MAX_INT = 2 ** 53  # every integer fits SQLite, PostgreSQL bigint and a JavaScript number


class ErrorResponse(_M):
    code: int
    message: str
    server_time: int | None = None  # Unix seconds; sent with AUTH_STALE so a kiosk can correct its clock
    offset: int | None = None  # with UPLOAD_OFFSET: the offset the platform holds


# ----- enrolment, heartbeat, audit ----------------------------------------------------------------------------
class EnrolmentCode(_M):
    """What an administrator gets for a new kiosk: a one-time code, typed at the kiosk once."""

    kiosk_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    code: str
    expires_at: str


class EnrolRequest(_M):
    kiosk_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    code: str = Field(min_length=8, max_length=64)
    location: str = Field("", max_length=200)
    region_code: str = Field("", max_length=6)
    # The kiosk's own secret, saved durably on the kiosk BEFORE the code is spent (a failed save then loses
    # neither). Absent (older kiosks): the platform makes one and answers with it.
    secret: str | None = Field(None, min_length=32, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")


class EnrolResponse(_M):
    kiosk_id: str
    secret: str  # shown once; the kiosk keeps it in platform.secret_file (mode 0600)


class DeviceHealth(_M):
    name: str = Field(max_length=40)
    kind: str = Field(max_length=40)
    state: str = Field(max_length=40)
    error_code: int | None = Field(None, ge=0, le=99999)
    error_text: str = Field("", max_length=200)
    supplies: dict[str, str] = Field(default_factory=dict)


class Heartbeat(_M):
    at: str  # kiosk's clock, ISO 8601
    software_version: str = Field("", max_length=40)
    uptime_s: float = Field(0.0, ge=0, le=MAX_INT)
    catalog_version: str = Field("", max_length=64)
    outbox_pending: int = Field(0, ge=0, le=MAX_INT)
    outbox_rejected: int = Field(0, ge=0, le=MAX_INT)
    oldest_pending_age_s: float = Field(0.0, ge=0, le=MAX_INT)
    disk_free_bytes: int = Field(0, ge=0, le=MAX_INT)
    devices: list[DeviceHealth] = Field(default_factory=list, max_length=32)


class HeartbeatResponse(_M):
    server_time: str
    catalog_version: str  # the platform's: a kiosk with another one syncs its catalog


class AuditEvent(_M):
    seq: int = Field(ge=1, le=MAX_INT)  # the kiosk's own sequence number: the platform stores each (kiosk, seq) once
    at: str
    kind: str = Field(min_length=1, max_length=60)
    data: dict[str, Any] = Field(default_factory=dict)


class AuditBatch(_M):
    events: list[AuditEvent] = Field(max_length=500)


class AuditAck(_M):
    stored: int  # new events stored by this request
    last_seq: int  # highest seq the platform holds for this kiosk (in its current epoch)


class AuditHead(_M):
    """The platform's anchor of a kiosk's trail: the last record it holds in the current epoch."""

    kiosk_id: str
    epoch: int  # 1 at enrolment; +1 for each administrator's new epoch (a replaced disk)
    seq: int  # 0: nothing held yet in this epoch
    hash: str
    alarm: str = ""  # the last refusal (rewound, forked, changed trail), "" when none is open


class AdminActionRequest(_M):
    """An administrator's act on a kiosk (new audit epoch, re-key): who and why, both recorded."""

    operator: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=8, max_length=500)


class AdminAction(_M):
    at: str
    action: str  # audit_new_epoch | rekey_granted | rekeyed | enrol_refused_live
    kiosk_id: str
    operator: str
    reason: str
    detail: dict[str, Any] = Field(default_factory=dict)


class KioskInfo(_M):
    kiosk_id: str
    location: str = ""
    enrolled_at: str = ""
    last_heartbeat: Heartbeat | None = None
    last_seen_at: str | None = None
    audit_events: int = 0
    audit_epoch: int = 1
    audit_alarm: str = ""  # why the platform last refused this kiosk's audit trail ("" = none open)


# ----- citizen sessions (issue 16) ---------------------------------------------------------------------------
# A kiosk opens one when it reads an ID card and closes it when the citizen's session ends. Look-ups of
# personal data (data sharing, 进度查询 by card) answer only inside one. Its id travels in the signed body
# or the signed query string (``session``), never in a header of its own.
class CitizenSessionOpen(_M):
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9]{15}([0-9]{2}[0-9Xx])?$")
    authenticated_by: Literal["id_card", "id_card_face"] = "id_card"


class CitizenSession(_M):
    session_id: str
    id_number_masked: str
    expires_at: str  # ISO time; the platform refuses the session after it
    ttl_s: float


class Alarm(_M):
    at: str
    kiosk_id: str
    kind: str  # sessions_rate | lookups_rate | session_lookups | foreign_session | session_mismatch | ...
    detail: str


class LookupRecord(_M):
    at: str
    kiosk_id: str
    kind: str  # session_open | sharing | status | track | waybill | public
    subject: str  # masked ID number or reference; never a full ID number
    item_code: str = ""
    outcome: str  # ok | refused: <why> | rate_limited


# ----- data sharing (数据共享, 减材料) ----------------------------------------------------------------------------
class SharingRequest(_M):
    """Ask what the government holds for an applicant the kiosk has authenticated (ID card read), inside
    the citizen session opened for that card."""

    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9]{15}([0-9]{2}[0-9Xx])?$")
    session_id: str | None = Field(None, max_length=64)  # CitizenSession.session_id (required by the platform)
    name: str = Field("", max_length=60)  # ignored since issue 16: the platform confirms no names
    item_code: str | None = Field(None, pattern=r"^[0-9A-Z]{12}$")  # required: only what this item needs (最小必要)
    authenticated_by: Literal["id_card", "id_card_face"] = "id_card"


class HeldLicence(_M):
    """An electronic licence (电子证照) the government already holds for the applicant."""

    licence_type: str  # code from config/shared_data.toml [[licence_types]]
    licence_id: str  # the platform's id of this licence; cite it in MaterialRef.licence_id
    name: str = ""
    number: str = ""  # licence number (masked)
    issuer: str = ""
    issued_on: str = ""
    valid_until: str | None = None
    trust: Literal["A", "B", "C", "D"] = "A"


class SharingResponse(_M):
    id_number_masked: str
    values: dict[str, str | int | bool | None]  # key without "shared." -> value; absent key = not held
    licences: list[HeldLicence] = Field(default_factory=list)
    name_matches: bool | None = None  # always None since issue 16 (no name oracle); kept for old kiosks


# ----- uploads (resumable) ---------------------------------------------------------------------------------
class UploadCreate(_M):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=2 * 1024 ** 3)
    name: str = Field("", max_length=100)


class UploadStatus(_M):
    upload_id: str
    sha256: str
    size: int
    offset: int  # bytes the platform holds; the next chunk starts here
    complete: bool
    chunk_bytes: int  # the chunk size the platform prefers


# ----- applications -----------------------------------------------------------------------------------------
class FileRef(_M):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=MAX_INT)
    mime: str = Field("application/octet-stream", max_length=100)
    upload_id: str | None = Field(None, max_length=64)  # sent before through /uploads rather than inline in the submission


class MaterialRef(_M):
    id: str
    source: str  # applicant | e_licence | card
    pages: int = Field(0, ge=0, le=1000)
    file: str | None = None  # name in files, when pages were captured
    licence_type: str | None = None
    licence_id: str | None = None  # HeldLicence.licence_id when data sharing supplied it


class Applicant(_M):
    name: str
    id_number: str
    card_type: str = "resident"
    gender: str = ""
    birth_date: str = ""
    nation: str = ""
    address: str = ""


class DeliveryInfo(_M):
    method: str = "pickup"
    recipient: str = ""
    phone: str = ""
    region: str = ""  # express: the GB/T 2260 code of a complete region of config/regions.toml (kiosk.platform.regions)
    address: str = ""  # express: the detail line under that region (street, number), never a household address


class PaymentInfo(_M):
    order_id: str = Field("", max_length=64)
    amount_fen: int = Field(0, ge=0, le=MAX_INT)
    status: str = "none"


class Manifest(_M):
    schema_version: Literal[1] = 1
    application_id: str = Field(min_length=8, max_length=64)
    item_code: str
    kiosk_id: str
    local_number: str = ""
    created_at: str  # ISO 8601 with offset
    applicant: Applicant | None = None
    form: dict[str, str] = Field(default_factory=dict)
    materials: list[MaterialRef] = Field(default_factory=list)
    signature: str | None = None  # file name of the signature image
    # The face check's record (issue 19): the name of a JSON file among ``files`` (so its SHA-256 is in the
    # signed submission) holding {"application_id", "face": FaceResult.as_record()}; no image of the face.
    face: str | None = None
    delivery: DeliveryInfo = DeliveryInfo()
    payment: PaymentInfo = PaymentInfo()
    files: list[FileRef] = Field(default_factory=list)
    language: Literal["zh_CN", "en_US"] = "zh_CN"  # the kiosk's language when submitted: the SMS's language


class Reason(_M):
    zh: str
    en: str


class Decision(_M):
    instant: bool = False  # decided by 秒批 rules
    approved: bool | None = None  # None: not decided yet (manual review)
    reasons: list[Reason] = Field(default_factory=list)


class SubmitResponse(_M):
    reference: str  # the platform's acceptance number
    status: Status
    decision: Decision = Decision()
    received_at: str
    duplicate: bool = False  # the idempotency key was seen before; this is the first answer again
    tracking_token: str | None = None  # unguessable; the receipt's QR carries it (public tracking, /t/{token})
    # Status messages will reach the applicant's mobile (the platform sends SMS and the application has a
    # mobile number): only then may the kiosk's screen and receipt promise an SMS (issue 18).
    sms: bool = False


class TimelineEntry(_M):
    at: str
    status: str
    note: Reason | None = None


class StatusResponse(_M):
    reference: str
    item_code: str
    status: Status
    decision: Decision = Decision()
    timeline: list[TimelineEntry] = Field(default_factory=list)
    waybill_no: str | None = None
    payment_status: str | None = None


class PublicStatus(_M):
    """What the public tracking page shows to the holder of a receipt's token: no reasons, notes or names."""

    reference: str
    item_code: str
    status: Status
    timeline: list[TimelineEntry] = Field(default_factory=list)  # times and statuses only (note is None)


class ReviewDecision(_M):
    approved: bool
    note: Reason | None = None  # what the citizen is told (a reason); never carries the reviewer's name
    reviewer: str = Field("", max_length=60)  # staff only
    staff_note: str = Field("", max_length=2000)  # staff only: kept apart, shown only through /admin


class StaffNote(_M):
    reference: str
    at: str
    reviewer: str
    approved: bool
    note: str


class ReviewItem(_M):
    reference: str
    item_code: str
    kiosk_id: str
    received_at: str
    status: Status
    reasons: list[Reason] = Field(default_factory=list)


class CatalogResponse(_M):
    version: str  # SHA-256 digest of the items
    items: list[dict[str, Any]]


# ----- payment ----------------------------------------------------------------------------------------------
# refund_due: paid, but the platform refused the application (central.workflow.mark_refund_due): to refund;
# refunded: the money came back to the citizen (paid after the order was closed, or its application never came)
PaymentStatus = Literal["pending", "paid", "expired", "cancelled", "refund_due", "refunded"]


class BillQuery(_M):
    item_code: str = Field(pattern=r"^[0-9A-Z]{12}$")
    account_no: str = Field(min_length=1, max_length=40)


class Bill(_M):
    item_code: str
    account_no: str
    amount_fen: int = Field(ge=0)
    period: str  # billing period, e.g. "2026-10"
    holder_masked: str  # the account holder's name, masked
    address_masked: str
    status: Literal["open", "paid"] = "open"  # the biller's ledger: paid once a payment for it has landed
    transaction_id: str | None = None  # of the payment that settled it
    paid_at: str | None = None


class PaymentOrderCreate(_M):
    application_id: str = Field(min_length=8, max_length=64)  # one order per application
    item_code: str = Field(pattern=r"^[0-9A-Z]{12}$")
    form: dict[str, str] = Field(default_factory=dict)  # the fee choice (Fee.by_field) or account_no
    expected_amount_fen: int | None = Field(None, ge=0, le=MAX_INT)  # what the kiosk showed: refused if the platform differs


class PaymentOrder(_M):
    order_id: str
    application_id: str
    item_code: str
    amount_fen: int
    status: PaymentStatus
    qr_payload: str  # shown as a QR code; the citizen's payment app scans it
    created_at: str
    expires_at: str
    paid_at: str | None = None
    transaction_id: str | None = None
    reference: str | None = None  # the application it was reconciled with
    refunded_at: str | None = None


class ReconciliationReport(_M):
    day: str  # YYYY-MM-DD (platform time)
    paid_orders: int
    paid_total_fen: int
    matched: list[str] = Field(default_factory=list)  # order ids matched to an application
    unmatched_orders: list[str] = Field(default_factory=list)  # paid, no application (yet): refund or wait
    settled_bills: list[str] = Field(default_factory=list)  # order ids that settled a bill (no application)
    unpaid_claims: list[str] = Field(default_factory=list)  # application references claiming an unpaid order
    amount_mismatches: list[str] = Field(default_factory=list)  # references whose manifest amount differs
    refunded_orders: list[str] = Field(default_factory=list)  # refunded that day (late payment, no application)
    refunded_total_fen: int = 0


# ----- delivery (express waybill) -------------------------------------------------------------------------------
WaybillStatus = Literal["created", "picked_up", "in_transit", "out_for_delivery", "delivered", "returned"]


class DeliveryRequest(_M):
    reference: str = Field(min_length=1, max_length=40)
    recipient: str = Field(min_length=1, max_length=40)
    phone: str = Field(pattern=r"^1[3-9][0-9]{9}$")
    region: str = Field("", max_length=6)
    address: str = Field(min_length=4, max_length=200)


class WaybillEvent(_M):
    at: str
    status: WaybillStatus
    note: str = ""


class Waybill(_M):
    waybill_no: str
    carrier: str
    reference: str
    status: WaybillStatus
    recipient_masked: str
    address_masked: str
    events: list[WaybillEvent] = Field(default_factory=list)


class Health(_M):
    status: Literal["ok"]
    catalog_version: str
    applications: int
    time: str
    api_version: str = "1"


# ----- help requests (issue 15: 呼叫帮助 reaches a person) ------------------------------------------------------
HELP_ID = r"^[A-Za-z0-9_-]{8,64}$"


class HelpRequest(_M):
    """A citizen pressed 呼叫帮助: the kiosk files it (idempotent by ``help_id``) until staff acknowledge it."""

    help_id: str = Field(pattern=HELP_ID)
    step: str = Field(default="", max_length=32, pattern=r"^[a-z_]*$")  # the screen the citizen was on
    item_code: str = Field(default="", max_length=12, pattern=r"^[0-9A-Z]*$")


class HelpAck(_M):
    by: str = Field(min_length=1, max_length=64)  # the staff member (badge or name)


class HelpStatus(_M):
    help_id: str
    kiosk_id: str
    location: str = ""
    step: str = ""
    item_code: str = ""
    requested_at: str
    status: Literal["open", "acknowledged"]
    acknowledged_at: str | None = None
    acknowledged_by: str | None = None
