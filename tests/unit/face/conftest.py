"""The open face engine, loaded once per test module (model files take a second to load)."""
from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

FACES = Path(__file__).resolve().parents[3] / "devices" / "camera" / "sim" / "faces"


def people() -> dict:
    return json.loads((FACES / "people.json").read_text(encoding="utf-8"))


def card(person: str) -> np.ndarray:
    return cv2.imread(str(FACES / person / "card.png"))


def live_frame(person: str, *, angle: float = 4.0, gain: float = 1.1, scale: float = 1.5,
               mirror: bool = True) -> np.ndarray:
    """A 640 x 480 frame with the person's portrait in it, changed from the card photo's pixels."""
    img = cv2.imread(str(FACES / person / "live.png"))
    if mirror:
        img = cv2.flip(img, 1)
    h, w = img.shape[:2]
    img = cv2.warpAffine(img, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h),
                         borderMode=cv2.BORDER_REPLICATE)
    img = np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    img = cv2.resize(img, None, fx=scale, fy=scale)
    frame = np.full((480, 640, 3), 110, np.uint8)
    ih, iw = min(img.shape[0], 480), min(img.shape[1], 640)
    y0, x0 = (480 - ih) // 2, (640 - iw) // 2
    frame[y0:y0 + ih, x0:x0 + iw] = img[:ih, :iw]
    return frame


@pytest.fixture(scope="module")
def matcher():
    from kiosk.face.matcher import DlibFaceMatcher

    return DlibFaceMatcher()


@pytest.fixture(scope="module")
def still_analyzer():
    from kiosk.face.analyzer import MediapipeFaceAnalyzer

    analyzer = MediapipeFaceAnalyzer(video=False)
    yield analyzer
    analyzer.close()
