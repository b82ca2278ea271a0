"""The demo window on a real X screen (run by test_demo_window.py under Xvfb, one screen size per run).

Not collected by a plain ``pytest`` run (no ``test_`` prefix): it needs ``QT_QPA_PLATFORM=xcb`` and the
screen size in ``KIOSK_DEMO_SCREEN`` (e.g. ``1366x768``), which the outer test sets. Everything a tester does
here is a mouse click at the position Qt maps from the scaled scene, or a key event as a physical keyboard
sends it; state is read from the view-model, never changed through it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from devices import sim
from devices.idcard.synthetic import IDENTITIES
from ui import layout_check
from kiosk.platform.schema import API_PREFIX
from ui.autopilot_driver import prop
from ui.autopilot_face import sim_face_names

HEALTH = API_PREFIX + "/health"

SCREEN = os.environ.get("KIOSK_DEMO_SCREEN", "")
SHOTS = os.environ.get("KIOSK_DEMO_SHOTS", "")
pytestmark = pytest.mark.skipif(os.environ.get("QT_QPA_PLATFORM") != "xcb" or not SCREEN,
                                reason="run by tests/ui/test_demo_window.py on an Xvfb screen")
NO_CRIME = "312000218000"   # 无犯罪记录证明
FEE_ITEM = "910000004000"   # 驾驶证补领: a fee item (payment by QR code)
SAMPLES = {"phone": "13800138000", "number": "2", "text": "shiyan", "textarea": "shiyan", "id_number": None,
           "date": None}


def small_screen() -> bool:
    return SCREEN == "1366x768"


@pytest.fixture
def demo(make_kiosk, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def build():
        k = make_kiosk(ui={"fit_window": True, "voice": False})
        qtbot.waitUntil(lambda: k.app.window.isExposed(), timeout=10000)
        avail = k.app.window.screen().availableGeometry()
        qtbot.waitUntil(lambda: k.app.window.width() <= avail.width() and k.app.window.height() <= avail.height())
        return k
    return build


# ----- mouse and keyboard --------------------------------------------------------------------------------
def visible_rect(k) -> QRectF:
    """The part of the window a tester sees: the window itself, clipped to the screen."""
    w = k.app.window
    avail = w.screen().geometry()
    top_left = w.mapToGlobal(QPoint(0, 0))
    on_screen = QRectF(avail.x() - top_left.x(), avail.y() - top_left.y(), avail.width(), avail.height())
    return QRectF(0, 0, w.width(), w.height()).intersected(on_screen)


def click(k, qtbot, name: str) -> None:
    """Click ``name`` with the mouse at its mapped position; it must be inside what the tester sees."""
    qtbot.waitUntil(lambda: k.ui.find(name) is not None and k.ui.find(name).isEnabled(), timeout=10000)
    item = k.ui.get(name)
    k.ui.ensure_visible(item)  # what the mouse wheel / a swipe does in a list
    QGuiApplication.processEvents()
    p = k.ui.center(item)
    assert visible_rect(k).contains(QPointF(p)), f"{name} at {p} is outside the visible window"
    QTest.mouseClick(k.app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)


def at(k, step):
    return lambda: k.vm.step == step and not k.vm.busy and k.ui.find("page") is not None


def check_screen(k, shots: list, tag: str) -> None:
    """Every control of the screen shown lies inside the visible area (or a list that shows)."""
    QGuiApplication.processEvents()
    problems = [p for p in layout_check.control_problems(k.ui)]
    assert not problems, f"{tag}: " + "; ".join(map(str, problems))
    screen = k.ui.get("kioskScreen")
    s = float(screen.scale())
    rect = QRectF(screen.mapToScene(QPointF(0, 0)), QRectF(0, 0, screen.width() * s, screen.height() * s).size())
    assert visible_rect(k).adjusted(-1, -1, 1, 1).contains(rect), f"{tag}: the scene {rect} leaves the window"
    if SHOTS and small_screen():
        path = Path(SHOTS) / f"{len(shots):02d}-{tag}.png"
        k.app.window.grabWindow().save(str(path))
        shots.append(path)


def fill_form(k, qtbot) -> None:
    card = IDENTITIES["graduate"]
    for f in k.vm.formFields:
        if not f["editable"] or f["value"]:
            continue
        if f["type"] == "choice":
            click(k, qtbot, f"form.choice.{f['name']}.{f['choices'][0]['value']}")
            continue
        if f["type"] == "bool":
            if f["required"]:
                click(k, qtbot, f"form.check.{f['name']}")
            continue
        if not f["required"]:
            continue
        value = f["example"] or SAMPLES.get(f["type"]) or (card.id_number if f["type"] == "id_number" else
                                                           dt.date.today().isoformat())
        name = f"form.field.{f['name']}"
        click(k, qtbot, name)
        qtbot.waitUntil(lambda: prop(k.ui.get(name), "activeFocus"))
        k.ui.type_text(value)  # key events, as a physical keyboard sends them


def fill_delivery(k, qtbot) -> None:
    """Express delivery, as a tester does it: the district picked by mouse (the picker starts at the kiosk's
    city), the street line typed on the physical keyboard; recipient and phone come from the card and form."""
    if "express" not in [m["value"] for m in k.vm.delivery.get("methods", [])]:
        return
    click(k, qtbot, "delivery.method.express")
    qtbot.waitUntil(lambda: k.ui.find("delivery.address") is not None)
    if not k.vm.delivery.get("complete"):
        click(k, qtbot, "delivery.region.440305")
        qtbot.waitUntil(lambda: bool(k.vm.delivery.get("complete")))
    for name, key, value in (("delivery.recipient", "recipient", "李小明"),
                             ("delivery.phone", "phone", "13800138000"),
                             ("delivery.address", "address", "科技园南区示例路88号")):
        if not k.vm.delivery.get(key):
            click(k, qtbot, name)
            qtbot.waitUntil(lambda: prop(k.ui.get(name), "activeFocus"))
            k.ui.type_text(value)
            qtbot.waitUntil(lambda: bool(k.vm.delivery.get(key)))


def journey(k, qtbot, code: str, shots: list | None = None) -> dict:
    """One application from the attract screen to the end, by mouse (kiosk and panel) and keyboard."""
    shots = [] if shots is None else shots
    click(k, qtbot, "sim.physicalKeyboard")
    qtbot.waitUntil(lambda: prop(k.ui.find("keyboard", visible=False), "visible") is False)
    click(k, qtbot, "attract.start")
    qtbot.waitUntil(at(k, "home"))
    check_screen(k, shots, "home")
    click(k, qtbot, "home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.scroll_to(f"catalog.item.{code}", "catalog.list")
    check_screen(k, shots, "catalog")
    click(k, qtbot, f"catalog.item.{code}")
    qtbot.waitUntil(at(k, "guide"))
    check_screen(k, shots, "guide")
    click(k, qtbot, "guide.start")
    seen = []
    while True:
        # (submit: the platform's answer is waited for up to 60 s, tests/ui/conftest.py)
        qtbot.waitUntil(lambda: not k.vm.busy and k.vm.step not in ("submit",) and k.ui.find("page") is not None,
                        timeout=90000)
        step = k.vm.step
        seen.append(step)
        assert len(seen) < 40, f"stuck: {seen}"
        if step in ("attract", "home"):
            break
        check_screen(k, shots, step)
        if step == "identify":
            click(k, qtbot, "sim.card.graduate")
            qtbot.waitUntil(lambda: k.vm.step != "identify", timeout=15000)
            click(k, qtbot, "sim.card.remove")
        elif step == "form":
            fill_form(k, qtbot)
            click(k, qtbot, "form.next")
            qtbot.waitUntil(lambda: k.vm.step != "form" or bool(k.vm.notice), timeout=10000)
            assert k.vm.step != "form", k.vm.notice
        elif step == "materials":
            index = k.vm.material.get("index")
            need = max(1, k.vm.material.get("minPages", 1))
            done = lambda: k.vm.material.get("pages", 0) >= need or k.vm.step != "materials"  # noqa: E731
            empty = lambda: k.vm.step != "materials" or k.vm.live.get("state") in ("no_page", "off")  # noqa: E731
            for _ in range(4):  # as a tester does: lay the page; if it is not taken by itself, press 拍摄
                # Auto-capture takes a page laid on a desk it has seen empty (not one left by someone before).
                click(k, qtbot, "sim.page.remove")
                qtbot.waitUntil(empty, timeout=8000)
                click(k, qtbot, "sim.page.form")
                try:
                    qtbot.waitUntil(done, timeout=6000)
                    break
                except Exception:  # noqa: BLE001 - pytestqt's TimeoutError: not captured by itself
                    if k.ui.find("materials.capture") is not None and not k.vm.busy:
                        click(k, qtbot, "materials.capture")
                    try:
                        qtbot.waitUntil(done, timeout=6000)
                        break
                    except Exception:  # noqa: BLE001
                        click(k, qtbot, "sim.page.remove")
            assert done(), f"the page was never captured: {k.vm.live} {k.vm.notice}"
            click(k, qtbot, "sim.page.remove")
            if k.vm.step == "materials":
                click(k, qtbot, "materials.next")
                qtbot.waitUntil(lambda: k.vm.step != "materials" or k.vm.material.get("index") != index)
        elif step == "sign":
            pad = k.ui.get("sign.pad")
            pts = [k.ui.center(pad) + QPoint(int(pad.width() * pad.parentItem().scale() * 0), 0)]
            scene = [pad.mapToScene(QPointF((0.2 + 0.05 * i) * pad.width(), (0.5 + (0.15 if i % 2 else -0.15))
                                            * pad.height())) for i in range(12)]
            pts = [QPoint(round(p.x()), round(p.y())) for p in scene]
            QTest.mousePress(k.app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[0])
            for p in pts[1:]:
                QTest.mouseMove(k.app.window, p)
            QTest.mouseRelease(k.app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[-1])
            click(k, qtbot, "sign.done")
            qtbot.waitUntil(lambda: k.vm.step != "sign")
        elif step == "delivery":
            fill_delivery(k, qtbot)
            click(k, qtbot, "delivery.next")
            qtbot.waitUntil(lambda: k.vm.step != "delivery" or bool(k.vm.notice))
            assert k.vm.step != "delivery", k.vm.notice
        elif step == "payment":
            qtbot.waitUntil(lambda: k.vm.payment.get("status") == "pending", timeout=10000)
            click(k, qtbot, "sim.pay")  # the phone pays: the panel's button, by mouse
            qtbot.waitUntil(lambda: k.vm.step != "payment", timeout=15000)
        elif step == "review":
            click(k, qtbot, "review.confirm")
            qtbot.waitUntil(lambda: k.vm.step != "review", timeout=20000)
        elif step == "result":
            outcome = dict(k.vm.outcome)
            click(k, qtbot, "result.print")
            qtbot.waitUntil(lambda: k.vm.step != "result")
        elif step == "receipt":
            qtbot.waitUntil(lambda: k.vm.outcome.get("printed") or k.vm.outcome.get("printError"), timeout=15000)
            click(k, qtbot, "receipt.done")
            qtbot.waitUntil(lambda: k.vm.step != "receipt")
        elif step == "end":
            click(k, qtbot, "end.home")
            qtbot.waitUntil(lambda: k.vm.step != "end")
        else:
            qtbot.waitUntil(lambda s=step: k.vm.step != s, timeout=20000)
    return {"steps": seen, "outcome": outcome, "receipts": len(k.hw["printer"].receipts)}


# ----- the cases -----------------------------------------------------------------------------------------
def test_window_opens_on_the_screens_available_geometry_with_the_scene_letterboxed(demo):
    k = demo()
    w = k.app.window
    avail = w.screen().availableGeometry()
    frame = w.frameGeometry()
    assert avail.contains(frame), f"window {frame} does not fit the screen's available {avail}"
    assert w.width() >= avail.width() - 20 and w.height() >= avail.height() - 60, "the window does not use the screen"
    screen = k.ui.get("kioskScreen")
    s = float(screen.scale())
    stage_w = w.width() - 380
    assert abs(min(stage_w / 1080, w.height() / 1920) - s) < 1e-6
    x = screen.mapToScene(QPointF(0, 0)).x()
    assert abs(x - (stage_w - 1080 * s) / 2) <= 1, "the scene is centred left of the panel"
    panel = k.ui.get("simPanel")
    assert abs(panel.mapToScene(QPointF(0, 0)).x() + panel.width() - w.width()) <= 1
    assert w.devicePixelRatio() == float(os.environ.get("QT_SCALE_FACTOR", "1"))


def test_no_crime_certificate_by_mouse_and_keyboard_with_every_control_on_screen(demo, qtbot):
    k = demo()
    shots: list = []
    result = journey(k, qtbot, NO_CRIME, shots)
    assert "form" in result["steps"] and "receipt" in result["steps"], result["steps"]
    assert result["receipts"] >= 1, "no receipt was printed"
    if shots:
        (Path(SHOTS) / "index.json").write_text(json.dumps([str(p) for p in shots]))


@pytest.mark.skipif(not small_screen(), reason="the fee journey is proven on the smallest screen (1366x768)")
def test_fee_item_by_mouse_and_keyboard_on_a_small_laptop(demo, qtbot):
    k = demo()
    result = journey(k, qtbot, FEE_ITEM)
    assert "payment" in result["steps"], result["steps"]
    assert k.vm.payment.get("status") in ("paid", "") or result["outcome"], result
    assert result["receipts"] >= 1


def test_resized_scene_follows_and_size_and_place_are_remembered(demo, qtbot):
    k = demo()
    w = k.app.window
    w.resize(900, 600)
    w.setFramePosition(QPoint(40, 30))
    qtbot.waitUntil(lambda: w.width() == 900 and w.height() == 600)
    screen = k.ui.get("kioskScreen")
    qtbot.waitUntil(lambda: abs(float(screen.scale()) - min((900 - 380) / 1080, 600 / 1920)) < 1e-6)
    pos = w.framePosition()
    k.app.close()
    saved = json.loads((Path(os.environ["XDG_STATE_HOME"]) / "kiosk" / "demo-window.json").read_text())
    assert (saved["width"], saved["height"]) == (900, 600) and (saved["x"], saved["y"]) == (pos.x(), pos.y())
    k2 = demo()
    qtbot.waitUntil(lambda: k2.app.window.width() == 900 and k2.app.window.height() == 600)


@pytest.mark.skipif(not small_screen(), reason="panel controls are checked once, on the smallest screen")
def test_each_panel_control_changes_what_it_says(demo, qtbot):
    import requests

    k = demo()
    screen = k.ui.get("kioskScreen")
    click(k, qtbot, "sim.orientation")
    qtbot.waitUntil(lambda: k.vm.orientation == "landscape" and screen.width() == 1920 and screen.height() == 1080)
    click(k, qtbot, "sim.orientation")
    qtbot.waitUntil(lambda: k.vm.orientation == "portrait" and screen.width() == 1080)
    click(k, qtbot, "sim.lang")
    qtbot.waitUntil(lambda: k.vm.lang == "en_US")
    click(k, qtbot, "sim.lang")
    qtbot.waitUntil(lambda: k.vm.lang == "zh_CN")
    click(k, qtbot, "sim.elder")
    qtbot.waitUntil(lambda: k.vm.elder)
    click(k, qtbot, "sim.elder")
    qtbot.waitUntil(lambda: not k.vm.elder)
    click(k, qtbot, "sim.profile.15.6")
    qtbot.waitUntil(lambda: k.vm.screenProfile == "15.6")
    click(k, qtbot, "sim.profile.32")
    qtbot.waitUntil(lambda: k.vm.screenProfile == "32" and k.vm.pxPerMm < 3)
    click(k, qtbot, "sim.profile.21.5")
    qtbot.waitUntil(lambda: k.vm.screenProfile == "21.5")
    gate = k.comp.gate
    for mode in ("offline", "slow", "errors", "online"):
        click(k, qtbot, f"sim.platform.{mode}")
        qtbot.waitUntil(lambda m=mode: gate.mode.value == m)
    click(k, qtbot, "sim.platform.errors")
    qtbot.waitUntil(lambda: gate.mode.value == "errors")
    assert requests.get(gate.url + HEALTH, timeout=5).status_code == 503
    click(k, qtbot, "sim.platform.offline")
    qtbot.waitUntil(lambda: gate.mode.value == "offline")
    with pytest.raises(requests.ConnectionError):
        requests.get(gate.url + HEALTH, timeout=5)
    click(k, qtbot, "sim.platform.online")
    qtbot.waitUntil(lambda: gate.mode.value == "online")
    assert requests.get(gate.url + HEALTH, timeout=5).status_code == 200
    hw = k.hw
    expect = {"card_unreadable": lambda: hw["idcard"].fault == "bad_checksum",
              "wrong_card": lambda: hw["idcard"].fault == "not_an_id_card",
              "paper_low": lambda: hw["printer"].knobs()["paper"] == "near_end",
              "paper_out": lambda: hw["printer"].knobs()["paper"] == "out",
              "cover_open": lambda: hw["printer"].knobs()["cover_open"],
              "printer_offline": lambda: hw["printer"].knobs()["offline"],
              "camera_lost": lambda: hw["camera"].unplugged,
              "scanner_lost": lambda: hw["barcode"].unplugged}
    for name, check in expect.items():
        click(k, qtbot, f"sim.fault.{name}")
        qtbot.waitUntil(check)
    # The face camera's person (ui/demo/face_lever.py): an impostor holding up a printed photo, not obeying
    face = sim.get_hardware(k.comp.settings.devices.face_camera.url)
    holder, impostor = sim_face_names("graduate")
    click(k, qtbot, "sim.face.impostor")
    qtbot.waitUntil(lambda: face.person == impostor)
    click(k, qtbot, "sim.face.spoof.photo")
    qtbot.waitUntil(lambda: face.spoof_kind == "photo")
    click(k, qtbot, "sim.face.obey")
    qtbot.waitUntil(lambda: not face.obey)
    click(k, qtbot, "sim.reset")
    qtbot.waitUntil(lambda: hw["printer"].knobs()["paper"] == "ok" and not hw["camera"].unplugged
                    and hw["idcard"].fault == "none")
    qtbot.waitUntil(lambda: face.person == holder and face.spoof_kind is None and face.obey)
    click(k, qtbot, "sim.scenario.paper_out")
    qtbot.waitUntil(lambda: hw["printer"].knobs()["paper"] == "out")
    click(k, qtbot, "sim.scenario.platform_offline")
    qtbot.waitUntil(lambda: gate.mode.value == "offline" and hw["printer"].knobs()["paper"] == "ok")
    click(k, qtbot, "sim.scenario.healthy")
    qtbot.waitUntil(lambda: gate.mode.value == "online")
    click(k, qtbot, "sim.scenario.bill_paid")
    qtbot.waitUntil(lambda: k.comp.runtime.client.lookup_bill("960000001000", "0100123456").status == "paid")
    click(k, qtbot, "sim.scenario.payment_expires")
    qtbot.waitUntil(lambda: k.comp.platform.config.payment_ttl_s == k.comp.settings.ui.demo_payment_expires_s)
    click(k, qtbot, "sim.scenario.healthy")
    qtbot.waitUntil(lambda: k.comp.platform.config.payment_ttl_s > 60)
    # The physical keyboard toggle keeps Qt's on-screen keyboard closed; hiding the panel gives the scene room.
    click(k, qtbot, "sim.physicalKeyboard")
    qtbot.waitUntil(lambda: prop(k.ui.find("keyboard", visible=False), "visible") is False)
    before = float(screen.scale())
    click(k, qtbot, "sim.hide")
    qtbot.waitUntil(lambda: k.ui.find("sim.show") is not None and float(screen.scale()) >= before)
    click(k, qtbot, "sim.show")
    qtbot.waitUntil(lambda: k.ui.find("sim.hide") is not None)
