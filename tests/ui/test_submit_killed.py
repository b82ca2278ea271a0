"""Issue 15, item 10: SUBMIT has no idle timeout, so walking away there is covered by killing the kiosk there.
A real kiosk process (the autopilot with the embedded platform) pays a fee item (910000004000, ￥10) and is
killed with SIGKILL at SUBMIT, after the platform took the money; the kiosk is started again (``kiosk run
--demo``) on the same data directory. The paid order is never forgotten: asserted from the platform's own
database and from the kiosk's audit trail.

- killed before the application was stored: only the durable order ledger (kiosk/orders.py) knows the order;
  the restart refunds it at the platform and audits it;
- killed after it was stored, the platform's answer not yet come: the restart sends it, the platform
  reconciles the paid order with the application (one payment, one application).

The hold at SUBMIT is test-only (tests/helpers/held_submit.py replaces one seam in the killed process)."""
from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEE_ITEM = "910000004000"


def lines_of(stream) -> tuple[queue.Queue, threading.Thread]:
    """A process's output, line by line, read on a thread (so the test waits with a deadline, never hangs);
    the thread closes the pipe when the process is gone."""
    out: queue.Queue = queue.Queue()

    def pump() -> None:
        with stream:
            for line in stream:
                out.put(line)
        out.put(None)
    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    return out, reader


def wait_for_line(lines: queue.Queue, marker: str, timeout_s: float, seen: list[str]) -> str:
    while True:
        line = lines.get(timeout=timeout_s)  # queue.Empty: nothing came in time (fails the test)
        if line is None:
            raise AssertionError(f"the process ended before {marker!r}: {''.join(seen[-30:])}")
        seen.append(line)
        if marker in line:
            return line


def platform_db(data: Path) -> sqlite3.Connection:
    db = sqlite3.connect(data / "central" / "central.sqlite")
    db.row_factory = sqlite3.Row
    return db


def kill_at_submit_then_restart(tmp_path, point: str, restarted_when: str) -> tuple[Path, str, dict]:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    quiet = tmp_path / "quiet.toml"  # money, not voice: no speech daemon to wait for (or to hang on)
    quiet.write_text("[ui]\nvoice = false\n")
    first = subprocess.Popen([sys.executable, "-m", "tests.helpers.held_submit", point, "autopilot", "--config",
                              str(quiet), "--item", FEE_ITEM, "--journeys", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    lines, reader = lines_of(first.stdout)
    try:
        held = wait_for_line(lines, "HELD", 300, [])
        app_id = held.split()[2]
        with platform_db(data) as db:  # the money is taken: the phone paid before SUBMIT
            paid = dict(db.execute("SELECT * FROM payments WHERE application_id=?", (app_id,)).fetchone())
        assert paid["status"] == "paid" and paid["amount_fen"] == 1000 and not paid["reference"], paid
    finally:
        first.send_signal(signal.SIGKILL)  # the power goes: no clean shutdown, nothing flushed on the way out
        first.wait(timeout=30)
        reader.join(timeout=30)
    again = subprocess.Popen([sys.executable, "-m", "ui.cli", "run", "--demo", "--window", "-v", "--config", str(quiet)],
                             cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    lines, reader = lines_of(again.stderr)
    try:
        wait_for_line(lines, restarted_when, 180, seen)
    finally:
        again.terminate()
        try:
            again.wait(timeout=30)
        except subprocess.TimeoutExpired:
            again.kill()
            again.wait(timeout=30)
        reader.join(timeout=30)
    return data, app_id, paid


def audited(data: Path, event: str) -> list[dict]:
    records = [json.loads(line) for f in sorted((data / "audit").glob("audit-*.jsonl"))
               for line in f.read_text().splitlines() if line.strip()]
    return [r["data"] for r in records if r["event"] == event]


@pytest.mark.slow
def test_a_kiosk_killed_at_submit_before_storing_the_paid_application_refunds_the_order_when_it_starts_again(
        tmp_path):
    data, app_id, paid = kill_at_submit_then_restart(tmp_path, "store", "was left open when the kiosk stopped")
    with platform_db(data) as db:
        order = dict(db.execute("SELECT * FROM payments WHERE order_id=?", (paid["order_id"],)).fetchone())
        assert order["status"] == "refunded" and order["refunded_at"], order  # the citizen has the money back
        assert not order["reference"]  # and no application claims it
    assert [(r["order"], r["amount_fen"]) for r in audited(data, "order_refunded")] == [(paid["order_id"], 1000)]
    with sqlite3.connect(data / "outbox" / "outbox.sqlite") as box:
        assert box.execute("SELECT state FROM orders WHERE order_id=?", (paid["order_id"],)).fetchone() \
            == ("refunded",)
        assert box.execute("SELECT count(*) FROM applications WHERE id=?", (app_id,)).fetchone() == (0,)


@pytest.mark.slow
def test_a_kiosk_killed_at_submit_before_the_platform_answered_sends_the_paid_application_when_it_starts_again(
        tmp_path):
    data, app_id, paid = kill_at_submit_then_restart(tmp_path, "send", "delivered as")
    with platform_db(data) as db:
        order = dict(db.execute("SELECT * FROM payments WHERE order_id=?", (paid["order_id"],)).fetchone())
        assert order["status"] == "paid" and order["reference"] and not order["refunded_at"], order
        apps = db.execute("SELECT reference FROM applications WHERE reference=?", (order["reference"],)).fetchall()
        assert len(apps) == 1  # the paid order is the application's: one payment, one application
        assert db.execute("SELECT count(*) FROM payments WHERE application_id=?", (app_id,)).fetchone()[0] == 1
    with sqlite3.connect(data / "outbox" / "outbox.sqlite") as box:
        assert box.execute("SELECT state, reference FROM applications WHERE id=?", (app_id,)).fetchone() \
            == ("delivered", order["reference"])
        assert box.execute("SELECT state FROM orders WHERE order_id=?", (paid["order_id"],)).fetchone() \
            == ("submitted",)
    assert audited(data, "order_refunded") == []
