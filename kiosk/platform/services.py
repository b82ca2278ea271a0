"""Platform services for the citizen's journey: data sharing, payment, delivery, status lookup.

Each call is bounded in time and blocking: run it on the journey's executor, never on the GUI thread.
Failures come back as ``LinkError`` with a numbered kiosk code (``.notice()`` gives the citizen's text and
the technician's remedy), except data sharing, which never fails: past ``platform.sharing_timeout_s`` it
answers ``SharedData.offline`` and the journey goes on with the card's data (fields stay editable,
e-licence materials fall back to the camera; see ``plan_materials``).

The 秒批 decision needs no service: it comes back in the submission's answer (``SubmitResponse.decision``,
kept in the outbox record's ``result``).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import KioskErrorCode, Notice, notice_for_kiosk
from .catalog_schema import Item, Material, MaterialSource
from .client import PlatformClient
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
    name_matches: bool | None = None

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


class SharingService:
    def __init__(self, client: PlatformClient, timeout_s: float = 3.0) -> None:
        self.client = client
        self.timeout_s = timeout_s

    def fetch(self, id_number: str, item: Item | None = None, *, name: str = "",
              face_checked: bool = False) -> SharedData:
        """Shared values and held e-licences within ``timeout_s``; never raises (offline fallback)."""
        started = time.monotonic()
        try:
            resp = self.client.sharing(id_number, item_code=item.code if item else None, name=name,
                                       authenticated_by="id_card_face" if face_checked else "id_card",
                                       timeout_s=self.timeout_s, attempts=1)
        except PlatformError as exc:
            log.warning("data sharing unavailable after %.1f s (%s); going on with the card's data",
                        time.monotonic() - started, exc.kind)
            return SharedData.offline(str(exc))
        return SharedData(values=dict(resp.values), licences={lic.licence_type: lic for lic in resp.licences},
                          name_matches=resp.name_matches)


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
            raise _link_error(exc, KioskErrorCode.PAYMENT_FAILED) from exc

    def create_order(self, application_id: str, item: Item, form: dict[str, str],
                     expected_amount_fen: int | None = None) -> PaymentOrder:
        """The order (with ``qr_payload`` to show) for this application; asking again returns the same one."""
        try:
            return self.client.create_payment(application_id, item.code, form, expected_amount_fen)
        except PlatformError as exc:
            if exc.code == 4094:
                raise LinkError(KioskErrorCode.AMOUNT_CHANGED, str(exc), exc) from exc
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
        try:
            return self.client.cancel_payment(order_id)
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

    def track(self, waybill_no: str) -> Waybill:
        try:
            return self.client.waybill(waybill_no)
        except PlatformError as exc:
            raise _link_error(exc, KioskErrorCode.DELIVERY_FAILED) from exc


class StatusService:
    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def lookup(self, code: str) -> StatusResponse:
        """By a scanned receipt QR (``receipt.tracking_payload``) or a typed acceptance number."""
        try:
            return self.client.track(code.strip())
        except PlatformError as exc:
            if exc.kind == "not_found":
                raise LinkError(KioskErrorCode.STATUS_NOT_FOUND, str(exc), exc) from exc
            raise _link_error(exc, KioskErrorCode.STATUS_NOT_FOUND) from exc


@dataclass
class LinkServices:
    """Everything the journey asks the platform, built once by ``kiosk.runtime.build_runtime``."""

    sharing: SharingService
    payments: PaymentService
    delivery: DeliveryService
    status: StatusService

    @classmethod
    def build(cls, client: PlatformClient, settings: Any) -> "LinkServices":
        ps = settings.platform
        return cls(sharing=SharingService(client, ps.sharing_timeout_s),
                   payments=PaymentService(client, ps.payment_poll_interval_s, ps.payment_wait_s),
                   delivery=DeliveryService(client), status=StatusService(client))
