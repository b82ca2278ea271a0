"""The scripted citizen at the face step (人证核验, issue 19): agrees, then does what the screen asks.

The simulated person stands in front of the face camera (``sim://face``, devices/camera/sim): the card's
holder, or with ``kiosk autopilot --impostor`` someone else. The face step tells the camera the challenge
its screen shows (``FaceCamera.prompt``) and the simulated person does it; the citizen follows the screen
(its view-model) and keeps the challenges it showed, which the line gives beside the ones the liveness check
asked. A failed try is tried again while the screen offers it, and the referral's 完成 ends the journey at
the counter, with no application. The journey's JSON line carries ``"face": {"decision", "score",
"liveness"}``.

A mixin of ``ui.autopilot.Autopilot``: it uses the autopilot's UI driver, view-model and runtime.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from devices import sim

Cond = Callable[[], bool]
PEOPLE = Path(sim.__file__).resolve().parent / "camera" / "sim" / "faces" / "people.json"


def sim_face_names(identity: str) -> tuple[str, str]:
    """(the card holder's face, the impostor's face) as the simulator names them (faces/people.json: the
    demo's public-domain portraits per synthetic identity); the roles' own names where there is no list."""
    try:
        people = json.loads(PEOPLE.read_text(encoding="utf-8"))
        return people["identities"][identity], people["impostor"]
    except (OSError, ValueError, KeyError):
        return "holder", "impostor"


def face_camera_url(app: Any) -> str:
    """The face camera's URL from the settings ([face] camera names the device), "" when there is none."""
    settings = app.runtime.settings
    return str(getattr(getattr(settings.devices, settings.face.camera, None), "url", "") or "")


def face_person(app: Any, identity: str, role: str) -> Any:
    """THE SEAM with the simulated face camera (``sim://face``): who stands in front of it; the simulator's
    hardware, or None when the face camera is not simulated.

    Uses ``devices.camera.sim.face.FaceSimulator``'s knobs: ``stand(person)`` and ``spoof(kind)`` (role
    "spoof": a printed photo of the holder held up)."""
    url = face_camera_url(app)
    hw = sim.get_hardware(url) if url.startswith("sim://") else None
    if hw is None:
        return None
    holder, impostor = sim_face_names(identity)
    hw.stand(impostor if role == "impostor" else holder)
    hw.spoof("photo" if role == "spoof" else None)
    return hw


def face_line(record: dict[str, Any] | None, shown: list[str]) -> dict[str, Any] | None:
    """What the journey's JSON line says of the face step (None: it had none)."""
    if record is None:
        return None
    live = record.get("liveness")
    return {"decision": record["decision"], "score": record["score"],
            "liveness": None if live is None else {"passed": live["passed"], "challenges": live["challenges"],
                                                   "done": live["done"], "reason": live["reason"]},
            "tries": record.get("tries"), "shown": list(shown)}


class FaceCitizen:
    # provided by ui.autopilot.Autopilot
    app: Any
    vm: Any
    ui: Any
    out: Any
    failures: int
    identity: str
    face_role = "holder"  # who stands at the face camera: holder | impostor (``--impostor``) | spoof
    face_referred: dict[str, Any] | None = None  # this journey's face record when it ended at the counter
    face_passed: dict[str, Any] | None = None  # ... when it went on
    face_shown: list[str] = []  # the challenges the face screen showed, in order

    def _face_record(self) -> dict[str, Any] | None:
        result = self.app.runtime.journey.session.face.result
        return result.as_record() if result is not None else None

    def _do_face(self) -> Iterator[Cond]:
        face = self.app.face
        person = face_person(self.app, self.identity, self.face_role)
        if person is None:
            raise RuntimeError("no simulated face camera (a sim:// URL for the [face] camera device): the face "
                               "step cannot be played")
        yield lambda: self.ui.find("face.agree") is not None
        self.face_shown = []

        def note_shown() -> None:  # every instruction the screen takes, not only those there when polled
            key = face.instructionKey
            if key.startswith("challenge.") and key[10:] not in self.face_shown[-1:]:
                self.face_shown.append(key[10:])

        face.changed.connect(note_shown)
        try:
            self.ui.tap("face.agree")
            yield from self._face_phases(face)
        finally:
            face.changed.disconnect(note_shown)

    def _face_phases(self, face: Any) -> Iterator[Cond]:
        while self.vm.step == "face":
            phase = face.phase
            if phase == "failed":
                button = "face.retry" if face.triesLeft > 0 else "face.counter"
                yield lambda: self.ui.find(button) is not None  # the screen shows it (a frame after the phase)
                self.ui.tap(button)
                yield lambda: face.phase != "failed"
                continue
            elif phase == "referral":
                self.face_referred = self._face_record() or {"decision": "none", "score": None, "liveness": None}
                self.face_referral_code = face.code
                yield lambda: self.ui.find("face.done") is not None
                self.ui.tap("face.done")
                yield lambda: self.vm.step in ("home", "attract")
                return
            yield lambda p=phase, c=face.challenge: (self.vm.step != "face" or face.phase != p or face.challenge != c)
        self.face_passed = self._face_record()

    def _face_into(self, line: dict[str, Any]) -> None:
        """A completed journey's line: its face step, and a failure if someone else passed as the holder."""
        passed, self.face_passed = self.face_passed, None  # the next journey starts without one
        if passed is None:
            return
        line["face"] = face_line(passed, self.face_shown)
        if self.face_role != "holder":
            self.failures += 1
            line["error"] = f"the face step passed for the {self.face_role}"

    def _face_referral_line(self, code: str, app_id: str, started: float) -> None:
        """The journey ended at the counter referral: no application may exist for it."""
        outbox = self.app.runtime.outbox
        referred, self.face_referred = self.face_referred, None
        line = {"item": code, "status": "referred", "referral_code": self.face_referral_code,
                "application": None if outbox.get(app_id) is None else app_id,
                "face": face_line(referred, self.face_shown), "seconds": round(time.monotonic() - started, 2)}
        if line["application"] is not None:
            self.failures += 1
            line["error"] = "an application exists for a journey referred to the counter"
        if self.face_role == "holder":
            self.failures += 1
            line.setdefault("error", "the card's holder was referred to the counter")
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)
