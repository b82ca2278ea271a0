"""ui.layout_check, the autopilot's eyes: it must see a cut-off QR code, a control off the screen and cut
text (so it can fail), and pass a screen where everything shows; the real screens pass it on small screens
(15.6"); tests/ui/test_layout_sweep.py runs all four layouts in both languages."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import Property, QObject

from devices.barcode.render import render_code
from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]

SCENE = """
import QtQuick
Item {
    width: 800; height: 600
    Item {
        objectName: "kioskScreen"
        width: 800; height: 600
        Rectangle { anchors.fill: parent; color: "white" }
        Item {
            id: page
            x: 0; y: 0; width: 800; height: 400; clip: true
            Image { objectName: "whole.qr"; x: 40; y: 40; width: 240; height: 240; source: "%(qr)s"; smooth: false }
            Image { objectName: "cut.qr"; x: 500; y: 260; width: 240; height: 240; source: "%(qr)s"; smooth: false }
            Rectangle { objectName: "page.button"; x: 300; y: 380; width: 160; height: 80; color: "navy" }
            Text { width: 120; elide: Text.ElideRight; text: "a sentence far too long for its box"; x: 300; y: 20 }
            Text { width: 400; text: "fits"; x: 300; y: 100 }
            Text { width: 120; elide: Text.ElideRight; text: "a department named in full elsewhere"; x: 300; y: 160
                   readonly property bool shortenedOnPurpose: true }
            Text { width: 120; elide: Text.ElideRight; text: "a notice that only says it may be cut"; x: 300; y: 220
                   readonly property bool shortenedOnPurpose: false }
        }
    }
}
"""


@pytest.fixture
def scene(qtbot, tmp_path):
    from PySide6.QtCore import QUrl
    from PySide6.QtQuick import QQuickView

    png = tmp_path / "qr.png"
    cv2.imwrite(str(png), render_code("https://pay.example/ORDER-1", module_px=6))
    qml = tmp_path / "scene.qml"
    qml.write_text(SCENE % {"qr": QUrl.fromLocalFile(str(png)).toString()}, encoding="utf-8")
    view = QQuickView()
    view.setSource(QUrl.fromLocalFile(str(qml)))
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.rootObject() is not None)
    yield view
    view.close()


def test_the_checker_sees_a_cut_qr_an_unreachable_control_and_elided_text(scene):
    from ui import layout_check
    from ui.autopilot_driver import UiDriver

    ui = UiDriver(scene)
    codes = layout_check.qr_codes(ui)
    assert codes["whole.qr"] == ["https://pay.example/ORDER-1"]  # decoded from the pixels
    assert codes["cut.qr"] == []                                  # cut by the page's edge: no phone reads it
    found = {(p.kind, p.item) for p in layout_check.problems(ui)}
    assert ("qr_unreadable", "cut.qr") in found and ("off_screen", "cut.qr") in found
    assert ("off_screen", "page.button") in found                 # half below the page's edge
    assert ("clipped_text", "text 'a sentence far too long for it'") in found
    assert ("clipped_text", "text 'a notice that only says it may'") in found
    assert not any(item in ("whole.qr", "text 'fits'") for _, item in found)
    # an elision the screen chose, its text shown whole elsewhere (the catalogue's department), is no problem
    assert not any(item.startswith("text 'a department") for _, item in found), found


# A few items in every layout and language (issue 17, Deliver 7): one autopilot process per layout and language,
# the three items in turn. tools/layout_sweep.py runs the whole catalogue the same way.
LAYOUT_ITEMS = ("312000218000",  # 无犯罪记录证明: card, form, capture, result; the acceptance number was below the fold;
                                 # elder English portrait: the guide's material names squeezed beside long tags
                "910000004000",  # a fee: the payment QR was cut off in landscape
                "960000001000")  # a bill: elder home lacked its tile; the end screen's smiley was cut in elder English
LAYOUTS = {"portrait-standard": [], "portrait-elder": ["--elder"],
           "landscape-standard": ["--orientation", "landscape"],
           "landscape-elder": ["--elder", "--orientation", "landscape"]}


def autopilot(tmp_path, items, *args: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    which = [a for code in items for a in ("--item", code)]
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", *which, "--journeys", "1", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
    return proc, [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    # the identify page's ~27 mm: the real-size card and reader drawing was cut with its labels (now shrinks)
    ["--orientation", "landscape"],
    # attract: the slide title and the hint were cut top and bottom (now two columns); end: the rating's
    # buttons were off the page (now scrolls) and "Dissatisfied" was wider than its button
    ["--elder", "--orientation", "landscape", "--lang", "en_US"],
    # portrait, elder, English (two rows of header buttons): the page was 254 mm, just over the short page's
    # 250, so the full heading left the camera's preview and its live message off the page
    ["--elder", "--lang", "en_US"],
])
def test_a_small_screen_shows_every_screen_whole(tmp_path, args):
    """15.6" screens: every screen of 无犯罪记录证明 passes the layout checker."""
    proc, lines = autopilot(tmp_path, ["312000218000"], "--screen", "15.6", *args)
    assert lines and all("layout_problems" not in x and "error" not in x for x in lines), lines
    assert proc.returncode == 0 and lines[-1]["receipt_printed"], proc.stderr[-2000:]


@pytest.mark.slow
def test_a_result_reason_with_a_long_data_name_wraps_in_landscape_elder(tmp_path):
    """应届毕业生引进 (920000001000) in landscape elder zh_CN: the result's reason names shared data by a long
    unbreakable name ("education.years_since_graduation"), which ran past its card (found by the sweep)."""
    proc, lines = autopilot(tmp_path, ["920000001000"], "--elder", "--orientation", "landscape")
    assert lines and all("layout_problems" not in x and "error" not in x for x in lines), lines
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.slow
def test_long_words_and_codes_wrap_on_a_small_portrait_elder_english_screen(tmp_path):
    """15.6" portrait, elder, English (the sweep): "Endorsement" was wider than the payment card's narrow
    column, and an 18-character credit code ran past the review card; both break inside their box now."""
    proc, lines = autopilot(tmp_path, ["910000002000", "930000002000"], "--screen", "15.6", "--elder",
                            "--lang", "en_US")
    assert len(lines) == 2 and all("layout_problems" not in x and "error" not in x for x in lines), lines
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_asking_for_missing_properties_many_times_does_not_crash_the_process():
    """PySide6 hands back an uncounted None for a property an item lacks: 10,000 such calls abort Python
    ("none_dealloc"), which ended a long autopilot run. ``prop`` never asks Qt for a missing property."""
    script = ("from PySide6.QtGui import QGuiApplication\nfrom PySide6.QtQuick import QQuickItem\n"
              "from ui.autopilot_driver import prop\napp = QGuiApplication([])\nitem = QQuickItem()\n"
              "assert all(prop(item, 'truncated') is None for _ in range(30000))\n"
              "assert prop(item, 'width') == 0.0\nprint('ok')\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-1000:]


ROOM_SCENE = """
import QtQuick
Item {
    width: 1000; height: 800
    Item {
        objectName: "kioskScreen"
        width: 1000; height: 800
        Loader {
            objectName: "page"
            anchors.fill: parent
            sourceComponent: Item {
                Text { objectName: "page.title"; x: 20; y: 20; width: 400; text: "A title"; font.pixelSize: 40 }
                Text { objectName: "page.prompt"; x: 20; y: 80; width: 400; height: 120; text: "A prompt of three lines"
                       font.pixelSize: 30 }
                Grid {   // the page's actions, one of them drawn over the prompt
                    readonly property real shareWidth: 300
                    x: 20; y: 150; columns: 1
                    Rectangle { objectName: "room.action"; width: 300; height: 80; color: "navy" }
                }
                Flickable {   // 10 mm of a 100 mm text: a slit
                    objectName: "room.slit"; x: 500; y: 20; width: 400; height: 40; clip: true; contentHeight: 400
                    Rectangle { width: 400; height: 400; color: "#eee" }
                }
                Flickable {   // 60 mm shown of 100: room enough to read and swipe
                    objectName: "room.roomy"; x: 500; y: 100; width: 400; height: 240; clip: true; contentHeight: 400
                    Rectangle { width: 400; height: 400; color: "#ddd" }
                }
                Flickable {   // all of it shows: nothing to swipe
                    objectName: "room.short"; x: 500; y: 360; width: 400; height: 40; clip: true; contentHeight: 30
                }
                Flickable {   // a value wider than its list, which scrolls up and down only
                    objectName: "room.list"; x: 500; y: 420; width: 400; height: 300; clip: true; contentHeight: 600
                    Text { x: 200; width: 350; text: "a value past the side"; font.pixelSize: 30 }
                    Text { y: 60; width: 350; text: "a value inside"; font.pixelSize: 30 }
                }
            }
        }
    }
}
"""


class _Kiosk(QObject):
    """The kiosk view model's one property the checker reads: logical px per mm of the glass."""

    pxPerMm = Property(float, lambda self: 4.0, constant=True)  # noqa: N815 - QML name


def test_the_checker_sees_a_slit_a_heading_under_an_action_and_a_value_past_its_list(qtbot, tmp_path):
    """The 21.5" sweep's defects, on a scene: a scrolling area that scrolls but shows 10 mm (MIN_VIEW_MM 35), an
    action drawn over the prompt, and a text running past the side of a list that only scrolls up and down."""
    from PySide6.QtCore import QUrl
    from PySide6.QtQuick import QQuickView

    from ui import layout_check
    from ui.autopilot_driver import UiDriver

    qml = tmp_path / "room.qml"
    qml.write_text(ROOM_SCENE, encoding="utf-8")
    view = QQuickView()
    kiosk = _Kiosk()
    view.rootContext().setContextProperty("kiosk", kiosk)
    view.setSource(QUrl.fromLocalFile(str(qml)))
    view.show()
    qtbot.waitExposed(view)
    ui = UiDriver(view)
    qtbot.waitUntil(lambda: ui.find("room.slit") is not None)
    found = {(p.kind, p.item) for p in layout_check.problems(ui)}
    assert ("cramped", "room.slit") in found
    assert not any(item in ("room.roomy", "room.short") for _, item in found), found
    assert ("overlap", "room.action / page.prompt") in found
    assert not any(item == "room.action / page.title" for _, item in found)
    assert ("clipped_text", "text 'a value past the side'") in found
    assert not any(item == "text 'a value inside'" for _, item in found)
    view.close()
