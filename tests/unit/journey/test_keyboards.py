"""Each form field's keyboard fits what is typed into it (issue 17): implied by the catalogue's definitions."""
from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.journey.keyboards import KeyboardKind, keyboard_for, pattern_chars
from kiosk.platform.catalog_schema import FieldType, FormField, Text
from kiosk.settings import CONFIG_DIR


def field(**kw) -> FormField:
    return FormField(name="f", label=Text(zh="字段", en="Field"), **kw)


def real_field(item_code: str, name: str) -> FormField:
    item = Catalog.from_dir(CONFIG_DIR / "catalog").get(item_code)
    assert item is not None
    f = item.field(name)
    assert f is not None
    return f


def test_the_hk_macao_permit_number_gets_latin_capitals_not_pinyin():
    assert keyboard_for(real_field("910000002000", "permit_number")) == KeyboardKind.CODE


@pytest.mark.parametrize(("kw", "kind"), [
    ({"pattern": "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"}, KeyboardKind.CODE),  # USCC
    ({"pattern": "[A-HJ-NPR-Z0-9]{17}"}, KeyboardKind.CODE),  # VIN
    ({"pattern": "[0-9]{10,13}"}, KeyboardKind.DIGITS),  # an account number
    ({"pattern": r"\d{6}"}, KeyboardKind.DIGITS),
    ({"pattern": "(19|20)[0-9]{2}(0[1-9]|1[0-2])"}, KeyboardKind.DIGITS),  # a month
    ({"pattern": "[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}"}, KeyboardKind.NUMBER),  # a project code
    ({"type": FieldType.NUMBER, "pattern": r"[0-9]{1,8}(\.[0-9]{1,2})?"}, KeyboardKind.NUMBER),  # an area
    ({"type": FieldType.NUMBER}, KeyboardKind.NUMBER),
    ({"type": FieldType.PHONE, "pattern": "1[3-9][0-9]{9}"}, KeyboardKind.PHONE),
    ({"type": FieldType.ID_NUMBER}, KeyboardKind.CODE),  # its check character may be X
    ({"type": FieldType.DATE}, KeyboardKind.NUMBER),
    ({"pattern": "粤BD[A-HJ-NP-Z0-9][0-9]{4}"}, KeyboardKind.PINYIN),  # a plate starts with a Chinese character
    ({}, KeyboardKind.PINYIN),  # names, addresses
    ({"type": FieldType.TEXTAREA}, KeyboardKind.PINYIN),
    ({"pattern": "..+"}, KeyboardKind.PINYIN),  # any character: the full keyboard
    ({"example": "AB12"}, KeyboardKind.CODE),
])
def test_the_kind_follows_type_then_pattern_then_example(kw, kind):
    assert keyboard_for(field(**kw)) == kind


def test_pattern_characters_drop_quantifiers_and_range_dashes_but_keep_literal_dashes():
    assert pattern_chars("[0-9]{4}-[0-9]{2}") == {"0", "9", "-"}
    assert pattern_chars("C[0-9A-HJ-NP-Z][0-9]{7}") == {"C", "0", "9", "A", "H", "J", "N", "P", "Z"}
    assert pattern_chars(r"a\.b") == {"a", ".", "b"}
    assert pattern_chars(r"\w+") is None


def test_every_catalogue_code_field_gets_a_keyboard_its_example_can_be_typed_on():
    for item in Catalog.from_dir(CONFIG_DIR / "catalog"):
        for f in item.form:
            kind = keyboard_for(f)
            if not f.example:
                continue
            if kind == KeyboardKind.DIGITS:
                assert f.example.isdigit(), (item.code, f.name)
            elif kind == KeyboardKind.NUMBER:
                assert set(f.example) <= set("0123456789.-"), (item.code, f.name)
            elif kind == KeyboardKind.CODE:
                assert f.example.isascii() and f.example == f.example.upper(), (item.code, f.name)
