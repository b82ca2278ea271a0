"""The outbox: durable and encrypted before sending, backoff with jitter, nothing lost, nothing doubled."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from kiosk.crypto import DecryptError
from kiosk.outbox import DeliveryResult, Outbox, OutboxState
from tests.helpers.fakes import OUTBOX_KEY, FakeClock

MANIFEST = {"application_id": "app-0001", "applicant": {"name": "李小明", "id_number": "440305200205141170"}}
FILES = {"material-a.pdf": b"%PDF-1.4 secret page", "signature.png": b"\x89PNG signature"}


class FakeSender:
    def __init__(self, *results: DeliveryResult) -> None:
        self.results = list(results)
        self.calls = []

    def __call__(self, record, package):
        self.calls.append((record.id, package))
        return self.results.pop(0) if self.results else DeliveryResult("delivered", reference="SZ1", status="received")


@pytest.fixture
def clock():
    return FakeClock(1_800_000_000.0)


def test_an_enqueued_application_is_on_disk_and_encrypted(tmp_path, clock):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    rec = box.enqueue("app-0001", "312000218000", MANIFEST, FILES)
    assert rec.state == OutboxState.PENDING and rec.local_number.startswith("K1-")
    box.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("outbox.sqlite*"))
    for secret in ("李小明".encode(), b"440305200205141170", b"secret page", b"PNG signature"):
        assert secret not in raw
    assert not list(tmp_path.glob("*.key"))  # the key is not kept beside what it seals
    assert stat.S_IMODE(os.stat(tmp_path / "outbox.sqlite").st_mode) == 0o600
    again = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    pkg = again.package("app-0001")
    assert pkg.manifest == MANIFEST and pkg.files == FILES
    again.close()


def test_enqueue_is_idempotent_per_application_id(tmp_path, clock):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    a = box.enqueue("app-0001", "312000218000", MANIFEST, FILES)
    b = box.enqueue("app-0001", "312000218000", MANIFEST, FILES)
    assert a == b and len(box.list()) == 1
    c = box.enqueue("app-0002", "312000218000", MANIFEST, FILES)
    assert c.local_number.endswith("-0002")
    box.close()


def test_delivery_records_the_platform_reference(tmp_path, clock):
    sender = FakeSender(DeliveryResult("delivered", reference="SZ20261127000001", status="approved",
                                       result={"decision": {"approved": True}}))
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=sender, clock=clock)
    box.enqueue("app-0001", "312000218000", MANIFEST, FILES)
    assert box.deliver_due() == 1
    rec = box.get("app-0001")
    assert rec.state == OutboxState.DELIVERED and rec.reference == "SZ20261127000001"
    assert rec.result["decision"]["approved"] is True
    assert sender.calls[0][1].files == FILES
    box.close()


def test_failures_back_off_exponentially_with_jitter_and_keep_the_reason(tmp_path, clock):
    sender = FakeSender(*[DeliveryResult("retry", detail="HTTP 500")] * 4)
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=sender, clock=clock)
    box.enqueue("app-0001", "312000218000", MANIFEST, FILES)
    delays = []
    for _ in range(4):
        box.deliver_due()
        rec = box.get("app-0001")
        delays.append(rec.next_attempt_at - clock.now)
        assert rec.state == OutboxState.PENDING and rec.last_error == "HTTP 500"
        assert box.deliver_due() == 0  # not due yet
        clock.advance(delays[-1] + 0.001)
    for i, d in enumerate(delays):
        nominal = Outbox.backoff_min_s * 2 ** i
        assert nominal * 0.5 <= d <= nominal
    box.deliver_due()
    assert box.get("app-0001").state == OutboxState.DELIVERED
    assert box.get("app-0001").attempts == 5
    box.close()


def test_a_rejection_stops_retrying_until_a_technician_retries(tmp_path, clock):
    sender = FakeSender(DeliveryResult("rejected", detail="HTTP 422: unknown item"))
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=sender, clock=clock)
    box.enqueue("app-0001", "X", MANIFEST, FILES)
    box.deliver_due()
    assert box.get("app-0001").state == OutboxState.REJECTED
    clock.advance(10_000)
    assert box.deliver_due() == 0
    box.retry("app-0001")
    box.deliver_due()
    assert box.get("app-0001").state == OutboxState.DELIVERED


def test_a_sender_that_raises_loses_nothing(tmp_path, clock):
    def boom(record, package):
        raise ConnectionResetError("peer reset")
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=boom, clock=clock)
    box.enqueue("app-0001", "X", MANIFEST, FILES)
    box.deliver_due()
    rec = box.get("app-0001")
    assert rec.state == OutboxState.PENDING and "peer reset" in rec.last_error
    box.close()


def test_a_record_left_sending_by_a_crash_is_pending_again_after_restart(tmp_path, clock):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    box.enqueue("app-0001", "X", MANIFEST, FILES)
    box._set("app-0001", state=OutboxState.SENDING)
    box.close()
    again = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    assert again.get("app-0001").state == OutboxState.PENDING
    assert again.backlog() == 1
    again.close()


def test_a_changed_ciphertext_is_detected(tmp_path, clock):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    box.enqueue("app-0001", "X", MANIFEST, FILES)
    box.close()
    db = sqlite3.connect(tmp_path / "outbox.sqlite")
    blob = bytearray(db.execute("SELECT manifest FROM applications").fetchone()[0])
    blob[-1] ^= 1
    db.execute("UPDATE applications SET manifest=?", (bytes(blob),))
    db.commit()
    db.close()
    again = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=clock)
    with pytest.raises(DecryptError):
        again.package("app-0001")
    again.close()
