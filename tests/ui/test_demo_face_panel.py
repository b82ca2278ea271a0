"""The demo panel's 人脸摄像头 / Face camera group (issue 19), offscreen: a tester chooses who stands at the
simulated face camera and what is held up, with a tap on the panel; the simulator (devices.camera.sim.face)
is then checked for what its frames show (its state and a rendered frame's ground truth).
"""
from __future__ import annotations

from PySide6.QtCore import QRectF

from devices import sim
from ui.autopilot_driver import iter_items, prop
from ui.autopilot_face import sim_face_names

GROUP = ("sim.face.holder", "sim.face.impostor", "sim.face.nobody", "sim.face.spoof.live",
         "sim.face.spoof.photo", "sim.face.spoof.screen", "sim.face.spoof.replay", "sim.face.obey")


def _face(k):
    return sim.get_hardware(k.comp.settings.devices.face_camera.url)


def _press(k, qtbot, name: str) -> None:
    """Tap a panel control once it is laid out inside the window, scrolled into the panel's view."""
    def placed() -> bool:
        item = k.ui.find(name)
        if item is None:
            return False
        k.ui.ensure_visible(item)
        p = k.ui.center(item)
        return 0 <= p.x() < k.app.window.width() and 0 <= p.y() < k.app.window.height()
    qtbot.waitUntil(placed, timeout=10000)
    k.ui.tap(name)


def _shown(hw):
    """What the camera's next frame shows (its ground truth): the person and the spoof, or None."""
    _, truth = hw.render_at(1.0)
    return None if truth is None else (truth.person, truth.spoof)


def test_choosing_impostor_on_the_panel_puts_someone_else_than_the_card_holder_before_the_face_camera(
        make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    holder, impostor = sim_face_names("graduate")  # the simulated reader's default card
    assert holder != impostor
    _press(k, qtbot, "sim.face.impostor")
    qtbot.waitUntil(lambda: hw.person == impostor)
    assert _shown(hw) == (impostor, None)
    assert prop(k.ui.get("sim.face.impostor"), "checked") and not prop(k.ui.get("sim.face.holder"), "checked")
    _press(k, qtbot, "sim.face.holder")
    qtbot.waitUntil(lambda: hw.person == holder)
    assert _shown(hw) == (holder, None)
    _press(k, qtbot, "sim.face.nobody")
    qtbot.waitUntil(lambda: hw.person is None)
    assert _shown(hw) is None


def test_the_demo_starts_with_the_card_holder_at_the_face_camera_not_a_drawn_placeholder(make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    assert k.comp.settings.devices.face_camera.url.endswith("person=holder")  # config/demo.toml: a role name
    assert _shown(hw) == (sim_face_names("graduate")[0], None)
    assert prop(k.ui.get("sim.face.holder"), "checked") and prop(k.ui.get("sim.face.spoof.live"), "checked")


def test_the_holder_is_whoever_owns_the_card_on_the_reader(make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    _press(k, qtbot, "sim.face.holder")
    _press(k, qtbot, "sim.card.elder")
    elder, _ = sim_face_names("elder")
    assert elder != sim_face_names("graduate")[0]
    qtbot.waitUntil(lambda: hw.person == elder)
    _press(k, qtbot, "sim.face.impostor")
    _press(k, qtbot, "sim.card.graduate")  # a new card does not replace the impostor the tester chose
    assert hw.person == sim_face_names("graduate")[1]


def test_choosing_printed_photo_on_the_panel_holds_up_a_photo_of_the_holder(make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    holder, _ = sim_face_names("graduate")
    _press(k, qtbot, "sim.face.spoof.photo")
    qtbot.waitUntil(lambda: hw.spoof_kind == "photo")
    assert _shown(hw) == (holder, "photo")
    qtbot.waitUntil(lambda: prop(k.ui.get("sim.face.spoof.photo"), "checked"))
    assert not prop(k.ui.get("sim.face.spoof.live"), "checked")
    for kind in ("screen", "replay"):
        _press(k, qtbot, f"sim.face.spoof.{kind}")
        qtbot.waitUntil(lambda kind=kind: hw.spoof_kind == kind)
    _press(k, qtbot, "sim.face.spoof.live")
    qtbot.waitUntil(lambda: hw.spoof_kind is None)
    assert _shown(hw) == (holder, None)


def test_a_spoof_chosen_with_nobody_there_is_held_up_by_someone(make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    _press(k, qtbot, "sim.face.nobody")
    _press(k, qtbot, "sim.face.spoof.screen")
    qtbot.waitUntil(lambda: hw.spoof_kind == "screen")
    assert _shown(hw) == (sim_face_names("graduate")[0], "screen")
    assert k.app.sim.faceRole == "holder"


def test_ignores_instructions_on_the_panel_makes_the_person_not_react_to_a_challenge(make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    obey = k.ui.get("sim.face.obey")
    assert hw.obey and prop(obey, "text").startswith("听从指示")
    _press(k, qtbot, "sim.face.obey")
    qtbot.waitUntil(lambda: not hw.obey)
    assert prop(obey, "text").startswith("不听指示")
    hw.prompt("blink", at_s=0.0)  # the face step shows a blink challenge: nothing happens
    assert hw._actions == []
    _press(k, qtbot, "sim.face.obey")
    qtbot.waitUntil(lambda: hw.obey)
    hw.prompt("blink", at_s=0.0)
    assert [a for _, a in hw._actions] == ["blink"]


def test_all_healthy_puts_the_live_holder_back_following_the_instructions(make_kiosk, qtbot):
    k = make_kiosk()
    hw = _face(k)
    _press(k, qtbot, "sim.face.impostor")
    _press(k, qtbot, "sim.face.spoof.replay")
    _press(k, qtbot, "sim.face.obey")
    qtbot.waitUntil(lambda: not hw.obey and hw.spoof_kind == "replay")
    hw.unplug()
    _press(k, qtbot, "sim.reset")
    qtbot.waitUntil(lambda: hw.obey and hw.spoof_kind is None and not hw.unplugged)
    assert hw.person == sim_face_names("graduate")[0] and k.app.sim.faceRole == "holder"


def test_face_camera_group_is_laid_out_inside_the_panel(make_kiosk, qtbot):
    k = make_kiosk()
    panel = k.ui.get("simPanel")
    qtbot.waitUntil(lambda: k.ui.find("sim.face.obey") is not None and panel.x() > 0, timeout=10000)
    left, right = panel.x(), panel.x() + panel.width()
    assert right <= k.app.window.width() + 0.5
    title = k.ui.get("sim.face")
    assert prop(title, "text") == "人脸摄像头 Face camera"
    rects = []
    for name in GROUP:
        item = k.ui.get(name)
        k.ui.ensure_visible(item)
        qtbot.waitUntil(lambda item=item: 0 <= k.ui.center(item).y() < k.app.window.height())
        r = item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))
        assert r.width() > 200 and r.height() >= 40, (name, r)
        assert left <= r.left() and r.right() <= right, (name, r, left, right)
        assert 0 <= r.top() and r.bottom() <= k.app.window.height(), (name, r)  # scrolled into the panel's view
        for text in (i for i in iter_items(item) if prop(i, "truncated") is not None):
            assert not prop(text, "truncated"), (name, prop(text, "text"))  # the label fits, not elided
        rects.append((name, item.y(), item.height()))  # in the panel's column, as the title
    assert title.y() + title.height() <= rects[0][1], "the title heads the group"
    for (a, ya, ha), (b, yb, _) in zip(rects, rects[1:]):
        assert ya + ha <= yb, f"{a} overlaps {b}"
