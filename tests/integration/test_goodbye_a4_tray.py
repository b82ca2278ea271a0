"""返回首页 on the goodbye while the 秒批 certificate is on its way to the A4 printer, on the real stack: the
journey, the A4 driver speaking IPP to the simulated print server (sim://a4, which keeps a job pending or
printing on its knobs), and the embedded reference platform. Before, the session ended at once and the job,
still waiting in the queue, came out afterwards into the tray: the next citizen's to take."""
from __future__ import annotations

import pytest

from devices import sim
from devices.a4.ipp import JobState
from kiosk.journey.plan import Step
from kiosk.journey.session import ResultPrintState
from tests.helpers.fakes import wait_until
from tests.integration import test_result_fetch_session_end as fetch_end
from tests.integration.test_result_fetch_session_end import to_receipt_printed

kiosk = fetch_end.kiosk  # the same fixture: a started kiosk (sim:// devices) on the embedded platform

WAIT_S = 10.0


@pytest.fixture
def tray(kiosk):
    rt, rec, hw, platform = kiosk
    a4 = sim.get_hardware(rt.settings.devices.a4.url)
    yield a4
    a4.set_hold_pending(False)
    a4.set_hold(False)


def result_job(a4, reference):
    with a4.lock:
        return next((j for j in a4.jobs.values() if j.title == f"result-{reference}"), None)


def at_goodbye(rt, rec, hw, a4):
    to_receipt_printed(rt, rec, hw)
    j = rt.journey
    reference = j.session.outcome.reference
    wait_until(lambda: result_job(a4, reference) is not None, timeout_s=WAIT_S)
    assert j.session.result_print.state == ResultPrintState.PRINTING
    j.finish()  # 完成 on the receipt screen while the certificate is on its way
    assert j.step == Step.END
    return j.session, reference


def test_home_while_the_certificate_waits_in_the_queue_cancels_it_and_nothing_comes_out_later(kiosk, tray):
    rt, rec, hw, platform = kiosk
    tray.set_hold_pending(True)  # a job ahead of it: the certificate waits in the queue
    session, reference = at_goodbye(rt, rec, hw, tray)
    j = rt.journey
    j.finish()  # 返回首页
    wait_until(lambda: j.step == Step.HOME, timeout_s=WAIT_S)  # taken back within a job poll, then home
    assert j.session is not session
    tray.set_hold_pending(False)  # the queue moves on: the next citizen stands at the tray now
    assert result_job(tray, reference).state == JobState.CANCELED and tray.last_pages() == []
    # KioskErrorCode.RESULT_WITHDRAWN: cancelled, nothing came out, where to get it (said as the screen goes home)
    wait_until(lambda: j.notice is not None and j.notice.code == 2176, timeout_s=WAIT_S)


def test_home_while_the_certificate_is_printing_waits_until_it_is_out(kiosk, tray):
    rt, rec, hw, platform = kiosk
    tray.set_hold(True)  # mid-page
    session, reference = at_goodbye(rt, rec, hw, tray)
    wait_until(lambda: result_job(tray, reference).state == JobState.PROCESSING, timeout_s=WAIT_S)
    j = rt.journey
    j.finish()  # 返回首页
    wait_until(lambda: getattr(session, "leaving", "") == "printing" and not j.busy, timeout_s=WAIT_S)
    assert j.step == Step.END and j.session is session and j.auto.view() is None  # the goodbye waits, no countdown
    tray.set_hold(False)  # out: the citizen takes it
    wait_until(lambda: j.step == Step.HOME, timeout_s=WAIT_S)
    assert result_job(tray, reference).state == JobState.COMPLETED and j.session is not session
