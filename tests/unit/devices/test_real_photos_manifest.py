"""The real-photo evaluation set (issue 22 item 1): bench/data/real_photos/manifest.json and its loader.

Protects: every committed photo the manifest names exists and is the file that was labelled (SHA-256); every
label is a convex quad, TL TR BR BL clockwise, inside its image; no source is in both the tuning part and
the held-apart part (the held-apart figures would otherwise be measured on photos the detector was tuned on);
the held-apart part loads from several sources; the labelling tool refines rough corners onto a page's edges.
"""
from __future__ import annotations

import hashlib

import cv2
import numpy as np
import pytest

from tests.helpers import real_photos
from tools.label_page_corners import refine


def _convex_clockwise(q: np.ndarray) -> bool:
    """All turns the same way, and that way is clockwise in image coordinates (y down): TL TR BR BL."""
    cross = []
    for i in range(4):
        a, b, c = q[i], q[(i + 1) % 4], q[(i + 2) % 4]
        cross.append((b - a)[0] * (c - b)[1] - (b - a)[1] * (c - b)[0])
    return all(x > 0 for x in cross)


def _committed_entries():
    m = real_photos._manifest()
    out = [(p, m["tune"]) for p in m["tune"]["photos"]]
    for src in m["tune"].get("sources", []) + m["held"]["sources"]:
        if "folder" in src:
            out += [(p, src) for p in src["photos"]]
    return out


@pytest.mark.parametrize("entry", [p for p, _ in _committed_entries()], ids=lambda p: p["file"])
def test_each_committed_photo_exists_is_the_labelled_file_and_its_label_is_a_convex_quad_inside_it(entry):
    path = real_photos.FOLDER / entry["file"]
    assert path.exists(), path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry["file"]
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert img is not None and max(img.shape[:2]) <= real_photos.PREVIEW_LONG_SIDE
    q = np.array(entry["corners"], np.float64)
    assert q.shape == (4, 2)
    h, w = img.shape[:2]
    assert (q[:, 0] >= 0).all() and (q[:, 0] <= w - 1).all() and (q[:, 1] >= 0).all() and (q[:, 1] <= h - 1).all()
    assert _convex_clockwise(q), entry["file"]
    assert cv2.contourArea(q.astype(np.float32)) > 0.05 * w * h     # a page, not a speck


def test_every_photo_loaded_has_a_convex_label_inside_it():
    """Includes the sources read from a local checkout, when this machine has them."""
    photos = real_photos.tuning_photos() + real_photos.held_photos()
    for p in photos:
        h, w = p.image.shape[:2]
        q = p.corners
        assert q.min() >= -0.05 * max(w, h), p.name   # image-parser's own labels reach just past the border
        assert (q[:, 0] <= w * 1.05).all() and (q[:, 1] <= h * 1.05).all(), p.name
        assert _convex_clockwise(q), p.name


def test_no_source_is_in_both_parts_and_the_held_part_has_several_sources():
    tune = real_photos.tuning_sources()
    held = [src["source"] for src in real_photos.held_sources()]
    assert len(held) == len(set(held)) >= 4
    assert not tune & set(held), tune & set(held)
    for src in real_photos.held_sources():
        assert all(p.get("source", src["source"]) == src["source"] for p in src["photos"]), src["source"]
        assert src.get("commit"), src["source"]                   # where the photos came from, exactly
    committed = {p["file"] for p, _ in _committed_entries()}
    assert len(committed) == len(_committed_entries())           # no file listed twice


def test_the_later_tuning_sources_say_where_they_came_from_and_only_licensed_ones_are_committed():
    """Issue 22 item 1, third round: the tuning part's added sources (in the held part's format) each name the
    commit they were taken from; a source is committed (``folder``) only with a licence that allows it, and
    one without (read from a checkout) names the variable and mirror it is read from and commits no file."""
    extra = real_photos.tune_extra_sources()
    assert len(extra) >= 3
    names = [src["source"] for src in extra]
    assert len(names) == len(set(names))
    committed_files = {p.name for p in real_photos.FOLDER.iterdir()}
    for src in extra:
        assert len(src["commit"]) == 40, src["source"]
        assert src["photos"], src["source"]
        if "folder" in src:
            assert src["licence"] and "none" not in src["licence"], src["source"]
        else:
            assert src["env"].startswith("KIOSK_") and src["mirror"], src["source"]
            assert src["not_committed_because"], src["source"]
            assert not {p["file"] for p in src["photos"]} & committed_files, src["source"]


def test_tuning_part_loads_the_committed_later_source_whatever_the_machine():
    photos = [p for p in real_photos.tuning_photos() if p.source == "connor-kress/document-scanner"]
    assert len(photos) == 5
    assert all(p.image.shape[:2] == (720, 1280) for p in photos)


def test_held_part_loads_its_committed_sources_whatever_the_machine():
    sources = {p.source for p in real_photos.held_photos()}
    assert {"Breta01/handwriting-ocr", "alessandrozamberletti/docdetect"} <= sources


def test_label_tool_moves_rough_corners_onto_the_page_edges():
    """A drawn page (rotated, on a textured desk) given with each corner 6 px off: every refined corner
    within 0.5 px of the true one, found from the edges alone."""
    rng = np.random.default_rng(3)
    truth = np.array([[180.3, 120.7], [620.2, 90.4], [650.6, 480.1], [150.9, 510.6]])
    ss = 8                                  # drawn 8x larger and area-averaged: edges exactly where truth says
    big = np.full((600 * ss, 800 * ss), 90, np.uint8)
    cv2.fillConvexPoly(big, np.round((truth + 0.5) * ss - 0.5).astype(np.int32), 226)
    img = cv2.resize(big, (800, 600), interpolation=cv2.INTER_AREA).astype(np.float64)
    img = cv2.GaussianBlur(img + rng.normal(0, 6, img.shape), (0, 0), 1.0).clip(0, 255).astype(np.uint8)
    img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    rough = truth + rng.choice([-6.0, 6.0], size=(4, 2))
    found, support = refine(img, rough, radius=10)
    err = np.linalg.norm(found - truth, axis=1)
    assert err.max() < 0.5, np.round(err, 2)
    assert min(support) >= 8
