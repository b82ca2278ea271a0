"""Which items ask for the person (人证核验, issue 19): the guide says so, the journey has the face step, and
docs/catalog.md lists them. A guide promising the face check on an item without the step (or a face step the
guide does not announce) fails here."""
from __future__ import annotations

from kiosk.journey.plan import Step, plan_steps
from tests.unit.catalog.conftest import ROOT

FACE_WORDS = "在本机完成人脸识别"  # the guide's condition: the citizen is told before starting
EXPECTED = {"920000006000", "920000007000", "910000002000", "910000003000"}


def _asks_for_the_face(item) -> bool:
    return any(FACE_WORDS in c.zh for c in item.conditions)


def test_the_items_that_require_the_person_are_flagged_for_the_face_check(items):
    flagged = {i.code for i in items if i.face_check}
    assert flagged == EXPECTED  # the pension items and the HK/Macao permit's endorsement and renewal


def test_an_item_has_the_face_step_exactly_when_its_guide_announces_the_face_check(items):
    for item in items:
        steps = plan_steps(item)
        assert _asks_for_the_face(item) == item.face_check == (Step.FACE in steps), item.code
        if item.face_check:  # right after the card is read
            assert steps[steps.index(Step.FACE) - 1] == Step.IDENTIFY, item.code
            assert any("face check" in c.en for c in item.conditions if FACE_WORDS in c.zh), item.code


def test_docs_catalog_lists_every_item_with_the_face_check(items):
    doc = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    listed = doc.split("Items with `face_check` in this catalogue:")[1].split("\n* ")[0]
    for item in items:
        assert (item.code in listed) == item.face_check, item.code
        if item.face_check:
            assert item.name.zh.split("（")[0] in listed, item.name.zh
