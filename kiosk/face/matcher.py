"""The open face matcher: dlib's ResNet face descriptor on faces aligned by dlib's 5-point landmarks.

Models: ``dlib_face_recognition_resnet_model_v1.dat`` and ``shape_predictor_5_face_landmarks.dat`` from the
``face-recognition-models`` package (Davis King's models, public domain / CC0; the package also carries a
68-point model trained on non-commercial data, which this code never loads). dlib itself comes from the
``dlib-bin`` wheel (Boost licence): nothing is compiled, nothing is downloaded at run time (docs/face.md).

One comparison: find the largest face (dlib's HOG detector; MediaPipe's landmarks when it finds none), fit
the five landmarks (eye corners, nose base), cut the aligned 150 x 150 chip, compute the 128-number
descriptor, and score the pair by the cosine of the two descriptors. The card photo (GA 467: 102 x 126 px)
is small: the detector looks at it upsampled once, and the chip is cut from it all the same.

Nothing is kept: descriptors live as long as the caller holds them.
"""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import cv2
import numpy as np

from .errors import CardPhotoUnusable, FaceEngineUnavailable, LiveFaceNotFound

log = logging.getLogger(__name__)

# Where "same person" begins, on the cosine of two dlib descriptors. From bench/bench_face.py's run of
# 2026-12-05 on bench/data/faces (150 people, US Congress portraits, public domain; 150 genuine and 22,350
# impostor pairs: a 102x126 card photo against a changed live portrait in a 640x480 frame): impostor cosines
# reached 0.9428 (99.9th percentile 0.9286, median 0.8446), genuine ones were all >= 0.9789. The lowest
# threshold with FAR <= 0.1 % on all 150 was 0.929, but the held-out check (a threshold chosen that way on
# people 1-75) let 0.25 % of impostors through on people 76-150: that edge moves with the people. So the
# threshold sits above every impostor pair measured (FAR 0 of 22,350, i.e. below 0.013 % at 95 % confidence)
# and below every genuine one (FRR 0 of 150). dlib's own rule (euclidean 0.6) accepted 0.98 % of these
# impostors: small card photos of look-alike official portraits are harder than the web photos it was set
# on. The genuine pairs are one photograph at two sizes, so FRR on real cards (photos years older than the
# face) will be higher: docs/face.md says what to re-measure before deployment.
THRESHOLD = 0.945

CHIP_PX = 150  # the descriptor network's input (dlib's get_face_chip default)
CHIP_PADDING = 0.25  # dlib's recommended padding around the 5-point alignment
_SMALL_PX = 320  # images whose longer side is at most this are searched upsampled once (finds faces >= 40 px)
# From MediaPipe landmarks to a dlib-style face box when HOG finds none, fitted on 80 of bench/data/faces'
# portraits: the box's centre lies this far from the eyes' midpoint towards the mouth, and its width is
# this many inter-ocular distances (sd 0.09 and 0.21 over those portraits).
_BOX_CENTRE_TOWARDS_MOUTH = 0.45
_BOX_WIDTH_PER_IOD = 2.49


def _models_dir() -> Path:
    """The face_recognition_models package's model folder, found without importing the package (its
    __init__ imports pkg_resources, which newer setuptools no longer ship)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FaceEngineUnavailable("the face-recognition-models package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class DlibFaceMatcher:
    """``FaceMatcher``: cosine of dlib ResNet descriptors; ``threshold`` from the benchmark (THRESHOLD)."""

    name = "dlib-resnet-v1 (face-recognition-models 0.3.0, dlib-bin 20.0.1) + 5-point alignment"

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = float(threshold)
        try:
            import dlib
        except Exception as exc:
            raise FaceEngineUnavailable(f"dlib cannot be loaded: {exc}") from exc
        models = _models_dir()
        five, resnet = models / "shape_predictor_5_face_landmarks.dat", models / "dlib_face_recognition_resnet_model_v1.dat"
        for path in (five, resnet):
            if not path.is_file():
                raise FaceEngineUnavailable(f"model file missing: {path}")
        self._dlib = dlib
        self._detector = dlib.get_frontal_face_detector()
        self._shape = dlib.shape_predictor(str(five))
        self._net = dlib.face_recognition_model_v1(str(resnet))
        self._landmarker = None  # MediaPipe on stills, made on first need

    # -- the parts ------------------------------------------------------------------------------------
    def find_face(self, rgb: np.ndarray):
        """The largest face's dlib rectangle in ``rgb`` (H, W, 3 uint8), or None."""
        dlib = self._dlib
        h, w = rgb.shape[:2]
        if max(h, w) <= _SMALL_PX:
            found = list(self._detector(rgb, 1))
        else:
            scale = _SMALL_PX / max(h, w)
            small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
            found = [dlib.rectangle(round(r.left() / scale), round(r.top() / scale), round(r.right() / scale),
                                    round(r.bottom() / scale)) for r in self._detector(small, 0)]
            if not found:
                found = list(self._detector(rgb, 0))
        if found:
            return max(found, key=lambda r: r.width() * r.height())
        return self._box_from_landmarks(rgb)

    def _box_from_landmarks(self, rgb: np.ndarray):
        if self._landmarker is None:
            from .analyzer import MediapipeFaceAnalyzer
            self._landmarker = MediapipeFaceAnalyzer(video=False)
        pts = self._landmarker.landmarks(np.ascontiguousarray(rgb[:, :, ::-1]))
        if pts is None:
            return None
        left_eye, right_eye = pts[[362, 263]].mean(axis=0), pts[[33, 133]].mean(axis=0)
        eyes, mouth = (left_eye + right_eye) / 2.0, pts[[13, 14]].mean(axis=0)
        centre = eyes + _BOX_CENTRE_TOWARDS_MOUTH * (mouth - eyes)
        half = _BOX_WIDTH_PER_IOD * float(np.linalg.norm(left_eye - right_eye)) / 2.0
        return self._dlib.rectangle(round(centre[0] - half), round(centre[1] - half), round(centre[0] + half),
                                    round(centre[1] + half))

    def embed(self, image_bgr: np.ndarray) -> np.ndarray | None:
        """The 128-number descriptor of the largest face in ``image_bgr``, or None if there is no face."""
        if image_bgr is None or image_bgr.ndim != 3 or image_bgr.shape[2] != 3 or image_bgr.size == 0:
            return None
        rgb = np.ascontiguousarray(image_bgr[:, :, ::-1])
        rect = self.find_face(rgb)
        if rect is None:
            return None
        shape = self._shape(rgb, rect)
        chip = self._dlib.get_face_chip(rgb, shape, size=CHIP_PX, padding=CHIP_PADDING)
        return np.asarray(self._net.compute_face_descriptor(chip), dtype=np.float32)

    @staticmethod
    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        """Cosine of two descriptors, in -1..1 (1 = the same direction)."""
        na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        if na <= 0.0 or nb <= 0.0:
            return 0.0
        return float(np.dot(a, b) / (na * nb))

    # -- the contract ---------------------------------------------------------------------------------
    def score(self, card_photo_bgr: np.ndarray, live_bgr: np.ndarray) -> float:
        """Similarity of the card photo's face and the live image's face; ``>= threshold`` = same person.
        Raises ``CardPhotoUnusable`` (2181) or ``LiveFaceNotFound`` (2182) when either shows no face."""
        card = self.embed(card_photo_bgr)
        if card is None:
            raise CardPhotoUnusable("no face found in the card photo")
        live = self.embed(live_bgr)
        if live is None:
            raise LiveFaceNotFound("no face found in the live image")
        return self.similarity(card, live)
