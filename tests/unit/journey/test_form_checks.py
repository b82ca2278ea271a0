"""The messages under the form's fields (ui.models.form_checks, split from the view-model): none until 下一步,
then each follows what its field holds and the language."""
from __future__ import annotations

from tests.unit.journey.drive import to_form
from ui.models.form_checks import FormChecks


def test_no_message_shows_while_typing_before_the_first_next(rig):
    to_form(rig)
    checks = FormChecks()
    rig.j.set_field("phone", "12")
    assert checks.typed(rig.j, "phone", "zh_CN") is False and checks.errors == {}


def test_next_lists_every_wrong_field_and_a_message_goes_once_its_field_is_right(rig):
    to_form(rig)
    checks = FormChecks()
    first = checks.submitted(rig.j.submit_form(), "zh_CN")
    assert first == "请填写手机号码"
    assert checks.errors == {"phone": "请填写手机号码", "purpose": "请填写查询用途"}
    rig.j.set_field("phone", "13800138000")
    assert checks.typed(rig.j, "phone", "zh_CN") is True
    assert checks.errors == {"purpose": "请填写查询用途"}
    assert checks.typed(rig.j, "phone", "zh_CN") is False  # nothing changed: the screen is not told again


def test_the_messages_follow_the_language_and_a_new_step_clears_them(rig):
    to_form(rig)
    checks = FormChecks()
    checks.submitted(rig.j.submit_form(), "zh_CN")
    assert checks.relang(rig.j, "en_US") is True
    assert checks.errors == {"phone": "Please fill in Mobile number", "purpose": "Please fill in Purpose"}
    checks.reset()
    assert checks.errors == {} and checks.typed(rig.j, "phone", "en_US") is False
