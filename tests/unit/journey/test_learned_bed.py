"""kiosk.capture.bed, issue 22 (an empty pale table reported as a page): the empty bed a technician showed.

Protects: an outline whose inside still shows the learned bed is the bed (under the learned light and under
another lamp), a sheet laid there never is (even when the outline found is the table's); learning refuses
frames that disagree or are too few; the file round-trips and a damaged one is ignored; and the live preview
with an empty pale table in view: without a learned bed it tells every new citizen a page was left there and
never captures; with it, it says "lay the page", then captures the sheet laid on that table.
Scenes: tests/helpers/hard_scenes (drawn apart from the detector), each with its own empty bed.
"""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from devices.camera.docscan import detect_page, polygon_iou
from kiosk.capture import bed as bedmod
from kiosk.capture.auto import AutoCaptureSettings, AutoState
from kiosk.capture.live import LivePreview
from kiosk.capture.presence import bed_look
from kiosk.errors import KioskErrorCode
from tests.helpers import hard_scenes as hs
from tests.helpers.fakes import FakeCamera

SIZE = (hs.W, hs.H)


def learned(kind: str, seed: int, light: str = "same") -> bedmod.LearnedBed:
    return bedmod.learn([hs.render(kind, seed, bed=light).image] * 3, now=0.0)


@pytest.mark.parametrize("light", ["same", "other"])
def test_an_empty_tables_own_outline_shows_only_the_learned_bed_under_either_light(light):
    refused = 0
    for seed in range(12):
        scene = hs.render("empty_table", seed)
        quad = detect_page(scene.image)
        if quad is None:
            continue
        bed = learned("empty_table", seed, light)
        assert bed.only_bed(bed_look(scene.image), quad.as_array(), SIZE), (seed, light)
        assert bed.only_bed(bed_look(scene.image), None, SIZE)
        refused += 1
    assert refused >= 5   # the detector does outline empty tables: this is the case that matters


@pytest.mark.parametrize("kind", ["on_table", "pale_on_pale", "stacked", "id_card"])
def test_a_sheet_laid_on_the_learned_bed_is_never_taken_for_the_bed(kind):
    for seed in range(12):
        scene = hs.render(kind, seed)
        quad = detect_page(scene.image)
        assert quad is not None
        for light in ("same", "other"):
            bed = learned(kind, seed, light)
            residual = bed.residual(bed_look(scene.image), quad.as_array(), SIZE)
            assert residual > 2 * bedmod.RESIDUAL_MAX, (kind, seed, light, residual)


def test_a_sheet_is_not_refused_even_where_the_outline_found_is_the_tables():
    """on_table seeds 1 and 7: with the sheet on it, detection outlined the table, not the sheet (before
    docscan.faint; the table's outline is now taken from the empty table). The inside has changed (the sheet),
    so it is not the bed: the citizen's page is captured, never silently dropped."""
    for seed in (1, 7):
        scene = hs.render("on_table", seed)
        quad = table_outline(seed)
        assert polygon_iou(quad, scene.quad) < 0.5    # the table's outline
        assert not learned("on_table", seed).only_bed(bed_look(scene.image), quad, SIZE)


def table_outline(seed: int) -> np.ndarray:
    """The outline detection finds on the empty table of on_table ``seed``: the table's."""
    return detect_page(hs.render("on_table", seed, bed="same").image).as_array()


def test_learning_refuses_frames_that_disagree_or_are_too_few():
    empty = hs.render("on_table", 0, bed="same").image
    with_sheet = hs.render("on_table", 0).image
    with pytest.raises(bedmod.BedLearnError) as moving:
        bedmod.learn([empty, empty, with_sheet])
    assert moving.value.code == KioskErrorCode.BED_LEARN_MOVING
    with pytest.raises(bedmod.BedLearnError) as few:
        bedmod.learn([empty, empty])
    assert few.value.code == KioskErrorCode.BED_LEARN_NO_FRAMES
    with pytest.raises(bedmod.BedLearnError) as sizes:
        bedmod.learn([empty, empty, empty[:360, :640]])
    assert sizes.value.code == KioskErrorCode.BED_LEARN_NO_FRAMES


def test_an_outline_is_not_judged_on_another_frame_shape_or_when_too_small():
    bed = learned("empty_table", 0)
    frame = hs.render("empty_table", 0).image
    assert bed.residual(bed_look(frame[:, :960]), None, (960, 720)) == float("inf")   # 4:3, not 16:9
    tiny = np.array([[10.0, 10.0], [30.0, 10.0], [30.0, 30.0], [10.0, 30.0]])
    assert not bed.only_bed(bed_look(frame), tiny, SIZE)


def test_the_store_round_trips_and_ignores_a_damaged_file(tmp_path):
    store = bedmod.BedStore(tmp_path)
    assert store.load() is None and not store.clear()
    bed = learned("empty_table", 0)
    store.save(bed)
    back = store.load()
    assert back is not None and back.frame_size == SIZE and back.frames == 3
    assert np.allclose(back.look, bed.look)
    for junk in (b"", b"junk" * 100, pickle.dumps({"look": "x"}), b"PK\x03\x04" + bytes(60)):
        store.path.write_bytes(junk)
        assert store.load() is None, junk[:8]
    with store.path.open("wb") as f:
        np.savez(f, look=np.full((3,), np.nan, np.float32), frame_size=np.array([1280, 720]),
                 learned_at=np.array(0.0), frames=np.array(3))
    assert store.load() is None          # the wrong shape
    assert store.clear() and store.load() is None


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _run(live: LivePreview, cam: FakeCamera, clock: _Clock, image: np.ndarray, n: int) -> list:
    out = []
    for _ in range(n):
        cam.show(image)
        clock.t += 0.1
        out.append(live.step())
    return out


def test_the_live_preview_with_a_learned_bed_asks_for_the_page_then_captures_the_sheet():
    """on_table seed 0: the empty table (under another lamp than when learned) is outlined by detection."""
    empty = hs.render("on_table", 0, bed="other").image
    sheet = hs.render("on_table", 0)
    assert detect_page(empty) is not None

    cam, clock = FakeCamera(), _Clock()
    before = LivePreview(lambda: cam, clock=clock, settings=AutoCaptureSettings(hold_s=0.3))
    before.expect_empty_bed()                                 # a new citizen
    frames = _run(before, cam, clock, empty, 20)
    assert {f.status.problem for f in frames} == {"leftover"} and not any(f.status.fire for f in frames)

    live = LivePreview(lambda: cam, clock=clock, settings=AutoCaptureSettings(hold_s=0.3))
    live.bed = learned("on_table", 0)
    live.expect_empty_bed()
    frames = _run(live, cam, clock, empty, 20)
    assert all(f.quad is None for f in frames) and live.counters.bed_outlines >= 1
    # "leftover" only until the bed has been seen empty for gone_frames (2) frames, then "lay the page"
    assert all(f.status.state == AutoState.NO_PAGE and f.status.problem == "no_page" for f in frames[2:])
    frames = _run(live, cam, clock, sheet.image, 15)
    fired = [f for f in frames if f.status.fire]
    assert len(fired) == 1 and polygon_iou(fired[0].quad, sheet.quad) > 0.95


def test_a_still_of_the_empty_bed_taken_by_hand_is_no_page_not_the_table_cropped():
    """拍摄 tapped with nothing laid on a pale table: without the learned bed the table top was cropped and filed
    as the material's page; with it the citizen is told no page was found. A sheet on it is still kept."""
    from kiosk.capture.pages import CaptureProblem, process_still
    from kiosk.platform.catalog_schema import CaptureKind

    empty = hs.render("on_table", 0, bed="other").image
    bed = learned("on_table", 0)
    assert process_still(empty, CaptureKind.A4) is not None          # before: the table, filed as a page
    for whole in (False, True):
        with pytest.raises(CaptureProblem) as refused:
            process_still(empty, CaptureKind.A4, bed=bed, whole=whole)
        assert refused.value.problems == ("no_page",)
    assert process_still(hs.render("on_table", 0).image, CaptureKind.A4, bed=bed) is not None


def test_where_detection_outlines_the_table_the_sheet_on_it_is_found_from_the_learned_bed():
    """on_table seeds 1, 7, 12: a sheet whose edges step by less than the detector counted, on a grained or
    lighter table: the outline was the table (Jaccard 0.09-0.19; docscan.faint now finds these sheets itself, so
    the table's outline is taken from the empty table here). With the bed learned (under another lamp) the sheet
    is what differs from it; outlines that are the page are left alone."""
    for seed in range(15):
        scene = hs.render("on_table", seed)
        bed = learned("on_table", seed, "other")
        if seed in (1, 7, 12):
            quad = table_outline(seed)
            assert polygon_iou(quad, scene.quad) < 0.2
            inner = bed.page_within(scene.image, quad, bed_look(scene.image))
            assert inner is not None and polygon_iou(inner, scene.quad) > 0.98, seed
        quad = detect_page(scene.image).as_array()
        assert polygon_iou(quad, scene.quad) > 0.9, seed
        assert bed.page_within(scene.image, quad, bed_look(scene.image)) is None, seed   # the sheet: kept


def test_the_live_preview_and_the_still_take_the_sheet_not_the_table_with_the_bed_learned():
    from kiosk.capture.pages import process_still
    from kiosk.platform.catalog_schema import CaptureKind

    scene = hs.render("on_table", 1)   # (seed 7's sheet is found too, and then said to be too small)
    cam, clock = FakeCamera(), _Clock()
    live = LivePreview(lambda: cam, clock=clock, settings=AutoCaptureSettings(hold_s=0.3))
    live.bed = learned("on_table", 1, "other")
    frames = _run(live, cam, clock, scene.image, 15)
    fired = [f for f in frames if f.status.fire]
    assert len(fired) == 1 and polygon_iou(fired[0].quad, scene.quad) > 0.95   # tracked from the sheet found
    # (detection itself now finds this sheet, docscan.faint; the bed's own search is the test above)
    page = process_still(scene.image, CaptureKind.A4, bed=live.bed)
    assert page.height > page.width and not page.whole     # the portrait sheet, not the landscape table


def test_the_materials_step_uses_the_bed_learned_in_the_console(rig):
    """The console saves the bed under data_dir; the materials step reads it each time it is entered. 拍摄 on
    the empty table then files nothing and says no page was found; the sheet laid there is filed."""
    from kiosk.capture.bed import BedStore
    from kiosk.journey.plan import Step
    from tests.unit.journey.drive import to_materials

    from devices.base import Capability

    from devices.base import Preview

    BedStore(rig.settings.data_dir).save(learned("on_table", 1, "other"))
    empty = hs.render("on_table", 1, bed="same").image
    shown = [0]

    def latest():   # the preview: the empty table, a new frame each time
        shown[0] += 1
        return Preview(empty, shown[0])
    rig.camera.capabilities = frozenset({Capability.LIVE_PREVIEW})   # a camera, not a scanner
    rig.camera.latest = latest
    to_materials(rig)
    j = rig.j
    step = j._h(Step.MATERIALS)
    assert step.live is not None
    step.live.stop()                       # driven here frame by frame
    assert step.live.bed is not None and step.live.bed.detail is not None
    frames = [step.live.step() for _ in range(4)]
    assert frames[-1].quad is None and frames[-1].status.problem == "no_page"   # not "a page was left here"
    material = j.current_material()
    j.capture_page()
    rig.camera.pending[-1].set_result(empty)   # nothing laid
    rig.run()
    assert j.session.page_count(material.id) == 0
    assert j.notice is not None and rig.audited("capture_refused")[-1]["problems"] == ["no_page"]
    j.capture_page()
    rig.camera.pending[-1].set_result(hs.render("on_table", 1).image)
    rig.run()
    assert j.session.page_count(material.id) == 1
