"""本机打印 (issues 15 and 18): a 秒批 item that lists self_print offers it, as its default and without a
delivery step, only on a kiosk whose A4 printer is configured and not faulted when the citizen chooses the
item; otherwise it falls back to its other deliveries and nothing promises a print. The receipt's 送达方式
line is true to where the result document stands."""
from __future__ import annotations

import pytest

from devices.base import DeviceState
from kiosk.journey.plan import Step
from kiosk.journey.session import ResultPrintState
from kiosk.platform.catalog_schema import DeliveryMethod
from tests.helpers.journey_fakes import FakeA4, FakePrinter
from tests.unit.journey.drive import to_form

PROOF = "920000008000"  # 个人参保证明查询打印: 秒批; delivery = self_print, electronic, pickup
REF = "SZ2026120500077"
PDF = b"%PDF-1.4 signed proof\n%%EOF"


def with_a4(rig, state=DeviceState.IDLE):
    a4 = FakeA4(state)
    rig.devices.devices["a4"] = a4
    rig.devices.devices["printer"] = FakePrinter()
    rig.services.results.pdfs[REF] = PDF
    rig.services.results.clock = rig.clock
    rig.j._h(Step.RESULT).results._wake.set()
    return a4


def to_review(rig):
    to_form(rig, PROOF)
    for name, value in (("proof_type", "summary"), ("from_month", "202301"), ("to_month", "202412")):
        rig.j.set_field(name, value)
    assert rig.j.submit_form() == []


def receipt_text(rig) -> str:
    _, data, _ = rig.devices.devices["printer"].jobs[-1]
    return data.decode("gb18030", errors="ignore")


def test_with_a_working_a4_printer_self_print_is_the_default_and_the_delivery_step_is_skipped(rig):
    with_a4(rig)
    to_review(rig)
    s = rig.j.session
    assert s.offered == (DeliveryMethod.SELF_PRINT,) and s.delivery.method == "self_print"
    assert Step.DELIVERY not in s.plan
    assert rig.j.step == Step.REVIEW  # straight from the form: nothing to choose


@pytest.mark.parametrize("state", [DeviceState.ERROR, DeviceState.OFFLINE, None])
def test_without_a_working_a4_printer_self_print_is_not_offered_and_the_counter_is(rig, state):
    if state is not None:
        with_a4(rig, state)  # faulted before the start
    to_review(rig)
    s = rig.j.session
    assert s.offered == (DeliveryMethod.PICKUP,) and s.delivery.method == "pickup"
    assert rig.j.step == Step.REVIEW


def test_the_a4_printer_failing_after_the_start_does_not_change_the_offer_of_this_citizen(rig):
    a4 = with_a4(rig)
    to_review(rig)
    a4.state = DeviceState.ERROR  # the offer was fixed when the item was chosen; the print itself says the rest
    assert rig.j.session.offered == (DeliveryMethod.SELF_PRINT,)


def test_the_self_printed_proof_is_submitted_printed_and_the_receipt_says_so(rig):
    a4 = with_a4(rig)
    to_review(rig)
    rig.j.confirm()
    rig.run()
    pkg = rig.outbox.packages[rig.j.session.application_id]
    assert pkg.manifest["delivery"]["method"] == "self_print"
    rig.outbox.deliver(rig.j.session.application_id, reference=REF, status="approved")
    rig.j.proceed()
    rig.run()
    assert rig.j.session.result_print.state == ResultPrintState.PRINTING
    text = receipt_text(rig)  # the receipt prints while the proof is coming out of the A4 tray
    assert "本机打印" in text and "A4" in text and "我的办件" in text and "窗口自取" not in text
    a4.finish(pages=1)
    assert rig.j.session.result_print.state == ResultPrintState.PRINTED
