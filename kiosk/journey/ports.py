"""What the journey's steps may use, as narrow protocols: the devices, the outbox, the platform's services,
the clock, the audit trail, and the context the machine hands each step. Nothing here is a concrete class:
the runtime passes the real ones, the unit tests fakes (tests/helpers/journey_fakes.py)."""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable, Protocol

from devices.base import DeviceEvent, Health

from ..catalog import Catalog
from ..errors import Notice
from ..orders import OrderLedger
from ..outbox import Package, Record
from ..platform.catalog_schema import Item
from ..platform.reachability import Reachability
from ..platform.schema import Bill, PaymentOrder, StatusResponse
from ..platform.mine_schema import MyApplications
from ..platform.services import SharedData
from ..settings import Settings
from .auto import AutoKind
from .events import JourneyEventKind
from .plan import Step
from .session import Session
from .table import Trigger

Clock = Callable[[], float]
AuditFn = Callable[[str, dict[str, Any]], None]


class Devices(Protocol):
    """``devices.manager.DeviceManager`` as the journey sees it: look a device up at each use."""

    def get(self, name: str) -> Any: ...
    def subscribe(self, listener: Callable[[DeviceEvent], None]) -> Callable[[], None]: ...
    def health(self) -> dict[str, Health]: ...


class OutboxPort(Protocol):
    orders: OrderLedger  # payment orders until submitted or refunded (issue 15)

    def enqueue(self, app_id: str, item_code: str, manifest: dict[str, Any], files: dict[str, bytes]) -> Record: ...
    def get(self, app_id: str) -> Record | None: ...
    def package(self, app_id: str) -> Package: ...
    def kick(self) -> None: ...
    def subscribe(self, listener: Callable[[Record], None]) -> Callable[[], None]: ...


class Citizens(Protocol):
    """Citizen sessions at the platform (``kiosk.platform.services.CitizenService``); never raise."""

    def open(self, id_number: str, *, face_checked: bool = False) -> str | None: ...
    def close(self, session_id: str) -> None: ...


class Sharing(Protocol):
    def fetch(self, id_number: str, item: Item | None = None, *, session_id: str | None = None,
              face_checked: bool = False) -> SharedData: ...


class Payments(Protocol):
    def amount(self, item: Item, form: dict[str, Any]) -> int | None: ...
    def lookup_bill(self, item: Item, account_no: str) -> Bill: ...
    def create_order(self, application_id: str, item: Item, form: dict[str, str],
                     expected_amount_fen: int | None = None) -> PaymentOrder: ...
    def wait_paid(self, order_id: str, *, timeout_s: float | None = None, cancel: Any = None,
                  on_poll: Any = None) -> PaymentOrder: ...
    def simulate_pay(self, order: PaymentOrder) -> PaymentOrder: ...


class StatusLookup(Protocol):
    def lookup(self, code: str, *, session_id: str | None = None) -> StatusResponse: ...


class Ratings(Protocol):
    def rate(self, application_id: str, level: str) -> Any: ...  # RatingOutcome; never raises


class Mine(Protocol):
    """我的办件 (``kiosk.platform.services.MineService``); raises ``LinkError``."""

    def list(self, session_id: str, page: int = 1) -> MyApplications: ...
    def detail(self, reference: str, session_id: str) -> StatusResponse: ...


class Results(Protocol):
    """Issued result documents (``kiosk.platform.services.ResultService``); raises ``LinkError``."""

    def pdf(self, reference: str, session_id: str) -> bytes: ...


class Services(Protocol):
    """``kiosk.platform.services.LinkServices``: everything the journey asks the platform."""

    @property
    def citizens(self) -> Citizens: ...
    @property
    def sharing(self) -> Sharing: ...
    @property
    def payments(self) -> Payments: ...
    @property
    def status(self) -> StatusLookup: ...
    @property
    def ratings(self) -> Ratings: ...
    @property
    def mine(self) -> Mine | None: ...
    @property
    def results(self) -> Results | None: ...


class Link(Protocol):
    """``kiosk.platform.reachability.LinkWatch``: is the platform reachable now."""

    @property
    def state(self) -> Reachability: ...
    def subscribe(self, listener: Callable[[Reachability], None]) -> Callable[[], None]: ...


class Context(Protocol):
    """What a step gets from the machine: never the machine itself, never another step."""

    settings: Settings
    catalog: Catalog
    devices: Devices
    outbox: OutboxPort
    services: Services | None
    link: Link | None  # the platform's reachability (None: tools and tests without a link)
    clock: Clock

    @property
    def step(self) -> Step: ...
    @property
    def session(self) -> Session: ...
    @property
    def busy(self) -> bool: ...
    @property
    def lang(self) -> str: ...

    def touch(self) -> None: ...
    def audit(self, event: str, **data: Any) -> None: ...
    def emit(self, kind: JourneyEventKind, data: Any = None) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def set_notice(self, notice: Notice | None, owner: str) -> None: ...
    def clear_notice(self, owner: str) -> None: ...
    def fire(self, trigger: Trigger) -> None: ...
    def advance(self, trigger: Trigger) -> None: ...
    def run(self, fn: Callable[..., Any], *args: Any) -> Future: ...
    def run_when_shown(self, fn: Callable[..., Any], *args: Any) -> None: ...
    def replan(self) -> None: ...
    def auto(self, step: Step, kind: AutoKind, seconds: float, action: Callable[[], None], *,
             cancellable: bool = True) -> bool: ...
