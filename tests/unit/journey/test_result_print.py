"""The result document on A4 (issue 18, deliver 3 and 7) on fake ports: a 秒批 approval's signed PDF is
fetched inside the citizen session and printed on the A4 printer with the receipt, and the goodbye waits
for both; each printer fault, a refused fetch, slow issuing and the network say where to get the result
instead (我的办件, the receipt's QR) and never touch the application; 我的办件's print button does the same
for an issued result."""
from __future__ import annotations

import pytest

from devices.base import EventKind
from devices.errors import DeviceErrorCode, error_info
from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.journey.session import MineState, ResultPrintState
from kiosk.journey.steps.result_print import job_title, result_notice
from kiosk.platform.mine_schema import MyApplication
from kiosk.platform.schema import StatusResponse
from kiosk.platform.services import LinkError
from tests.helpers.journey_fakes import FakeA4, FakePrinter
from tests.unit.journey.drive import to_review

REF = "SZ2026120500042"
PDF = b"%PDF-1.4 signed result\n%%EOF"


@pytest.fixture
def a4(rig):
    a4 = FakeA4()
    rig.devices.devices["a4"] = a4
    rig.devices.devices["printer"] = FakePrinter()
    rig.services.results.pdfs[REF] = PDF
    rig.services.results.clock = rig.clock
    for step in (Step.RESULT, Step.MINE):  # the issuing waits are bounded by the fake clock: no real waiting
        rig.j._h(step).results._wake.set()
    return a4


def to_receipt(rig, status="approved"):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id, reference=REF, status=status)
    rig.j.proceed()  # 打印回执 at once
    assert rig.j.step == Step.RECEIPT
    rig.run()


def receipt_printed(rig):
    rig.devices.devices["printer"].finish(ok=True)


def test_an_approved_case_prints_its_result_on_a4_with_the_receipt_and_the_goodbye_waits_for_both(rig, a4):
    to_receipt(rig)
    session = rig.j.session
    assert rig.services.results.asked == [(REF, session.citizen_session)] and session.citizen_session
    assert [(t, d) for t, d, _ in a4.jobs] == [(job_title(REF), PDF)]
    assert session.result_print.state == ResultPrintState.PRINTING
    receipt_printed(rig)
    assert rig.j.auto.view() is None  # the certificate is still coming out: the screen stays
    a4.finish(pages=2, seconds=3.0)
    rp = session.result_print
    assert rp.state == ResultPrintState.PRINTED and rp.pages == 2 and rp.print_s == 3.0
    assert rig.j.auto.view()["kind"] == "finish"
    [rec] = rig.audited("result_printed")
    assert (rec["reference"], rec["pages"], rec["print_s"]) == (REF, 2, 3.0)


def test_a_case_not_approved_prints_no_result(rig, a4):
    to_receipt(rig, status="under_review")
    assert a4.jobs == [] and rig.services.results.asked == []
    assert rig.j.session.result_print.state == ResultPrintState.NONE
    receipt_printed(rig)
    assert rig.j.auto.view()["kind"] == "finish"


@pytest.mark.parametrize("code", [DeviceErrorCode.A4_PAPER_OUT, DeviceErrorCode.A4_JAM, DeviceErrorCode.A4_OFFLINE,
                                  DeviceErrorCode.A4_JOB_TIMEOUT])
def test_an_a4_fault_says_where_to_get_the_result_and_the_application_stays(rig, a4, code):
    to_receipt(rig)
    a4.fail(code)
    receipt_printed(rig)
    rp = rig.j.session.result_print
    assert rp.state == ResultPrintState.FAILED and rp.code == KioskErrorCode.RESULT_NOT_PRINTED
    assert rp.device_code == code
    n = result_notice(rp)
    assert n.code == 2173 and "我的办件" in n.text.zh and error_info(code).zh in n.text.zh
    assert "My applications" in n.text.en
    # the application is the platform's: the outcome is untouched, the goodbye comes as usual
    assert rig.j.session.outcome.reference == REF and rig.j.session.outcome.status == "approved"
    assert rig.j.auto.view()["kind"] == "finish"
    assert rig.audited("result_not_printed")[0]["device_code"] == code


def test_a_refused_fetch_prints_nothing_and_points_to_mine(rig, a4):
    rig.services.results.error = LinkError(KioskErrorCode.RESULT_REFUSED, "4190 session closed")
    to_receipt(rig)
    rp = rig.j.session.result_print
    assert a4.jobs == [] and rp.state == ResultPrintState.FAILED and rp.code == KioskErrorCode.RESULT_REFUSED
    assert "我的办件" in result_notice(rp).text.zh


def test_slow_issuing_is_asked_again_then_prints(rig, a4):
    rig.services.results.not_issued = 3
    to_receipt(rig)
    assert len(rig.services.results.asked) == 4 and len(a4.jobs) == 1
    assert rig.j.session.result_print.fetch_s == pytest.approx(3.0)


def test_issuing_that_does_not_finish_in_time_says_so_and_points_to_mine(rig, a4):
    rig.services.results.not_issued = 10_000
    to_receipt(rig)
    rp = rig.j.session.result_print
    assert a4.jobs == [] and rp.state == ResultPrintState.NOT_ISSUED and rp.code == KioskErrorCode.RESULT_NOT_ISSUED
    assert rp.fetch_s >= rig.settings.platform.result_wait_s
    assert len(rig.services.results.asked) <= rig.settings.platform.result_wait_s / rig.services.results.issue_step_s + 1
    assert "正在出具" in result_notice(rp).text.zh and "我的办件" in result_notice(rp).text.zh
    receipt_printed(rig)
    assert rig.j.auto.view()["kind"] == "finish"


def test_a_citizen_gone_before_the_document_arrived_gets_nothing_printed_for_the_next_one(rig, a4):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id, reference=REF, status="approved")
    rig.j.proceed()
    rig.j.cancel()  # the citizen walks off (or the idle timeout): the session ends before the fetch ran
    assert rig.j.session.item is None
    rig.run()  # the fetch runs now, for a session that is over
    assert a4.jobs == [] and rig.services.results.asked == []


def test_a_citizen_gone_while_the_result_was_being_issued_is_not_asked_for_again_nor_told_of_a_failure(rig, a4):
    """The session ends between two asks (the platform said 4172, still issuing): the next ask would go out in
    a citizen session being closed. No more asking, no 'not issued' failure for a citizen who has left."""
    results = rig.services.results
    results.not_issued = 10_000
    ask = results.pdf

    def ask_then_leave(reference, session_id):
        try:
            return ask(reference, session_id)
        finally:
            if rig.j.session.item is not None:
                rig.j.cancel()  # 退出办理 (or the idle timeout) while the platform is still issuing

    results.pdf = ask_then_leave
    to_receipt(rig)
    assert rig.j.step == Step.HOME
    assert len(results.asked) == 1 and a4.jobs == []
    assert rig.audited("result_not_printed") == [] and len(rig.audited("result_dropped")) == 1
    assert rig.services.citizens.closed == rig.services.citizens.opened  # closed once the ask was answered


# ----- 我的办件: the print button ----------------------------------------------------------------------
def to_detail(rig, result_available=True):
    a = MyApplication(reference=REF, item_code="920000001000", received_at="2026-12-05T10:00:00+08:00",
                      status="approved", result_available=result_available)
    rig.services.mine.apps = [a]
    rig.services.mine.details = {REF: StatusResponse(reference=REF, item_code=a.item_code, status="approved")}
    rig.j.wake()
    rig.j.open_mine()
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES["graduate"])
    rig.run()
    rig.j.mine_show(REF)
    rig.run()
    assert rig.j.session.mine.state == MineState.DETAIL


def test_mine_prints_an_issued_result_inside_the_citizen_session(rig, a4):
    to_detail(rig)
    assert rig.j.mine_can_print()
    assert rig.j.mine_print()
    rig.run()
    assert rig.services.results.asked == [(REF, rig.services.citizens.opened[0])]
    assert not rig.j.mine_print()  # one at a time
    a4.finish(pages=1)
    assert rig.j.session.result_print.state == ResultPrintState.PRINTED


def test_mine_print_fault_says_where_else_and_may_be_tried_again(rig, a4):
    to_detail(rig)
    rig.j.mine_print()
    rig.run()
    a4.fail(DeviceErrorCode.A4_PAPER_OUT)
    rp = rig.j.session.result_print
    assert rp.state == ResultPrintState.FAILED and rp.device_code == DeviceErrorCode.A4_PAPER_OUT
    assert "缺纸" in result_notice(rp).text.zh
    assert rig.j.mine_print()  # 重新打印 once the paper is in
    rig.run()
    a4.finish()
    assert rig.j.session.result_print.state == ResultPrintState.PRINTED and len(a4.jobs) == 2


def test_mine_offers_no_print_for_an_unissued_result_nor_without_an_a4_printer(rig, a4):
    to_detail(rig, result_available=False)
    assert not rig.j.mine_can_print() and not rig.j.mine_print()
    rig.run()
    assert a4.jobs == [] and rig.services.results.asked == []


def test_mine_without_an_a4_printer_hides_the_button(rig):
    to_detail(rig)
    assert not rig.j.mine_can_print()
    assert not rig.j.mine_print()
    assert rig.j.session.result_print.code == KioskErrorCode.RESULT_NO_PRINTER


def test_a_result_out_before_the_receipt_lets_the_receipt_move_on_as_usual(rig, a4):
    to_review(rig)
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id, reference=REF, status="approved")
    assert rig.j.step == Step.RESULT
    rig.run()  # the certificate is fetched and sent to the A4 printer while the result shows
    assert len(a4.jobs) == 1
    a4.finish()
    rig.j.proceed()
    rig.run()
    receipt_printed(rig)
    assert rig.j.session.result_print.state == ResultPrintState.PRINTED and rig.j.auto.view()["kind"] == "finish"


# ----- the receipt on A4, when asked -------------------------------------------------------------------
def advance(rig, seconds):
    rig.clock.advance(seconds)
    rig.j.tick()


def test_the_receipt_prints_on_a4_when_asked_and_the_goodbye_waits_for_it(rig, a4):
    to_receipt(rig, status="under_review")
    receipt_printed(rig)
    assert rig.j.can_print_receipt_a4() and rig.j.auto.view()["kind"] == "finish"
    assert rig.j.print_receipt_a4()
    rig.run()
    [(title, pdf, _)] = a4.jobs
    assert title == f"acceptance-{rig.j.session.application_id}" and pdf.startswith(b"%PDF-")
    assert not rig.j.can_print_receipt_a4()  # one at a time
    advance(rig, rig.settings.idle.receipt_done_s + 0.1)
    assert rig.j.step == Step.RECEIPT  # the page asked for is still coming out
    a4.finish(pages=1)
    assert rig.j.session.outcome.a4_receipt == "printed"
    advance(rig, rig.settings.idle.receipt_done_s + 0.1)
    assert rig.j.step == Step.END
    assert rig.audited("a4_receipt_printed") and IDENTITIES["graduate"].id_number not in repr(rig.audit)


def test_an_a4_receipt_fault_is_said_and_the_slip_stands(rig, a4):
    from kiosk.journey.steps.a4_receipt import a4_receipt_notice

    to_receipt(rig, status="under_review")
    receipt_printed(rig)
    rig.j.print_receipt_a4()
    rig.run()
    a4.fail(DeviceErrorCode.A4_OFFLINE)
    out = rig.j.session.outcome
    assert out.a4_receipt == "failed" and out.a4_receipt_error == DeviceErrorCode.A4_OFFLINE and out.printed
    n = a4_receipt_notice(out)
    assert n.code == 2175 and error_info(DeviceErrorCode.A4_OFFLINE).zh in n.text.zh and "小票回执同样有效" in n.text.zh
    assert rig.j.can_print_receipt_a4()  # may be asked again


def test_no_a4_receipt_without_an_a4_printer(rig):
    rig.devices.devices["printer"] = FakePrinter()
    to_receipt(rig, status="under_review")
    assert not rig.j.can_print_receipt_a4() and not rig.j.print_receipt_a4()


# ----- the goodbye while a page is still coming out -------------------------------------------------------
def test_the_goodbye_does_not_end_the_session_before_the_result_document_is_out(rig, a4):
    """完成 tapped while the certificate still prints: the goodbye says so (end.qml) and its countdown must not
    wipe the session and return home with the citizen's page still on its way; once out, the whole goodbye
    counts down again so the citizen can take it."""
    to_receipt(rig)
    session = rig.j.session
    receipt_printed(rig)
    rig.j.finish()
    assert rig.j.step == Step.END and session.result_print.running
    end_s = rig.settings.idle.end_s
    advance(rig, end_s + 0.5)
    assert rig.j.step == Step.END and rig.j.session is session  # still printing: not wiped
    assert rig.j.auto.view() is None  # and no countdown on screen claims it is about to return
    a4.finish(pages=2)
    assert session.result_print.state == ResultPrintState.PRINTED
    assert rig.j.auto.view()["kind"] == "home"
    advance(rig, end_s - 1.0)
    assert rig.j.step == Step.END  # the countdown started again when the page came out
    advance(rig, 1.5)
    assert rig.j.step != Step.END and rig.j.session is not session


def test_a_failed_result_print_on_the_goodbye_also_lets_the_countdown_run(rig, a4):
    to_receipt(rig)
    receipt_printed(rig)
    rig.j.finish()
    advance(rig, rig.settings.idle.end_s + 0.5)
    assert rig.j.step == Step.END
    a4.fail(DeviceErrorCode.A4_FAULT)
    advance(rig, rig.settings.idle.end_s + 0.5)
    assert rig.j.step != Step.END


def test_home_tapped_on_the_goodbye_leaves_at_once_even_while_printing(rig, a4):
    to_receipt(rig)
    receipt_printed(rig)
    rig.j.finish()
    session = rig.j.session
    rig.j.finish()  # 返回首页
    assert rig.j.step != Step.END and rig.j.session is not session


def test_the_goodbye_waits_for_an_a4_receipt_asked_for_on_the_receipt_screen(rig, a4):
    to_receipt(rig, status="under_review")
    receipt_printed(rig)
    assert rig.j.print_receipt_a4()
    rig.run()
    rig.j.finish()
    advance(rig, rig.settings.idle.end_s + 0.5)
    assert rig.j.step == Step.END
    a4.finish(pages=1)
    advance(rig, rig.settings.idle.end_s + 0.5)
    assert rig.j.step != Step.END
