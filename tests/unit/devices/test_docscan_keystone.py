"""A page seen in perspective whose outline is nearly square (issue 22 item 1, round 4 tuning; docscan.geom.ASPECT_RANGE).

Protects: a magazine page photographed from its near end (the far side foreshortened) has an outline whose
short-over-long aspect is 0.93-0.97 although the page is 0.75; it is a page-shaped quad and is outlined to its own
edges, not run on to the next straight step beyond it (the black printer lid's front edge). An empty desk is still
not a page.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from tests.helpers import hard_scenes
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


def _page_on_a_lid(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A text page in strong keystone (far side 320 px, near side 420 px, aspect 0.93-0.97 as outlined) on a
    black lid that runs on 65 px past its near side, on a white desk."""
    rng = np.random.default_rng(7000 + seed)
    img = np.full((H, W, 3), 200.0, np.float32)
    cv2.fillPoly(img, [np.array([[230, 40], [1050, 30], [1080, 590], [200, 600]], np.int32)], (32, 32, 34))
    dx = rng.uniform(-30, 30)
    quad = np.array([[430 + dx, 182], [750 + dx, 178], [800 + dx, 525], [380 + dx, 530]], np.float64)
    quad[:2, 0] += rng.uniform(-10, 10, 2)
    sheet = np.full((440, 340, 3), (236, 236, 232), np.uint8)
    for y in range(30, 400, 14):
        x0 = 20 + int(rng.integers(0, 20))
        cv2.line(sheet, (x0, y), (x0 + int(rng.integers(120, 290)), y), (40, 40, 40), 2)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [340, 0], [340, 440], [0, 440]]), np.float32(quad))
    warped = cv2.warpPerspective(sheet, m, (W, H)).astype(np.float32)
    mask = cv2.warpPerspective(np.full((440, 340), 1, np.float32), m, (W, H))[..., None]
    img = img * (1 - mask) + warped * mask
    img = cv2.GaussianBlur(img, (0, 0), 1.0) + rng.normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), quad


@pytest.mark.parametrize("seed", range(6))
def test_a_page_in_strong_perspective_is_outlined_to_its_own_edges(seed):
    """On main (aspect limit 0.92) the outline ran on to the lid's edge or took the lid (Jaccard 0.27-0.96)."""
    img, quad = _page_on_a_lid(seed)
    found = detect_page(img)
    assert found is not None
    assert quad_iou(found, Quad.from_points(quad), (W, H)) > 0.97


def test_the_magazine_page_on_the_printer_lid_is_outlined_to_its_own_edges():
    """scanic's document.jpg (read from the fetch mirror; skipped where it is not on this machine): 0.843 on main."""
    photos = [p for p in tuning_photos() if p.name == "document.jpg"]
    if not photos:
        pytest.skip("marquaye/scanic's samples are not on this machine")
    p = photos[0]
    found = find_page(p.image)
    assert found.found
    err = np.linalg.norm(found.quad.as_array() - p.corners, axis=1)
    assert err.max() <= 0.015 * max(p.image.shape[:2]), np.round(err, 1)


@pytest.mark.parametrize("kind", ["empty_wood", "empty_pale", "empty_folder", "empty_cables"])
def test_an_empty_desk_is_still_not_a_page(kind):
    for seed in range(4, 10):
        assert detect_page(hard_scenes.render(kind, seed).image) is None, (kind, seed)
