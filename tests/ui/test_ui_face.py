"""The face screen (人证核验, issue 19) on the real QML, with the fake face engine and camera of
tests/helpers/face_fakes.py: consent says what is kept, the decline leads to the counter with no
application, the instruction on screen is the challenge asked (and said by the voice), a pass goes on."""
from __future__ import annotations

import dataclasses

import pytest

from devices.base import DeviceEvent, EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.face.api import Challenge
from kiosk.journey.plan import Step
from kiosk.journey.steps.face import FaceStep
from tests.helpers.face_fakes import (
    DOING,
    GOOD,
    FakeFaceCamera,
    FakeSimPerson,
    card_photo_png,
    fake_kit,
    frame,
)
from tests.helpers.patient import patient_data_dir
from tests.ui.test_ui_journey import at

PENSION = "920000007000"


def face_kiosk(make_kiosk, monkeypatch, camera=None, **overrides):
    k = make_kiosk(face={"steady_frames": 1}, **overrides)  # the fake camera shows a frame per change
    camera = camera or FakeFaceCamera()
    devices = k.comp.runtime.devices
    real_get = devices.get
    monkeypatch.setattr(devices, "get", lambda name: camera if name == "face_camera" else real_get(name))
    kit = fake_kit()
    k.journey.steps[Step.FACE] = FaceStep(lambda: kit)  # the preview thread runs, as on a kiosk
    k.face_camera = camera
    return k


def to_face(qtbot, k):
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    k.vm.chooseItem(PENSION)
    qtbot.waitUntil(at(k, "guide"))
    k.vm.startItem()
    qtbot.waitUntil(at(k, "identify"))
    card = dataclasses.replace(IDENTITIES["elder"], photo_bmp=card_photo_png())
    k.journey.on_device_event(DeviceEvent("idcard", EventKind.CARD_READ, card))
    qtbot.waitUntil(at(k, "face"), timeout=10000)


def text_of(k, name: str) -> str:
    return str(k.ui.property_of(name, "text"))


def test_the_consent_says_what_is_kept_and_declining_ends_at_the_counter_with_no_application(qtbot, make_kiosk,
                                                                                           monkeypatch):
    k = face_kiosk(make_kiosk, monkeypatch)
    to_face(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("face.agree") is not None)
    assert "只保留比对分数和核验结论" in text_of(k, "face.consent.kept")
    assert "不保存、不上传您的人脸照片" in text_of(k, "face.consent.kept")
    k.ui.tap("face.decline")
    qtbot.waitUntil(lambda: k.ui.find("face.done") is not None)
    assert k.vm.notice.get("code") == 2190 and "人工窗口" in k.vm.notice["text"]
    # the referral names a button the citizen can see on this screen, by the words it shows
    prompt = text_of(k, "page.prompt")
    named = prompt.split("“")[1].split("”")[0]
    assert named == text_of(k, "header.help") and k.ui.find("header.help") is not None, prompt
    # the notice bar stands inside the window with the same margin on both sides (it ran off the right edge)
    bar = k.ui.find("notice")
    page = bar.parentItem()
    left = bar.x()
    right = page.width() - (bar.x() + bar.width())
    assert left > 0 and abs(left - right) <= 1, (left, right)
    k.ui.tap("face.done")
    qtbot.waitUntil(at(k, "home"))
    assert k.comp.runtime.outbox.get(k.journey.session.application_id) is None


def test_the_instruction_on_screen_is_the_challenge_asked_and_the_holder_goes_on_to_the_form(qtbot, make_kiosk,
                                                                                            monkeypatch):
    k = face_kiosk(make_kiosk, monkeypatch, ui={"voice": True, "voice_engine": "mock"})
    to_face(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("face.agree") is not None)
    k.ui.tap("face.agree")
    k.face_camera.show(frame(GOOD))
    qtbot.waitUntil(lambda: k.ui.find("face.instruction") is not None and text_of(k, "face.instruction") == "请眨眨眼")
    assert k.ui.find("face.oval") is not None
    qtbot.waitUntil(lambda: "请眨眨眼" in k.app.voice.said)
    k.face_camera.show(frame(DOING[Challenge.BLINK]))
    qtbot.waitUntil(lambda: text_of(k, "face.instruction") == "请慢慢向左转头")
    k.face_camera.show(frame(DOING[Challenge.TURN_LEFT]))
    qtbot.waitUntil(lambda: text_of(k, "face.instruction") == "请正对摄像头，保持不动")
    k.face_camera.show(frame(GOOD))
    qtbot.waitUntil(at(k, "form"), timeout=10000)


def autopilot_run(qtbot, make_kiosk, monkeypatch, role: str) -> tuple[list[dict], FakeSimPerson, object]:
    """The in-process autopilot on 920000007000 with the fake person at the face camera (sim://face's seam)."""
    import io
    import json

    import ui.autopilot_face
    from ui.autopilot import Autopilot

    person = FakeSimPerson()
    k = face_kiosk(make_kiosk, monkeypatch, camera=person)
    real_get_hardware = ui.autopilot_face.sim.get_hardware
    monkeypatch.setattr(ui.autopilot_face.sim, "get_hardware",
                        lambda url: person if url == "sim://face" else real_get_hardware(url))
    monkeypatch.setattr(ui.autopilot_face, "face_camera_url", lambda app: "sim://face")
    # the sim card carries no decodable photo yet (face-engine's card pictures): the holder's photo is laid in
    reader = k.hw["idcard"]
    real_place = reader.place_card
    monkeypatch.setattr(reader, "place_card", lambda who: k.journey.on_device_event(DeviceEvent(
        "idcard", EventKind.CARD_READ, dataclasses.replace(IDENTITIES[who], photo_bmp=card_photo_png())))
        if k.vm.step == "identify" else real_place(who))
    out = io.StringIO()
    quit_called = []
    monkeypatch.setattr(k.app, "quit", lambda code=0: quit_called.append(code))
    pilot = Autopilot(k.app, [PENSION], journeys=1, screenshots=None, identity="elder", out=out)
    pilot.face_role = role
    pilot.start()
    qtbot.waitUntil(lambda: bool(quit_called), timeout=90000)
    return [json.loads(x) for x in out.getvalue().splitlines() if x.strip()], person, pilot


@pytest.mark.slow  # the whole journey, with the result's and the goodbye's countdowns: ~20 s
def test_the_autopilot_completes_the_pension_check_doing_the_challenges_shown(qtbot, make_kiosk, monkeypatch):
    lines, person, pilot = autopilot_run(qtbot, make_kiosk, monkeypatch, "holder")
    assert pilot.failures == 0, lines
    (line,) = lines
    assert line["face"]["decision"] == "pass" and line["face"]["liveness"]["passed"] is True
    assert line["face"]["score"] == 0.93
    assert line["face"]["shown"] == line["face"]["liveness"]["challenges"]  # the screen showed what was asked
    assert [c.value for c in person.performed] == line["face"]["shown"]  # and the person did what it showed
    assert line["status"] == "approved" and line["platform_ref"]  # 秒批 with the face check passed


def test_the_autopilot_impostor_ends_at_the_counter_referral_with_no_application(qtbot, make_kiosk, monkeypatch):
    lines, _, pilot = autopilot_run(qtbot, make_kiosk, monkeypatch, "impostor")
    assert pilot.failures == 0, lines
    (line,) = lines
    assert line["status"] == "referred" and line["referral_code"] == 2196 and line["application"] is None
    assert line["face"]["decision"] == "mismatch" and line["face"]["tries"] == 3


def _real_autopilot(tmp_path, *extra: str) -> tuple[dict, int]:
    """``kiosk autopilot --identity elder --item 920000007000`` as a technician runs it: the demo's simulated
    face camera (sim://face: the holder's public-domain portrait, blinking and turning when asked), the card's
    photo and the real open engine (MediaPipe face mesh, dlib), end to end."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--identity", "elder", "--item", PENSION,
                           *extra], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 1, (proc.stdout[-2000:], proc.stderr[-2000:])
    return lines[0], proc.returncode


@pytest.mark.slow  # a whole real journey in a subprocess: ~15 s
def test_the_real_autopilot_elder_passes_the_face_check_and_the_pension_check_is_approved(tmp_path):
    line, code = _real_autopilot(tmp_path)
    assert code == 0 and "error" not in line, line
    face = line["face"]
    assert face["decision"] == "pass" and face["score"] >= 0.9 and face["tries"] == 1, face
    assert face["liveness"]["passed"] is True and all(face["liveness"]["done"]), face
    assert face["shown"] == face["liveness"]["challenges"]
    assert line["status"] == "approved" and line["platform_ref"]  # 秒批


@pytest.mark.slow  # three real tries in a subprocess: ~17 s
def test_the_real_autopilot_impostor_is_live_but_another_person_and_ends_at_the_counter(tmp_path):
    line, code = _real_autopilot(tmp_path, "--impostor")
    assert code == 0 and "error" not in line, line
    face = line["face"]
    assert face["decision"] == "mismatch" and face["tries"] == 3, face
    assert face["liveness"]["passed"] is True, face  # live: a person, not a photo; but not the card's holder
    assert line["status"] == "referred" and line["referral_code"] == 2196 and line["application"] is None


def test_the_consent_buttons_keep_their_words_inside_in_landscape_elder_english(qtbot, make_kiosk, monkeypatch):
    """'I do not agree' wrapped to two lines in a one-line button and spilled over its edges (screenshot of
    the autopilot on 21.5" landscape elder English); the layout checker now looks inside buttons too."""
    from ui import layout_check

    k = face_kiosk(make_kiosk, monkeypatch, ui={"orientation": "landscape", "elder_mode": True, "lang": "en_US"})
    to_face(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("face.agree") is not None)
    qtbot.waitUntil(lambda: [p for p in layout_check.label_problems(k.ui) if p.item.startswith("face.")] == [],
                    timeout=3000)


def test_the_consent_buttons_fit_their_words_on_a_small_landscape_elder_english_screen(qtbot, make_kiosk, monkeypatch):
    """15.6" landscape elder English: the two consent buttons share the narrow column beside the consent, and
    'Decline' (234 px at the button's size) ran past its 223 px button (whole-catalogue layout sweep)."""
    from ui import layout_check

    k = face_kiosk(make_kiosk, monkeypatch, ui={"orientation": "landscape", "elder_mode": True, "lang": "en_US"},
                   screen={"diagonal_in": 15.6})
    to_face(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("face.agree") is not None)
    qtbot.waitUntil(lambda: [p for p in layout_check.problems(k.ui) if p.item.startswith(("face.", "text 'Decl"))]
                    == [], timeout=3000)
