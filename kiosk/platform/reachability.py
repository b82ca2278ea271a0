"""Is the central platform reachable now? One explicit state, fed by what the kiosk already does.

Every request to the platform passes through ``SignedTransport`` (the heartbeat, the outbox's sender, data
sharing, payment, status, the catalogue sync): it reports each outcome here. An answer (any HTTP status
below 500) says the platform is there; a connection error, a timeout or a gateway's 5xx says it is not.
No extra thread polls: while the platform is unreachable the heartbeat (``ops.telemetry``) probes every
``platform.offline_probe_s`` instead of every ``heartbeat_interval_s``, so its return is noticed soon.

A failure counts for ``platform.offline_hold_s``: with nothing newer heard by then the state goes back to
UNKNOWN (treated like ONLINE: nothing is refused on old news; the next request tells again). The probe
runs more often than the hold expires, so a platform that stays down stays OFFLINE without flapping.
"""
from __future__ import annotations

import logging
import threading
import time
from enum import StrEnum
from typing import Callable

from devices.observers import Observers

log = logging.getLogger(__name__)


class Reachability(StrEnum):
    UNKNOWN = "unknown"  # nothing heard yet (start), or the last failure is older than the hold
    ONLINE = "online"  # the platform answered the last request
    OFFLINE = "offline"  # the last request found no platform (network error, timeout, 502/503/504)


# HTTP statuses that mean "no platform behind this address now": a gateway's answer for a platform that is down.
UNREACHABLE_STATUSES = frozenset({502, 503, 504})


class LinkWatch:
    """The platform link's state. Thread-safe: requests report from any thread; listeners are called on the
    reporting thread with the new state, only when it changes."""

    def __init__(self, hold_s: float = 120.0, clock: Callable[[], float] = time.monotonic) -> None:
        if hold_s <= 0:
            raise ValueError("hold_s must be positive")
        self.hold_s = hold_s
        self.clock = clock
        self._lock = threading.Lock()
        self._state = Reachability.UNKNOWN
        self._since = clock()
        self._failed_at: float | None = None
        self.last_error = ""
        self._listeners: Observers[Reachability] = Observers("link")

    # ----- reports --------------------------------------------------------------------------------
    def succeeded(self) -> None:
        """The platform answered a request."""
        with self._lock:
            self._failed_at = None
            self.last_error = ""
        self._set(Reachability.ONLINE)

    def failed(self, why: str = "") -> None:
        """A request found no platform."""
        with self._lock:
            self._failed_at = self.clock()
            self.last_error = why[:200]
        self._set(Reachability.OFFLINE)

    def report(self, ok: bool, why: str = "") -> None:
        """One request's outcome (``SignedTransport``'s observer)."""
        if ok:
            self.succeeded()
        else:
            self.failed(why)

    def refresh(self) -> Reachability:
        """Let an old failure expire (the heartbeat's round calls this); returns the state."""
        with self._lock:
            expired = (self._state == Reachability.OFFLINE and self._failed_at is not None
                       and self.clock() - self._failed_at >= self.hold_s)
        if expired:
            self._set(Reachability.UNKNOWN)
        return self._state

    # ----- reading --------------------------------------------------------------------------------
    @property
    def state(self) -> Reachability:
        return self.refresh()

    @property
    def offline(self) -> bool:
        return self.state == Reachability.OFFLINE

    def subscribe(self, listener: Callable[[Reachability], None]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def _set(self, state: Reachability) -> None:
        with self._lock:
            if state == self._state:
                return
            previous, self._state, self._since = self._state, state, self.clock()
        log.warning("platform link: %s -> %s%s", previous.value, state.value,
                    f" ({self.last_error})" if state == Reachability.OFFLINE and self.last_error else "")
        self._listeners.notify(state)
