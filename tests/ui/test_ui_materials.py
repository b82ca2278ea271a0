"""The materials screen with the simulated document camera: the live outline, automatic capture of a steady
page without a tap, and what the screen says when the page is wrong. Waits on conditions, never sleeps."""
from __future__ import annotations

import re

import numpy as np
import pytest

from devices.camera.docscan import polygon_iou
from kiosk.journey.plan import Step
from tests.ui.test_ui_journey import at, drive_to_form, type_into
from ui.autopilot_driver import prop

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
    # The countdown to the next material (3 s by default) is long enough here for the citizen's cancelling tap
    # to come after the outline check on a loaded machine: a CI-like run at load 15 saw 3 s expire first, and a
    # CI simulation where this test took 27 s (14 s alone) saw 9 s expire (the tap is under test, not the end).
    k = make_kiosk(idle={"material_done_s": 30.0})
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
    # The one required page is there: not "lay the next page" (issue 17) but complete, and what comes next.
    text = lambda: k.ui.get("materials.live").property("text")  # noqa: E731
    qtbot.waitUntil(lambda: re.fullmatch(r"本材料已齐，\d+ 秒后自动进入下一步，点击屏幕可取消", text()) is not None)
    qtbot.waitUntil(lambda: outline_pixels(k, (60, 200, 60)) > 300, timeout=5000)
    k.ui.tap("materials.preview")  # a tap on the screen: the citizen wants to stay (add a page)
    qtbot.waitUntil(lambda: text() == "本材料已齐，可再拍一页，或点“完成拍摄”")
    assert k.vm.autoMove == {} and k.vm.step == "materials"
    # It stays one page while it lies there.
    seen = live.counters.frames
    qtbot.waitUntil(lambda: live.counters.frames >= seen + 15, timeout=15000)
    assert count() == 1 and cam.stills == 1 and k.vm.step == "materials"

    # In English the same advice is given.
    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: text() == "This document is complete. Add a page, or tap “Finish capturing”")


def lift_page(qtbot, k):
    """The citizen takes the page away and the camera sees the empty bed for a while (a second of frames)."""
    k.hw["camera"].remove_page()
    live = k.journey.steps[Step.MATERIALS].live
    seen = live.counters.frames
    qtbot.waitUntil(lambda: live.counters.frames >= seen + 10, timeout=15000)


def thumb_ready(k, page):
    img = k.ui.find(f"materials.thumb.image.{page}")
    return img is not None and prop(img, "progress") == 1.0 and (prop(img, "implicitWidth") or 0) > 100  # loaded


@pytest.mark.slow
def test_captured_pages_show_as_thumbnails_to_retake_or_delete_and_a_complete_material_moves_on(qtbot, make_kiosk,
                                                                                                tmp_path):
    # The countdown to the next material is 9 s, not 3: the test reads it and taps on the materials screen while
    # it runs, and a loaded machine that looked after 3 s would find the signature screen (as in the test above).
    k = make_kiosk(idle={"material_done_s": 9.0})
    drive_to_materials(qtbot, k)
    cam = k.hw["camera"]
    count = lambda: k.journey.session.page_count(MATERIAL)  # noqa: E731
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "no_page", timeout=10000)
    cam.put_page("form", seed=5, category="plain")
    qtbot.waitUntil(lambda: count() == 1 and not k.vm.busy, timeout=20000)
    # The page as a thumbnail with its material's name, decoded from memory: no file holds it.
    qtbot.waitUntil(lambda: thumb_ready(k, 1), timeout=10000)
    name = k.vm.material["name"]
    labels = [i for i in k.ui.find_prefix("") if prop(i, "text") == f"{name} 第 1 页"]
    assert labels, "the thumbnail names its material"
    assert k.vm.material["thumbs"][0]["source"].startswith("image://pages/" + MATERIAL + "/0/")
    qtbot.waitUntil(lambda: k.vm.autoMove.get("kind") == "next_material", timeout=10000)  # the countdown shows
    k.ui.grab().save(str(tmp_path / "materials-thumbs.png"))
    assert k.ui.find("materials.retake.1") is not None and k.ui.find("materials.delete.1") is not None

    # 重拍: the page goes, the screen asks for it again, and the new one takes its place.
    k.ui.tap("materials.retake.1")
    qtbot.waitUntil(lambda: count() == 0)
    qtbot.waitUntil(lambda: k.ui.get("materials.live").property("text") == "请放好第 1 页，重新拍摄", timeout=10000)
    qtbot.waitUntil(lambda: k.vm.autoMove == {})  # the tap withdrew the countdown: nothing moves on
    lift_page(qtbot, k)
    cam.put_page("form", seed=6, category="plain")
    k.ui.tap("materials.capture")  # 拍摄: after a retake the citizen takes the new page by hand
    qtbot.waitUntil(lambda: count() == 1 and not k.vm.busy, timeout=20000)
    qtbot.waitUntil(lambda: thumb_ready(k, 1), timeout=10000)

    # 删除: gone, wiped, and the material is no longer complete.
    page = k.journey.session.pages[MATERIAL][0]
    k.ui.tap("materials.delete.1")
    qtbot.waitUntil(lambda: count() == 0)
    assert len(page.data) == 0 and k.ui.find("materials.thumb.1") is None and not k.vm.material["complete"]

    # Laid again and left alone: the countdown shows, and the screen moves on by itself.
    lift_page(qtbot, k)
    cam.put_page("form", seed=7, category="plain")
    k.ui.tap("materials.capture")
    qtbot.waitUntil(lambda: k.vm.autoMove.get("kind") == "next_material", timeout=20000)
    qtbot.waitUntil(lambda: "秒后自动进入下一步" in k.ui.get("materials.live").property("text"))
    k.ui.grab().save(str(tmp_path / "materials-countdown.png"))
    qtbot.waitUntil(lambda: k.vm.step == "sign", timeout=30000)
    assert count() == 1


@pytest.mark.slow
def test_the_countdown_says_a_tap_stays_and_a_tap_on_the_message_really_stays_in_english(qtbot, make_kiosk):
    """Issue 17: the material's countdown tells how to stop it ("tap the screen to stay"), and a tap on the
    message itself (no button) keeps the citizen on the screen past the countdown's end, to add a page."""
    # 9 s, not 3: the test reads the countdown and taps it while it runs (a loaded machine looked too late at 3 s)
    k = make_kiosk(ui={"lang": "en_US"}, idle={"material_done_s": 9.0})
    drive_to_materials(qtbot, k)
    cam = k.hw["camera"]
    count = lambda: k.journey.session.page_count(MATERIAL)  # noqa: E731
    text = lambda: k.ui.get("materials.live").property("text")  # noqa: E731
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "no_page", timeout=10000)
    cam.put_page("form", seed=5, category="plain")
    qtbot.waitUntil(lambda: k.vm.autoMove.get("kind") == "next_material", timeout=20000)
    qtbot.waitUntil(lambda: re.fullmatch(r"This document is complete: next step in \d s — tap the screen to stay",
                                         text()) is not None)
    k.ui.tap("materials.live")
    qtbot.waitUntil(lambda: k.vm.autoMove == {})
    qtbot.waitUntil(lambda: text() == "This document is complete. Add a page, or tap “Finish capturing”")
    # Well past the 9 s it counted: still here, the one page kept, nothing armed again.
    live = k.journey.steps[Step.MATERIALS].live
    seen = live.counters.frames
    qtbot.waitUntil(lambda: live.counters.frames >= seen + 100, timeout=40000)  # 10 s of 10 fps preview frames
    assert k.vm.step == "materials" and count() == 1 and k.vm.autoMove == {}


@pytest.mark.slow
def test_a_small_portrait_elder_english_screen_keeps_the_preview_beside_a_long_material_name(qtbot, make_kiosk):
    """15.6" portrait, elder, English, 保安员证 (issue 17 sweep): the heading with a long material's name and
    the page count left the preview a negative height, and the live message was drawn over the heading. The
    page now counts as short (smaller heading, no step bar) and the preview keeps at least a third of the room."""
    from kiosk import screen as screens
    from tests.ui.test_form_input import drive_to_form as drive_by_vm, scene_rect
    from ui import layout_check

    k = make_kiosk(ui={"elder_mode": True, "lang": "en_US"}, screen={"diagonal_in": screens.PROFILES_IN["15.6"]})
    drive_by_vm(qtbot, k, "910000001000")
    for f in k.vm.formFields:  # the form is not what this test is about: the view-model fills it
        if f["editable"] and f["required"] and not f["value"]:
            value = (f["choices"][0]["value"] if f["type"] == "choice" else "true" if f["type"] == "bool"
                     else "13800138000" if f["type"] == "phone" else f["example"] or "示例")
            k.vm.setField(f["name"], value)
    k.vm.submitForm()
    qtbot.waitUntil(at(k, "materials"), timeout=10000)
    qtbot.waitUntil(lambda: k.ui.find("materials.live") is not None)
    preview = k.ui.get("materials.preview")
    qtbot.waitUntil(lambda: preview.height() >= 25 * k.vm.pxPerMm)  # a page can be seen, not a sliver
    assert scene_rect(k.ui.get("materials.liveBar"))[0] >= scene_rect(k.ui.get("page.prompt"))[1]  # under the heading
    assert layout_check.problems(k.ui) == []
