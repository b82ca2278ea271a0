"""Settings of the face check (人证核验, issue 19): the check, liveness and the matching engine.

Sections ``[face]``, ``[liveness]`` and ``[face_engine]`` of ``kiosk.settings.Settings``.
"""
from __future__ import annotations


from pydantic import Field

from .settings_base import _M


class FaceSettings(_M):
    """The face check (人证核验, issue 19) of the items whose catalogue entry says ``face_check``."""

    camera: str = Field("face_camera", description=(
        "Name of the device that watches the citizen's face ([devices.<name>]); the document camera "
        "(\"camera\") may serve when it can see the person"))
    max_tries: int = Field(3, ge=1, le=5, description="Tries before the citizen is sent to a staffed counter")
    try_timeout_s: float = Field(25.0, gt=0, le=120, description=(
        "Seconds one try may take from the first frame (finding the face and doing the challenges); past it "
        "the try fails (no face, or liveness not shown)"))
    min_quality: float = Field(0.5, ge=0, le=1, description=(
        "FaceObservation.quality (0..1) a frame needs before the face counts as seen and the challenges start"))
    steady_frames: int = Field(4, ge=1, le=30, description=(
        "Good frames in a row (at frame_interval_s) before the challenges start: the face tracker's first frames "
        "measure the head's pose loosely (a 9 degree yaw that settles at 2), and the liveness check takes its "
        "reference pose from the first frame it is given"))
    frame_interval_s: float = Field(0.05, gt=0, le=1, description=(
        "Seconds between two analysed preview frames (0.05 = 20 per second: a blink lasts about 0.15 s)"))
class LivenessSettings(_M):
    """The face step's liveness check (kiosk.face.liveness); limits from bench/bench_liveness.py."""

    challenges: int = Field(2, ge=1, le=3, description=(
        "How many of the active challenges (blink, turn left, turn right) are asked, in random order"))
    challenge_timeout_s: float = Field(6.0, gt=0, le=60, description=(
        "Seconds allowed for each challenge, from when it is shown (or the face first seen)"))
    blink_closed_ratio: float = Field(0.5, gt=0, lt=1, description=(
        "Eyes count as closed below this fraction of their open eye aspect ratio"))
    blink_open_ratio: float = Field(0.8, gt=0, le=1, description=(
        "...and open again above this fraction: a blink is a close then an open"))
    turn_deg: float = Field(15.0, gt=0, le=60, description="Degrees of head turn (yaw) that count as a turn")
    depth_min_yaw_deg: float = Field(10.0, gt=0, le=60, description=(
        "Frames turned at least this many degrees are compared with the frontal one for depth"))
    depth_min: float = Field(1.0, ge=0, description=(
        "Minimum depth evidence, % of the face's width: the landmarks' residual from the best homography "
        "between a frontal and a turned frame (a flat photo: ~0; a head turned 20 degrees: 2-4)"))
    texture_min: float = Field(8.0, ge=0, description=(
        "Minimum fine-texture score (band-pass energy over contrast, x100) of the face region. A weak cue: "
        "it rejects only very flat, blurred pictures (a real live frame scored 12.5, a real print 15.0 in "
        "bench/bench_liveness.py), the depth and moire checks carry the decision"))
    moire_max: float = Field(11.0, gt=0, description=(
        "Maximum spectral peak of the face region over the spectrum's level at its frequency (ratio): a "
        "real phone screen scored 14.0, real and simulated frontal live faces at most 8.0"))
    moire_max_yaw_deg: float = Field(8.0, gt=0, le=60, description=(
        "Moire is measured only in frames whose head turn (from the first frame's) is at most this many "
        "degrees: a turned face's crop takes in hair and background edges that peak like a screen"))
    passive_every_n: int = Field(3, ge=1, le=30, description="Texture and moire are measured on every n-th frame")


class FaceEngineSettings(_M):
    """The face engine of the face check (人证核验, kiosk/face/engine.py)."""

    engine: str = Field("open", min_length=1, description=(
        "open = the bundled open engine (MediaPipe face mesh + dlib ResNet, docs/face.md); "
        "python:package.module:factory = a vendor's engine: factory(settings) -> (analyzer, matcher)"))
    threshold: float = Field(0.0, ge=0, le=1000, description=(
        "Matcher score (the engine's own scale, no unit) at and above which the card photo and the live face "
        "are the same person; 0 = the engine's own threshold, measured by bench/bench_face.py"))
