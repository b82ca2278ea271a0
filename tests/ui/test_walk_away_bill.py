"""Issue 15, item 10 for a utility bill (960000001000): the autopilot walks away at each step of the bill's
journey (办事指南 / 户号 / 缴费 / 凭条 / 结束) in one run, and no money is lost. Each outcome is asserted from the
JSON line and again from the platform's own database (its payments and the biller's ledger):

- before paying: no money taken, the bill still open;
- at the payment step, the phone paying after the kiosk gave up: the kiosk closed the order first, so the late
  payment is refunded and settles nothing (the bill still open, payable again);
- after paying: the bill settled once, by this journey's payment, which is never refunded."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]
BILL = "960000001000"
STEPS = ("guide", "form", "payment", "receipt", "end")  # the bill's steps with an idle timeout


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    data = tmp_path_factory.mktemp("walk-away-bill")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(data)))
    quiet = data / "quiet.toml"  # money, not voice: no speech daemon to wait for (or to hang on)
    quiet.write_text("[ui]\nvoice = false\n")
    argv = [sys.executable, "-m", "ui.cli", "autopilot", "--config", str(quiet), "--item", BILL, "--journeys", "1"]
    for step in STEPS:
        argv += ["--abandon-at", step]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert proc.returncode == 0, (lines, proc.stderr[-2000:])
    by_step = {x["abandoned_at"]: x for x in lines}
    assert set(by_step) == set(STEPS) and all("skipped" not in x and "error" not in x for x in lines), lines
    db = sqlite3.connect(data / "central" / "central.sqlite")
    db.row_factory = sqlite3.Row
    yield by_step, db
    db.close()


def payments_for(db, line) -> list[sqlite3.Row]:
    return db.execute("SELECT * FROM payments WHERE application_id=?", (line["application_id"],)).fetchall()


def bills_paid_by(db, order_id) -> list[sqlite3.Row]:
    return db.execute("SELECT * FROM bills WHERE order_id=? AND state='paid'", (order_id,)).fetchall()


@pytest.mark.slow
@pytest.mark.parametrize("step", ["guide", "form"])
def test_walking_away_from_a_bill_before_paying_takes_no_money_and_leaves_the_bill_open(run, step):
    by_step, db = run
    line = by_step[step]
    assert line["ended_by"] == "idle_timeout" and line["payment"] == "none" and line["bill"] == "open", line
    assert payments_for(db, line) == []  # no order was ever made


@pytest.mark.slow
def test_a_bill_paid_by_the_phone_after_the_kiosk_gave_up_is_refunded_and_the_bill_stays_open(run):
    by_step, db = run
    line = by_step["payment"]
    assert line["payment"] == "refunded" and line["bill"] == "open" and line["transaction_id"] is None, line
    (order,) = payments_for(db, line)
    assert order["status"] == "refunded" and order["refunded_at"]  # the money went back to the phone
    assert bills_paid_by(db, order["order_id"]) == []  # and settled nothing: the biller still expects it


@pytest.mark.slow
@pytest.mark.parametrize("step", ["receipt", "end"])
def test_walking_away_after_paying_a_bill_leaves_it_settled_once_by_that_payment(run, step):
    by_step, db = run
    line = by_step[step]
    assert line["payment"] == "settled" and line["bill"] == "paid" and line["transaction_id"], line
    (order,) = payments_for(db, line)
    assert order["status"] == "paid" and not order["refunded_at"]  # the walk-away did not take it back
    (bill,) = bills_paid_by(db, order["order_id"])
    assert bill["transaction_id"] == order["transaction_id"] == line["transaction_id"]
