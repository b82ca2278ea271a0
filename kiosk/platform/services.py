"""Platform services for the citizen's journey: citizen sessions, data sharing, payment, delivery, status lookup.

Each call is bounded in time and blocking: run it on the journey's executor, never on the GUI thread.
Failures come back as ``LinkError`` with a numbered kiosk code (``.notice()`` gives the citizen's text and
the technician's remedy), except data sharing, which never fails: past ``platform.sharing_timeout_s`` it
answers ``SharedData.offline`` and the journey goes on with the card's data (fields stay editable,
e-licence materials fall back to the camera; see ``plan_materials``).

A citizen session (``CitizenService``) is opened when the card is read and closed when the journey's
session ends; data sharing and 进度查询 by card ask inside it. It never fails either: a kiosk that cannot
open one goes on exactly as when sharing is offline.

The 秒批 decision needs no service: it comes back in the submission's answer (``SubmitResponse.decision``,
kept in the outbox record's ``result``).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable

from ..errors import KioskErrorCode, Notice, notice_for_kiosk
from .catalog_schema import Item, Material, MaterialSource
from .client import PlatformClient
from .error_codes import ErrorCode
from .mine_schema import DEFAULT_PER_PAGE, MyApplications
from .schema import Bill, HeldLicence, PaymentOrder, StatusResponse, Waybill
from .transport import PlatformError

log = logging.getLogger(__name__)


class LinkError(Exception):
    """A platform service failed; ``code`` is the kiosk error code, ``cause`` the platform's error."""

    def __init__(self, code: KioskErrorCode, detail: str, cause: PlatformError | None = None) -> None:
        super().__init__(f"{int(code)}: {detail}")
        self.code = code
        self.detail = detail
        self.cause = cause

    @property
    def offline(self) -> bool:
        return self.cause is not None and self.cause.kind in ("network", "server", "throttled")

    def notice(self) -> Notice:
        n = notice_for_kiosk(self.code, level="warning")
        return Notice(n.code, n.text, n.level, f"{n.remedy} ({self.detail})")


def _link_error(exc: PlatformError, default: KioskErrorCode) -> LinkError:
    if exc.kind == "auth":
        return LinkError(KioskErrorCode.PLATFORM_AUTH, str(exc), exc)
    if exc.kind in ("network", "server", "throttled", "protocol"):
        return LinkError(KioskErrorCode.PLATFORM_UNREACHABLE, str(exc), exc)
    return LinkError(default, str(exc), exc)


# ----- data sharing --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SharedData:
    """What the government holds for the applicant. ``values`` keys have no ``shared.`` prefix, as
    ``kiosk.journey.forms.prefill`` expects; ``licences`` by licence type."""

    values: dict[str, Any] = field(default_factory=dict)
    licences: dict[str, HeldLicence] = field(default_factory=dict)
    online: bool = True  # False: the platform did not answer in time; nothing is known
    error: str = ""

    @classmethod
    def offline(cls, error: str) -> "SharedData":
        return cls(online=False, error=error)

    def licence_for(self, material: Material) -> HeldLicence | None:
        if material.source != MaterialSource.E_LICENCE or not material.licence_type:
            return None
        return self.licences.get(material.licence_type)


@dataclass(frozen=True)
class MaterialPlan:
    """减材料: which materials the government supplies and which the citizen must still lay down."""

    held: list[tuple[Material, HeldLicence]]  # e-licences found: nothing to scan
    from_card: list[Material]  # taken from the ID card read
    to_capture: list[Material]  # the citizen lays these under the camera (e-licences not found included)


def plan_materials(item: Item, shared: SharedData) -> MaterialPlan:
    held, card, capture = [], [], []
    for m in item.materials:
        if m.source == MaterialSource.CARD:
            card.append(m)
            continue
        lic = shared.licence_for(m)
        if lic is not None:
            held.append((m, lic))
        elif m.source == MaterialSource.E_LICENCE:
            # Not held (or offline): the paper original under the camera instead, if the item needs it.
            capture.append(m.model_copy(update={"min_pages": max(1, m.min_pages) if m.required else 0,
                                                "max_pages": max(m.max_pages, 1)}))
        else:
            capture.append(m)
    return MaterialPlan(held, card, capture)


class CitizenService:
    """Citizen sessions at the platform: one per card read, closed when the journey's session ends."""

    def __init__(self, client: PlatformClient, timeout_s: float = 3.0) -> None:
        self.client = client
        self.timeout_s = timeout_s
        self.last_failure = ""  # why the last open found no session (see ``open``)

    def open(self, id_number: str, *, face_checked: bool = False) -> str | None:
        """The session id, or None when the platform did not open one in time (offline, refused, throttled);
        ``last_failure`` then says which (``PlatformError.kind``: ``network``, ``throttled``, ...; "" after a
        session was opened), so that the screen says what is true. One citizen at a time uses a kiosk."""
        try:
            sid = self.client.open_citizen_session(
                id_number, authenticated_by="id_card_face" if face_checked else "id_card",
                timeout_s=self.timeout_s, attempts=1).session_id
        except PlatformError as exc:
            log.warning("no citizen session (%s: %s); going on with the card's data", exc.kind, exc.code or "")
            self.last_failure = exc.kind
            return None
        self.last_failure = ""
        return sid

    def close(self, session_id: str) -> None:
        """Never raises: a session not closed expires at the platform on its own."""
        try:
            self.client.close_citizen_session(session_id, timeout_s=self.timeout_s, attempts=1)
        except PlatformError as exc:
            log.info("citizen session not closed (%s); it expires at the platform", exc.kind)


class SharingService:
    def __init__(self, client: PlatformClient, timeout_s: float = 3.0) -> None:
        self.client = client
        self.timeout_s = timeout_s

    def fetch(self, id_number: str, item: Item | None = None, *, session_id: str | None = None,
              face_checked: bool = False) -> SharedData:
        """Shared values and held e-licences within ``timeout_s``, inside the citizen session
        ``session_id``; never raises (offline fallback, also without a session or an item)."""
        if not session_id or item is None:
            return SharedData.offline("no citizen session" if not session_id else "no item")
        started = time.monotonic()
        try:
            resp = self.client.sharing(id_number, item_code=item.code, session_id=session_id,
                                       authenticated_by="id_card_face" if face_checked else "id_card",
                                       timeout_s=self.timeout_s, attempts=1)
        except PlatformError as exc:
            log.warning("data sharing unavailable after %.1f s (%s); going on with the card's data",
                        time.monotonic() - started, exc.kind)
            return SharedData.offline(str(exc))
        return SharedData(values=dict(resp.values), licences={lic.licence_type: lic for lic in resp.licences})


# ----- payment ---------------------------------------------------------------------------------------------
class PaymentService:
    def __init__(self, client: PlatformClient, poll_interval_s: float = 2.0, wait_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.poll_interval_s = poll_interval_s
        self.wait_s = wait_s
        self._clock = clock

    def amount(self, item: Item, form: dict[str, Any]) -> int | None:
        """The fee in 分 from the catalogue (None: a bill, ask ``lookup_bill``; or the fee choice not made)."""
        return item.fee.amount_for(form)

    def lookup_bill(self, item: Item, account_no: str) -> Bill:
        try:
            return self.client.lookup_bill(item.code, account_no)
        except PlatformError as exc:
            if exc.status == 404:
                raise LinkError(KioskErrorCode.BILL_NOT_FOUND, str(exc), exc) from exc
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc

    def create_order(self, application_id: str, item: Item, form: dict[str, str],
                     expected_amount_fen: int | None = None) -> PaymentOrder:
        """The order (with ``qr_payload`` to show) for this application; asking again returns the same one."""
        try:
            return self.client.create_payment(application_id, item.code, form, expected_amount_fen)
        except PlatformError as exc:
            if exc.code == 4094:
                raise LinkError(KioskErrorCode.AMOUNT_CHANGED, str(exc), exc) from exc
            if exc.code == 4070:  # the bill was settled between the look-up and the order
                raise LinkError(KioskErrorCode.BILL_ALREADY_PAID, str(exc), exc) from exc
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc

    def status(self, order_id: str) -> PaymentOrder:
        try:
            return self.client.payment(order_id, timeout_s=max(self.poll_interval_s, 2.0))
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc

    def wait_paid(self, order_id: str, *, timeout_s: float | None = None,
                  cancel: threading.Event | None = None,
                  on_poll: Callable[[PaymentOrder], None] | None = None) -> PaymentOrder:
        """Poll until paid, expired or cancelled, ``cancel`` is set, or ``timeout_s`` passes (last state).

        A poll that fails on the network is tried again at the next interval: a paid order stays paid.
        """
        deadline = self._clock() + (timeout_s if timeout_s is not None else self.wait_s)
        stop = cancel or threading.Event()
        last: PaymentOrder | None = None
        while True:
            try:
                last = self.status(order_id)
                if on_poll is not None:
                    on_poll(last)
                if last.status != "pending":
                    return last
            except LinkError as exc:
                if not exc.offline:
                    raise
                log.info("payment poll failed (%s); trying again", exc.detail)
            remaining = deadline - self._clock()
            if remaining <= 0 or stop.wait(min(self.poll_interval_s, remaining)):
                if last is None:
                    raise LinkError(KioskErrorCode.PLATFORM_UNREACHABLE, "no answer about the payment")
                return last

    def cancel(self, order_id: str) -> PaymentOrder:
        """Close the order: cancelled when unpaid, refunded when paid without an application (the platform's)."""
        try:
            return self.client.cancel_payment(order_id)
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc

    def refund(self, order_id: str) -> PaymentOrder:
        """A paid order whose application never went out: the money goes back (unpaid: cancelled)."""
        try:
            return self.client.refund_payment(order_id)
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc

    def simulate_pay(self, order: PaymentOrder) -> PaymentOrder:
        """Demo mode's simulator panel: pay as the citizen's phone would (reference platform only)."""
        try:
            return self.client.simulate_payment(order.qr_payload)
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc


# ----- delivery and status ------------------------------------------------------------------------------------
class DeliveryService:
    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def request(self, reference: str, *, recipient: str, phone: str, address: str, region: str = "") -> Waybill:
        """An express waybill for an application already at the platform (one per application).

        Applications submitted with ``delivery.method = "express"`` get theirs when approved; this is for
        asking afterwards (e.g. from the status screen)."""
        try:
            return self.client.request_delivery(reference, recipient=recipient, phone=phone, address=address,
                                                region=region)
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.DELIVERY_FAILED) from exc

    def track(self, waybill_no: str, *, session_id: str | None = None, token: str | None = None) -> Waybill:
        try:
            return self.client.waybill(waybill_no, session_id=session_id, token=token)
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.DELIVERY_FAILED) from exc


class StatusService:
    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def lookup(self, code: str, *, session_id: str | None = None) -> StatusResponse:
        """By a scanned receipt QR (``receipt.tracking_payload``: its token) or a typed acceptance number
        (inside the citizen session ``session_id``, or at the kiosk that submitted it)."""
        try:
            return self.client.track(code.strip(), session_id=session_id)
        except PlatformError as exc:
            if exc.kind == "not_found":
                raise LinkError(KioskErrorCode.STATUS_NOT_FOUND, str(exc), exc) from exc
            raise _link_error(exc, KioskErrorCode.STATUS_NOT_FOUND) from exc


class RatingOutcome(StrEnum):
    SENT = "sent"
    ALREADY = "already"  # the case had a rating (409): the first stands
    NOT_SENT = "not_sent"  # offline, or no case at the platform yet: dropped, not queued


class RatingService:
    """好差评 (issue 17): one try, a short wait; a rating is not worth keeping a citizen's case in the outbox."""

    def __init__(self, client: PlatformClient, timeout_s: float = 3.0) -> None:
        self.client = client
        self.timeout_s = timeout_s

    def rate(self, application_id: str, level: str) -> RatingOutcome:
        try:
            self.client.rate(application_id, level, timeout_s=self.timeout_s, attempts=1)
            return RatingOutcome.SENT
        except PlatformError as exc:
            if exc.kind == "conflict":
                return RatingOutcome.ALREADY
            log.warning("rating not sent (%s %s): dropped", exc.kind, exc.code or "")
            return RatingOutcome.NOT_SENT


# ----- 我的办件 (issue 18) --------------------------------------------------------------------------------
class MineService:
    """我的办件: the card holder's list (every kiosk's applications), and one application's detail, both
    inside the citizen session the card read opened."""

    def __init__(self, client: PlatformClient, timeout_s: float = 5.0) -> None:
        self.client = client
        self.timeout_s = timeout_s

    def list(self, session_id: str, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> MyApplications:
        try:
            return self.client.my_applications(session_id, page=page, per_page=per_page, timeout_s=self.timeout_s,
                                               attempts=2)
        except PlatformError as exc:
            raise _mine_error(exc) from exc

    def detail(self, reference: str, session_id: str) -> StatusResponse:
        """The status read inside the citizen session: its timeline has the platform's events, the courier's
        steps (dispatched, in transit, out for delivery, delivered) and the issued result among them."""
        try:
            return self.client.status(reference, session_id=session_id)
        except PlatformError as exc:
            raise _mine_error(exc) from exc


def _mine_error(exc: PlatformError) -> LinkError:
    if exc.kind in ("network", "server", "throttled", "protocol"):
        return LinkError(KioskErrorCode.MINE_NEEDS_NETWORK, str(exc), exc)
    # A 403 about the citizen's session (closed, expired) is the citizen's refusal, not the kiosk's signature:
    # "read your card again", not "this kiosk cannot sign in" with a technician sent to check its key.
    if exc.kind == "auth" and exc.code not in (ErrorCode.MINE_SESSION, ErrorCode.CITIZEN_SESSION):
        return LinkError(KioskErrorCode.PLATFORM_AUTH, str(exc), exc)
    return LinkError(KioskErrorCode.MINE_REFUSED, str(exc), exc)


class ResultService:
    """An approved application's signed result document (issue 18), read inside the applicant's citizen
    session; ``pdf`` raises ``LinkError`` (2170 not issued yet, 2171 refused, 2172 unreachable)."""

    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def pdf(self, reference: str, session_id: str) -> bytes:
        try:
            return self.client.result_pdf(reference, session_id=session_id)
        except PlatformError as exc:
            if exc.code == ErrorCode.RESULT_NOT_ISSUED:
                raise LinkError(KioskErrorCode.RESULT_NOT_ISSUED, str(exc), exc) from exc
            if exc.kind in ("network", "server", "throttled", "protocol"):
                raise LinkError(KioskErrorCode.RESULT_NEEDS_NETWORK, str(exc), exc) from exc
            raise LinkError(KioskErrorCode.RESULT_REFUSED, str(exc), exc) from exc


@dataclass
class LinkServices:
    """Everything the journey asks the platform, built once by ``kiosk.runtime.build_runtime``."""

    sharing: SharingService
    citizens: CitizenService
    payments: PaymentService
    delivery: DeliveryService
    status: StatusService
    ratings: RatingService
    mine: MineService | None = None  # 我的办件 (issue 18); built by ``build``
    results: ResultService | None = None  # issued result documents (issue 18); built by ``build``

    @classmethod
    def build(cls, client: PlatformClient, settings: Any) -> "LinkServices":
        ps = settings.platform
        return cls(sharing=SharingService(client, ps.sharing_timeout_s),
                   citizens=CitizenService(client, ps.sharing_timeout_s),
                   payments=PaymentService(client, ps.payment_poll_interval_s, ps.payment_wait_s),
                   delivery=DeliveryService(client), status=StatusService(client),
                   ratings=RatingService(client, ps.sharing_timeout_s),
                   mine=MineService(client, ps.sharing_timeout_s), results=ResultService(client))
