"""A field's example shows whole (issue 17, the sweep): where it is wider than the field it goes under it.

15.6" portrait, elder, English: the project code's example, "e.g. 2024-440305-47-01-123456", at the field's
elder size is wider than the field, and the placeholder elided it ("form: clipped_text ... (elided)",
施工许可证核发 950000001000). Where it fits, the placeholder keeps it."""
from __future__ import annotations

import pytest

from kiosk import screen
from tests.ui.test_form_input import drive_to_form
from ui import layout_check
from ui.autopilot_driver import prop

PERMIT = "950000001000"  # 建筑工程施工许可证核发: the project code's example is a long unbreakable code
EXAMPLE = "2024-440305-47-01-123456"


@pytest.mark.slow
def test_an_example_wider_than_its_field_shows_whole_under_it_on_a_small_portrait_elder_english_screen(
        qtbot, make_kiosk):
    k = make_kiosk(ui={"elder_mode": True, "lang": "en_US", "orientation": "portrait"},
                   screen={"diagonal_in": screen.PROFILES_IN["15.6"]})
    drive_to_form(qtbot, k, PERMIT)
    field = k.ui.get("form.field.project_code")
    qtbot.waitUntil(lambda: prop(field, "width") > 0 and prop(field, "placeholderText") == "")  # not elided there
    # its hint already gives the example ("..., e.g. 2024-440305-47-01-123456"): shown whole, not twice
    line = k.ui.get("form.hint.project_code")
    assert EXAMPLE in prop(line, "text") and not prop(line, "truncated")
    assert k.ui.find("form.example.project_code") is None
    # a long example that no hint gives goes on its own line under the field (the same item's credit codes fit)
    k.ui.ensure_visible(line)
    qtbot.waitUntil(lambda: [p for p in layout_check.problems(k.ui) if p.kind == "clipped_text"] == [])


@pytest.mark.slow
def test_an_example_that_fits_its_field_stays_its_placeholder(qtbot, make_kiosk):
    k = make_kiosk(ui={"lang": "zh_CN", "orientation": "portrait"}, screen={"diagonal_in": screen.PROFILES_IN["21.5"]})
    drive_to_form(qtbot, k, PERMIT)
    qtbot.waitUntil(lambda: prop(k.ui.get("form.field.project_code"), "placeholderText") == f"例如 {EXAMPLE}")
    assert k.ui.find("form.example.project_code") is None  # no second copy under the field


@pytest.mark.slow
def test_a_long_example_no_hint_gives_goes_whole_on_its_own_line_under_the_field(qtbot, make_kiosk, monkeypatch):
    """The same field shown without its hint: the example is not lost with the placeholder, it wraps under
    the field."""
    from ui.models import present

    shown = present.form_fields

    def without_hint(*args, **kwargs):
        return [dict(f, hint="") if f["name"] == "project_code" else f for f in shown(*args, **kwargs)]

    monkeypatch.setattr(present, "form_fields", without_hint)
    k = make_kiosk(ui={"elder_mode": True, "lang": "en_US", "orientation": "portrait"},
                   screen={"diagonal_in": screen.PROFILES_IN["15.6"]})
    drive_to_form(qtbot, k, PERMIT)
    qtbot.waitUntil(lambda: k.ui.find("form.example.project_code") is not None)
    line = k.ui.get("form.example.project_code")
    assert prop(line, "text") == f"e.g. {EXAMPLE}"
    assert not prop(line, "truncated") and prop(line, "width") <= prop(k.ui.get("form.field.project_code"), "width")
    assert prop(k.ui.get("form.field.project_code"), "placeholderText") == ""
    assert k.ui.find("form.hint.project_code") is None
    k.ui.ensure_visible(line)
    qtbot.waitUntil(lambda: [p for p in layout_check.problems(k.ui) if p.kind == "clipped_text"] == [])
