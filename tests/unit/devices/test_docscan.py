"""devices.camera.docscan: page detection, rectification, enhancement, quality checks and encoding.

Scenes come from the seeded generator (devices.camera.sim.scene), so every number here is reproducible;
bench/bench_docscan.py runs the same checks on 500+ scenes and prints the figures.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import (
    Quad, Quality, assess, detect_page, encode_page, enhance, order_corners, quad_iou, rectify,
)
from devices.camera.sim.scene import CATEGORIES, render_scene

SEEDS = range(1000, 1020)


@pytest.fixture(scope="module")
def scenes() -> list:
    return [render_scene(s) for s in SEEDS]


# ------------------------------------------------------------------------------------------- geometry
def test_quad_helpers_and_corner_order() -> None:
    q = Quad.from_points([(10, 110), (10, 10), (210, 10), (210, 110)])  # any order in, TL TR BR BL out
    assert q.tl == (10, 10) and q.tr == (210, 10) and q.br == (210, 110) and q.bl == (10, 110)
    assert q.area == pytest.approx(200 * 100)
    assert q.as_array().dtype == np.float32 and q.as_array().shape == (4, 2)
    assert q.size() == pytest.approx((200, 100))
    rot = order_corners(np.array([[50, 0], [100, 50], [50, 100], [0, 50]], float))  # a diamond
    assert Quad.from_points(rot, reorder=False).is_convex()
    with pytest.raises(AttributeError):
        q.tl = (0, 0)  # type: ignore[misc]


def test_quad_iou_is_exact() -> None:
    a = Quad.from_points([(0, 0), (100, 0), (100, 100), (0, 100)])
    b = Quad.from_points([(50, 0), (150, 0), (150, 100), (50, 100)])
    assert quad_iou(a, a) == pytest.approx(1.0)
    assert quad_iou(a, b) == pytest.approx(50 / 150)
    assert quad_iou(a, None) == 0.0
    # Only the visible part counts when a frame is given.
    c = Quad.from_points([(-100, 0), (100, 0), (100, 100), (-100, 100)])
    assert quad_iou(a, c, frame=(200, 200)) == pytest.approx(1.0, abs=0.02)



def test_hough_finds_each_side_of_an_outline_once_and_the_frame_borders() -> None:
    """Peaks are local maxima above the vote threshold, decoded to (rho, theta): a rotated rectangle's four
    sides come back as the four strongest lines, one each, and the frame borders close the list."""
    from devices.camera.docscan.lines import hough_lines

    h, w = 180, 320
    corners = cv2.boxPoints(((160.0, 90.0), (200.0, 120.0), 20.0))
    img = np.zeros((h, w), np.uint8)
    cv2.polylines(img, [np.round(corners).astype(np.int32)], True, 255, 1)
    ys, xs = np.nonzero(img)
    sides = []
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        theta = (np.arctan2(b[1] - a[1], b[0] - a[0]) + np.pi / 2) % np.pi   # normal direction
        sides.append((float(a[0] * np.cos(theta) + a[1] * np.sin(theta)), float(theta)))
    normal = np.array([min(sides, key=lambda s: abs(x * np.cos(s[1]) + y * np.sin(s[1]) - s[0]))[1]
                       for x, y in zip(xs, ys)], np.float32)
    lines = hough_lines((h, w), ys, xs, normal, np.ones(len(xs), bool))
    assert [tuple(r) for r in lines[-4:]] == [(-0.5, 0.0), (w - 0.5, 0.0), (-0.5, np.pi / 2), (h - 0.5, np.pi / 2)]
    strongest = lines[:4]   # weaker side lobes of the +-2 degree voting may follow; the sides come first
    for rho, theta in sides:
        hits = [(r, t) for r, t in strongest
                if abs(np.sin(t - theta)) < np.radians(1.5) and abs(r * np.cos(t - theta) - rho) < 1.5]
        assert len(hits) == 1, (rho, np.degrees(theta), lines)


# ------------------------------------------------------------------------------------------- detection
def test_detection_matches_the_true_page_on_seeded_scenes(scenes: list) -> None:
    ious = [quad_iou(detect_page(s.image), s.quad, frame=(1280, 720)) for s in scenes]
    assert np.mean(ious) >= 0.95, np.round(ious, 3)
    assert np.median(ious) >= 0.98
    assert sum(i > 0.9 for i in ious) >= 0.9 * len(ious)


@pytest.mark.parametrize("category", ["fingers", "low_contrast", "shadow", "cluttered", "textured"])
def test_detection_per_hard_category(category: str) -> None:
    scenes = [render_scene(s, category=category) for s in range(2000, 2004)]
    ious = [quad_iou(detect_page(s.image), s.quad, frame=(1280, 720)) for s in scenes]
    assert np.median(ious) >= 0.95, (category, np.round(ious, 3))


def test_finger_over_a_corner_still_gives_the_hidden_corner() -> None:
    s = render_scene(31, category="fingers", corner_finger=True, fingers=2, kind="form")
    q = detect_page(s.image)
    assert q is not None
    err = np.linalg.norm(q.as_array() - s.quad.as_array(), axis=1)
    assert err.max() < 6.0, err


def test_nothing_is_found_on_empty_desks() -> None:
    found = [s for s in range(3000, 3012) if detect_page(render_scene(s, page=False).image) is not None]
    assert len(found) <= 1, found
    assert detect_page(np.full((480, 640, 3), 200, np.uint8)) is None
    assert detect_page(np.random.default_rng(0).integers(0, 255, (480, 640), dtype=np.uint8)) is None


def test_detection_accepts_gray_and_any_size() -> None:
    s = render_scene(1005, category="plain")
    gray = cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY)
    assert quad_iou(detect_page(gray), s.quad) > 0.95
    big = render_scene(1005, 2560, 1440, category="plain")
    assert quad_iou(detect_page(big.image), big.quad) > 0.97
    with pytest.raises(ValueError):
        detect_page(np.zeros((8, 8), np.uint8))


# ------------------------------------------------------------------------------------------- rectify
def _page_scene(kind: str, seed: int = 40) -> tuple:
    s = render_scene(seed, 2560, 1440, category="plain", kind=kind, upside_down=False, rotation=12.0, keystone=0.03)
    return s, detect_page(s.image)


@pytest.mark.parametrize("kind,paper,ratio", [("form", "a4", 297 / 210), ("id_front", "id_card", 85.6 / 54),
                                              ("certificate", "a4", 297 / 210)])
def test_rectify_restores_the_paper_aspect(kind: str, paper: str, ratio: float) -> None:
    s, q = _page_scene(kind)
    page = rectify(s.image, q)
    h, w = page.shape[:2]
    assert max(h, w) / min(h, w) == pytest.approx(ratio, rel=0.01)
    assert (w > h) == (kind != "form")
    # Never more pixels than the source resolved along the page.
    assert max(h, w) <= max(q.side_lengths()) + 1
    explicit = rectify(s.image, q, paper=paper)
    assert explicit.shape == page.shape


def test_rectify_caps_at_the_dpi_target_and_keeps_measured_aspect_with_none() -> None:
    s, q = _page_scene("form")
    low = rectify(s.image, q, paper="a4", dpi=50)
    assert max(low.shape[:2]) == round(50 * 297 / 25.4)
    free = rectify(s.image, q, paper="none")
    w, h = q.size()
    assert free.shape[0] / free.shape[1] == pytest.approx(h / w, rel=0.02)
    with pytest.raises(ValueError):
        rectify(s.image, q, paper="letter")


def test_rectified_page_is_upright_and_straight() -> None:
    s, q = _page_scene("form")
    page = 255 - cv2.cvtColor(rectify(s.image, q), cv2.COLOR_BGR2GRAY).astype(np.float32)
    h, w = page.shape
    # The form's table rules must come out level: the darkest row in a left and a right strip coincide.
    band = slice(int(0.14 * h), int(0.5 * h))
    left = page[band, int(0.2 * w):int(0.35 * w)].mean(axis=1)
    right = page[band, int(0.65 * w):int(0.8 * w)].mean(axis=1)
    assert abs(int(np.argmax(left)) - int(np.argmax(right))) <= 2


# ------------------------------------------------------------------------------------------- enhance
def test_enhance_flattens_shadows_and_keeps_ink() -> None:
    s = render_scene(50, 1920, 1080, category="shadow", kind="text", shadow=0.6, upside_down=False)
    page = rectify(s.image, s.quad)
    gray_in = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    out = enhance(page, "gray")
    assert out.ndim == 2 and out.dtype == np.uint8 and out.shape == gray_in.shape

    def paper_spread(g: np.ndarray) -> float:
        h, w = g.shape
        tiles = [np.percentile(g[y:y + h // 4, x:x + w // 4], 90) for y in range(0, h - h // 4 + 1, h // 4)
                 for x in range(0, w - w // 4 + 1, w // 4)]
        return float(np.ptp(tiles))

    assert paper_spread(gray_in) > 40       # the arm's shadow darkens part of the paper
    assert paper_spread(out) < 12            # flattened
    assert (out < 128).mean() > 0.004        # the text is still there


def test_enhance_modes() -> None:
    s, q = _page_scene("certificate")
    page = rectify(s.image, q)
    colour, gray, bw = enhance(page, "color"), enhance(page, "gray"), enhance(page, "bw")
    assert colour.shape == page.shape and gray.shape == page.shape[:2] and bw.shape == page.shape[:2]
    assert set(np.unique(bw)) <= {0, 255} and 0.005 < (bw == 0).mean() < 0.3
    # The red seal stays red in colour mode.
    b, g, r = (colour[..., i].astype(int) for i in range(3))
    assert ((r - g > 80) & (r - b > 80)).mean() > 0.001
    with pytest.raises(ValueError):
        enhance(page, "sepia")


# ------------------------------------------------------------------------------------------- quality
def test_quality_flags_blur_glare_cut_off_small_and_no_page() -> None:
    good = render_scene(60, category="plain", kind="form", glare=0, upside_down=False)
    q = assess(good.image, good.quad)
    assert isinstance(q, Quality) and q.ok, q
    blurry = render_scene(60, category="plain", kind="form", glare=0, upside_down=False, blur=3.0)
    assert assess(blurry.image, blurry.quad).blurry
    assert assess(blurry.image, blurry.quad).blur_native > 2 * q.blur_native
    shiny = render_scene(61, category="plain", kind="id_front", glare=2, upside_down=False)
    assert assess(shiny.image, shiny.quad).glare
    cut = render_scene(62, category="cut_off")
    assert assess(cut.image, cut.quad).cut_off
    tiny = render_scene(63, category="plain", kind="id_back", fill=0.12)
    assert assess(tiny.image, tiny.quad).too_small
    empty = assess(render_scene(64, page=False).image, None)
    assert empty.no_page and empty.problems == ("no_page",)


def _typed_page(height: int = 1600, width: int = 1200) -> np.ndarray:
    page = np.full((height, width), 245, np.uint8)
    for row in range((height - 60) // 50):
        cv2.putText(page, "Lorem ipsum 0123 dolor sit amet", (40, 60 + 50 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 30,
                    2, cv2.LINE_AA)
    return page


def test_blur_of_a_scan_is_read_off_its_text() -> None:
    """A scan has no page outline to measure across; its text edges give the blur (known sigmas here)."""
    from devices.camera.docscan import estimate_text_blur

    rng = np.random.default_rng(3)
    page = _typed_page()
    for sigma in (0.0, 1.0, 2.0, 3.0):
        img = cv2.GaussianBlur(page, (0, 0), sigma) if sigma else page
        img = np.clip(img.astype(np.int16) + rng.integers(-3, 4, img.shape), 0, 255).astype(np.uint8)
        assert estimate_text_blur(img) == pytest.approx(sigma, abs=0.3)
    assert estimate_text_blur(np.full((800, 600), 240, np.uint8)) is None   # nothing to read it off


def test_a_scan_counts_as_blurred_by_the_cameras_rule() -> None:
    """Blurred beyond 2.5 px at a 1000-px page and 1.2 px in its own pixels (as for camera stills)."""
    from devices.camera.docscan import scan_is_blurred

    small = _typed_page(700, 520)                       # a low-resolution scan: 3 px of blur is too much
    assert not scan_is_blurred(small)
    assert scan_is_blurred(cv2.GaussianBlur(small, (0, 0), 3.0))
    assert not scan_is_blurred(cv2.GaussianBlur(_typed_page(), (0, 0), 2.0))   # 1.25 px at a 1000-px page


def test_a_brightly_lit_white_form_is_not_called_glare() -> None:
    """The paper between a form's lines saturates under bright light: that is not a highlight, and saying
    "反光" held back auto-capture for such a page (seen in a long autopilot run). A real highlight on a
    darker page is still found."""
    bright = render_scene(40, 960, 720, category="plain", kind="form", glare=0)
    assert not assess(bright.image, bright.quad, orientation=False).glare
    assert not assess(bright.image, bright.quad).glare
    spot = render_scene(41, 960, 720, category="plain", kind="form", glare=1)
    assert assess(spot.image, spot.quad, orientation=False).glare


def test_a_card_on_a_gridded_cutting_mat_is_outlined_not_the_grid_round_it() -> None:
    """The mat's grid lines make a rectangle enclosing the card that scored higher (it is bigger); a page
    is mostly light inside, that rectangle mostly dark mat."""
    s = render_scene(198, 960, 720, category="plain", kind="id_front")
    assert quad_iou(detect_page(s.image), s.quad, frame=(960, 720)) > 0.95


def test_upside_down_pages_are_flagged() -> None:
    hits = 0
    for seed in range(70, 76):
        kind = ["form", "text", "certificate", "id_back"][seed % 4]
        up = render_scene(seed, category="plain", kind=kind, upside_down=False, glare=0)
        down = render_scene(seed, category="plain", kind=kind, upside_down=True, glare=0)
        hits += (not assess(up.image, up.quad).upside_down) + assess(down.image, down.quad).upside_down
    assert hits >= 10  # of 12: the orientation cue is a heuristic (about 90 % on the synthetic set)


# ------------------------------------------------------------------------------------------- encode
@pytest.fixture(scope="module")
def still_page() -> np.ndarray:
    """An A4 notice rectified from an 8 MP still (about 150 dpi on the page)."""
    s = render_scene(80, 3200, 2400, category="plain", kind="text", upside_down=False, glare=0)
    return rectify(s.image, s.quad)


@pytest.mark.parametrize("mode", ["color", "gray", "bw"])
def test_encoded_a4_page_is_small_and_decodes(mode: str, still_page: np.ndarray) -> None:
    page = enhance(still_page, mode)
    data = encode_page(page, mode)
    assert len(data) < 300_000
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded is not None
    assert data[:2] == b"\xff\xd8" or data[:4] == b"\x89PNG"
    if mode == "bw":
        assert data[:4] == b"\x89PNG"
    # Legible: the text survives (ink pixels of the decoded page match the enhanced page's).
    ref = cv2.resize(page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY),
                     (decoded.shape[1], decoded.shape[0]), interpolation=cv2.INTER_AREA)
    dec = decoded if decoded.ndim == 2 else cv2.cvtColor(decoded, cv2.COLOR_BGR2GRAY)
    ink_ref, ink_dec = ref < 128, dec < 128
    f1 = 2 * (ink_ref & ink_dec).sum() / max(ink_ref.sum() + ink_dec.sum(), 1)
    assert f1 > 0.85


def test_encode_respects_a_tight_budget() -> None:
    noisy = np.random.default_rng(1).integers(0, 255, (1200, 900), dtype=np.uint8)
    data = encode_page(noisy, "gray", max_bytes=60_000)
    assert len(data) <= 60_000
    with pytest.raises(ValueError):
        encode_page(noisy, "png")


def test_all_categories_are_known() -> None:
    assert set(CATEGORIES) >= {"plain", "fingers", "cut_off", "shadow", "low_contrast"}
