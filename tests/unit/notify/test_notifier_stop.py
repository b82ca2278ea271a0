"""The SMS notifier's thread is stopped before the platform's store closes (central.server) and before a test
platform's data directory is removed: ``stop`` returns only when a send under way has finished and been recorded."""
from __future__ import annotations

import threading

from central.config import PlatformConfig
from central.notify.dispatch import Notifier


class OneMessageStore:
    """Just what the notifier's loop reads and writes: one due message, then none."""

    def __init__(self) -> None:
        self.due = [{"id": 1, "attempts": 0, "params": "{}", "phone": "13800138000", "event": "submitted",
                     "lang": "zh_CN", "text": "synthetic", "reference": "SZ-TEST"}]
        self.updates: list[dict] = []

    def sms_due(self, now):
        due, self.due = self.due, []
        return due

    def sms_next_due(self):
        return None

    def update_sms(self, row_id, **fields):
        self.updates.append(fields)


class HeldGateway:
    """Sends only when released: the test holds a send under way while it stops the notifier."""
    name = "held"

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def send(self, message) -> str:
        self.started.set()
        assert self.release.wait(10), "never released"
        return "provider-1"


def test_stop_waits_for_the_send_under_way_to_be_recorded(tmp_path):
    store, gateway = OneMessageStore(), HeldGateway()
    notifier = Notifier(store, PlatformConfig(data_dir=tmp_path, sms_worker=True), gateway=lambda config: gateway)
    notifier.wake()
    assert gateway.started.wait(10)
    # The send is released only once stop has been asked for: stop must then wait for it, not return at once.
    releaser = threading.Thread(target=lambda: (notifier._stop.wait(10), gateway.release.set()))
    releaser.start()
    notifier.stop(wait_s=10)
    releaser.join(10)
    assert [u["state"] for u in store.updates] == ["sent"], "stop returned before the send was recorded"
    assert not any(t.name == "sms-notifier" and t.is_alive() for t in threading.enumerate())


def test_stop_without_a_thread_returns_at_once(tmp_path):
    notifier = Notifier(OneMessageStore(), PlatformConfig(data_dir=tmp_path, sms_worker=False))
    notifier.stop()   # never woken: nothing to wait for
    notifier.wake()   # sms_worker off: still no thread
    assert notifier._thread is None
