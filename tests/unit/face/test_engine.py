"""open_face_engine builds the open engine or a vendor's from settings; the demo's face data is complete."""
from __future__ import annotations

import json

import cv2
import pytest

from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode, kiosk_errors
from kiosk.face.analyzer import MediapipeFaceAnalyzer
from kiosk.face.engine import open_face_engine
from kiosk.face.errors import FaceEngineUnavailable
from kiosk.face.matcher import THRESHOLD, DlibFaceMatcher
from kiosk.settings import FaceEngineSettings, Settings

from .conftest import FACES


class VendorMatcher:
    name = "vendor 1.0"
    threshold = 70.0

    def score(self, card_photo_bgr, live_bgr) -> float:
        return 99.0


class VendorAnalyzer:
    def observe(self, frame_bgr, t_ms=0):
        return None


def vendor_factory(settings):
    return VendorAnalyzer(), VendorMatcher()


def test_the_open_engine_is_the_default():
    analyzer, matcher = open_face_engine(Settings())
    try:
        assert isinstance(analyzer, MediapipeFaceAnalyzer) and analyzer.video
        assert isinstance(matcher, DlibFaceMatcher) and matcher.threshold == THRESHOLD
    finally:
        analyzer.close()


def test_a_vendor_engine_plugs_in_by_settings_with_its_own_threshold():
    conf = FaceEngineSettings(engine=f"python:{__name__}:vendor_factory", threshold=85.0)
    analyzer, matcher = open_face_engine(conf)
    assert isinstance(analyzer, VendorAnalyzer) and matcher.name == "vendor 1.0"
    assert matcher.threshold == 85.0


@pytest.mark.parametrize("spec", ["python:no_such_module_here:make", "python:nothing", "magic"])
def test_an_engine_that_cannot_be_loaded_is_error_2180(spec):
    with pytest.raises(FaceEngineUnavailable) as err:
        open_face_engine(FaceEngineSettings(engine=spec))
    assert err.value.code == KioskErrorCode.FACE_ENGINE_UNAVAILABLE == 2180


def test_the_face_codes_have_texts_for_citizens_and_technicians():
    table = {code: (zh, en, remedy) for code, zh, en, remedy in kiosk_errors()}
    for code in (2180, 2181, 2182):
        zh, en, remedy = table[code]
        assert "窗口" in zh and "counter" in en and remedy


def test_every_simulated_card_identity_has_a_face_and_there_is_an_impostor():
    people = json.loads((FACES / "people.json").read_text(encoding="utf-8"))
    assert set(people["identities"]) == set(IDENTITIES)
    assert people["impostor"] not in people["identities"].values()
    assert len(set(people["identities"].values())) == len(IDENTITIES)  # nobody is two card holders
    for person in [*people["identities"].values(), people["impostor"]]:
        photo = cv2.imread(str(FACES / person / "card.png"))
        live = cv2.imread(str(FACES / person / "live.png"))
        assert photo.shape == (126, 102, 3) and live is not None, person
        assert person in (FACES / "SOURCES.md").read_text(encoding="utf-8")
