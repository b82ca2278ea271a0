"""Offline known before the citizen starts (issue 15, item 3), on the real screens: with the platform
unreachable the home screen says so calmly, the catalogue flags the items that need it with the reason,
and their guide offers 开始办理 disabled; a queueable item's guide says the application goes out when the
network is back. When the platform answers again all of that goes, without a restart."""
from __future__ import annotations

import os
from pathlib import Path

from tests.helpers.servers import closed_port_url
from tests.ui.test_ui_journey import at
from ui.autopilot_driver import prop

FEE = "910000002000"  # 往来港澳通行证签注: ￥15
CERT = "312000218000"  # 无犯罪记录证明: no fee, no look-up


def shot(k, name: str) -> None:
    """KIOSK_TEST_SHOTS=DIR keeps the screens for a person to look at."""
    where = os.environ.get("KIOSK_TEST_SHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        k.ui.grab().save(str(Path(where) / f"{name}.png"))


def network(k, up: bool, platform_url: str) -> None:
    """The network to the platform goes or comes back; the heartbeat notices it (its own round, now)."""
    rt = k.comp.runtime
    rt.client.t.base_url = platform_url if up else closed_port_url()
    rt.telemetry.beat()


def test_offline_the_home_says_so_the_catalogue_flags_fee_items_and_their_guide_cannot_start(qtbot, make_kiosk):
    k = make_kiosk()
    platform_url = k.comp.runtime.client.t.base_url
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    assert k.ui.find("offlineNotice") is None  # online: nothing said

    network(k, False, platform_url)
    qtbot.waitUntil(lambda: k.ui.find("offlineNotice") is not None)
    said = prop(k.ui.get("offlineNotice.text"), "text")
    assert said.startswith("网络暂时中断") and "缴费" in said and "网络恢复后自动提交" in said
    assert k.vm.link == "offline"
    shot(k, "offline-home")

    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    fee_row = k.ui.scroll_to(f"catalog.item.{FEE}.blocked", "catalog.list")
    assert prop(fee_row, "text") == "网络中断，需要在线缴费"
    assert k.ui.get(f"catalog.item.{FEE}.notNow").isVisible()  # the tag says 暂不可办; the reason does not repeat it
    assert prop(k.ui.get(f"catalog.item.{FEE}.notNow"), "text") == "暂不可办"
    k.ui.scroll_to(f"catalog.item.{CERT}", "catalog.list")
    assert k.ui.find(f"catalog.item.{CERT}.blocked") is None  # queueable: not flagged
    shot(k, "offline-catalog")

    k.ui.tap(k.ui.scroll_to(f"catalog.item.{FEE}", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    said = prop(k.ui.get("guide.offline.text"), "text")
    assert "需要在线缴费" in said and "请稍后再来或到窗口办理" in said
    assert prop(k.ui.get("guide.start"), "enabled") is False  # 开始办理 greyed out, the reason above it
    assert prop(k.ui.get("guide.start"), "subtext") == "网络恢复后可办理"
    k.journey.start_item()  # and the journey refuses it too, with its code
    assert k.journey.step.value == "guide" and k.vm.notice.get("code") == 2080
    shot(k, "offline-guide-fee")

    k.ui.tap("header.back")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap(k.ui.scroll_to(f"catalog.item.{CERT}", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    assert "网络恢复后自动提交" in prop(k.ui.get("guide.offline.text"), "text")
    assert prop(k.ui.get("guide.start"), "enabled") is True
    shot(k, "offline-guide-queueable")

    # The platform answers again: the notes go, the fee item can be started, no restart.
    network(k, True, platform_url)
    qtbot.waitUntil(lambda: k.vm.link == "online")
    qtbot.waitUntil(lambda: k.ui.find("guide.offline") is None)
    k.ui.tap("header.back")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.scroll_to(f"catalog.item.{FEE}", "catalog.list")
    assert k.ui.find(f"catalog.item.{FEE}.blocked") is None
    k.ui.tap(k.ui.scroll_to(f"catalog.item.{FEE}", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    assert prop(k.ui.get("guide.start"), "enabled") is True
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))
    k.journey.cancel()
    qtbot.waitUntil(at(k, "home"))
    assert k.ui.find("offlineNotice") is None
    shot(k, "online-home")


def test_the_offline_notice_reads_in_english(qtbot, make_kiosk):
    k = make_kiosk()
    platform_url = k.comp.runtime.client.t.base_url
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    k.ui.tap("home.lang")
    qtbot.waitUntil(lambda: k.vm.lang == "en_US")
    network(k, False, platform_url)
    qtbot.waitUntil(lambda: k.ui.find("offlineNotice") is not None)
    assert prop(k.ui.get("offlineNotice.text"), "text").startswith("The network is down")
    shot(k, "offline-home-en")


def test_offline_catalogue_rows_keep_their_width_for_the_name_and_the_reason(qtbot, make_kiosk):
    """15.6" landscape, elder, English, offline: an instant item that needs the platform carries two tags
    (Instant, Not available now). Beside the name they took so much of the row that the name and the reason
    wrapped one word a line: a row 1,879 px tall in a 571 px list (seen by the --offline autopilot). Tags wider
    than a third of the row go under the name."""
    from ui.layout_check import _scene_rect

    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": True, "lang": "en_US"},
                   screen={"source": "setting", "diagonal_in": 15.6, "px_per_mm": 0.0})
    platform_url = k.comp.runtime.client.t.base_url
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    network(k, False, platform_url)
    qtbot.waitUntil(lambda: k.ui.find("offlineNotice") is not None)
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    listed = _scene_rect(k.ui.get("catalog.list"))
    row = k.ui.scroll_to("catalog.item.920000005000", "catalog.list")  # 秒批, needs shared records
    reason = k.ui.get("catalog.item.920000005000.blocked")
    assert reason.isVisible() and reason.width() >= listed.width() * 0.6, reason.width()
    assert row.height() < 2 * listed.height(), row.height()
    shot(k, "offline-catalog-two-tags-15in-elder-en")
