"""A bench frame held still under the camera: the same scene shown again with a fresh draw of sensor noise.

``bench/barcode_frames.py``'s ``camera_like`` adds the sensor's noise as its last step (one ``rng.normal`` draw
the size of the frame). ``held_still`` runs it once with that draw replaced by zeros, which gives the scene
without noise and the noise's sigma, then draws new noise of that sigma for every further showing. The first
showing is the bench frame itself, pixel for pixel (``camera_like(src, seed)``).
"""
from __future__ import annotations

import types
from typing import Any

import numpy as np

import barcode_frames as bf


class _NoiselessRng:
    """A ``numpy.random.Generator`` whose draw of a whole frame's noise returns zeros (and records its sigma)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self.sigma: float | None = None

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: Any = None) -> Any:
        if size is not None and tuple(np.atleast_1d(size))[:2] == (bf.HEIGHT, bf.WIDTH):
            self.sigma = float(scale)
            return np.zeros(size)
        return self._rng.normal(loc, scale, size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rng, name)


def _scene(src: bf.Source, seed: int) -> tuple[np.ndarray, float]:
    """(the frame of ``camera_like(src, seed)`` before the sensor's noise, as float gray; the noise's sigma)."""
    made: list[_NoiselessRng] = []

    def default_rng(s: Any = None) -> _NoiselessRng:
        made.append(_NoiselessRng(np.random.default_rng(s)))
        return made[-1]

    proxy = types.SimpleNamespace(**{k: getattr(np, k) for k in dir(np) if not k.startswith("__")})
    proxy.random = types.SimpleNamespace(default_rng=default_rng)
    real, bf.np = bf.np, proxy
    # camera_like clips and rounds after the noise: capture the float scene before that by a zero draw,
    # then keep the uint8 result's gray channel (rounding differs by < 1 grey level from the float scene).
    try:
        clean = bf.camera_like(src, seed)
    finally:
        bf.np = real
    sigma = made[0].sigma
    if sigma is None:
        raise RuntimeError("camera_like drew no frame-sized noise: held_still no longer matches it")
    return clean[:, :, 0].astype(np.float32), sigma


def again(src: bf.Source, seed: int, noise_seed: int = 1) -> np.ndarray:
    """The scene of ``camera_like(src, seed)`` seen again: the same frame with a fresh draw of its noise (BGR)."""
    scene, sigma = _scene(src, seed)
    noise = np.random.default_rng((seed, noise_seed)).normal(0, sigma, scene.shape)
    gray = np.clip(scene + noise, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))


def held_still(src: bf.Source, seed: int, showings: int = 2) -> list[np.ndarray]:
    """``showings`` frames of one still scene: the bench frame, then the scene with fresh noise (BGR)."""
    return [bf.camera_like(src, seed)] + [again(src, seed, n) for n in range(1, showings)]
