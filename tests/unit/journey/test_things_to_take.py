"""The end screen asks the citizen to take only what this journey used (a bill reads no card and prints a
payment slip; an item without materials leaves nothing under the camera)."""
from __future__ import annotations

import pytest

from devices.idcard.synthetic import IDENTITIES
from kiosk.capture.pages import Page
from kiosk.journey.session import Session
from ui.models.present import things_to_take


class _J:
    def __init__(self, session: Session) -> None:
        self.session = session


@pytest.mark.parametrize("code,card,pages,expected", [
    ("312000218000", True, True, "card_receipt_pages"),
    ("312000218000", True, False, "card_receipt"),
    ("960000001000", False, False, "slip"),
])
def test_the_end_screen_names_only_what_was_used(rig, code, card, pages, expected):
    s = Session(item=rig.catalog.get(code))
    s.card = IDENTITIES["graduate"] if card else None
    if pages:
        s.pages["m"] = [Page(bytearray(b"x"), "image/jpeg", 1, 1)]
    assert things_to_take(_J(s)) == expected


def test_every_key_has_its_sentence_on_the_end_screen():
    from pathlib import Path

    qml = (Path(__file__).resolve().parents[3] / "ui" / "qml" / "screens" / "end.qml").read_text(encoding="utf-8")
    for key in ("card_receipt_pages", "card_receipt", "receipt_pages", "receipt", "card_slip", "slip"):
        assert f'"{key}": qsTr(' in qml
