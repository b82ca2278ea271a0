"""The delivery screen's region picker and the confirm page's address, on the real QML (issue 15, Deliver 8)."""
from __future__ import annotations

import os

from kiosk.journey.plan import Step
from tests.ui.test_ui_journey import at, drive_to_form, type_into

CERT = "312000218000"  # 无犯罪记录证明: express delivery offered


def shot(k, name: str) -> None:
    if os.environ.get("KIOSK_SCREENSHOTS"):
        k.ui.grab().save(os.path.join(os.environ["KIOSK_SCREENSHOTS"], name))


def test_the_citizen_picks_a_district_types_the_street_and_sees_the_whole_address_on_review(qtbot, make_kiosk):
    k = make_kiosk(ui={"voice_engine": "mock"})
    drive_to_form(qtbot, k, CERT)
    for name, value in (("phone", "13800138000"), ("purpose", "employment")):
        k.journey.set_field(name, value)
    k.journey._go(Step.DELIVERY)  # materials and signature have their own tests
    qtbot.waitUntil(at(k, "delivery"))
    k.ui.tap("delivery.method.express")
    qtbot.waitUntil(lambda: k.ui.find("delivery.address") is not None)
    assert k.ui.get("delivery.address").property("text") == ""  # no household address put in the street line
    assert k.ui.find("delivery.path.440300") is not None  # 广东省 › 深圳市, the district left to the citizen
    shot(k, "delivery-start.png")
    k.ui.tap("delivery.next")
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2100)  # the region is what is missing, and it says so
    k.ui.tap("delivery.region.440305")
    qtbot.waitUntil(lambda: k.vm.delivery.get("complete") and not k.vm.notice)  # the notice goes with its cause
    type_into(qtbot, k, "delivery.address", "粤海街道示例路88号")
    qtbot.waitUntil(lambda: k.vm.delivery.get("address") == "粤海街道示例路88号")
    shot(k, "delivery-done.png")
    k.ui.tap("delivery.next")
    qtbot.waitUntil(at(k, "review"))
    address = k.ui.get("review.address")
    k.ui.ensure_visible(address)
    assert address.property("text") == "广东省深圳市南山区粤海街道示例路88号"
    shot(k, "review.png")
