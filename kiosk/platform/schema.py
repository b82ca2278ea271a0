"""The platform API's model types: what the kiosk sends and what the platform answers.

Shared by the kiosk's client and the reference platform (central/), and nothing else is shared between
them. Versioned under /api/v1.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
IDEMPOTENCY_HEADER = "Idempotency-Key"

Status = Literal["received", "approved", "under_review", "rejected", "completed"]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileRef(_M):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    mime: str = "application/octet-stream"


class MaterialRef(_M):
    id: str
    source: str  # applicant | e_licence | card
    pages: int = 0
    file: str | None = None  # name in files, when pages were captured
    licence_type: str | None = None


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
    region: str = ""
    address: str = ""


class PaymentInfo(_M):
    order_id: str = ""
    amount_fen: int = 0
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
    delivery: DeliveryInfo = DeliveryInfo()
    payment: PaymentInfo = PaymentInfo()
    files: list[FileRef] = Field(default_factory=list)


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


class CatalogResponse(_M):
    version: str  # SHA-256 digest of the items
    items: list[dict[str, Any]]


class ErrorResponse(_M):
    code: int
    message: str
