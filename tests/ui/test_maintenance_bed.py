"""学习空台面 on the console's camera card, in the real QML UI: learn, see it learned, forget; the buttons and lines
fit on a 15.6" screen in portrait (Chinese) and landscape (English). KIOSK_TEST_SHOTS=DIR keeps the screens."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QPointF, QRectF

from kiosk import screen
from kiosk.capture.bed import BedStore
from tests.ui.test_maintenance_console import open_console, text
from ui import layout_check


def scene_rect(item) -> QRectF:
    return QRectF(item.mapToScene(QPointF(0, 0)), item.mapToScene(QPointF(item.width(), item.height())))


def card_of(item):
    while item is not None and "DeviceCard" not in item.metaObject().className():
        item = item.parentItem()
    return item


def shot(k, name: str) -> None:
    where = os.environ.get("KIOSK_TEST_SHOTS")
    if where:
        os.makedirs(where, exist_ok=True)
        k.ui.grab().save(os.path.join(where, f"{name}.png"))


def shown_whole(k, name: str) -> bool:
    """Scroll the device list to ``name`` (a swipe) and say whether it now shows whole in the list."""
    item = k.ui.get(name)
    k.ui.ensure_visible(item)
    return scene_rect(k.ui.get("maint.devices")).contains(scene_rect(item))


def camera_card_problems(k) -> list:
    """The layout checker's findings on the camera card, and a button of it that sticks out of the card."""
    found = [p for p in layout_check.problems(k.ui) if p.item.startswith("maint.device.camera")]
    card = scene_rect(card_of(k.ui.get("maint.device.camera.learnBed")))
    for name in ("maint.device.camera.learnBed", "maint.device.camera.forgetBed", "maint.device.camera.bed",
                 "maint.device.camera.bedResult"):
        item = k.ui.find(name)
        if item is not None and not card.contains(scene_rect(item).adjusted(1, 1, -1, -1)):
            found.append(f"{name} sticks out of the camera card")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("orientation,lang", [("portrait", "zh_CN"), ("landscape", "en_US")])
def test_a_technician_learns_and_forgets_the_empty_bed_on_the_camera_card(qtbot, make_kiosk, orientation, lang):
    k = make_kiosk(ui={"orientation": orientation, "lang": lang}, screen={"diagonal_in": screen.PROFILES_IN["15.6"]})
    zh = lang == "zh_CN"
    k.hw["camera"].remove_page()   # the bed is empty
    open_console(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("maint.device.camera.learnBed") is not None)
    qtbot.waitUntil(lambda: "IDLE" in text(k, "maint.device.camera.state"), timeout=10000)
    assert text(k, "maint.device.camera.bed") == ("空台面：未学习" if zh else "Empty bed: not learned")
    assert k.ui.find("maint.device.camera.forgetBed") is None     # nothing to forget yet
    k.ui.ensure_visible(k.ui.get("maint.device.camera.learnBed"))

    k.ui.tap("maint.device.camera.learnBed")
    done = "已记住空台面" if zh else "The empty bed is learned"
    qtbot.waitUntil(lambda: done in text(k, "maint.device.camera.bedResult"), timeout=30000)
    status = text(k, "maint.device.camera.bed")
    assert status.startswith("空台面：已学习（" if zh else "Empty bed: learned (") and "2048×1536" in status
    assert BedStore(k.comp.settings.data_dir).load().frame_size == (2048, 1536)
    qtbot.waitUntil(lambda: k.ui.find("maint.device.camera.forgetBed") is not None)
    qtbot.waitUntil(lambda: shown_whole(k, "maint.device.camera.forgetBed"))   # the row moves as the lines appear
    qtbot.waitUntil(lambda: camera_card_problems(k) == [], timeout=3000)
    shot(k, f"maintenance-bed-learned-{orientation}-{lang}")

    k.ui.tap("maint.device.camera.forgetBed")
    qtbot.waitUntil(lambda: text(k, "maint.device.camera.bed") == ("空台面：未学习" if zh else "Empty bed: not learned"))
    assert k.ui.find("maint.device.camera.forgetBed") is None
    assert ("已清除空台面" if zh else "forgotten") in text(k, "maint.device.camera.bedResult")
    assert not BedStore(k.comp.settings.data_dir).path.exists()
    assert camera_card_problems(k) == []


def test_the_camera_card_says_when_the_learned_bed_no_longer_matches(qtbot, make_kiosk):
    """Three citizens' visits showed another bed than the one learned (the camera moved): the card says so,
    with its code and what to do, whole on a 15.6" landscape screen in English."""
    from kiosk.capture.bed import learn
    from kiosk.capture.bed_watch import BedWatch
    from kiosk.capture.presence import bed_look
    from tests.helpers import hard_scenes as hs

    k = make_kiosk(ui={"orientation": "landscape", "lang": "en_US"},
                   screen={"diagonal_in": screen.PROFILES_IN["15.6"]})
    data_dir = k.comp.settings.data_dir
    bed = learn([hs.render("on_table", 0, bed="same").image] * 3, now=0.0)
    BedStore(data_dir).save(bed)
    watch, moved = BedWatch(data_dir), bed_look(hs.render("on_table", 5, bed="same").image)
    for _ in range(3):
        for _ in range(30):
            watch.frame(bed, moved, (hs.W, hs.H))
        watch.visit_over(bed)
    open_console(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("maint.device.camera.bedStale") is not None)
    said = text(k, "maint.device.camera.bedStale")
    assert said.startswith("Code 2163: in the last 3 citizens' visits the camera never saw the learned empty bed")
    assert "learn it again" in said
    k.ui.ensure_visible(k.ui.get("maint.device.camera.bedStale"))
    qtbot.waitUntil(lambda: camera_card_problems(k) == [], timeout=3000)
    shot(k, "maintenance-bed-stale-landscape-en")
