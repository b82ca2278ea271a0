"""The scripted citizen at the document camera: lays each material's pages, waits for auto-capture, lays a page
again when the screen says what is wrong, and taps 拍摄 only when auto-capture does not fire (counted: the run's
``pages_captured_by_hand``, with what the screen said, enough to replay the frames in a unit test).

A mixin of ``ui.autopilot.Autopilot``: it uses the autopilot's ``vm``, ``ui``, ``app``, ``_hw`` and counters.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterator

Cond = Callable[[], bool]


class JourneyFailed(Exception):
    """The scripted journey cannot go on: its line says why."""


class MaterialsCitizen:
    vm: Any
    ui: Any
    app: Any
    relaid: list
    manual_captures: int
    hand_captures: list

    _hw: Callable[[str], Any]  # the simulated device the citizen handles (Autopilot._hw)
    # How long the citizen waits for auto-capture before tapping 拍摄 (``kiosk autopilot --capture-patience``:
    # a run that tests the hand capture itself need not wait a person's 8 s for each page).
    capture_patience_s = 8.0

    def _do_materials(self) -> Iterator[Cond]:
        camera = self._hw("camera")
        while self.vm.step == "materials":
            m = self.vm.material
            kind = "id_front" if m.get("id", "").startswith("id_card") else "form"
            tries = 0
            while m.get("pages", 0) < max(1, m.get("minPages", 1)):
                if camera is not None:
                    # As a person does, the desk is seen empty before the next page is laid: auto-capture waits
                    # for a page to be taken away before it takes the next one.
                    camera.remove_page()
                    emptied = time.monotonic() + 3.0
                    yield lambda: (self.vm.step != "materials" or self.vm.live.get("state") in ("no_page", "off")
                                   or time.monotonic() > emptied)
                    camera.put_page(kind)  # the citizen lays the page under the camera
                before = m.get("pages", 0)
                # It is captured by itself once it lies still. When the screen says what is wrong (glare, cut
                # off ...) for a while, the citizen lays the page again; a citizen taps 拍摄 when auto-capture
                # is off or nothing has happened for a while.
                for _attempt in range(3):
                    patience, told = time.monotonic() + self.capture_patience_s, time.monotonic() + 3.0
                    yield lambda: (self.vm.material.get("pages", 0) > before or bool(self.vm.notice)
                                   or self.vm.live.get("state") == "off" or time.monotonic() > patience
                                   or (self.vm.live.get("state") == "problem" and time.monotonic() > told))
                    said = self.vm.live.get("problem") if self.vm.live.get("state") == "problem" else None
                    if camera is None or self.vm.material.get("pages", 0) > before or not said:
                        break
                    self.relaid.append(said)   # counted in the run's summary: what the screen asked to fix
                    camera.put_page(kind)
                if self.vm.material.get("pages", 0) == before and not self.vm.busy and not self.vm.notice:
                    if self.vm.live.get("state") != "off":
                        self.manual_captures += 1  # auto-capture did not fire: counted in the run's summary
                        # What the screen said when the citizen gave up waiting, and the page laid (the
                        # simulator's scene seed): enough to replay the frames in a unit test.
                        self.hand_captures.append(self._hand_capture(m, camera, kind))
                    self.ui.tap("materials.capture")
                yield lambda: not self.vm.busy and (self.vm.material.get("pages", 0) > before or bool(self.vm.notice))
                m = self.vm.material
                tries += 1
                if tries > 4:
                    raise JourneyFailed(f"capture kept failing: {self.vm.notice.get('text')}")
            index = m.get("index")
            # Its pages are there: the screen counts down and goes on by itself (issue 17), no 下一项 /
            # 完成拍摄 tap. The page stays under the camera meanwhile: lifting it is no touch on the screen.
            yield lambda: self.vm.step != "materials" or self.vm.material.get("index") != index
            if camera is not None:
                camera.remove_page()

    def _hand_capture(self, material: dict, camera: Any, kind: str) -> dict:
        """What the screen said when the citizen gave up waiting, what the preview analysed last and what the
        camera sent last (a stalled preview shows as an old frame), and the page laid (the simulator's scene
        seed): enough to replay its frames in a unit test."""
        live = self.app.runtime.journey.live_frame()
        device = self.app.runtime.devices.get("camera")
        newest = device.latest() if device is not None and hasattr(device, "latest") else None
        return {"material": material.get("id"), "screen": self.vm.live.get("state"),
                "problem": self.vm.live.get("problem"),
                "preview": None if live is None else {"state": str(live.status.state), "seq": live.seq,
                                                      "ms": round(live.analysed_ms, 1)},
                "camera_seq": None if newest is None else newest.seq,
                "seed": getattr(camera, "seed", None), "kind": kind}
