"""Demo mode's card photo: the simulated cards carry a marker where a real card carries WLT, and this
"decoder" (``photo_decoder = "python:devices.idcard.sim_photo:decode"`` in config/demo.toml) turns it into the
synthetic identity's card photo, so the face step compares the simulated person with their own card.

The photos are the demo's public-domain portraits (devices/camera/sim/faces/<person>/card.png, listed per
identity in faces/people.json; see the SOURCES file there). This is no WLT decoder: a real card's bytes are
refused, as a missing vendor library would leave them (the photo's state says so).
"""
from __future__ import annotations

import json
from pathlib import Path

MAGIC = b"SIMFACE1"
FACES = Path(__file__).resolve().parents[1] / "camera" / "sim" / "faces"  # data only: no import across kinds


def wlt_for(identity: str) -> bytes:
    """The 1024 bytes a simulated card carries in its photo field: the marker and the synthetic identity's
    name (devices.idcard.synthetic.IDENTITIES)."""
    return (MAGIC + identity.encode("ascii")).ljust(1024, b"\x00")


def decode(wlt: bytes) -> bytes:
    """The identity's card photo as a BMP file (what a vendor decoder gives), 102 x 126 like a card's."""
    if not wlt.startswith(MAGIC):
        raise ValueError("not a simulated card's photo (a real card needs the vendor's WLT decoder)")
    identity = bytes(wlt[len(MAGIC):64]).rstrip(b"\x00").decode("ascii")
    people = json.loads((FACES / "people.json").read_text(encoding="utf-8"))
    import cv2  # noqa: PLC0415 - only in demo mode, when a card is read
    import numpy as np  # noqa: PLC0415

    data = (FACES / people["identities"][identity] / "card.png").read_bytes()
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f"unreadable card photo for {identity}")
    ok, bmp = cv2.imencode(".bmp", cv2.resize(img, (102, 126), interpolation=cv2.INTER_AREA))
    if not ok:
        raise ValueError("BMP encoding failed")
    return bmp.tobytes()
