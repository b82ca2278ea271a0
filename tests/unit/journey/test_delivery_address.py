"""The delivery address (issue 15, Deliver 8): a region picked from the administrative list plus a detail
line, never a household address from the card or shared data; each missing part named on its own; the
package keeps region and detail apart; the confirm page shows it in full."""
from __future__ import annotations

from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.platform.regions import load_regions
from tests.unit.journey.drive import SIGNATURE, to_sign
from ui.models import present


def to_delivery(rig):
    to_sign(rig)
    rig.j.sign(SIGNATURE, 300, 100)
    assert rig.j.step == Step.DELIVERY


def test_the_detail_line_is_never_prefilled_with_a_household_address(rig):
    to_delivery(rig)
    d = rig.j.session.delivery
    card = IDENTITIES["graduate"]
    assert d.recipient == card.name and d.phone == "13800138000"  # shown, editable
    assert d.address == ""  # not the card's 户籍 address, not the residence from shared data
    assert d.region == "440300" and not load_regions().complete(d.region)  # the kiosk's city; the district is theirs


def test_express_names_exactly_what_is_missing(rig):
    to_delivery(rig)
    rig.j.choose_delivery("express", phone="123")
    rig.j.delivery_done()
    assert rig.j.step == Step.DELIVERY and rig.j.notice.code == KioskErrorCode.DELIVERY_CONTACT_MISSING
    rig.j.choose_delivery("express", phone="13800138000")
    rig.j.delivery_done()
    assert rig.j.notice.code == KioskErrorCode.DELIVERY_REGION_MISSING  # the district, not the filled fields
    assert "地区" in rig.j.notice.text.zh and "收件人" not in rig.j.notice.text.zh
    rig.j.choose_delivery("express", region="440305")
    rig.j.delivery_done()
    assert rig.j.notice.code == KioskErrorCode.DELIVERY_DETAIL_MISSING
    rig.j.choose_delivery("express", address="粤海街道示例路88号")
    rig.j.delivery_done()
    assert rig.j.step == Step.REVIEW


def test_the_package_keeps_region_and_detail_apart_and_the_review_shows_the_whole_address(rig):
    to_delivery(rig)
    rig.j.choose_delivery("express", region="440305", address="粤海街道示例路88号")
    rig.j.delivery_done()
    review = present.review_view(rig.j, "zh_CN")
    assert review["address"] == {"recipient": "李小明", "phone": "13800138000", "address": "广东省深圳市南山区粤海街道示例路88号"}
    rig.j.confirm()
    rig.run()
    (package,) = rig.outbox.packages.values()
    delivery = package.manifest["delivery"]
    assert delivery["region"] == "440305" and delivery["address"] == "粤海街道示例路88号"


def test_a_pickup_carries_no_address(rig):
    to_delivery(rig)
    rig.j.choose_delivery("express", region="440305", address="粤海街道示例路88号")
    rig.j.choose_delivery("pickup")
    rig.j.delivery_done()
    assert present.review_view(rig.j, "zh_CN")["address"] == {}
    rig.j.confirm()
    rig.run()
    (package,) = rig.outbox.packages.values()
    assert package.manifest["delivery"]["region"] == "" and package.manifest["delivery"]["address"] == ""


def test_the_picker_goes_down_to_a_complete_region_and_offers_siblings_there(rig):
    to_delivery(rig)
    view = present.delivery_view(rig.j, "zh_CN")
    assert [p["label"] for p in view["path"]] == ["广东省", "深圳市"] and not view["complete"]
    assert "南山区" in [c["label"] for c in view["choices"]]
    rig.j.choose_delivery("express", region="440305")
    view = present.delivery_view(rig.j, "zh_CN")
    assert view["complete"] and view["regionText"] == "广东省深圳市南山区"
    assert "福田区" in [c["label"] for c in view["choices"]]  # switch district in one tap
    rig.j.choose_delivery("express", region=view["path"][0]["parent"])  # tap 广东省: choose the province again
    assert len(present.delivery_view(rig.j, "zh_CN")["choices"]) == 31
