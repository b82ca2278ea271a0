"""The notifier: sends the queued messages of the SMS outbox through the configured gateway, on its own
thread, so a slow or failing provider never holds up (or fails) the request that queued them.

State per message: queued -> sent, or queued -> (retried, with a doubling wait) -> failed after
``sms_max_attempts`` tries or at once on a refusal that will not pass. Once a message is sent or failed its
full number is wiped: only the masked one stays."""
from __future__ import annotations

import json
import logging
import threading
from typing import Callable

from kiosk.platform.schema import ErrorCode

from ..config import PlatformConfig
from ..store.base import Row, Store
from .gateway import GatewayError, Message, OutboxGateway, SmsGateway

log = logging.getLogger(__name__)


def make_gateway(config: PlatformConfig) -> SmsGateway:
    if config.sms_gateway == "aliyun":
        from .aliyun import from_config  # noqa: PLC0415 - only a platform configured for it needs it

        return from_config(config)
    if config.sms_gateway == "outbox":
        return OutboxGateway()
    raise GatewayError(ErrorCode.SMS_CONFIG, f"unknown sms_gateway {config.sms_gateway!r} "
                       "(outbox | aliyun | off)", retry=False)


class Notifier:
    def __init__(self, store: Store, config: PlatformConfig,
                 gateway: Callable[[PlatformConfig], SmsGateway] = make_gateway) -> None:
        self.store, self.config, self._make = store, config, gateway
        self._gateway: SmsGateway | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # one sender at a time (the thread, or a caller of run_due)

    def gateway(self) -> SmsGateway:
        if self._gateway is None:
            self._gateway = self._make(self.config)
        return self._gateway

    def wake(self) -> None:
        """A message was queued: send it soon (on the notifier's thread, started on first use)."""
        if not self.config.sms_worker:
            return
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="sms-notifier", daemon=True)
            self._thread.start()
        self._wake.set()

    def stop(self, wait_s: float = 5.0) -> None:
        """Ends the thread, waiting up to ``wait_s`` for a send under way, so the store can close after it."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait_s)

    def run_due(self) -> int:
        """Try every message that is due now; how many were tried."""
        with self._lock:
            rows = self.store.sms_due(self.config.clock())
            for row in rows:
                self._send(row)
            return len(rows)

    def backoff_s(self, attempts: int) -> float:
        return min(self.config.sms_backoff_s * 2 ** max(attempts - 1, 0), self.config.sms_backoff_max_s)

    def _send(self, row: Row) -> None:
        attempts = row["attempts"] + 1
        params = json.loads(row["params"] or "{}")
        message = Message(phone=row["phone"], event=row["event"], lang=row["lang"], text=row["text"], params=params)
        try:
            gateway = self.gateway()
            provider_id = gateway.send(message)
        except GatewayError as exc:
            self._failed(row, attempts, exc)
            return
        except Exception as exc:  # noqa: BLE001 - a provider's surprise is retried, never the caller's problem
            log.exception("SMS gateway failed unexpectedly on message %s", row["id"])
            self._failed(row, attempts, GatewayError(ErrorCode.SMS_RETRY, type(exc).__name__, retry=True))
            return
        self.store.update_sms(row["id"], state="sent", phone="", attempts=attempts, sent_at=self.config.now_iso(),
                              provider_id=provider_id[:64], gateway=gateway.name, last_error="")

    def _failed(self, row: Row, attempts: int, exc: GatewayError) -> None:
        if exc.retry and attempts < self.config.sms_max_attempts:
            self.store.update_sms(row["id"], attempts=attempts, last_error=str(exc)[:200],
                                  next_at=self.config.clock() + self.backoff_s(attempts))
            log.info("SMS %s for %s not sent (try %d), retried later: %s", row["id"], row["reference"], attempts, exc)
        else:
            self.store.update_sms(row["id"], state="failed", phone="", attempts=attempts, last_error=str(exc)[:200])
            log.warning("SMS %s for %s failed after %d tries: %s", row["id"], row["reference"], attempts, exc)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_due()
                due = self.store.sms_next_due()
            except Exception:  # noqa: BLE001 - the store closed under us (shutdown): the thread ends
                log.debug("SMS notifier stops", exc_info=True)
                return
            wait = 60.0 if due is None else min(max(due - self.config.clock(), 0.05), 60.0)
            self._wake.wait(wait)
