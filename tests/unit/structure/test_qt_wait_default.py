"""The UI tests' waits that name no timeout wait long enough for a loaded CI machine (tests/conftest.py)."""
from __future__ import annotations

import time

import pytest
from pytestqt.exceptions import TimeoutError as QtTimeoutError

from tests.conftest import QT_WAIT_UNTIL_DEFAULT_MS


def test_a_wait_with_no_timeout_waits_for_work_slower_than_pytest_qts_five_seconds(qtbot, monkeypatch):
    assert QT_WAIT_UNTIL_DEFAULT_MS >= 20_000
    clock = [0.0]
    real_wait = qtbot.wait

    def fast_forward(ms):  # pytest-qt 4.5 polls with qtbot.wait between tries and reads time.time: move it on
        clock[0] += 1.0
        real_wait(1)

    monkeypatch.setattr(qtbot, "wait", fast_forward)
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + clock[0])
    qtbot.waitUntil(lambda: clock[0] >= 8.0)  # the work ends after 8 s: more than pytest-qt's own 5 s default


def test_a_wait_that_names_its_timeout_keeps_it(qtbot):
    with pytest.raises(QtTimeoutError):
        qtbot.waitUntil(lambda: False, timeout=50)
