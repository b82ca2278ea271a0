"""The materials screen when something lies under the camera but no page outline is confident (issue 22 item 1):
a sheet larger than the camera's view (the simulator's "oversize" scene, laid with the demo panel's button: no
edge to find).

Protects: the screen says so, in Chinese and in English, and says it aloud once; 拍摄 is emphasised (primary,
ringed) and 下一项 is not; no outline is drawn; 拍摄 keeps the whole picture, uncropped, and its thumbnail shows
it whole; it is then not asked for again while it lies there. Waits on conditions, never sleeps.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.journey.plan import Step
from kiosk.speech.utterance import UNSURE
from tests.ui.test_ui_materials import MATERIAL, drive_to_materials, thumb_ready
from ui import layout_check
from ui.autopilot_driver import prop

ZH = "看不清材料的边缘。请把材料放平，或直接按「拍摄」拍下整个画面。"
EN = "Can't see the page's edges. Lay it flat, or press Capture to take the whole picture."


def shots(tmp_path: Path) -> Path:
    """Where the screenshots go (KIOSK_SHOTS to keep them for a look, else the test's temporary folder)."""
    folder = Path(os.environ.get("KIOSK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.slow
def test_a_sheet_without_edges_is_explained_and_captured_whole_by_hand(qtbot, make_kiosk, tmp_path):
    k = make_kiosk(idle={"material_done_s": 60.0})   # the complete material stays on screen (see the end)
    drive_to_materials(qtbot, k)
    cam = k.hw["camera"]
    live = k.journey.steps[Step.MATERIALS].live
    text = lambda: k.ui.get("materials.live").property("text")  # noqa: E731
    button = k.ui.get("materials.capture")
    assert UNSURE.zh == ZH and UNSURE.en == EN                      # said as shown
    # The empty bed: where to lay the page, and its look is learnt.
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "no_page" and live.auto.bed_known, timeout=10000)
    assert not prop(button, "emphasised")

    cam.seed = 0                                                  # the panel lays the next seed: 1
    k.ui.tap("sim.page.oversize")                                 # the tester's button in the demo panel
    assert cam.category == "oversize" and cam.seed == 1
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "unsure", timeout=10000)
    qtbot.waitUntil(lambda: text() == ZH)
    assert prop(button, "emphasised") and prop(button, "primary")
    assert prop(k.ui.get("materials.capture.emphasis"), "visible")
    assert not prop(k.ui.get("materials.next"), "primary")
    qtbot.waitUntil(lambda: ZH in k.app.voice.said)
    seen = live.counters.frames
    outlines = []
    qtbot.waitUntil(lambda: outlines.append(k.journey.live_frame().quad) or live.counters.frames >= seen + 10,
                    timeout=10000)
    assert all(q is None for q in outlines)                          # no outline drawn below CONFIDENT
    assert k.journey.session.page_count(MATERIAL) == 0 and cam.stills == 0
    k.ui.grab().save(str(shots(tmp_path) / "materials-unsure-zh_CN.png"))
    assert layout_check.problems(k.ui) == []                      # the ring and the long message fit

    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: text() == EN)
    assert prop(button, "emphasised")
    k.ui.grab().save(str(shots(tmp_path) / "materials-unsure-en_US.png"))
    assert layout_check.problems(k.ui) == []
    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: text() == ZH)

    # 拍摄: the whole picture is kept, uncropped, and the thumbnail shows it whole (4:3, as the camera sees).
    k.ui.tap("materials.capture")
    qtbot.waitUntil(lambda: k.journey.session.page_count(MATERIAL) == 1 and not k.vm.busy, timeout=20000)
    page = k.journey.session.pages[MATERIAL][0]
    assert page.whole and (page.width, page.height) == (cam.width, cam.height)
    qtbot.waitUntil(lambda: thumb_ready(k, 1), timeout=10000)
    thumb = k.ui.get("materials.thumb.image.1")
    assert abs(prop(thumb, "implicitWidth") / prop(thumb, "implicitHeight") - cam.width / cam.height) < 0.02
    qtbot.waitUntil(lambda: k.vm.live.get("state") == "done" and not prop(button, "emphasised"), timeout=10000)
    k.ui.grab().save(str(shots(tmp_path) / "materials-unsure-captured-zh_CN.png"))
    # It lies there still: not asked for again (past the 2 s), and nothing captured a second time.
    seen = live.counters.frames
    qtbot.waitUntil(lambda: live.counters.frames >= seen + 25, timeout=20000)
    assert k.vm.live.get("problem") != "unsure" and k.journey.session.page_count(MATERIAL) == 1 and cam.stills == 1
    # The panel's ordinary pages have edges again (the oversize scene does not stick to the camera).
    k.ui.tap("sim.page.form")
    assert cam.category == "plain" and cam.page_kind == "form"
