"""The face step (人证核验, issue 19) on fake ports: consent first, live face with challenges, comparison with
the card's photo, at most three tries, the counter referral; only the result outlives the step."""
from __future__ import annotations

import dataclasses
import json

import pytest

from devices.base import EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.face.api import Challenge
from kiosk.journey.events import JourneyEventKind
from kiosk.journey.package import FACE_FILE, build_package
from kiosk.journey.plan import Step, plan_steps
from kiosk.journey.session import FacePhase
from kiosk.journey.steps.face import FaceStep
from kiosk.speech.utterance import utterance
from tests.helpers.face_fakes import (DOING, GOOD, HOLDER, IMPOSTOR, NOBODY, POOR, FakeFaceCamera, card_photo_png,
                                      fake_kit, frame)

PENSION = "920000007000"  # 领取养老保险待遇资格认证: face_check, 秒批 after the face check
CERT = "312000218000"  # 无犯罪记录证明: no face check


@pytest.fixture
def face(rig):
    """The rig with a face camera, the fake engine and no preview thread (the test drives ``pump``)."""
    kit = fake_kit()
    rig.settings.face.steady_frames = 1  # one good frame starts the challenges (the steadying has its own test)
    step = FaceStep(lambda: kit)
    step.threaded = False
    rig.j.steps[Step.FACE] = step
    rig.face_camera = FakeFaceCamera()
    rig.devices.devices["face_camera"] = rig.face_camera
    rig.kit = kit
    return rig


def to_face(rig, who="elder", photo: bytes | None = None):
    j = rig.j
    j.wake()
    j.open_catalog()
    j.choose_item(PENSION)
    j.start_item()
    card = IDENTITIES[who]
    card = dataclasses.replace(card, photo_bmp=card_photo_png(HOLDER) if photo is None else photo)
    rig.devices.emit("idcard", EventKind.CARD_READ, card)
    rig.run()
    assert j.step == Step.FACE


def show(rig, image) -> None:
    rig.face_camera.show(image)
    assert rig.j.steps[Step.FACE].pump(rig.j._ctx)


def perform(rig, person=HOLDER, spoof=False) -> None:
    """The person in front of the camera: a good face, then whatever the screen asks, until it stops asking."""
    show(rig, frame(GOOD, person, spoof))
    for _ in range(5):
        asked = rig.j.session.face.challenge
        if rig.j.session.face.phase != FacePhase.CHALLENGE or not asked:
            break
        show(rig, frame(DOING[Challenge(asked)], person, spoof))
    if rig.j.session.face.phase == FacePhase.CHECKING:  # challenges done: once more, straight at the camera
        show(rig, frame(GOOD, person, spoof))


def test_an_item_with_face_check_has_the_face_step_right_after_the_card_and_others_do_not(rig):
    plan = plan_steps(rig.catalog.get(PENSION))
    assert plan[plan.index(Step.IDENTIFY) + 1] == Step.FACE
    assert Step.FACE not in plan_steps(rig.catalog.get(CERT))


def test_the_face_step_asks_for_consent_before_any_frame_is_looked_at(face):
    to_face(face)
    assert face.j.session.face.phase == FacePhase.CONSENT
    face.face_camera.show(frame(GOOD))
    assert face.j.steps[Step.FACE].pump(face.j._ctx) is False  # no try without consent
    assert [e.data for e in face.events(JourneyEventKind.FACE)][-1] == "consent"


def test_declining_consent_refers_to_a_counter_and_makes_no_application(face):
    to_face(face)
    face.j.face_consent(False)
    f = face.j.session.face
    assert f.phase == FacePhase.REFERRAL and f.code == KioskErrorCode.FACE_DECLINED == 2190
    assert face.j.notice.code == 2190
    assert face.audited("face_consent")[-1]["agreed"] is False
    assert face.audited("face_referral")[-1]["face"]["decision"] == "declined"
    face.j.cancel()  # 完成 on the referral screen
    assert face.j.step == Step.HOME and face.outbox.records == {}


def test_the_holder_doing_the_challenges_passes_and_goes_on_to_the_form(face):
    to_face(face)
    face.j.face_consent(True)
    f = face.j.session.face
    assert f.phase == FacePhase.LOOKING and f.tries == 1
    show(face, frame(NOBODY))
    assert f.hint == "no_face"
    show(face, frame(POOR))
    assert f.hint == "adjust" and f.phase == FacePhase.LOOKING
    show(face, frame(GOOD))
    assert f.phase == FacePhase.CHALLENGE and f.challenge == "blink"
    show(face, frame(DOING[Challenge.BLINK]))
    assert f.challenge == "turn_left"
    show(face, frame(DOING[Challenge.TURN_LEFT]))
    assert f.phase == FacePhase.CHECKING and face.j.step == Step.FACE
    show(face, frame(GOOD))
    assert face.j.step == Step.FORM
    record = face.audited("face_check")[-1]
    assert record["decision"] == "pass" and record["score"] == 0.93 and record["liveness"]["passed"] is True
    assert record["engine"] == "fake-matcher 1" and record["tries"] == 1
    said = [e.data for e in face.events(JourneyEventKind.FACE)]
    assert said[:5] == ["consent", "looking.oval", "looking.no_face", "looking.adjust", "challenge.blink"]
    assert said[-3:] == ["challenge.turn_left", "checking", "passed"]


def test_a_holder_who_steps_aside_for_someone_else_after_the_capture_does_not_pass(face):
    to_face(face)
    face.j.face_consent(True)
    show(face, frame(GOOD, HOLDER))  # the holder's face is captured ...
    show(face, frame(DOING[Challenge.BLINK], IMPOSTOR))  # ... someone else does the challenges
    show(face, frame(DOING[Challenge.TURN_LEFT], IMPOSTOR))
    show(face, frame(GOOD, IMPOSTOR))
    assert face.j.session.face.result.decision.value == "mismatch"
    assert face.j.step == Step.FACE


def test_the_challenge_on_screen_is_said_by_the_voice(face):
    to_face(face)
    face.j.face_consent(True)
    show(face, frame(GOOD))
    event = face.events(JourneyEventKind.FACE)[-1]
    said, _ = utterance(event, face.j.session, "zh_CN")
    assert said.text == "请眨眨眼"
    said, _ = utterance(event, face.j.session, "en_US")
    assert said.text == "Please blink"


def test_nothing_of_the_face_is_kept_after_the_step(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face)
    assert face.j.step == Step.FORM
    compared = face.kit.matcher.compared
    assert len(compared) == 2 and not compared[0].any()  # the captured frame was overwritten after use
    for _, data in face.audit:
        assert not any(hasattr(v, "shape") for v in data.values())  # no image in any audit record
    assert face.j.steps[Step.FACE]._try is None


def test_an_impostor_fails_three_times_and_is_referred_to_a_counter_with_no_application(face):
    to_face(face)
    face.j.face_consent(True)
    for attempt in (1, 2, 3):
        perform(face, IMPOSTOR)
        f = face.j.session.face
        assert f.result.decision.value == "mismatch" and f.tries == attempt
        if attempt < 3:
            assert f.phase == FacePhase.FAILED and f.code == KioskErrorCode.FACE_MISMATCH == 2195
            face.j.face_action("retry")
    assert f.phase == FacePhase.REFERRAL and f.code == KioskErrorCode.FACE_TRIES_USED == 2196
    face.j.face_action("retry")  # no fourth try
    assert f.tries == 3 and f.phase == FacePhase.REFERRAL
    assert [r["decision"] for r in face.audited("face_check")] == ["mismatch"] * 3
    face.j.cancel()
    assert face.outbox.records == {} and face.j.step == Step.HOME


def test_a_photo_held_up_fails_liveness(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face, HOLDER, spoof=True)
    f = face.j.session.face
    assert f.result.decision.value == "not_live" and f.code == KioskErrorCode.FACE_NOT_LIVE == 2194
    assert f.result.score is None  # never compared when not live


def test_no_face_within_the_try_time_fails_as_not_seen_and_may_be_tried_again(face):
    to_face(face)
    face.j.face_consent(True)
    show(face, frame(NOBODY))
    face.clock.advance(face.settings.face.try_timeout_s + 1)
    show(face, frame(NOBODY))
    f = face.j.session.face
    assert f.phase == FacePhase.FAILED and f.code == KioskErrorCode.FACE_NOT_SEEN == 2193
    face.j.face_action("retry")
    assert f.phase == FacePhase.LOOKING and f.tries == 2


def test_to_counter_after_a_failed_try_refers_without_further_tries(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face, IMPOSTOR)
    face.j.face_action("to_counter")
    assert face.j.session.face.phase == FacePhase.REFERRAL and face.j.session.face.code == 2196


def test_a_card_without_a_decodable_photo_is_referred(face):
    to_face(face, photo=b"")
    face.j.face_consent(True)
    assert face.j.session.face.phase == FacePhase.REFERRAL
    assert face.j.session.face.code == KioskErrorCode.FACE_NO_CARD_PHOTO == 2192


def test_no_face_camera_is_referred(face):
    del face.devices.devices["face_camera"]
    to_face(face)
    face.j.face_consent(True)
    assert face.j.session.face.code == KioskErrorCode.FACE_NO_CAMERA == 2191


def test_a_missing_face_engine_is_a_referral_with_its_code_not_a_crash(face):
    def missing():
        from kiosk.face.wiring import FaceEngineMissing

        raise FaceEngineMissing("kiosk.face.analyzer not installed")

    step = FaceStep(missing)
    step.threaded = False
    face.j.steps[Step.FACE] = step
    to_face(face)
    face.j.face_consent(True)
    assert face.j.session.face.code == KioskErrorCode.FACE_NO_ENGINE == 2197
    assert "not installed" in face.audited("face_engine_missing")[-1]["error"]


def test_back_from_the_form_keeps_the_passed_face_check_and_next_goes_on(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face)
    face.j.back()
    assert face.j.step == Step.FACE and face.j.session.face.phase == FacePhase.PASSED
    face.j.face_action("proceed")
    assert face.j.step == Step.FORM


def test_another_card_read_after_a_passed_check_is_checked_afresh(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face)
    face.j.back()
    face.j.back()  # to the card: it is read again (another card may be laid)
    assert face.j.step == Step.IDENTIFY
    card = dataclasses.replace(IDENTITIES["graduate"], photo_bmp=card_photo_png(HOLDER))
    face.devices.emit("idcard", EventKind.CARD_READ, card)
    face.run()
    assert face.j.step == Step.FACE and face.j.session.face.phase == FacePhase.CONSENT
    assert face.j.session.face.result is None


def test_the_package_carries_the_face_record_bound_to_the_application_and_no_image(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face)
    manifest, files = build_package(face.j.session, "K-1")
    assert manifest.face == FACE_FILE and FACE_FILE in {f.name for f in manifest.files}
    record = json.loads(files[FACE_FILE])
    assert record["application_id"] == manifest.application_id
    assert record["face"]["decision"] == "pass" and record["face"]["liveness"]["passed"] is True
    assert not any(n.endswith((".png", ".jpg")) and "face" in n for n in files)


def test_the_session_wipe_forgets_the_face_result(face):
    to_face(face)
    face.j.face_consent(True)
    perform(face)
    face.j.cancel()
    assert face.j.session.face.result is None and face.j.session.face.phase == FacePhase.CONSENT


def test_the_face_camera_takes_frames_only_during_a_try_and_is_told_each_challenge_shown(face):
    to_face(face)
    assert face.face_camera.active is False  # not while the consent is read
    face.j.face_consent(True)
    assert face.face_camera.active is True
    perform(face)
    assert face.face_camera.active is False and face.j.step == Step.FORM
    assert face.face_camera.prompts == ["blink", "turn_left", None]


def test_the_challenges_start_only_once_the_face_has_been_good_for_steady_frames_in_a_row(face):
    face.settings.face.steady_frames = 3
    to_face(face)
    face.j.face_consent(True)
    f = face.j.session.face
    show(face, frame(GOOD))
    show(face, frame(GOOD))
    assert f.phase == FacePhase.LOOKING and f.hint == ""  # a good face, steadying
    show(face, frame(POOR))  # it moved: the count starts again
    show(face, frame(GOOD))
    show(face, frame(GOOD))
    assert f.phase == FacePhase.LOOKING
    show(face, frame(GOOD))
    assert f.phase == FacePhase.CHALLENGE and f.challenge == "blink"
