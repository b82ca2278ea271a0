"""Walking an item whose catalogue entry says ``face_check`` (人证核验) in a UI test, as a citizen does.

Tests that walk such an item to its form (keyboards, layouts, titles, the offline path) meet the face step
after the card. They pass it honestly: the citizen taps 同意 on the consent, stands in front of the face
camera and does the challenges the screen shows; the face step's own code runs (consent, try, liveness,
comparison, the record). Only the engine and the camera are the fakes of tests/helpers/face_fakes.py (no
model, no real camera), as tests/ui/test_ui_face.py uses them:

    person = fit_fake_face(k)        # before the card is laid
    ...place the card...
    through_face(qtbot, k, person)   # waits for the step after the card; passes the face step if it shows
"""
from __future__ import annotations

from kiosk.journey.plan import Step
from kiosk.journey.steps.face import FaceStep, decode_photo
from tests.helpers.face_fakes import GOOD, FakeSimPerson, _Preview, fake_kit, frame


class LiveFakePerson(FakeSimPerson):
    """The fake person seen through a streaming camera: while the face step has the camera on, every look at
    the preview is a new frame of what the person shows (a live camera gives ~20 a second), so the step's
    ``face.steady_frames`` good frames in a row come as on a kiosk, with the default settings."""

    def latest(self) -> _Preview | None:
        shown = super().latest()
        if shown is None or not self.active:
            return None
        self._seq += 1
        return _Preview(self._seq, shown.image)

    def stand_for(self, card) -> None:
        """The holder of ``card`` stands there: in the fakes a face's identity is its mark (face_fakes.frame's
        second channel), so the holder's face carries the mark of the card's own photo."""
        photo = decode_photo(getattr(card, "photo_bmp", b"") if card is not None else b"")
        assert photo is not None, "the card read carries no photo to compare the face with"
        self.person = int(photo[0, 0, 1])
        self.show(frame(GOOD, self.person, self.spoofing))


def fit_fake_face(k) -> LiveFakePerson:
    """Put the fake person at kiosk ``k``'s face camera and the fake engine in its face step (before the card
    is laid; harmless for items without the face step). The kiosk is torn down after the test."""
    person = LiveFakePerson()
    camera_name = k.comp.settings.face.camera
    devices = k.comp.runtime.devices
    real_get = devices.get
    devices.get = lambda name: person if name == camera_name else real_get(name)
    kit = fake_kit(seed=19)  # two challenges in a random order, as the real check asks them
    k.journey.steps[Step.FACE] = FaceStep(lambda: kit)
    k.face_person = person
    return person


def _settled(k, *steps: str) -> bool:
    return k.vm.step in steps and not k.vm.busy and k.ui.find("page") is not None


def through_face(qtbot, k, person: LiveFakePerson, timeout: int = 10000) -> None:
    """After the card: if the face step shows, consent as the citizen (tap 同意) with the card's holder at the
    camera, and wait until the check has passed and the journey went on. Returns on the step after it."""
    qtbot.waitUntil(lambda: _settled(k, "face") or (k.vm.step not in ("identify", "face") and not k.vm.busy),
                    timeout=timeout)
    if k.vm.step != "face":
        return
    qtbot.waitUntil(lambda: k.ui.find("face.agree") is not None)
    person.stand_for(k.journey.session.card)
    k.ui.tap("face.agree")
    qtbot.waitUntil(lambda: k.vm.step != "face" and not k.vm.busy, timeout=timeout)
    face = k.journey.session.face
    assert face.result is not None and face.result.decision.value == "pass", face.result
