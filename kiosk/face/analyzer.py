"""The open face analyzer: MediaPipe Face Mesh (468 landmarks) on a camera frame, measured for the face step.

MediaPipe 0.10.21 ships its face detector and face-mesh models (TFLite) inside the wheel, under Apache-2.0:
nothing is downloaded at run time (docs/face.md). Newer MediaPipe releases dropped these "solutions" and
need model files fetched from the network, so the version is pinned (Makefile, pyproject.toml).

What the analyzer measures, for the liveness check and for capture:

- ``box``: the landmarks' bounding box in frame pixels.
- ``landmarks``: the (468, 2) landmark positions in frame pixels (the face mesh's own order).
- ``eye_openness``: the eye aspect ratio (Soukupova & Cech 2016), mean of both eyes: the two lid-to-lid
  distances (across the eye's axis) over twice the corner-to-corner width. Open eyes measured 0.18-0.28 (5th-95th
  percentile, median 0.235, lowest 0.12 in a smile) over bench/data/faces' 150 portraits; shut lids read ~0,
  so a blink is best judged as a dip below the citizen's own open-eye level in the same stream.
- ``yaw_deg``: the head's turn, from where the nose tip sits between the two sides of the face: frontal is 0,
  positive when the citizen turns to THEIR left (in the camera's own, unmirrored frame the nose then moves
  towards the frame's right edge). asin of the nose's offset from the middle, as a fraction of the half width.
- ``quality`` in 0..1: the product of a size score (face width over ``good_face_px``), a sharpness score
  (variance of the Laplacian inside the face over ``good_sharpness``) and a pose score (1 at 0 deg, 0 at
  ``max_quality_yaw_deg``).
"""
from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass

import cv2
import numpy as np

from .api import FaceObservation
from .errors import FaceEngineUnavailable

log = logging.getLogger(__name__)

# Face-mesh landmark indices (MediaPipe's canonical face model). Eyes as the six points of the eye aspect
# ratio: outer corner, two upper lid points, inner corner, two lower lid points (p1..p6 of the EAR paper).
RIGHT_EYE = (33, 160, 158, 133, 153, 144)  # the citizen's right eye: on the frame's left (unmirrored)
LEFT_EYE = (362, 385, 387, 263, 373, 380)  # the citizen's left eye
NOSE_TIP = 1
FACE_SIDE_RIGHT = 234  # the citizen's right cheek edge (frame left)
FACE_SIDE_LEFT = 454  # the citizen's left cheek edge (frame right)
N_LANDMARKS = 468
# The nose tip's depth in front of the face's sides (234/454), in half face widths: 1.29 in MediaPipe's canonical
# face model, median 1.36 over the face mesh's own depth on 60 frontal portraits of bench/data/faces. Turned by
# yaw a (orthographic), the nose's offset from the sides' middle over the half width is NOSE_DEPTH * tan(a).
NOSE_DEPTH = 1.33

# Below this size (pixels, shorter side) a still is padded before the detector sees it: a 102 x 126 card
# photo is mostly face, and the short-range detector finds a face more surely with some room around it.
_MIN_SIDE_PX = 192


def eye_aspect_ratio(points: np.ndarray, eye: tuple[int, ...]) -> float:
    """EAR of one eye from (N, 2) landmarks: (|p2-p6| + |p3-p5|) / (2 |p1-p4|), with the lid distances taken
    across the eye's corner-to-corner axis (the mesh's upper and lower lid points are not exactly above one
    another, so the plain distance would stay above zero with the eye shut)."""
    p1, p2, p3, p4, p5, p6 = (points[i].astype(np.float64) for i in eye)
    axis = p4 - p1
    width = float(np.linalg.norm(axis))
    if width <= 1e-6:
        return 0.0
    normal = np.array([-axis[1], axis[0]]) / width
    return float((abs(np.dot(p2 - p6, normal)) + abs(np.dot(p3 - p5, normal))) / (2.0 * width))


def yaw_degrees(points: np.ndarray) -> float:
    """Head yaw from the nose tip's place between the face's sides; + = the citizen turned to their left."""
    right_x = float(points[FACE_SIDE_RIGHT][0])
    left_x = float(points[FACE_SIDE_LEFT][0])
    half = (left_x - right_x) / 2.0
    if abs(half) <= 1e-6:
        return 0.0
    offset = (float(points[NOSE_TIP][0]) - (left_x + right_x) / 2.0) / half
    return math.degrees(math.atan2(offset, NOSE_DEPTH))


@dataclass(frozen=True)
class AnalyzerTuning:
    """How quality is scored. Pixel figures are at the frame's own resolution."""

    good_face_px: float = 160.0  # a face this wide (px) or wider scores 1 for size
    good_sharpness: float = 60.0  # variance of the Laplacian in the face box that scores 1 for sharpness
    max_quality_yaw_deg: float = 30.0  # a face turned this far scores 0 for pose
    min_detection_confidence: float = 0.5  # MediaPipe's face detector's threshold


class MediapipeFaceAnalyzer:
    """``FaceAnalyzer`` on MediaPipe Face Mesh (the refined mesh, found afresh in every frame). ``video=True``
    for a camera stream's frames; ``video=False`` for stills such as a card photo (a small one is padded for
    the detector). Not thread-safe: one instance per thread."""

    name = "mediapipe-face-mesh 0.10.21"

    def __init__(self, *, video: bool = True, max_faces: int = 2, tuning: AnalyzerTuning | None = None) -> None:
        self.tuning = tuning or AnalyzerTuning()
        self.video = video
        os.environ.setdefault("GLOG_minloglevel", "2")  # MediaPipe's C++ log: warnings and errors only
        try:
            from mediapipe.python.solutions import face_mesh
        except Exception as exc:  # ImportError, or a broken native library
            raise FaceEngineUnavailable(f"MediaPipe face mesh cannot be loaded: {exc}") from exc
        # The refined mesh (its attention model) follows the eyelids: on the simulated person's blinks the plain
        # mesh's eye openness fell only to 0.46-0.70 of open, the refined one's to 0.04-0.23. But tracking from
        # frame to frame with it lost a held turn (the elder's portrait turned 36 degrees right read -11, then
        # drifted to -4; found afresh in each frame, -16 to -19). Finding the face in every frame costs no more
        # here (9.4 ms a 640x480 frame vs 10.6 tracked, this CPU), so a stream is analysed frame by frame too.
        self._mesh = face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=max_faces, refine_landmarks=True,
            min_detection_confidence=self.tuning.min_detection_confidence, min_tracking_confidence=0.5)

    def close(self) -> None:
        self._mesh.close()

    def landmarks(self, frame_bgr: np.ndarray) -> np.ndarray | None:
        """The largest face's (468, 2) landmarks in pixels of ``frame_bgr``, or None without a face."""
        if frame_bgr is None or frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3 or frame_bgr.size == 0:
            return None
        h, w = frame_bgr.shape[:2]
        pad = 0
        image = frame_bgr
        if min(h, w) < _MIN_SIDE_PX and not self.video:
            pad = (_MIN_SIDE_PX - min(h, w)) // 2 + 16
            image = cv2.copyMakeBorder(frame_bgr, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        ih, iw = image.shape[:2]
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        result = self._mesh.process(rgb)
        faces = result.multi_face_landmarks
        if not faces:
            return None
        best: np.ndarray | None = None
        best_area = -1.0
        for face in faces:
            pts = np.array([(p.x * iw, p.y * ih) for p in face.landmark[:N_LANDMARKS]], dtype=np.float32)
            span = pts.max(axis=0) - pts.min(axis=0)
            area = float(span[0] * span[1])
            if area > best_area:
                best, best_area = pts, area
        assert best is not None
        if pad:
            best -= pad
        return best

    def observe(self, frame_bgr: np.ndarray, t_ms: int = 0) -> FaceObservation | None:
        pts = self.landmarks(frame_bgr)
        if pts is None:
            return None
        return measure(frame_bgr, pts, self.tuning, t_ms)


def measure(frame_bgr: np.ndarray, pts: np.ndarray, tuning: AnalyzerTuning, t_ms: int = 0) -> FaceObservation:
    """A ``FaceObservation`` from face-mesh landmarks on ``frame_bgr``."""
    h, w = frame_bgr.shape[:2]
    x0, y0 = (float(v) for v in pts.min(axis=0))
    x1, y1 = (float(v) for v in pts.max(axis=0))
    box = (x0, y0, x1 - x0, y1 - y0)
    ear = (eye_aspect_ratio(pts, RIGHT_EYE) + eye_aspect_ratio(pts, LEFT_EYE)) / 2.0
    yaw = yaw_degrees(pts)
    size_score = min(1.0, box[2] / tuning.good_face_px)
    xa, ya = max(0, int(x0)), max(0, int(y0))
    xb, yb = min(w, int(math.ceil(x1))), min(h, int(math.ceil(y1)))
    sharp_score = 0.0
    if xb - xa >= 8 and yb - ya >= 8:
        gray = cv2.cvtColor(frame_bgr[ya:yb, xa:xb], cv2.COLOR_BGR2GRAY)
        sharp_score = min(1.0, float(cv2.Laplacian(gray, cv2.CV_64F).var()) / tuning.good_sharpness)
    pose_score = max(0.0, 1.0 - abs(yaw) / tuning.max_quality_yaw_deg)
    quality = size_score * sharp_score * pose_score
    return FaceObservation(box=box, landmarks=pts, eye_openness=ear, yaw_deg=yaw, quality=quality, t_ms=t_ms)
