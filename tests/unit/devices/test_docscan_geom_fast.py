"""The detector's fast small-array helpers (docscan.geom: vnorm, median, linspace, corner turns) give numpy's own
results to the bit: the speed-up of the page detector (issue 22) must not move a single outline."""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import geom


def _same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("shape", [(7, 2), (5, 4, 3), (2,), (3, 4, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_vnorm_is_numpys_norm_to_the_bit(shape, keepdims):
    rng = np.random.default_rng(7)
    for dtype in (np.float64, np.float32):
        a = (rng.normal(size=shape) * 1e3).astype(dtype)
        assert _same(geom.vnorm(a, keepdims=keepdims), np.linalg.norm(a, axis=-1, keepdims=keepdims))


def test_vnorm_leaves_other_axes_and_integer_arrays_to_numpy():
    a = np.arange(24).reshape(4, 6)
    assert _same(geom.vnorm(a), np.linalg.norm(a, axis=-1))
    b = np.random.default_rng(1).normal(size=(4, 3))
    assert _same(geom.vnorm(b, axis=0), np.linalg.norm(b, axis=0))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_median_is_numpys_median_to_the_bit(axis, keepdims):
    rng = np.random.default_rng(3)
    for n in (1, 2, 5, 6, 24):
        for dtype in (np.float64, np.float32):
            a = rng.normal(size=(3, n)).astype(dtype)
            a[0, :] = np.round(a[0, :])          # ties
            a[1, 0] = -0.0                        # a signed zero
            assert _same(geom.median(a, axis=axis, keepdims=keepdims), np.median(a, axis=axis, keepdims=keepdims))
            a[2, -1] = np.nan                     # a NaN in one slice
            with np.errstate(invalid="ignore"):
                assert _same(geom.median(a, axis=axis, keepdims=keepdims),
                             np.median(a, axis=axis, keepdims=keepdims))


def test_median_of_a_strided_view_and_of_integers():
    a = np.random.default_rng(5).normal(size=(6, 8))[:, ::3]
    assert _same(geom.median(a, axis=1), np.median(a, axis=1))
    ints = np.array([3, 1, 2, 8])
    assert _same(geom.median(ints), np.median(ints))


def test_linspace_hands_out_copies_a_caller_may_write_to():
    first = geom.linspace(0.0, 1.0, 5)
    first[:] = -1.0
    again = geom.linspace(0.0, 1.0, 5)
    assert _same(again, np.linspace(0.0, 1.0, 5))
    assert again is not geom.linspace(0.0, 1.0, 5)


def _order_with_roll(pts: np.ndarray) -> np.ndarray:
    """order_corners as it was written before the speed-up (np.roll for the turn)."""
    pts = np.asarray(pts, dtype=np.float64).reshape(4, 2)
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]
    ang = np.sort(ang)
    start = int(np.argmin(np.abs((ang + 3 * np.pi / 4 + np.pi) % (2 * np.pi) - np.pi)))
    return np.roll(pts, -start, axis=0)


def test_order_corners_turns_as_np_roll_did():
    rng = np.random.default_rng(11)
    starts = set()
    for _ in range(400):
        centre = rng.uniform(100, 500, 2)
        ang = rng.uniform(-np.pi, np.pi, 4)
        pts = centre + np.stack([np.cos(ang), np.sin(ang)], axis=1) * rng.uniform(30, 200, (4, 1))
        out = geom.order_corners(pts)
        assert _same(out, _order_with_roll(pts))
        starts.add(int(np.flatnonzero((np.sort(np.arctan2(*(pts - pts.mean(axis=0))[:, ::-1].T)) ==
                                       np.arctan2(*(out[0] - pts.mean(axis=0))[::-1])))[0]))
    assert starts == {0, 1, 2, 3}, "every turn of the corners was exercised"
