"""Demo mode's card photo (devices/idcard/sim_photo.py): the simulated reader, with the decoder config/demo.toml
names, gives each synthetic identity's own card portrait, so the face step has a photo to compare with;
a real card's WLT bytes are refused, as without a vendor library."""
from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from devices.base import EventKind
from devices.idcard import sim_photo
from devices.idcard.photo import PhotoState
from devices.idcard.synthetic import IDENTITIES
from kiosk.settings import default_files, load_settings
from tests.unit.devices.test_idcard_driver import make_reader, of


@pytest.fixture
def faces(tmp_path, monkeypatch):
    """A faces/ folder as the demo's data lays it out: people.json and a card.png per person."""
    (tmp_path / "P1").mkdir()
    cv2.imwrite(str(tmp_path / "P1" / "card.png"), np.full((252, 204, 3), (10, 120, 230), np.uint8))
    (tmp_path / "people.json").write_text(json.dumps({"identities": {"elder": "P1"}, "impostor": "P2"}))
    monkeypatch.setattr(sim_photo, "FACES", tmp_path)
    return tmp_path


def test_the_demo_settings_name_the_simulated_photo_decoder():
    settings = load_settings(default_files(True))
    assert settings.devices.idcard.options["photo_decoder"] == "python:devices.idcard.sim_photo:decode"


def test_a_simulated_card_read_with_the_demo_decoder_carries_its_identitys_card_photo(faces):
    r, rec = make_reader("sim://idcard?card=elder", photo_decoder="python:devices.idcard.sim_photo:decode")
    try:
        r.arm()
        card = rec.wait_for(of(EventKind.CARD_READ))[0].data
    finally:
        r.stop()
    assert card.photo_state == PhotoState.DECODED and card.photo_bmp[:2] == b"BM"
    img = cv2.imdecode(np.frombuffer(card.photo_bmp, np.uint8), cv2.IMREAD_COLOR)
    assert img.shape == (126, 102, 3) and tuple(int(v) for v in img[60, 50]) == (10, 120, 230)


def test_real_wlt_bytes_are_refused_not_turned_into_someone_elses_photo(faces):
    with pytest.raises(ValueError):
        sim_photo.decode(bytes(range(256)) * 4)
    assert IDENTITIES["elder"].photo_wlt == sim_photo.wlt_for("elder")
