"""Fake ports for the journey's unit tests (kiosk.journey.ports): no Qt, no threads, no platform.

Background work queues on ``ManualExecutor`` until the test runs it, so every step is tested in a known
order; devices, outbox and services record what the journey asked of them.
"""
from __future__ import annotations

from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from devices.base import Capability, DeviceEvent, DeviceState, EventKind, Health
from devices.errors import DeviceError, DeviceErrorCode
from devices.observers import Observers
from kiosk.orders import OrderLedger
from kiosk.outbox import OutboxState, Package, Record
from kiosk.platform.schema import PaymentOrder, StatusResponse
from kiosk.platform.services import LinkError, SharedData


class ManualExecutor(Executor):
    """Tasks wait until ``run_all``: the test decides when background work happens."""

    def __init__(self) -> None:
        self.queue: list[tuple[Future, Callable[..., Any], tuple]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        fut: Future = Future()
        self.queue.append((fut, lambda: fn(*args, **kwargs), ()))
        return fut

    def run_all(self) -> int:
        ran = 0
        while self.queue:
            fut, call, _ = self.queue.pop(0)
            try:
                fut.set_result(call())
            except Exception as exc:  # a task's failure is its future's, as in a real executor
                fut.set_exception(exc)
            ran += 1
        return ran


class FakeReader:
    def __init__(self) -> None:
        self.state = DeviceState.IDLE
        self.last_error: DeviceError | None = None
        self.armed = False
        self.card_present = False  # a card lies on the reader (the driver's CARD_PLACED/CARD_REMOVED)

    def arm(self) -> None:
        self.armed = True

    def disarm(self) -> None:
        self.armed = False


class FakeDocumentCamera:
    """``capture()`` returns a Future the test completes with an image (or an exception)."""

    capabilities = frozenset()  # no LIVE_PREVIEW: no preview thread in unit tests, capture is by tap

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def __init__(self) -> None:
        self.pending: list[Future] = []

    def capture(self) -> Future:
        fut: Future = Future()
        self.pending.append(fut)
        return fut


class FakeDevices:
    def __init__(self, **devices: Any) -> None:
        self.devices = dict(devices)
        self.events: Observers[DeviceEvent] = Observers("devices")

    def get(self, name: str) -> Any:
        return self.devices.get(name)

    def subscribe(self, listener: Callable[[DeviceEvent], None]) -> Callable[[], None]:
        return self.events.subscribe(listener)

    def health(self) -> dict[str, Health]:
        return {}

    def emit(self, name: str, kind: EventKind, data: Any = None) -> None:
        self.events.notify(DeviceEvent(name, kind, data))

    def set_health(self, name: str, state: DeviceState, code: int | None = None) -> None:
        self.emit(name, EventKind.STATE_CHANGED, Health(name, name, "fake://", state, error_code=code))


class FakeOutbox:
    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.packages: dict[str, Package] = {}
        self.kicks = 0
        self.events: Observers[Record] = Observers("outbox")
        self.orders = OrderLedger.in_memory()

    def enqueue(self, app_id: str, item_code: str, manifest: dict[str, Any], files: dict[str, bytes]) -> Record:
        rec = Record(app_id, f"L{len(self.records) + 1:06d}", item_code, OutboxState.PENDING, 0.0, 0, 0.0, "", "",
                     "", {})
        self.records[app_id] = rec
        self.packages[app_id] = Package(manifest, files)
        self.events.notify(rec)
        return rec

    def get(self, app_id: str) -> Record | None:
        return self.records.get(app_id)

    def package(self, app_id: str) -> Package:
        return self.packages[app_id]

    def kick(self) -> None:
        self.kicks += 1

    def subscribe(self, listener: Callable[[Record], None]) -> Callable[[], None]:
        return self.events.subscribe(listener)

    def deliver(self, app_id: str, *, reference: str = "SZ2026120500001", status: str = "received",
                state: OutboxState = OutboxState.DELIVERED) -> Record:
        """The platform answered (as the outbox worker would report it)."""
        rec = replace(self.records[app_id], state=state, reference=reference, platform_status=status,
                      result={"decision": {"reasons": []}})
        self.records[app_id] = rec
        self.events.notify(rec)
        return rec


@dataclass
class FakeCitizens:
    """Citizen sessions: ``available=False`` is a platform that opens none (offline, throttled)."""

    available: bool = True
    failure: str = "network"  # why none opens while unavailable (PlatformError.kind: network, throttled)
    opened: list[str] = field(default_factory=list)  # session ids, in order
    closed: list[str] = field(default_factory=list)
    last_failure: str = ""

    def open(self, id_number: str, *, face_checked: bool = False) -> str | None:
        if not self.available:
            self.last_failure = self.failure
            return None
        sid = f"cs-{len(self.opened) + 1}-{id_number[-4:]}"
        self.opened.append(sid)
        self.last_failure = ""
        return sid

    def close(self, session_id: str) -> None:
        self.closed.append(session_id)


@dataclass
class FakeSharing:
    shared: SharedData = field(default_factory=lambda: SharedData(values={"address.residence": "广东省深圳市福田区测试路1号"}))
    asked: list[str] = field(default_factory=list)
    sessions: list[str | None] = field(default_factory=list)  # the citizen session of each look-up

    def fetch(self, id_number: str, item: Any = None, *, session_id: str | None = None,
              face_checked: bool = False) -> SharedData:
        self.asked.append(id_number[-4:])
        self.sessions.append(session_id)
        return self.shared


@dataclass
class FakePayments:
    amount_fen: int = 1000
    final_status: str = "paid"
    orders: list[str] = field(default_factory=list)
    waits: list[Any] = field(default_factory=list)

    def amount(self, item: Any, form: dict[str, Any]) -> int | None:
        return self.amount_fen

    def lookup_bill(self, item: Any, account_no: str) -> Any:
        raise LinkError(3005, "no bills here")  # type: ignore[arg-type]

    def _order(self, status: str) -> PaymentOrder:
        return PaymentOrder(order_id="P1", application_id="a", item_code="i", amount_fen=self.amount_fen,
                            status=status, qr_payload="https://pay.example/P1", created_at="2026-12-05T11:55:00+08:00",
                            expires_at="2026-12-05T12:00:00+08:00")

    def create_order(self, application_id: str, item: Any, form: dict[str, str],
                     expected_amount_fen: int | None = None) -> PaymentOrder:
        self.orders.append(application_id)
        return self._order("pending")

    def wait_paid(self, order_id: str, *, timeout_s: float | None = None, cancel: Any = None,
                  on_poll: Any = None) -> PaymentOrder:
        self.waits.append(cancel)
        return self._order(self.final_status)

    def simulate_pay(self, order: PaymentOrder) -> PaymentOrder:
        return self._order("paid")

    # closing an order (issue 15): what the platform answers, or the error it raises
    close_status: str = "cancelled"
    close_error: LinkError | None = None
    closed: list[str] = field(default_factory=list)

    def cancel(self, order_id: str) -> PaymentOrder:
        return self.refund(order_id)

    def refund(self, order_id: str) -> PaymentOrder:
        if self.close_error is not None:
            raise self.close_error
        self.closed.append(order_id)
        return self._order(self.close_status)


@dataclass
class FakeStatus:
    answer: StatusResponse | None = None
    error: LinkError | None = None
    asked: list[str] = field(default_factory=list)
    sessions: list[str | None] = field(default_factory=list)

    def lookup(self, code: str, *, session_id: str | None = None) -> StatusResponse:
        self.asked.append(code)
        self.sessions.append(session_id)
        if self.error is not None:
            raise self.error
        assert self.answer is not None
        return self.answer


class FakeRatings:
    """Records the ratings sent; ``answer`` is what the platform says (sent | already | not_sent)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.answer = "sent"

    def rate(self, application_id: str, level: str) -> Any:
        from kiosk.platform.services import RatingOutcome  # noqa: PLC0415

        self.sent.append((application_id, level))
        return RatingOutcome(self.answer)


@dataclass
class FakeMine:
    """我的办件 at the platform: ``apps`` newest first, served ``per_page`` at a time; ``error`` raised instead."""

    apps: list[Any] = field(default_factory=list)  # kiosk.platform.mine_schema.MyApplication
    details: dict[str, Any] = field(default_factory=dict)  # reference -> StatusResponse
    per_page: int = 10
    error: LinkError | None = None
    asked: list[tuple[str, int]] = field(default_factory=list)  # (session, page)
    opened: list[tuple[str, str]] = field(default_factory=list)  # (reference, session)

    def list(self, session_id: str, page: int = 1) -> Any:
        from kiosk.platform.mine_schema import MyApplications  # noqa: PLC0415

        self.asked.append((session_id, page))
        if self.error is not None:
            raise self.error
        start = (page - 1) * self.per_page
        return MyApplications(items=self.apps[start:start + self.per_page], total=len(self.apps), page=page,
                              per_page=self.per_page)

    def detail(self, reference: str, session_id: str) -> Any:
        self.opened.append((reference, session_id))
        if self.error is not None:
            raise self.error
        return self.details[reference]


@dataclass
class FakeResults:
    """Issued result documents at the platform: ``pdfs`` by reference; ``not_issued`` answers 4172 that many
    times first (each advancing ``clock`` by ``issue_step_s``: the platform is still issuing); ``error`` raised
    instead."""

    pdfs: dict[str, bytes] = field(default_factory=dict)
    not_issued: int = 0
    error: LinkError | None = None
    clock: Any = None  # tests.helpers.fakes.FakeClock, advanced while the platform issues
    issue_step_s: float = 1.0
    asked: list[tuple[str, str]] = field(default_factory=list)  # (reference, session)

    def pdf(self, reference: str, session_id: str) -> bytes:
        from kiosk.errors import KioskErrorCode  # noqa: PLC0415

        self.asked.append((reference, session_id))
        if self.error is not None:
            raise self.error
        if self.not_issued > 0 or reference not in self.pdfs:
            self.not_issued -= 1
            if self.clock is not None:
                self.clock.advance(self.issue_step_s)
            raise LinkError(KioskErrorCode.RESULT_NOT_ISSUED, "4172 not issued yet")
        return self.pdfs[reference]


class FakeA4:
    """The A4 printer: ``print_pdf`` returns a Future the test completes (``finish`` or ``fail``)."""

    options: dict[str, Any] = {}

    def __init__(self, state: DeviceState = DeviceState.IDLE) -> None:
        self.jobs: list[tuple[str, bytes, Future]] = []
        self.state = state  # ERROR / OFFLINE: faulted before the citizen starts (本机打印 is not offered)
        self.started: set[str] = set()  # titles whose first page is under way (``start``): not withdrawn
        self.withdrawn: list[str] = []

    def start(self) -> None:
        """The newest job's first page is being printed (until then it waits in the queue)."""
        self.started.add(self.jobs[-1][0])

    def withdraw(self, title: str) -> Future:
        """As ``A4Printer.withdraw``: True (and the job fails with 1266) while it waits; False once printing."""
        answer: Future = Future()
        job = next((j for j in self.jobs if j[0] == title and not j[2].done()), None)
        taken = job is not None and title not in self.started
        answer.set_result(taken)
        if taken:
            self.withdrawn.append(title)
            job[2].set_exception(DeviceError(DeviceErrorCode.A4_JOB_WITHDRAWN, "withdrawn while pending"))
        return answer

    def print_pdf(self, data: bytes, title: str, copies: int = 1) -> Future:
        fut: Future = Future()
        self.jobs.append((title, bytes(data), fut))
        return fut

    def finish(self, pages: int = 1, seconds: float = 2.5) -> None:
        from devices.a4 import A4Job  # noqa: PLC0415
        from devices.a4.ipp import JobState  # noqa: PLC0415

        title, _, fut = self.jobs[-1]
        fut.set_result(A4Job(len(self.jobs), title, pages, 1, JobState.COMPLETED, pages, seconds))

    def fail(self, code: int) -> None:
        self.jobs[-1][2].set_exception(DeviceError(code, "fake fault"))


@dataclass
class FakeServices:
    citizens: FakeCitizens = field(default_factory=FakeCitizens)
    sharing: FakeSharing = field(default_factory=FakeSharing)
    payments: FakePayments = field(default_factory=FakePayments)
    status: FakeStatus = field(default_factory=FakeStatus)
    ratings: FakeRatings = field(default_factory=FakeRatings)
    mine: FakeMine = field(default_factory=FakeMine)
    results: FakeResults = field(default_factory=FakeResults)


class FakePrinter:
    """``print_job`` returns a Future the test completes (``finish``) with the printer's answer."""

    options: dict[str, Any] = {}

    def __init__(self) -> None:
        self.jobs: list[tuple[str, bytes, Future]] = []

    def print_job(self, job_id: str, data: bytes) -> Future:
        fut: Future = Future()
        self.jobs.append((job_id, data, fut))
        return fut

    def finish(self, ok: bool = True, error_code: int | None = None) -> None:
        from devices.printer import PrintResult  # noqa: PLC0415

        job_id, data, fut = self.jobs[-1]
        fut.set_result(PrintResult(job_id, ok=ok, error_code=error_code, bytes_sent=len(data) if ok else 0))
