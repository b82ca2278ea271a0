"""Fewer taps (issue 17): screens that move on by themselves after a visible countdown, on a fake clock.

A material with its expected pages goes on to the next (a touch cancels, to add a page); the result prints
the receipt without a tap; the printed receipt goes on to the goodbye; the goodbye returns by itself."""
from __future__ import annotations

from kiosk.journey import JourneyEventKind
from kiosk.journey.plan import Step
from tests.helpers.journey_fakes import FakePrinter
from tests.unit.journey.drive import SIGNATURE, a_page, to_materials


def capture(rig):
    rig.j.capture_page()
    rig.camera.pending[-1].set_result(a_page())
    rig.run()


def advance(rig, seconds, steps=4):
    for _ in range(steps):
        rig.clock.advance(seconds / steps)
        rig.j.tick()


def autos(rig):
    return [e.data for e in rig.events(JourneyEventKind.AUTO)]


def test_a_material_with_its_pages_moves_on_by_itself_after_a_visible_countdown(rig):
    to_materials(rig)
    j, wait = rig.j, rig.settings.idle.material_done_s
    first = j.current_material()
    capture(rig)
    assert j.auto.view() == {"kind": "next_material", "seconds": 3, "cancellable": True}
    rig.clock.advance(wait - 0.5)
    j.tick()
    assert j.step == Step.MATERIALS and j.current_material() is first  # not yet: the countdown still shows
    assert [a["seconds"] for a in autos(rig) if a] == [3, 1]  # each whole second the screen is told
    rig.clock.advance(0.6)
    j.tick()
    assert j.current_material() is not first or j.step == Step.SIGN  # 下一项 / 完成拍摄 without a tap
    assert autos(rig)[-1] is None and j.auto.view() is None


def test_a_touch_during_the_countdown_cancels_it_so_a_page_can_be_added(rig):
    to_materials(rig)
    j = rig.j
    first = j.current_material()
    capture(rig)
    j.touch()
    assert j.auto.view() is None and autos(rig)[-1] is None
    advance(rig, 10 * rig.settings.idle.material_done_s)
    assert j.step == Step.MATERIALS and j.current_material() is first
    capture(rig)  # the page added: the countdown starts again
    assert j.auto.view()["kind"] == "next_material" and j.session.page_count(first.id) == 2


def test_removing_a_page_cancels_the_countdown_and_nothing_moves_without_the_pages(rig):
    to_materials(rig)
    j = rig.j
    first = j.current_material()
    capture(rig)
    j.remove_page(0)
    advance(rig, 2 * rig.settings.idle.material_done_s)
    assert j.step == Step.MATERIALS and j.current_material() is first and j.auto.view() is None


def test_leaving_the_screen_drops_its_countdown(rig):
    to_materials(rig)
    capture(rig)
    rig.j.back()
    assert rig.j.step == Step.FORM and rig.j.auto.view() is None
    advance(rig, 2 * rig.settings.idle.material_done_s)
    assert rig.j.step == Step.FORM


def to_result(rig):
    printer = FakePrinter()
    rig.devices.devices["printer"] = printer
    to_materials(rig)
    while rig.j.step == Step.MATERIALS:
        capture(rig)
        advance(rig, rig.settings.idle.material_done_s + 0.1)
    rig.j.sign(SIGNATURE, 300, 100)
    if rig.j.step == Step.DELIVERY:
        rig.j.choose_delivery("pickup")
        rig.j.delivery_done()
    rig.j.confirm()
    rig.run()
    rig.outbox.deliver(rig.j.session.application_id)
    assert rig.j.step == Step.RESULT
    return printer


def test_the_result_prints_the_receipt_without_a_tap_and_the_receipt_goes_on_by_itself(rig):
    printer = to_result(rig)
    j, idle = rig.j, rig.settings.idle
    assert j.auto.view() == {"kind": "print", "seconds": 3, "cancellable": False}
    j.touch()  # reading the number does not stop the receipt
    advance(rig, idle.print_after_s + 0.1)
    assert j.step == Step.RECEIPT
    rig.run()
    assert len(printer.jobs) == 1 and printer.jobs[0][0] == f"receipt-{j.session.application_id}"
    assert j.auto.view() is None  # still printing: nothing moves before the paper is out
    printer.finish(ok=True)
    assert j.session.outcome.printed and j.auto.view()["kind"] == "finish"
    advance(rig, idle.receipt_done_s + 0.1)
    assert j.step == Step.END and j.auto.view()["kind"] == "home"
    advance(rig, idle.end_s + 0.1)
    assert j.step == Step.ATTRACT and j.session.item is None
    assert len(printer.jobs) == 1  # never printed twice


def test_a_receipt_that_did_not_print_stays_for_the_retry(rig):
    printer = to_result(rig)
    j = rig.j
    j.proceed()  # 打印回执 at once
    rig.run()
    printer.finish(ok=False, error_code=1203)
    assert j.step == Step.RECEIPT and j.auto.view() is None and j.session.outcome.print_error == 1203
    rig.clock.advance(rig.settings.idle.receipt_done_s + 1)
    j.tick()
    assert j.step == Step.RECEIPT


# ----- 好差评: one optional tap on the goodbye ------------------------------------------------------------------
def to_end(rig):
    printer = to_result(rig)
    rig.j.proceed()
    rig.run()
    printer.finish(ok=True)
    rig.j.finish()
    assert rig.j.step == Step.END


def test_one_tap_rates_the_case_once_and_the_goodbye_still_returns_by_itself(rig):
    from kiosk.errors import KioskErrorCode

    to_end(rig)
    j = rig.j
    assert j.rate("satisfied")
    assert j.session.outcome.rating_state == "sending"
    rig.run()
    assert rig.services.ratings.sent == [(j.session.application_id, "satisfied")]
    assert j.session.outcome.rating_state == "sent" and j.notice.code == KioskErrorCode.RATING_THANKS
    assert "满意" in j.notice.text.zh
    assert not j.rate("very_unsatisfied")  # one per case
    rig.run()
    assert len(rig.services.ratings.sent) == 1
    advance(rig, rig.settings.idle.end_s + 0.1)  # a rating does not hold the citizen's data on screen longer
    assert j.step == Step.ATTRACT


def test_skipping_the_rating_costs_nothing_and_sends_nothing(rig):
    to_end(rig)
    advance(rig, rig.settings.idle.end_s + 0.1)
    assert rig.j.step == Step.ATTRACT and rig.services.ratings.sent == []


def test_a_rating_that_cannot_be_sent_is_dropped_and_said_so(rig):
    from kiosk.errors import KioskErrorCode

    to_end(rig)
    rig.services.ratings.answer = "not_sent"
    assert rig.j.rate("basic")
    rig.run()
    assert rig.j.session.outcome.rating_state == "not_sent"
    assert rig.j.notice.code == KioskErrorCode.RATING_NOT_SENT and "未保存" in rig.j.notice.text.zh


def test_only_the_five_levels_and_only_on_the_goodbye(rig):
    to_materials(rig)
    assert not rig.j.rate("satisfied")  # no case yet
    rig2_sent = rig.services.ratings.sent
    assert rig2_sent == []


def test_a_level_that_is_not_one_of_the_five_is_refused(rig):
    to_end(rig)
    for odd in ("excellent", "满意", "", "5"):
        assert not rig.j.rate(odd)
    rig.run()
    assert rig.services.ratings.sent == [] and rig.j.session.outcome.rating == ""


class FakeLive:
    """The live preview as the materials step sees it: no thread, records how captures ended."""

    running = False
    leftover = False
    bed = None   # no empty bed learned

    def __init__(self) -> None:
        self.ended: list[bool] = []

    def captured(self, ok: bool) -> None:
        self.ended.append(ok)

    def stop(self, timeout_s: float = 0) -> None:
        pass


def test_an_automatic_capture_processed_at_once_still_moves_on_by_itself(rig):
    """The preview thread fires; the still is processed on the executor before that thread gets the CPU back
    (a loaded machine). The activity touch of the automatic capture must not withdraw the countdown the
    processed page has just armed (the long autopilot run saw the material stay on screen)."""
    to_materials(rig)
    j = rig.j
    first = j.current_material()
    step = j._h(Step.MATERIALS)
    step.live = FakeLive()
    started = step.capture

    def capture_processed_at_once(ctx, *, auto=False):
        ok = started(ctx, auto=auto)
        rig.camera.pending[-1].set_result(a_page())
        rig.run()  # the executor finished the page before capture() returned to the preview thread
        return ok

    step.capture = capture_processed_at_once
    step._auto_fire()
    assert j.session.page_count(first.id) == 1 and step.live.ended == [True]
    assert j.auto.view() == {"kind": "next_material", "seconds": 3, "cancellable": True}
    advance(rig, 2 * rig.settings.idle.material_done_s)
    assert j.current_material() is not first or j.step == Step.SIGN
