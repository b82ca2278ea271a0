"""返回首页 on the goodbye while the citizen's A4 page is on its way (steps/a4_leave.py), on fake ports: before,
the session ended at once and the page came out later into the tray for the next citizen. Now what has not
started printing is taken back (nothing comes out; the home screen says so and where to get it) and what is
printing is waited for (the goodbye says so, no countdown), within the printer's job timeout."""
from __future__ import annotations

import logging

from devices.errors import DeviceErrorCode
from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.journey.steps.result_print import job_title
from tests.unit.journey import test_result_print as result_print_tests
from tests.unit.journey.test_result_print import REF, advance, receipt_printed, to_receipt

a4 = result_print_tests.a4  # the same fixture: a FakeA4 with the approval's result PDF at the platform


def leave_mod():
    from kiosk.journey.steps import a4_leave  # noqa: PLC0415 - here, so that each test fails on its own before it

    return a4_leave


def at_goodbye(rig):
    to_receipt(rig)  # a 秒批 approval: its result document goes to the A4 printer
    receipt_printed(rig)
    rig.j.finish()  # 完成 on the receipt screen while the certificate is still on its way
    assert rig.j.step == Step.END
    return rig.j.session


def test_home_while_the_result_waits_in_the_queue_takes_it_back_and_says_where_to_get_it(rig, a4, caplog):
    caplog.set_level(logging.INFO)
    session = at_goodbye(rig)
    rig.j.finish()  # 返回首页
    assert a4.withdrawn == [job_title(REF)]  # taken back at the printer: it never comes out for the next one
    assert rig.j.step == Step.HOME and rig.j.session is not session
    n = rig.j.notice
    assert n.code == KioskErrorCode.RESULT_WITHDRAWN and "没有出纸" in n.text.zh and "我的办件" in n.text.zh
    assert "nothing came out" in n.text.en and "My applications" in n.text.en
    assert rig.audited("a4_withdrawn")[0]["kind"] == "result"
    said = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("kiosk.journey"))
    assert "result was taken back before printing" in said and REF not in said  # the log names no reference


def test_home_while_the_result_is_printing_waits_for_it_without_a_countdown(rig, a4):
    session = at_goodbye(rig)
    a4.start()  # its first page is under way: taking it back would tear a page
    rig.j.finish()  # 返回首页
    assert a4.withdrawn == [] and rig.j.step == Step.END and rig.j.session is session
    assert session.leaving == leave_mod().PRINTING and rig.j.auto.view() is None and not rig.j.busy
    advance(rig, rig.settings.idle.end_s + rig.settings.idle.timeout_s + 5)  # neither countdown nor idle leaves
    assert rig.j.step == Step.END and rig.j.session is session
    rig.j.finish()  # tapped again: still waiting, nothing else happens
    assert rig.j.step == Step.END
    a4.finish(pages=2)  # out: take it
    assert rig.j.step == Step.HOME and rig.j.session is not session
    assert rig.j.notice is None or rig.j.notice.code != KioskErrorCode.RESULT_WITHDRAWN  # it was not cancelled


def test_home_while_printing_leaves_by_the_printers_job_timeout_if_it_never_answers(rig, a4):
    session = at_goodbye(rig)
    a4.start()
    rig.j.finish()
    advance(rig, 180 + leave_mod().MARGIN_S - 1)
    assert rig.j.step == Step.END
    advance(rig, 2)
    assert rig.j.step != Step.END and rig.j.session is not session
    assert rig.audited("a4_leave_timeout")


def test_home_while_the_result_is_still_fetched_sends_nothing(rig, a4):
    session = at_goodbye(rig)
    a4.jobs.clear()  # as if the fetch were still on the wire: nothing at the printer yet
    session.a4_jobs.clear()
    rig.j.finish()
    assert rig.j.step == Step.HOME and rig.j.notice.code == KioskErrorCode.RESULT_WITHDRAWN
    # the fetch answering now finds the citizen leaving: nothing is sent
    assert leave_mod().send(session, a4, b"%PDF-", job_title(REF), leave_mod().RESULT) is None and a4.jobs == []


def test_home_with_the_a4_receipt_waiting_takes_it_back_and_says_the_slip_stands(rig, a4):
    to_receipt(rig, status="under_review")
    receipt_printed(rig)
    assert rig.j.print_receipt_a4()
    rig.run()
    rig.j.finish()
    assert rig.j.step == Step.END
    rig.j.finish()  # 返回首页
    assert rig.j.step == Step.HOME and a4.withdrawn and a4.withdrawn[0].startswith("acceptance-")
    n = rig.j.notice
    assert n.code == KioskErrorCode.A4_RECEIPT_WITHDRAWN and "小票回执同样有效" in n.text.zh
    assert "slip receipt is just as valid" in n.text.en


def test_a_withdrawn_job_is_audited_with_its_device_code(rig, a4):
    at_goodbye(rig)
    rig.j.finish()
    assert rig.audited("result_not_printed")[-1]["device_code"] == DeviceErrorCode.A4_JOB_WITHDRAWN


def test_leaving_from_the_receipt_screen_takes_back_the_certificate_still_in_the_queue(rig, a4, caplog):
    """退出办理 (or any end but the goodbye's 返回首页) while the certificate waits at the printer: before, the
    session ended and the page came out later into the tray for the next citizen."""
    caplog.set_level(logging.INFO)
    to_receipt(rig)
    receipt_printed(rig)
    assert rig.j.session.a4_jobs  # the certificate is at the printer, not started
    rig.j.cancel()
    assert rig.j.step != Step.END and a4.withdrawn == [job_title(REF)]
    n = rig.j.notice  # the citizen who tapped 退出办理 is told: no page is coming, and where to print it
    assert n.code == KioskErrorCode.RESULT_WITHDRAWN and "没有出纸" in n.text.zh and "我的办件" in n.text.zh
    # the card reminder of the session's end stays, first: news of the page is said after it, not instead
    assert n.text.zh.startswith("请取走您的身份证和高拍仪下的材料。结果文书尚未开始打印")
    assert n.text.en.startswith("Please take your ID card and your papers. Your result document had not started")
    assert rig.audited("a4_withdrawn")[-1] == {**rig.audited("a4_withdrawn")[-1], "kind": "result", "at": "session_end"}
    said = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("kiosk.journey"))
    assert "taken back before printing" in said and REF not in said


def test_a_certificate_already_printing_when_the_session_ends_comes_out_and_is_logged(rig, a4):
    to_receipt(rig)
    receipt_printed(rig)
    a4.start()  # its first page is under way
    rig.j.cancel()
    assert a4.withdrawn == [] and rig.audited("a4_left_printing")[-1]["kind"] == "result"


def test_the_goodbye_keeps_the_card_reminder_before_the_taken_back_notice(rig, a4):
    """返回首页 on the goodbye: the session's end reminds the citizen of the card; the page's news follows it."""
    at_goodbye(rig)
    rig.j.finish()
    n = rig.j.notice
    assert n.code == KioskErrorCode.RESULT_WITHDRAWN
    assert n.text.zh.startswith("请取走您的身份证和高拍仪下的材料。结果文书尚未开始打印")
