"""A coloured cover cut by the frame (part of devices.camera.docscan; issue 22 item 1, round 15).

A cover that runs a little off the frame's top or side (rendered ``cover_lit`` seeds 8 and 22: one corner 3-7
detection pixels past the top) is still outlined by its line quad, but the cover's "one surface round it" test
(docscan.cover.side_steps, docscan.lit) samples each side 3 detection pixels in and out: where the side runs past
the frame those samples are the frame's replicated border row, which neither steps nor is the surround, so that
side's share of even samples falls to 0.69 and the cover is refused; the white title block printed on it is then
taken for the page (Jaccard 0.13-0.15).

What lies past the frame is not known, as docscan.detect's page score says of a side off the frame. So here the same
test as docscan.lit (luma weighted in the surround comparisons) is asked over the samples whose inside and outside
points both lie in frame only; a side needs _MIN_SEEN of its samples in frame to count, and the four sides must all
count (a cover with a whole side off the frame is not taken here). Asked only where docscan.cover's and docscan.lit's
own tests fail, so every cover taken before is taken, and only quads those tests refused on off-frame samples can be
added.
"""
from __future__ import annotations

import numpy as np

from . import cover as _cover
from . import lit as _lit
from .geom import linspace, median, vnorm
from .refine import NEXT_CORNER, sample_points

_MIN_SEEN = 0.5     # share of a side's samples whose inside and outside points lie in frame


def cut_round(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """docscan.lit's luma-weighted "one surface round it" over in-frame samples only; False for a quad wholly in
    frame (nothing to forgive there) or with a side mostly off the frame."""
    out = np.zeros(len(quads), bool)
    if len(quads) == 0:
        return out
    h, w = opp.shape[:2]
    a, b = quads, quads[:, NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)                                   # outward
    t = linspace(0.04, 0.96, 16)
    pts = a[:, :, None, :] + (b - a)[:, :, None, :] * t[None, None, :, None]
    pin = pts - normal[:, :, None, :] * _cover._PROBE
    pout = pts + normal[:, :, None, :] * _cover._PROBE

    def _in(p: np.ndarray) -> np.ndarray:
        return (p[..., 0] >= 0) & (p[..., 0] <= w - 1) & (p[..., 1] >= 0) & (p[..., 1] <= h - 1)

    seen = _in(pin) & _in(pout)                                                            # (N, 4, 16)
    frac = seen.mean(axis=2)
    ask = (frac < 1).any(axis=1) & (frac >= _MIN_SEEN).all(axis=1)
    sin, sout = sample_points(opp, pin), sample_points(opp, pout)
    for i in np.flatnonzero(ask):
        vin = np.array([median(sin[i, k][seen[i, k]], axis=0) for k in range(4)])
        vout = np.array([median(sout[i, k][seen[i, k]], axis=0) for k in range(4)])
        step = vnorm(vin - vout, axis=1).min()
        spread = vnorm((vout - median(vout, axis=0)) * _lit._WEIGHT, axis=1).max()
        stepping = vnorm(sin[i] - sout[i], axis=2) >= _cover._SAMPLE_STEP
        outside = vnorm((sout[i] - vout[:, None, :]) * _lit._WEIGHT, axis=2) < _cover._EVEN_ABS
        even = min(float((stepping[k] & outside[k])[seen[i, k]].mean()) for k in range(4))
        out[i] = step >= _cover._MIN_STEP and spread <= _lit._SPREAD and even >= _cover._MIN_EVEN
    return out
