"""Every sentence on screen that promises something is backed (issue 15, item 5): the materials' sources."""
from __future__ import annotations

from kiosk.platform.catalog_schema import MaterialSource
from tests.unit.journey.drive import read_card, to_identify
from ui.models import present


def _elicence_item(rig):
    return next(i for i in rig.catalog for m in i.materials
                if m.source == MaterialSource.E_LICENCE and m.note and "无需拍照" in m.note.zh)


def test_the_guide_does_not_promise_an_e_licence_is_shared_before_sharing_answers(rig):
    item = _elicence_item(rig)
    texts = {m["sourceText"] for m in present.item_guide(item, "zh_CN")["materials"] if m["source"] == "e_licence"}
    assert texts and not any("已共享" in t for t in texts)
    assert all("未共享需拍照" in t for t in texts)


def test_an_e_licence_not_shared_is_asked_for_on_paper_without_saying_no_photo_is_needed(rig):
    item = _elicence_item(rig)
    to_identify(rig, item.code)
    read_card(rig)  # sharing holds no e-licences: every one goes to the camera
    m = next(m for m in rig.j.capture_list() if m.source == MaterialSource.E_LICENCE)
    rig.j.session.material_index = rig.j.capture_list().index(m)
    view = present.material_view(rig.j, "zh_CN")
    assert "无需拍照" not in view["note"] and view["note"] == present.ON_PAPER_TEXT.zh
