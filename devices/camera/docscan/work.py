"""The downscaled frame and the maps every stage of page detection shares (part of devices.camera.docscan).

Apart from ``detect`` so that the stages it calls (``outer``) can take it without importing ``detect``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Work:
    """The downscaled frame and the maps every stage shares."""

    opp: np.ndarray        # float32 opponent-colour image, lightly blurred, small
    edges: np.ndarray      # uint8 step edges (union of per-channel Canny, thin lines removed), small
    strong: np.ndarray     # the subset with a strong colour step (page against a textured desk)
    scale: float           # small = full * scale (pixel-centre aware)
    ys: np.ndarray         # coordinates of the pixels of ``edges``
    xs: np.ndarray
    normal: np.ndarray     # float32 edge-normal angle (0..pi) at each of them (colour gradient direction)
    strong_px: np.ndarray  # bool: each of them is in ``strong``
    # what several stages ask of these maps, kept once computed (the maps are never written to after they are made)
    memo: dict = field(default_factory=dict, repr=False, compare=False)
