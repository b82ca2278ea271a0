"""The outbox under a full disk, a failing or hanging platform, a lost key and a second process."""
from __future__ import annotations

import errno
import json
import sqlite3
import time

import pytest

from kiosk.platform.sender import platform_sender
from kiosk.outbox import Outbox, OutboxFullError, OutboxState
from kiosk.platform.client import PlatformClient
from tests.helpers.fakes import OUTBOX_KEY, FakeClock
from tests.helpers.servers import FakeFailingPlatform, FakeHangingPlatform
from ui.cli import main

PAGE = bytes(range(256)) * 400  # 100 KB that does not compress


def manifest(app_id: str, files: dict[str, bytes]) -> dict:
    import hashlib
    return {"application_id": app_id, "item_code": "312000218000", "kiosk_id": "K1",
            "created_at": "2026-11-27T10:00:00+08:00", "form": {"phone": "13800138000"},
            "files": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in files.items()]}


def put(box: Outbox, app_id: str, pages: int = 1):
    files = {f"p{i}.pdf": PAGE for i in range(pages)}
    return box.enqueue(app_id, "312000218000", manifest(app_id, files), files)


def test_a_full_database_refuses_the_new_application_cleanly_and_keeps_the_stored_ones(tmp_path):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, clock=FakeClock(1e9))
    put(box, "app-00000001")
    # SQLite says "database or disk is full" (SQLITE_FULL) exactly as it does on a full disk.
    (pages,) = box._db.execute("PRAGMA page_count").fetchone()
    box._db.execute(f"PRAGMA max_page_count={pages + 10}")
    with pytest.raises(OutboxFullError) as exc:
        put(box, "app-00000002", pages=5)
    assert exc.value.errno == errno.ENOSPC and isinstance(exc.value, OSError)
    assert "not stored" in str(exc.value) and "intact" in str(exc.value)
    assert box.get("app-00000002") is None and [r.id for r in box.list()] == ["app-00000001"]
    assert box.package("app-00000001").files["p0.pdf"] == PAGE
    box._db.execute("PRAGMA max_page_count=1073741823")  # space freed: the kiosk goes on
    assert put(box, "app-00000003").local_number.endswith("-0002")
    box.close()
    assert sqlite3.connect(tmp_path / "outbox.sqlite").execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_free_space_reserve_refuses_before_writing_anything(tmp_path):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, min_free_bytes=10 ** 15)  # a petabyte in reserve: never there
    with pytest.raises(OutboxFullError, match="in reserve"):
        put(box, "app-00000001")
    assert box.list() == []
    box.close()


def _deliver_once(tmp_path, url: str, timeout_s: float):
    clock = FakeClock(1e9)
    client = PlatformClient(url, kiosk_id="K1", secret="s" * 20, timeout_s=timeout_s, connect_timeout_s=timeout_s,
                            sleep=lambda s: None)
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=platform_sender(client), clock=clock)
    put(box, "app-00000001")
    started = time.monotonic()
    box.deliver_due()
    took = time.monotonic() - started
    rec = box.get("app-00000001")
    box.close()
    return rec, took


def test_a_platform_answering_500_leaves_the_application_pending_with_the_reason(tmp_path):
    with FakeFailingPlatform() as bad:
        rec, _ = _deliver_once(tmp_path, bad.url, 2.0)
    assert rec.state == OutboxState.PENDING and rec.attempts == 1 and rec.error_kind == "server"
    assert "HTTP 500" in rec.last_error and "database unavailable" in rec.last_error
    assert rec.next_attempt_at > rec.last_attempt_at  # backed off


def test_a_hanging_platform_costs_one_timeout_and_leaves_the_application_pending(tmp_path):
    with FakeHangingPlatform() as hung:
        rec, took = _deliver_once(tmp_path, hung.url, 0.3)
    assert rec.state == OutboxState.PENDING and rec.error_kind == "network"
    assert "no answer within 0.3 s" in rec.last_error
    assert took < 5  # one attempt, bounded by the read timeout: the outbox does not retry inside a try


def test_an_application_that_cannot_be_decrypted_is_set_aside_with_the_reason(tmp_path):
    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY)
    put(box, "app-00000001")
    box.close()
    calls = []
    box = Outbox(tmp_path, "K1", key=bytes(32), sender=lambda r, p: calls.append(r))  # the key was replaced
    box.deliver_due()
    rec = box.get("app-00000001")
    assert rec.state == OutboxState.REJECTED and rec.error_kind == "decrypt" and "outbox key" in rec.last_error
    assert calls == []  # nothing half-decrypted went out
    box.close()


def test_only_one_process_sends_and_a_second_one_leaves_sending_records_alone(tmp_path):
    first = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=lambda r, p: None)
    put(first, "app-00000001")
    first._set("app-00000001", state=OutboxState.SENDING)  # the first is sending right now
    second = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=lambda r, p: None)  # e.g. `kiosk outbox list` beside the kiosk
    assert first.is_sender and not second.is_sender
    assert second.get("app-00000001").state == OutboxState.SENDING  # not "recovered" under the sender's feet
    assert second.deliver_due() == 0
    second.close()
    first.close()  # the sender stops (or dies): the next one recovers the record
    third = Outbox(tmp_path, "K1", key=OUTBOX_KEY)
    assert third.is_sender and third.get("app-00000001").state == OutboxState.PENDING
    third.close()


def test_the_technician_lists_retries_and_exports_without_exposing_personal_data(tmp_path, capsys):
    data = tmp_path / "data"
    box = Outbox(data / "outbox", "SZ-KIOSK-0001", key=OUTBOX_KEY)
    rec = put(box, "app-00000001")
    box._set("app-00000001", state=OutboxState.REJECTED, last_error="HTTP 422: unknown item", error_kind="invalid")
    box.close()
    assert main(["outbox", "list", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert rec.local_number in out and "rejected" in out and "[invalid] HTTP 422: unknown item" in out
    assert main(["outbox", "list", "--data-dir", str(data), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["records"][0]["state"] == "rejected" and listed["stats"]["rejected"] == 1
    assert main(["outbox", "retry", rec.local_number, "--data-dir", str(data)]) == 0
    assert main(["outbox", "retry", "no-such-thing", "--data-dir", str(data)]) == 1
    assert main(["outbox", "export", str(tmp_path / "usb"), "--data-dir", str(data)]) == 0
    exported = list((tmp_path / "usb").glob("*.sqlite"))
    assert len(exported) == 1 and not list((tmp_path / "usb").glob("*.key"))
    assert b"13800138000" not in exported[0].read_bytes()  # still sealed
    again = Outbox(data / "outbox", "SZ-KIOSK-0001", key=OUTBOX_KEY)
    assert again.get("app-00000001").state == OutboxState.PENDING
    again.close()
    copy = sqlite3.connect(exported[0])
    assert copy.execute("SELECT local_number FROM applications").fetchall() == [(rec.local_number,)]
    copy.close()
