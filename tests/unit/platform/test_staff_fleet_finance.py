"""The fleet monitor's derived alerts and the finance CSV's cell guard (issue 21, Deliver 4-5), without HTTP."""
from __future__ import annotations

import datetime as dt

import pytest

from central.config import TZ
from central.staff.finance import safe_cell
from central.staff.fleet import STEP_NAMES, Level, kiosk_row
from kiosk.journey.plan import Step

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ)


def row(minutes_ago: float | None, *devices: dict) -> dict:
    seen = "" if minutes_ago is None else (NOW - dt.timedelta(minutes=minutes_ago)).isoformat()
    return {"kiosk_id": "K1", "location": "大厅", "last_seen_at": seen,
            "last_heartbeat": {"software_version": "1.0", "devices": list(devices)} if seen else None}


def test_every_kiosk_step_has_a_chinese_name_for_the_help_table():
    assert set(STEP_NAMES) == {s.value for s in Step}


def test_a_kiosk_that_never_beat_or_fell_silent_is_an_alert_and_a_fresh_one_is_ok():
    assert kiosk_row(row(None), NOW, 300).level is Level.ALERT
    assert kiosk_row(row(4.9), NOW, 300).level is Level.OK
    late = kiosk_row(row(5.5), NOW, 300)
    assert late.level is Level.ALERT and late.alerts[0].zh.startswith("离线超过 5 分钟")


def test_device_faults_name_their_code_and_supplies_rank_low_below_out():
    faulty = kiosk_row(row(1, {"name": "idcard", "kind": "idcard", "state": "offline", "error_code": 1201}), NOW, 300)
    assert faulty.level is Level.ALERT and faulty.alerts[0].en == "idcard offline [1201]"
    low = kiosk_row(row(1, {"name": "a4", "kind": "a4", "state": "idle", "supplies": {"toner": "low"}}), NOW, 300)
    assert low.level is Level.WARN and low.alerts[0].zh == "a4 墨粉将尽"
    assert low.devices[0].supply_names == [("low", "墨粉将尽", "toner low")]


@pytest.mark.parametrize("value, shown", [("=1+1", "'=1+1"), ("+86", "'+86"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
                                          ("\t=1", "'\t=1"), ("东区政务大厅", "东区政务大厅"), ("15.00", "15.00")])
def test_a_csv_cell_that_a_spreadsheet_would_run_is_made_text(value, shown):
    assert safe_cell(value) == shown
