"""Steps derived from an item's configuration; form prefill and validation messages."""
from __future__ import annotations

from pathlib import Path

import pytest

from devices.idcard.synthetic import IDENTITIES
from kiosk.journey import forms
from kiosk.journey.plan import Step, plan_steps
from kiosk.platform.catalog_schema import load_item_file
from kiosk.settings import CONFIG_DIR

WUFANZUI = CONFIG_DIR / "catalog" / "gongan-wufanzui-jilu.toml"


@pytest.fixture
def item():
    return load_item_file(WUFANZUI)


def with_changes(item, **changes):
    return item.model_copy(update=changes)


def test_the_plan_follows_the_items_configuration(item):
    assert plan_steps(item) == [Step.GUIDE, Step.IDENTIFY, Step.FORM, Step.MATERIALS, Step.SIGN, Step.DELIVERY,
                                Step.REVIEW, Step.SUBMIT, Step.RESULT, Step.RECEIPT, Step.END]


def test_a_fee_adds_payment_and_a_single_pickup_drops_delivery(item):
    paid = with_changes(item, fee=item.fee.model_copy(update={"amount_fen": 1500}), delivery=("pickup",))
    steps = plan_steps(paid)
    assert Step.PAYMENT in steps and Step.DELIVERY not in steps
    # review, then pay, then submit (issue 15): nothing is charged before the citizen checked the application
    assert steps.index(Step.SIGN) < steps.index(Step.REVIEW) < steps.index(Step.PAYMENT) == steps.index(Step.SUBMIT) - 1


def test_no_scannable_materials_means_no_camera_step(item):
    only_card = with_changes(item, materials=tuple(m for m in item.materials if m.source != "applicant"))
    assert Step.MATERIALS not in plan_steps(only_card)


def test_prefill_takes_card_fields_and_leaves_the_citizens_fields_empty(item):
    card = IDENTITIES["graduate"]
    values = forms.prefill(item, card)
    assert values["name"] == "李小明" and values["id_number"] == card.id_number
    assert values["address"] == card.address
    assert values["phone"] == ""


@pytest.mark.parametrize("phone,ok", [("13800138000", True), ("16612345678", True), ("19912345678", True),
                                      ("12345678901", False), ("1380013800", False), ("138001380001", False)])
def test_phone_validation_accepts_16x_and_19x(item, phone, ok):
    f = item.field("phone")
    assert (forms.validate_field(f, phone) is None) is ok


def test_validation_messages_are_bilingual_and_name_the_field(item):
    errors = forms.validate(item, forms.prefill(item, IDENTITIES["graduate"]))
    names = {e.field for e in errors}
    assert names == {"phone", "purpose"}
    msg = next(e.message for e in errors if e.field == "phone")
    assert "手机" in msg.zh and "Mobile" in msg.en


def test_control_characters_are_removed_from_typed_input():
    assert forms.clean(" 深圳\x00市\x1b ") == "深圳市"


def test_catalog_loader_names_file_item_and_field(tmp_path):
    from kiosk.platform.catalog_schema import CatalogError, load_catalog_dir

    text = WUFANZUI.read_text(encoding="utf-8").replace("legal_days = 3", 'legal_days = "three"')
    (tmp_path / "broken.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        load_catalog_dir(Path(tmp_path))
    assert "broken.toml" in str(exc.value) and "312000218000" in str(exc.value)
    assert "time_limit.legal_days" in str(exc.value) and "'three'" in str(exc.value)


def test_a_required_declaration_must_be_ticked(item):
    from kiosk.platform.catalog_schema import FieldType, FormField, Text

    f = FormField(name="declaration", label=Text(zh="本人承诺", en="I declare"), type=FieldType.BOOL)
    assert forms.validate_field(f, "") is not None
    assert forms.validate_field(f, "false") is not None
    assert forms.validate_field(f, "true") is None
    optional = f.model_copy(update={"required": False})
    assert forms.validate_field(optional, "false") is None
