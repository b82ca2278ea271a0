"""The materials screen with the simulated document camera: the live outline, automatic capture of a steady
page without a tap, and what the screen says when the page is wrong. Waits on conditions, never sleeps."""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import polygon_iou
from kiosk.journey.plan import Step
from tests.ui.test_ui_journey import at, drive_to_form, type_into

ITEM = "312000218000"  # 无犯罪记录证明: one material (the purpose letter) to lay under the camera
MATERIAL = "purpose_letter"
PREVIEW = (960, 720)   # the simulated camera's preview size (2048x1536 stills)


def drive_to_materials(qtbot, k):
    drive_to_form(qtbot, k, ITEM)
    k.ui.tap("form.choice.purpose.employment")
    type_into(qtbot, k, "form.field.phone", "13800138000")
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "materials"), timeout=10000)


def outline_pixels(k, rgb: tuple[int, int, int]) -> int:
    """How many pixels of the screen have the outline's colour (the preview draws it onto the frame)."""
    img = k.ui.grab().convertToFormat(k.ui.grab().format().Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    a = np.frombuffer(img.constBits(), np.uint8, bpl * h).reshape(h, bpl)[:, :3 * w].reshape(h, w, 3).astype(int)
    return int((np.abs(a - np.array(rgb)).sum(axis=2) < 40).sum())


@pytest.mark.slow
def test_a_steady_page_is_captured_without_a_tap_and_a_cut_off_page_is_explained(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_materials(qtbot, k)
    cam = k.hw["camera"]
    count = lambda: k.journey.session.page_count(MATERIAL)  # noqa: E731
    live = k.journey.steps[Step.MATERIALS].live
    assert live is not None and live.running
    assert k.ui.get("materials.capture").property("visible")        # 拍摄 by hand stays
    # Nothing under the camera: the screen says where to lay the page.
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "no_page", timeout=10000)
    assert k.ui.get("materials.live").property("text") == "请将材料放在高拍仪下方"

    # A page pushed over the frame edge: outlined in amber, explained, and not captured however long it lies.
    cam.put_page("form", seed=4, category="cut_off")
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "cut_off", timeout=10000)
    qtbot.waitUntil(lambda: k.ui.get("materials.live").property("text") == "材料超出画面，请移到中间")
    seen = live.counters.frames
    qtbot.waitUntil(lambda: live.counters.frames >= seen + 15, timeout=15000)   # > 1.5 s of preview frames
    assert count() == 0 and cam.stills == 0 and k.vm.live.get("problem") == "cut_off"
    qtbot.waitUntil(lambda: outline_pixels(k, (255, 170, 0)) > 300, timeout=5000)

    # A good page laid flat: found (the outline matches the true corners) and captured by itself.
    cam.put_page("form", seed=5, category="plain")
    qtbot.waitUntil(lambda: count() == 1, timeout=20000)
    assert cam.stills == 1
    frame = k.journey.live_frame()
    assert frame is not None and frame.quad is not None
    assert polygon_iou(frame.quad, cam.truth(PREVIEW).quad.as_array()) > 0.95
    qtbot.waitUntil(lambda: k.vm.live.get("state") == "done" and not k.vm.busy, timeout=10000)
    qtbot.waitUntil(lambda: k.ui.get("materials.live").property("text") == "已拍好，请放下一页")
    qtbot.waitUntil(lambda: outline_pixels(k, (60, 200, 60)) > 300, timeout=5000)
    # It stays one page while it lies there.
    seen = live.counters.frames
    qtbot.waitUntil(lambda: live.counters.frames >= seen + 15, timeout=15000)
    assert count() == 1 and cam.stills == 1

    # In English the same advice is given.
    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: k.ui.get("materials.live").property("text") == "Captured. Lay the next page")
