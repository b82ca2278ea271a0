"""One citizen's session: everything personal the kiosk holds for them, and its wipe.

Personal data lives only here (in memory) and, once submitted, encrypted in the outbox. Scanned pages are
kept as bytes in memory, never as temporary files. ``wipe()`` drops every reference and overwrites the
mutable buffers it owns, so nothing of the citizen stays after the session ends.
"""
from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..capture.pages import Page
from ..identity import IdCardData
from ..platform.catalog_schema import Item


@dataclass
class Delivery:
    method: str = "pickup"
    recipient: str = ""
    phone: str = ""
    region: str = ""
    address: str = ""


@dataclass
class Payment:
    order_id: str = ""
    amount_fen: int = 0
    status: str = "none"  # none | pending | paid | expired | cancelled | already_paid (a settled bill)
    qr_payload: str = ""
    expires_at: str = ""  # ISO time from the platform
    bill_period: str = ""  # utility bills: the billing period and the holder (masked by the platform)
    bill_holder: str = ""
    bill_account: str = ""  # masked (last 4 digits)
    transaction_id: str = ""  # of the payment, once paid (a bill's slip prints it)
    paid_at: str = ""


@dataclass
class Outcome:
    """What the platform said, or that it will be sent later."""

    local_number: str = ""
    reference: str = ""  # platform acceptance number
    status: str = ""  # received | approved | under_review | rejected | queued
    decision_reasons: list[dict[str, str]] = field(default_factory=list)
    delivered: bool = False
    decided: bool = False  # the submit step has shown its outcome (delivered, rejected or queued)
    submit_deadline: float | None = None  # monotonic: past it, the citizen is told it will be sent later
    printed: bool = False
    print_error: int | None = None
    rating: str = ""  # 好差评 chosen on the goodbye screen (RatingLevel value), "" = not rated
    rating_state: str = ""  # "" | sending | sent | already | not_sent (kiosk.platform.services.RatingOutcome)
    sms: bool = False  # the platform said status messages will reach the applicant's mobile (issue 18)
    a4_receipt: str = ""  # the receipt on A4 when asked (issue 18): "" | printing | printed | failed
    a4_receipt_error: int = 0  # the A4 printer's DeviceErrorCode when it failed


class ResultPrintState(StrEnum):
    """An issued result document on its way to the A4 printer (issue 18)."""
    NONE = "none"  # nothing to print (not approved, no A4 printer, or not asked)
    FETCHING = "fetching"  # the signed PDF is asked for, inside the citizen session (and waited for while issuing)
    PRINTING = "printing"  # on the A4 printer
    PRINTED = "printed"  # take it from the A4 tray
    NOT_ISSUED = "not_issued"  # approved, but the platform has not issued it (slow or failed): 我的办件 later
    FAILED = "failed"  # fetched but not printed (A4 fault), or the fetch was refused / offline: ``code`` says


@dataclass
class ResultPrint:
    """Where the result document stands, and what it took (for the screen, the audit and the autopilot)."""
    state: ResultPrintState = ResultPrintState.NONE
    reference: str = ""
    code: int = 0  # KioskErrorCode when not printed (2170-2174)
    device_code: int = 0  # the A4 printer's DeviceErrorCode (1250-1265) when it faulted
    pages: int = 0
    fetch_s: float = 0.0  # asking (and waiting for the platform to issue) until the PDF is here
    print_s: float = 0.0  # A4 job submitted -> completed
    total_s: float = 0.0  # from the start of the fetch to the page in the tray

    @property
    def running(self) -> bool:
        return self.state in (ResultPrintState.FETCHING, ResultPrintState.PRINTING)


class MineState(StrEnum):
    """我的办件 (issue 18): where the screen stands."""
    CARD = "card"  # lay the ID card on the reader
    LOADING = "loading"  # the card is read: the session opens, the list is asked for
    LIST = "list"  # the applications, newest first (``items`` may be empty: a calm sentence says so)
    DETAIL = "detail"  # one application's timeline
    OFFLINE = "offline"  # the platform is unreachable: the list needs the network
    FAILED = "failed"  # the platform refused (the notice has the code)


@dataclass
class Mine:
    state: MineState = MineState.CARD
    holder: str = ""  # the card holder's name, masked (张*), for the heading
    items: list[dict[str, Any]] = field(default_factory=list)  # MyApplication dumps, newest first
    total: int = 0
    page: int = 0  # pages read so far
    more: bool = False
    detail: dict[str, Any] = field(default_factory=dict)  # the opened one: status, timeline, waybill


class FacePhase(StrEnum):
    """The face step's screen (issue 19), kiosk/journey/steps/face.py."""
    CONSENT = "consent"  # separate consent to biometric processing: 同意 / 不同意
    LOOKING = "looking"  # live preview, oval guide: waiting for a good face
    CHALLENGE = "challenge"  # a liveness challenge shown (``challenge`` says which)
    CHECKING = "checking"  # comparing with the card's photo
    FAILED = "failed"  # this try failed (``code`` says why); 再试一次 while tries are left
    PASSED = "passed"  # on to the next step
    REFERRAL = "referral"  # declined, tries used, or no face check here: a staffed counter, no application


@dataclass
class FaceProgress:
    """Where the face step stands: what its screen shows. No image of the face is ever kept here."""
    phase: FacePhase = FacePhase.CONSENT
    consented: bool = False
    tries: int = 0  # tries started
    challenge: str = ""  # kiosk.face.api.Challenge value now asked ("" = none)
    hint: str = ""  # looking: "" | no_face | adjust (closer, frontal, better light)
    code: int = 0  # KioskErrorCode of the last failure or of the referral
    result: Any = None  # kiosk.face.api.FaceResult of the last finished try
    card: Any = None  # the card (IdCardData) the check was for: another card read is checked afresh


@dataclass
class Session:
    item: Item | None = None
    card: IdCardData | None = None
    citizen_session: str = ""  # the platform's citizen session for the card read ("" = none: offline)
    # Held by a request sent in ``citizen_session`` from when it checks the session is still the journey's until
    # the platform has answered; the session's end closes the citizen session at the platform only under it, so
    # no request of this kiosk lands in a citizen session the kiosk itself has just closed (the soak's 2171).
    link: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # Held for a moment (never across a request) wherever ``citizen_session`` is filed, let go or taken by the
    # end: a citizen session whose open answers just as the citizen leaves (or lets the card go) is either
    # filed before the end reads it (the end closes it) or refused after (its opener closes it), never lost.
    filing: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    ended: bool = False  # the journey has moved on to the next session: nothing more is filed here
    # 返回首页 on the goodbye with A4 work on its way (steps/a4_leave.py; jobs are sent and taken back under
    # ``filing`` too): "" | deciding (the printer says whether the pages started) | printing (waited for)
    leaving: str = ""
    leave_by: float = 0.0  # monotonic: the goodbye leaves by then whatever the printer says
    a4_jobs: dict[str, str] = field(default_factory=dict)  # job title -> kind (result | receipt) at the printer
    a4_withdrawn: set[str] = field(default_factory=set)  # kinds taken back (or never sent) as the citizen left
    shared: dict[str, Any] = field(default_factory=dict)
    material_plan: Any = None  # kiosk.platform.services.MaterialPlan once data sharing answered (or went offline)
    form: dict[str, str] = field(default_factory=dict)
    pages: dict[str, list[Page]] = field(default_factory=dict)  # material id -> pages
    signature: bytearray | None = None
    payment: Payment = field(default_factory=Payment)
    delivery: Delivery = field(default_factory=Delivery)
    outcome: Outcome = field(default_factory=Outcome)
    application_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    token: str = field(default_factory=lambda: secrets.token_hex(8))  # correlates audit records, not personal
    started_at: float = field(default_factory=time.time)
    # Where the citizen is in the journey: also per citizen, so reset with everything else.
    plan: list[Any] = field(default_factory=list)  # kiosk.journey.plan.Step, GUIDE .. END, for the item
    # The deliveries offered on this kiosk, fixed when the item is chosen (本机打印 only with a working A4 printer)
    offered: tuple[Any, ...] = ()
    material_index: int = 0  # the material on the materials screen (index into the capture list)
    status_result: dict[str, Any] = field(default_factory=dict)  # 进度查询's answer
    mine: Mine = field(default_factory=Mine)  # 我的办件's list and detail
    result_print: ResultPrint = field(default_factory=ResultPrint)  # the A4 result document (issue 18)
    face: FaceProgress = field(default_factory=FaceProgress)  # the face check (issue 19)
    order: Any = None  # the platform's PaymentOrder shown as a QR code
    end_at: float | None = None  # monotonic: the goodbye screen returns to the attract loop then
    # Session boundaries: what the previous citizen may have left behind is not this citizen's.
    card_stale: bool = False  # a card lay on the reader when the session began: refused until lifted and laid
    help: Any = None  # kiosk.help.HelpCall: the citizen's call for help, until acknowledged
    retake_index: int | None = None  # 重拍: the next page of the current material replaces this one (by position)
    bed_cleared: bool = False  # the camera bed has been seen empty in this session (a page before it is not ours)

    def file_citizen(self, citizen: str, card: Any = None) -> bool:
        """File the citizen session just opened for this session (for ``card``, when given: the card read it
        was opened for); False, and nothing filed, once the session ended or that card was let go."""
        with self.filing:
            if self.ended or (card is not None and self.card is not card):
                return False
            self.citizen_session = citizen
            return True

    def let_go_card(self) -> str:
        """The card read and its citizen session go (返回 on the identify screen): the citizen session to close."""
        with self.filing:
            citizen, self.citizen_session, self.card = self.citizen_session, "", None
            return citizen

    def end(self) -> str:
        """The session is over (before its wipe): nothing is filed from now on; the citizen session to close."""
        with self.filing:
            self.ended = True
            citizen, self.citizen_session = self.citizen_session, ""
            return citizen

    def page_count(self, material_id: str | None = None) -> int:
        if material_id is not None:
            return len(self.pages.get(material_id, []))
        return sum(len(p) for p in self.pages.values())

    def wipe(self) -> None:
        for pages in self.pages.values():
            for page in pages:
                page.wipe()
        self.pages.clear()
        if self.signature is not None:
            self.signature[:] = bytes(len(self.signature))
            self.signature = None
        self.card = None
        self.citizen_session = ""
        self.shared.clear()
        self.material_plan = None
        self.form.clear()
        self.payment = Payment()
        self.delivery = Delivery()
        self.outcome = Outcome()
        self.item = None
        self.plan = []
        self.material_index = 0
        self.retake_index = None
        self.status_result = {}
        self.mine = Mine()
        self.result_print = ResultPrint()
        self.face = FaceProgress()
        self.order = None
        self.end_at = None
