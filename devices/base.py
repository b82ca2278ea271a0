"""The device model every driver shares: explicit states, health, events and one worker thread per device.

Modelled in small on XFS4IoT / UnifiedPOS: a device has a state (``DeviceState``), a health snapshot
(state, last error, supplies, counters), numbered errors (``devices.errors``) and events that listeners
receive through plain callbacks. All I/O of one device runs on its own worker thread, never on the caller's
(the GUI's) thread; callers either subscribe to events or submit commands that return a ``Future``.

The worker opens the transport, polls the device, runs submitted commands in order and, when the transport
is lost (unplugged, powered off), closes it, goes ``OFFLINE`` and reopens it with backoff. Drivers only
implement ``_open``, ``_close`` and ``_poll`` and raise ``DeviceError`` with a code.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable, ClassVar, Protocol

from .errors import DeviceError, DeviceErrorCode, error_info
from .observers import Observers

log = logging.getLogger(__name__)


class DeviceState(StrEnum):
    CLOSED = "closed"  # not started
    STARTING = "starting"  # opening the transport
    IDLE = "idle"  # online, ready
    BUSY = "busy"  # online, running a command
    OFFLINE = "offline"  # transport cannot be opened or was lost; the worker keeps retrying
    ERROR = "error"  # online but faulted (paper out, SAM fault); cleared by the device or a reset


ONLINE_STATES = frozenset({DeviceState.IDLE, DeviceState.BUSY})


class Supply(StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"


class Capability(StrEnum):
    """What a device can do beyond its kind's basics, so callers ask ``device.supports(cap)`` instead of
    probing for attributes (python-escpos' capability profiles in small)."""

    LIVE_PREVIEW = "live_preview"  # latest() follows the scene: frames to run automatic capture on
    FLAT_PAGES = "flat_pages"      # a still is the page itself: no page detection, no perspective correction
    BATCH = "batch"                # a feeder: capture_pages(n) takes every page lying in it at one tap
    BLANK_BACKS = "blank_backs"    # duplex: both sides are scanned, a blank back is expected, not a mistake
    PAGE_SENSOR = "page_sensor"    # says whether paper lies in it now (page_loaded()), without scanning it


class EventKind(StrEnum):
    STATE_CHANGED = "state_changed"
    SUPPLY_CHANGED = "supply_changed"
    CARD_PLACED = "card_placed"
    CARD_READ = "card_read"
    CARD_REMOVED = "card_removed"
    CARD_ERROR = "card_error"
    BARCODE_READ = "barcode_read"
    JOB_FINISHED = "job_finished"


@dataclass(frozen=True)
class DeviceEvent:
    device: str  # the device's name in settings (e.g. "idcard")
    kind: EventKind
    data: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Health:
    name: str
    kind: str
    url: str
    state: DeviceState
    error_code: int | None = None
    error_text: str = ""
    error_detail: str = ""
    supplies: dict[str, Supply] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.state in ONLINE_STATES

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "url": self.url, "state": self.state.value,
            "error_code": self.error_code, "error_text": self.error_text, "error_detail": self.error_detail,
            "supplies": {k: v.value for k, v in self.supplies.items()},
            "counters": dict(self.counters), "info": dict(self.info),
        }


@dataclass(frozen=True)
class Preview:
    """A device's newest low-resolution frame (a document camera's preview), for the UI and for scanning."""

    image: Any  # numpy BGR array; typed loosely so this module needs no numpy
    seq: int


class FrameProvider(Protocol):
    """What a consumer of preview frames needs of a device (the barcode kind's camera scanning takes the
    document camera through this, so neither kind imports the other): its state and its newest preview."""

    name: str

    @property
    def state(self) -> DeviceState: ...

    def latest(self) -> Preview | None: ...


Listener = Callable[[DeviceEvent], None]

_STOP = object()


class Device:
    """Base of every driver. Subclasses set ``kind`` and implement ``_open``, ``_close``, ``_poll``."""

    kind: ClassVar[str] = "device"
    # What this device can do (``supports``); a driver whose abilities depend on its URL or options
    # overrides it with a property.
    capabilities: frozenset[Capability] = frozenset()
    poll_interval_s: float = 0.5
    reconnect_min_s: float = 0.2
    reconnect_max_s: float = 5.0

    def __init__(self, name: str, url: str, options: dict[str, Any] | None = None) -> None:
        self.name = name
        self.url = url
        self.options = dict(options or {})
        self._state = DeviceState.CLOSED
        self._error: DeviceError | None = None
        self._supplies: dict[str, Supply] = {}
        self._counters: dict[str, int] = {}
        self._info: dict[str, str] = {}
        self._listeners: Observers[DeviceEvent] = Observers(f"device {name}")
        self._lock = threading.RLock()
        self._commands: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._opened = False

    # ----- public API (any thread) -------------------------------------------------------------
    @property
    def state(self) -> DeviceState:
        return self._state

    @property
    def last_error(self) -> DeviceError | None:
        return self._error

    def supports(self, capability: Capability | str) -> bool:
        return Capability(capability) in self.capabilities

    def health(self) -> Health:
        with self._lock:
            err = self._error
            return Health(
                name=self.name, kind=self.kind, url=self.url, state=self._state,
                error_code=err.code if err else None,
                error_text=error_info(err.code).en if err else "",
                error_detail=err.detail if err else "",
                supplies=dict(self._supplies), counters=dict(self._counters), info=dict(self._info),
            )

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f"device-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        thread = self._thread
        if thread is None:
            return
        self._stopping.set()
        self._commands.put(_STOP)
        thread.join(timeout_s)
        self._thread = None

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Run ``fn(*args, **kwargs)`` on the device's worker thread, after commands already queued."""
        fut: Future = Future()
        if self._thread is None:
            fut.set_exception(DeviceError(DeviceErrorCode.NOT_CONFIGURED, f"{self.name} is not started"))
            return fut
        self._commands.put((fut, fn, args, kwargs))
        return fut

    def call(self, fn: Callable[..., Any], *args: Any, timeout_s: float = 30.0, **kwargs: Any) -> Any:
        """Like ``submit`` but waits for the result (never call this from the GUI thread)."""
        return self.submit(fn, *args, **kwargs).result(timeout_s)

    # ----- for subclasses (worker thread) -------------------------------------------------------
    def _open(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _poll(self) -> None:
        """Called every ``poll_interval_s`` while the transport is open."""

    def set_state(self, state: DeviceState, error: DeviceError | None = None) -> None:
        with self._lock:
            previous = self._error
            if error is not None:
                self._error = error
            elif state in ONLINE_STATES:
                self._error = None
            new_error = error is not None and (previous is None or previous.code != error.code)
            changed = state != self._state or new_error
            self._state = state
        if changed:
            if new_error:
                self.count("errors")
                log.warning("%s: %s -> %s (%s)", self.name, self.kind, state.value, error)
            else:
                log.info("%s: %s -> %s", self.name, self.kind, state.value)
            self.emit(EventKind.STATE_CHANGED, self.health())

    def set_supply(self, supply: str, level: Supply) -> None:
        with self._lock:
            changed = self._supplies.get(supply) != level
            self._supplies[supply] = level
        if changed:
            self.emit(EventKind.SUPPLY_CHANGED, {"supply": supply, "level": level})

    def set_info(self, key: str, value: str) -> None:
        with self._lock:
            self._info[key] = value

    def count(self, counter: str, n: int = 1) -> None:
        with self._lock:
            self._counters[counter] = self._counters.get(counter, 0) + n

    def emit(self, kind: EventKind, data: Any = None) -> None:
        self._listeners.notify(DeviceEvent(self.name, kind, data))

    def _transport_lost(self, exc: BaseException) -> DeviceError:
        return exc if isinstance(exc, DeviceError) else DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc))

    # ----- the worker ---------------------------------------------------------------------------
    def _run(self) -> None:
        backoff = self.reconnect_min_s
        last_poll = float("-inf")
        while not self._stopping.is_set():
            if not self._opened:
                if self._state == DeviceState.CLOSED:
                    self.set_state(DeviceState.STARTING)
                try:
                    self._open()
                    self._opened = True
                    backoff = self.reconnect_min_s
                    self.count("opens")
                    if self._state != DeviceState.ERROR:  # _open may have found a fault already
                        self.set_state(DeviceState.IDLE)
                except Exception as exc:  # a driver bug or an odd OS error must not kill the worker
                    err = exc if isinstance(exc, DeviceError) else DeviceError(
                        DeviceErrorCode.TRANSPORT_OPEN_FAILED, f"{type(exc).__name__}: {exc}")
                    if not isinstance(exc, DeviceError):
                        log.exception("%s: opening failed unexpectedly", self.name)
                    self.set_state(DeviceState.OFFLINE, err)
                    self._fail_pending(err, wait_s=backoff)
                    backoff = min(backoff * 2, self.reconnect_max_s)
                    continue
            # The next poll's time is taken from ``poll_interval_s`` before each wait, not when the last poll
            # ran: a driver whose interval shortens (the ID card reader, armed) polls at the new pace at once.
            next_poll = last_poll + self.poll_interval_s
            now = time.monotonic()
            wait = max(0.0, next_poll - now)
            try:
                item = self._commands.get(timeout=wait)
            except queue.Empty:
                item = None
            if item is _STOP:
                break
            try:
                if item is not None:
                    self._run_command(item)
                if time.monotonic() >= last_poll + self.poll_interval_s:
                    last_poll = time.monotonic()
                    self._poll()
            except DeviceError as exc:
                if exc.code in (DeviceErrorCode.TRANSPORT_LOST, DeviceErrorCode.TRANSPORT_OPEN_FAILED):
                    self._drop_transport(exc)
                else:
                    self.set_state(DeviceState.ERROR, exc)
            except Exception as exc:  # a driver bug: log it, reconnect, keep the kiosk alive
                log.exception("%s: unexpected error", self.name)
                self._drop_transport(DeviceError(DeviceErrorCode.PROTOCOL, repr(exc)))
        self._shutdown()

    def _run_command(self, item: tuple[Future, Callable[..., Any], tuple, dict]) -> None:
        fut, fn, args, kwargs = item
        if not fut.set_running_or_notify_cancel():
            return
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            fut.set_exception(exc)
            if isinstance(exc, DeviceError):
                raise
        else:
            fut.set_result(result)

    def _drop_transport(self, exc: DeviceError) -> None:
        try:
            self._close()
        except Exception:
            log.debug("%s: close after loss failed", self.name, exc_info=True)
        self._opened = False
        self.count("disconnects")
        self.set_state(DeviceState.OFFLINE, exc)

    def _fail_pending(self, exc: DeviceError, wait_s: float) -> None:
        """While offline, queued commands fail at once with the reason instead of hanging."""
        deadline = time.monotonic() + wait_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                item = self._commands.get(timeout=remaining)
            except queue.Empty:
                return
            if item is _STOP:
                self._stopping.set()
                return
            fut = item[0]
            if fut.set_running_or_notify_cancel():
                fut.set_exception(exc)

    def _shutdown(self) -> None:
        if self._opened:
            try:
                self._close()
            except Exception:
                log.debug("%s: close failed", self.name, exc_info=True)
        self._opened = False
        while True:
            try:
                item = self._commands.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP and item[0].set_running_or_notify_cancel():
                item[0].set_exception(DeviceError(DeviceErrorCode.NOT_CONFIGURED, f"{self.name} stopped"))
        self.set_state(DeviceState.CLOSED)
