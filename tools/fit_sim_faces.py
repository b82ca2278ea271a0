"""Fits the simulated face camera's landmark template to each demo portrait: writes
devices/camera/sim/faces/<person>/landmarks.json (the template's 2-D points in live.png's pixels).

Without it the simulator placed its template by a guess (the face filling the picture's middle), so on the
real portraits its "eyes" sat on the cheeks: a blink painted lids below the eyes that MediaPipe never saw
close, and a turn warped the hair and the collar more than the face (a 25 degree turn read 11-14 degrees).
Each template point is taken from MediaPipe's face mesh on the frontal portrait (the mesh index named in
``MESH`` below; the outline from the mesh's face oval, the oval point nearest the template's angle). Run by
hand when a portrait is added; the output is committed and nothing runs at test or demo time.

    PYTHONPATH=. python tools/fit_sim_faces.py
"""
from __future__ import annotations

import json
import math

import cv2
import numpy as np

from devices.camera.sim import face_model as fm
from kiosk.face.analyzer import MediapipeFaceAnalyzer

# template group -> MediaPipe face-mesh indices, in the template's point order (face_model._template)
MESH = {
    "eye_l": (133, 159, 33, 145),  # frame left (the citizen's right eye): inner corner, upper lid, outer, lower
    "eye_r": (362, 386, 263, 374),
    "brows": (70, 107, 336, 300),
    "nose": (6, 1, 98, 327),
    "mouth": (61, 0, 291, 17),
    "cheeks": (50, 280),
}
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
             148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)


def fit(image_bgr: np.ndarray, analyzer: MediapipeFaceAnalyzer) -> np.ndarray:
    mesh = analyzer.landmarks(image_bgr)
    if mesh is None:
        raise ValueError("no face found")
    pts = np.zeros((fm.N_LANDMARKS, 2), np.float32)
    for group, indices in MESH.items():
        for slot, index in zip(fm.GROUPS[group], indices):
            pts[slot] = mesh[index]
    oval = mesh[list(FACE_OVAL)]
    centre = oval.mean(axis=0)
    angles = np.arctan2((oval[:, 1] - centre[1]) / 1.3, oval[:, 0] - centre[0])
    for slot in fm.GROUPS["outline"]:
        tx, ty = fm.TEMPLATE_3D[slot, 0], fm.TEMPLATE_3D[slot, 1] / 1.3
        a = math.atan2(ty, tx)
        diff = np.abs(np.angle(np.exp(1j * (angles - a))))
        pts[slot] = oval[int(np.argmin(diff))]
    return pts


def main() -> None:
    analyzer = MediapipeFaceAnalyzer(video=False)
    for folder in sorted(p for p in fm.FACES_DIR.iterdir() if (p / "live.png").exists()):
        image = cv2.imread(str(folder / "live.png"), cv2.IMREAD_COLOR)
        pts = fit(image, analyzer)
        out = {"points": [[round(float(x), 1), round(float(y), 1)] for x, y in pts],
               "fitted_by": "tools/fit_sim_faces.py (MediaPipe face mesh on live.png)"}
        (folder / "landmarks.json").write_text(json.dumps(out) + "\n", encoding="utf-8")
        print(folder.name, "fitted")


if __name__ == "__main__":
    main()
