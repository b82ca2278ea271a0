"""A simulated document camera (``sim://camera?width=2048&height=1536``).

It renders what a 高拍仪 would see: an empty desk, or a page lying on it (with perspective, light and
noise from ``devices.camera.sim.scene``), and optionally a barcode held under it. The page keeps still between
frames like a page lying on a desk, so automatic capture on a steady page works. Knobs: put/remove a page,
show a code image, unplug.
"""
from __future__ import annotations

import threading
from typing import Callable

import cv2
import numpy as np

from ... import sim
from ...errors import DeviceError, DeviceErrorCode
from ...urls import DeviceURL
from . import scene, scene_cache


class SimFrameSource:
    def __init__(self, hw: "CameraSimulator") -> None:
        self.hw = hw
        self.width, self.height = hw.width, hw.height
        self._frame = 0

    def read(self) -> np.ndarray | None:
        if self.hw.unplugged:
            return None
        self._frame += 1
        return self.hw.render(self.hw.preview_size, self._frame)

    def still(self) -> np.ndarray:
        if self.hw.unplugged:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "simulated unplug")
        self.hw.stills += 1
        return self.hw.render((self.width, self.height), 0)

    def close(self) -> None:
        pass


# Renders a code payload to an image: ``(payload, symbology, **options) -> ndarray``. The camera kind does
# not import the barcode kind; the composition root (devices.simulators) hands in barcode's renderer.
CodeRenderer = Callable[..., np.ndarray]


class CameraSimulator(sim.SimHardware):
    kind = "camera"

    def __init__(self, url: DeviceURL, code_renderer: CodeRenderer | None = None) -> None:
        super().__init__(url)
        self.code_renderer = code_renderer
        self.width = url.int_param("width", 2048)
        self.height = url.int_param("height", 1536)
        self.preview_size = (960, int(960 * self.height / self.width))
        self.page_kind: str | None = url.params.get("page")
        self.seed = url.int_param("seed", 1)
        # A kiosk's document camera looks at a fixed plain mat; harder scenes are a knob (scene.CATEGORIES).
        self.category = url.params.get("category", "plain")
        self.code_image: np.ndarray | None = None
        self.code_fraction = 1 / 3  # side of the shown code as a fraction of the frame height
        self.stills = 0
        self._cache: dict[tuple, np.ndarray] = {}
        self._noise: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # frame shape -> (raise, lower), uint8
        self._cache_lock = threading.Lock()

    def connect(self) -> SimFrameSource:
        if self.unplugged:
            raise DeviceError(DeviceErrorCode.CAMERA_NOT_FOUND, "simulated unplug")
        return SimFrameSource(self)

    # ----- knobs --------------------------------------------------------------------------------
    def put_page(self, kind: str = "form", seed: int | None = None, category: str | None = None) -> None:
        """Lay a page: a kind of ``scene.PAGE_KINDS`` (form, text, certificate, notice_a5, id_front, id_back)."""
        if kind not in scene.PAGE_KINDS:
            raise ValueError(f"unknown page kind {kind!r}; one of {sorted(scene.PAGE_KINDS)}")
        with self.lock:
            self.page_kind = kind
            if category is not None:
                self.category = category
            self.seed = seed if seed is not None else self.seed + 1
            self._clear()

    def remove_page(self) -> None:
        with self.lock:
            self.page_kind = None
            self._clear()

    def show_code(self, image: np.ndarray | None, *, fraction: float = 1 / 3) -> None:
        """Hold a code (a rendered QR or barcode image, gray or BGR) under the camera; None takes it away.
        ``fraction``: the code's longer side as a fraction of the frame height (a phone held close: 0.5;
        a receipt QR lying on the desk under a 300 mm wide field of view: about 0.1)."""
        if not 0 < fraction <= 1:
            raise ValueError("fraction must be in (0, 1]")
        with self.lock:
            self.code_image = image
            self.code_fraction = fraction
            self._clear()

    def show_payload(self, payload: str | bytes | None, symbology: str = "QRCode", *, fraction: float = 1 / 3,
                     **render_options: object) -> np.ndarray | None:
        """Render ``payload`` with the code renderer wired in at registration (zxing-cpp's writer,
        ``devices.barcode.render``) and hold it under the camera; None takes it away. Returns the image."""
        if payload is None:
            self.show_code(None)
            return None
        if self.code_renderer is None:
            raise RuntimeError("this simulated camera has no code renderer (register it with "
                               "devices.simulators.register_all)")
        image = self.code_renderer(payload, symbology, **render_options)
        self.show_code(image, fraction=fraction)
        return image

    def knobs(self) -> dict:
        return dict(super().knobs(), page=self.page_kind, seed=self.seed, category=self.category,
                    code=self.code_image is not None)

    # ----- rendering ----------------------------------------------------------------------------
    def _clear(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def truth(self, size: tuple[int, int]) -> scene.Scene:
        """The scene at ``size`` with its true page corners (tests compare detection against it)."""
        return scene.render_scene(self.seed, width=size[0], height=size[1], page=self.page_kind is not None,
                                  kind=self.page_kind or "form", category=self.category)

    def render(self, size: tuple[int, int], frame: int) -> np.ndarray:
        with self.lock:
            seed, kind, category = self.seed, self.page_kind, self.category
            code, fraction = self.code_image, self.code_fraction
        key = (size, kind, seed, code is not None)
        with self._cache_lock:
            base = self._cache.get(key)
        if base is None:
            base = scene_cache.cached_image(
                ("camera-scene", seed, *size, kind, category),
                lambda: scene.render_scene(seed, width=size[0], height=size[1], page=kind is not None,
                                           kind=kind or "form", category=category).image)
            if code is not None:
                base = _paste_code(base, code, fraction)
            with self._cache_lock:
                self._cache[key] = base
        if frame == 0:
            return base.copy()
        # Sensor noise differs frame to frame; the scene itself stays still. The noise (-3..3 per sample) is a
        # window into one fixed field a few rows taller than the frame, moved down a row per frame, applied with
        # saturating adds: 0.3 ms a 960x720 frame where drawing it afresh took 17 ms, which was two fifths of
        # a simulated kiosk's CPU (the demo, every UI test).
        up, down = self._noise_field(base.shape)
        top = frame % _NOISE_SHIFTS
        out = cv2.add(base, up[top:top + base.shape[0]])
        return cv2.subtract(out, down[top:top + base.shape[0]], dst=out)

    def _noise_field(self, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        with self._cache_lock:
            field = self._noise.get(shape)
            if field is None:
                rng = np.random.default_rng(7)
                noise = rng.integers(-3, 4, size=(shape[0] + _NOISE_SHIFTS, *shape[1:]), dtype=np.int16)
                field = self._noise[shape] = (np.clip(noise, 0, None).astype(np.uint8),
                                              np.clip(-noise, 0, None).astype(np.uint8))
            return field


_NOISE_SHIFTS = 64  # frames before the noise repeats


def _paste_code(image: np.ndarray, code: np.ndarray, fraction: float = 1 / 3) -> np.ndarray:
    """Place a code image in the middle of the frame, its longer side ``fraction`` of the frame height, with
    a white margin."""
    out = image.copy()
    h, w = out.shape[:2]
    if code.ndim == 2:
        code = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    side = max(8, min(int(h * fraction), int(min(h, w) / 1.25)))  # leave room for the margin
    scale = side / max(code.shape[:2])
    # Shrinking averages neighbouring modules as a lens does; enlarging keeps the edges sharp.
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_NEAREST
    code = cv2.resize(code, (max(1, int(code.shape[1] * scale)), max(1, int(code.shape[0] * scale))),
                      interpolation=interpolation)
    pad = max(8, side // 10)
    code = cv2.copyMakeBorder(code, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    ch, cw = code.shape[:2]
    y, x = (h - ch) // 2, (w - cw) // 2
    out[y:y + ch, x:x + cw] = code
    return out

