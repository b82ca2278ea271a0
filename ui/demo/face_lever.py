"""The demo panel's face-camera lever (人脸摄像头, issue 19): who stands at the simulated face camera.

A tester picks a role, not a portrait: the card's holder (the portrait of the identity whose card is on the
simulated reader, faces/people.json), an impostor (the demo's one other face), or nobody; then what is held
up in front of it (the live person, a printed photo, a phone screen, a video replay: the simulator's spoofs)
and whether the person follows the screen's instructions. The knobs are devices.camera.sim.face's
``stand(person)``, ``spoof(kind)`` and ``obey``.
"""
from __future__ import annotations

import enum
from typing import Any

from devices.idcard.synthetic import IDENTITIES

from ..autopilot_face import sim_face_names

DEFAULT_CARD = "graduate"  # the simulated reader's default card (devices.idcard.sim.place_card)


class FaceRole(str, enum.Enum):
    HOLDER = "holder"
    IMPOSTOR = "impostor"
    NOBODY = "nobody"


SPOOFS = ("", "photo", "screen", "replay")  # "": the live person (devices.camera.sim.face.SPOOFS besides)


def card_key(idcard_hw: Any) -> str | None:
    """The synthetic identity of the card on the simulated reader, None when no (known) card is there."""
    card = getattr(idcard_hw, "card", None)
    return next((k for k, c in IDENTITIES.items() if card is not None and c == card), None)


class FaceLever:
    """The panel's state for the face camera and how it turns the simulator's knobs."""

    def __init__(self) -> None:
        self.role = FaceRole.HOLDER
        self.card = DEFAULT_CARD  # whose holder stands there: the card last seen on the reader

    def person(self) -> str | None:
        holder, impostor = sim_face_names(self.card)
        return {FaceRole.HOLDER: holder, FaceRole.IMPOSTOR: impostor, FaceRole.NOBODY: None}[self.role]

    def adopt(self, hw: Any) -> None:
        """Take over the simulator as the URL left it: ``person=holder`` / ``impostor`` name roles, which
        become those portraits (the drawn "holder" placeholder would not match the card's photo); a
        portrait's own name is left standing."""
        if hw.person is None:
            self.role = FaceRole.NOBODY
        elif hw.person in (FaceRole.HOLDER.value, FaceRole.IMPOSTOR.value):
            self.stand(hw, hw.person)
        elif hw.person == sim_face_names(self.card)[1]:
            self.role = FaceRole.IMPOSTOR

    def stand(self, hw: Any, role: str) -> None:
        self.role = FaceRole(role)
        hw.stand(self.person())

    def card_placed(self, hw: Any, key: str) -> None:
        """A card went onto the reader: its holder is who stands there now (if the holder was chosen)."""
        self.card = key
        if self.role is FaceRole.HOLDER:
            hw.stand(self.person())

    def hold_up(self, hw: Any, kind: str) -> None:
        """Hold up a spoof ("" for none); with nobody there, someone holds up the holder's likeness."""
        if kind not in SPOOFS:
            raise ValueError(f"unknown spoof {kind!r}; one of {SPOOFS}")
        if kind and self.role is FaceRole.NOBODY:
            self.stand(hw, FaceRole.HOLDER.value)
        hw.spoof(kind or None)

    @staticmethod
    def set_obey(hw: Any, on: bool) -> None:
        with hw.lock:
            hw.obey = bool(on)

    def reset(self, hw: Any) -> None:
        """The holder, live, following the instructions, frames flowing."""
        self.role = FaceRole.HOLDER
        hw.stand(self.person())
        hw.spoof(None)
        self.set_obey(hw, True)
        hw.frozen = False
