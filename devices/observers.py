"""One observer list, written once for the whole house (devices, their manager, the journey, the outbox,
the audit trail, the console, the monitor): ``subscribe`` returns its own unsubscribe, ``notify`` calls
every listener from the caller's thread, and one listener that raises is logged and does not stop the
others (a listener's bug must not kill a device thread). It lives on the lowest floor so every floor can
use it; it knows nothing of devices."""
from __future__ import annotations

import logging
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Observers(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[[T], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Callable[[T], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return unsubscribe

    def notify(self, value: T) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(value)
            except Exception:
                log.exception("%s listener failed on %r", self.name, value)

    def __len__(self) -> int:
        return len(self._listeners)
