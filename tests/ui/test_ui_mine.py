"""我的办件 on the real screens (issue 18, deliver 3): the home tile, the card on the reader, the card holder's
applications from the platform newest first with their status in words, one opened with its timeline (the
courier's steps included), 返回 to the list and home, in portrait and landscape, Chinese and English,
standard and elder, with the layout checker finding nothing. An empty list and an offline platform each get
their calm sentence. KIOSK_TEST_SHOTS=DIR keeps the screens to look at."""
from __future__ import annotations

import pytest

from kiosk.platform.admin import AdminClient
from tests.helpers.manifests import complete
from tests.ui.test_ui_journey import at
from tests.ui.test_ui_offline import network, shot
from ui import layout_check
from ui.autopilot_driver import prop

INTAKE = "920000001000"  # 应届毕业生引进落户: 秒批, by express here
CERT = "312000218000"  # 无犯罪记录证明: accepted, waits for review


def filed(k, who: str = "graduate") -> list[str]:
    """Two applications of the card holder at the platform: a certificate, then an intake sent by express
    that the courier has picked up and carries. Newest first."""
    client = k.comp.runtime.client
    kid = k.comp.settings.kiosk_id
    refs = []
    for code, express in ((CERT, False), (INTAKE, True)):
        from kiosk.platform.schema import DeliveryInfo
        delivery = DeliveryInfo(method="express", recipient="李小明", phone="13800138000", region="440305",
                                address="粤海街道示例路88号") if express else DeliveryInfo()
        m, files = complete(code, who, kiosk_id=kid, delivery=delivery)
        refs.append(client.submit(m, files).reference)
    admin = AdminClient(k.comp.platform.url, k.comp.platform.admin_token, timeout_s=5)
    waybill = client.status(refs[-1]).waybill_no
    admin.advance_waybill(waybill)
    admin.advance_waybill(waybill)  # picked up, in transit
    return refs[::-1]


def texts(k) -> list[str]:
    return [str(prop(i, "text")) for i in layout_check._screen_items(k.ui) if prop(i, "text")]


def open_mine(qtbot, k, who="graduate"):
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    k.ui.tap("home.mine")
    qtbot.waitUntil(at(k, "mine"))
    assert k.ui.find("mine.card") is not None
    k.hw["idcard"].place_card(who)


LAYOUTS = [("portrait", False, "zh_CN"), ("landscape", True, "en_US"), ("portrait", True, "zh_CN"),
           ("landscape", False, "en_US")]


@pytest.mark.parametrize("orientation,elder,lang", LAYOUTS,
                         ids=["portrait-standard-zh", "landscape-elder-en", "portrait-elder-zh", "landscape-standard-en"])
def test_the_card_holder_lists_their_applications_and_opens_one(qtbot, make_kiosk, orientation, elder, lang):
    k = make_kiosk(ui={"orientation": orientation, "elder_mode": elder, "lang": lang})
    newest, older = filed(k)
    en = lang == "en_US"
    open_mine(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("mine.list") is not None and not k.vm.busy, timeout=10000)
    name = f"mine-list-{orientation}-{'elder' if elder else 'standard'}-{lang}"
    assert [i["reference"] for i in k.vm.mine["items"]] == [newest, older]

    def y(name):
        item = k.ui.get(name)
        return item.mapToScene(item.boundingRect().topLeft()).y()
    qtbot.waitUntil(lambda: y(f"mine.item.{newest}") < y(f"mine.item.{older}"))  # on screen too, once laid out
    shot(k, name)
    assert prop(k.ui.get(f"mine.item.{newest}.status"), "text") == ("Sent" if en else "已寄出")
    assert prop(k.ui.get(f"mine.item.{older}.status"), "text") == ("Accepted" if en else "已受理")
    shown = texts(k)
    assert ("Applications of 李**" if en else "李** 的办件") in shown
    assert any(("2 in all" if en else "共 2 件") in t for t in shown)
    assert any("无犯罪记录证明" in t or "criminal" in t.lower() for t in shown)
    assert layout_check.problems(k.ui) == []

    k.ui.tap(f"mine.item.{newest}")
    qtbot.waitUntil(lambda: k.ui.find("mine.detail") is not None and not k.vm.busy, timeout=10000)
    shot(k, name.replace("list", "detail"))
    shown = texts(k)
    picked = "The result was picked up by the courier" if en else "办理结果已由快递揽收寄出"
    assert picked in shown and ("The result is in transit" if en else "办理结果运输中") in shown
    assert any(("issued, verification code" if en else "核验码") in t for t in shown)  # the signed result
    assert ("Received" if en else "已受理") in shown
    assert any(newest in t for t in shown)
    assert k.ui.find("mine.print") is not None  # issued, and the demo kiosk has an A4 printer (issue 18)
    # the action row places the print button at its next layout pass
    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=3000)

    k.ui.tap("header.back")
    qtbot.waitUntil(lambda: k.ui.find("mine.list") is not None)
    assert k.vm.step == "mine"
    k.ui.tap("header.back")
    qtbot.waitUntil(at(k, "home"))
    assert k.vm.mine["items"] == []  # wiped with the session


def test_no_applications_get_a_calm_sentence(qtbot, make_kiosk):
    k = make_kiosk()
    open_mine(qtbot, k, "elder")
    qtbot.waitUntil(lambda: k.ui.find("mine.empty") is not None and not k.vm.busy, timeout=10000)
    assert prop(k.ui.get("mine.empty"), "text").startswith("暂时没有您的办件记录")
    assert k.vm.notice == {}
    shot(k, "mine-empty")


def test_offline_the_screen_says_the_list_needs_the_network(qtbot, make_kiosk):
    k = make_kiosk()
    url = k.comp.runtime.client.t.base_url
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    network(k, False, url)
    qtbot.waitUntil(lambda: k.vm.link == "offline")
    k.ui.tap("home.mine")
    qtbot.waitUntil(lambda: k.ui.find("mine.offline") is not None)
    said = prop(k.ui.get("mine.offline.text"), "text")
    assert "需要连接政务平台" in said and "代码 2140" in texts(k)
    shot(k, "mine-offline")
    network(k, True, url)
    qtbot.waitUntil(lambda: k.ui.find("mine.card") is not None, timeout=10000)  # back: lay the card
