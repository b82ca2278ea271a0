"""The face screen shows every challenge the step asks, in order, even when the citizen does one (a blink)
before the screen has drawn it: the instruction comes from the step's own spoken events, not from the live
state read later (which may already be at the next challenge). CI saw the autopilot's record of what the
screen showed miss the blink (2026-12-07)."""
from __future__ import annotations

from types import SimpleNamespace

from kiosk.journey import JourneyEvent, JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.journey.session import FacePhase, FaceProgress
from ui.models.face_vm import FaceViewModel


class _Journey:
    def __init__(self) -> None:
        self.session = SimpleNamespace(face=FaceProgress())
        self.settings = SimpleNamespace(face=SimpleNamespace(max_tries=3))
        self.listeners: list = []

    def subscribe(self, listener) -> None:
        self.listeners.append(listener)

    def emit(self, kind: JourneyEventKind, data=None) -> None:
        for listener in self.listeners:
            listener(JourneyEvent(kind, Step.FACE, data))


def _shown(qtbot, journey: _Journey, vm: FaceViewModel, burst) -> list[str]:
    seen: list[str] = []
    vm.changed.connect(lambda: seen.append(vm.instruction) if vm.instruction not in seen[-1:] else None)
    burst()  # the preview thread's events, queued to the GUI thread
    qtbot.waitUntil(lambda: vm.instructionKey == "challenge.turn_left")
    return seen


def test_a_blink_done_before_the_screen_drew_it_is_still_shown_in_its_turn(qtbot):
    journey = _Journey()
    vm = FaceViewModel(journey, lambda: "zh_CN")
    face = journey.session.face

    def burst() -> None:  # emitted from the step as it moved on; the live state is already at the last one
        face.phase, face.challenge = FacePhase.CHALLENGE, "turn_left"
        for challenge in ("blink", "turn_left"):
            journey.emit(JourneyEventKind.UPDATE)
            journey.emit(JourneyEventKind.FACE, f"challenge.{challenge}")

    seen = _shown(qtbot, journey, vm, burst)
    assert seen[-2:] == ["请眨眨眼", "请慢慢向左转头"], seen


def test_a_failed_try_takes_the_instruction_off_the_screen(qtbot):
    journey = _Journey()
    vm = FaceViewModel(journey, lambda: "zh_CN")
    face = journey.session.face
    face.phase, face.challenge = FacePhase.CHALLENGE, "turn_left"
    journey.emit(JourneyEventKind.FACE, "challenge.turn_left")
    qtbot.waitUntil(lambda: vm.instruction == "请慢慢向左转头")
    face.phase, face.challenge = FacePhase.FAILED, ""
    journey.emit(JourneyEventKind.UPDATE)  # a failure says nothing: its notice speaks
    qtbot.waitUntil(lambda: vm.instructionKey == "")
    assert vm.instruction == ""
