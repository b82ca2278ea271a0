"""The face screen (人证核验, issue 19) on the real QML, with the fake face engine and camera of
tests/helpers/face_fakes.py: consent says what is kept, the decline leads to the counter with no
application, the instruction on screen is the challenge asked (and said by the voice), a pass goes on."""
from __future__ import annotations

import dataclasses

from devices.base import DeviceEvent, EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.face.api import Challenge
from kiosk.journey.plan import Step
from kiosk.journey.steps.face import FaceStep
from tests.helpers.face_fakes import DOING, GOOD, FakeFaceCamera, card_photo_png, fake_kit, frame
from tests.ui.test_ui_journey import at

PENSION = "920000007000"


def face_kiosk(make_kiosk, monkeypatch, **overrides):
    k = make_kiosk(**overrides)
    camera = FakeFaceCamera()
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
