"""The application form: prefill from the card and shared data, validation with clear bilingual messages."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..identity import IdCardData, card_value, id_number_valid
from ..platform.catalog_schema import FieldType, FormField, Item, Text

PHONE = re.compile(r"^1[3-9][0-9]{9}$")  # mainland mobile numbers, 13x..19x (WANDA rejected 16x/19x)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: Text


def prefill(item: Item, card: IdCardData | None, shared: dict[str, Any] | None = None) -> dict[str, str]:
    """Initial values: ``card.*`` from the card read, ``shared.*`` from data sharing, else empty."""
    shared = shared or {}
    values: dict[str, str] = {}
    for f in item.form:
        value = ""
        if f.source.startswith("card.") and card is not None:
            value = card_value(card, f.source[5:])
        elif f.source.startswith("shared."):
            raw = shared.get(f.source[7:])
            value = "" if raw is None else str(raw)
        values[f.name] = value
    return values


def clean(value: str) -> str:
    """Strip control characters and surrounding spaces from typed input."""
    return "".join(ch for ch in value if ch >= " " or ch == "\n").strip()


def validate_field(f: FormField, value: str) -> Text | None:
    value = clean(value)
    if f.type == FieldType.BOOL:
        # A required tick box is a declaration (承诺): it must be ticked, not merely answered.
        if value not in ("", "true", "false"):
            return Text(zh=f"{f.label.zh}：请勾选或不勾选", en=f"{f.label.en}: tick or leave unticked")
        if f.required and value != "true":
            return Text(zh=f"请勾选确认：{f.label.zh}", en=f"Please tick to confirm: {f.label.en}")
        return None
    if not value:
        return Text(zh=f"请填写{f.label.zh}", en=f"Please fill in {f.label.en}") if f.required else None
    if len(value) > f.max_length:
        return Text(zh=f"{f.label.zh}最多{f.max_length}个字", en=f"{f.label.en}: at most {f.max_length} characters")
    if f.type == FieldType.PHONE and not PHONE.match(value):
        return Text(zh="请输入11位手机号码，例如 13800138000", en="Enter an 11-digit mobile number, e.g. 13800138000")
    if f.type == FieldType.ID_NUMBER and not id_number_valid(value):
        return Text(zh="身份证号码不正确，请核对", en="The ID number is not valid; please check it")
    if f.type == FieldType.NUMBER:
        try:
            float(value)
        except ValueError:
            return Text(zh=f"{f.label.zh}请填写数字", en=f"{f.label.en} must be a number")
    if f.type == FieldType.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return Text(zh=f"{f.label.zh}请按 年-月-日 填写", en=f"{f.label.en}: use YYYY-MM-DD")
    if f.type == FieldType.CHOICE and value not in {c.value for c in f.choices}:
        return Text(zh=f"请选择{f.label.zh}", en=f"Please choose {f.label.en}")
    if f.pattern and not re.fullmatch(f.pattern, value):
        hint = f.hint or Text(zh="格式不正确", en="wrong format")
        return Text(zh=f"{f.label.zh}：{hint.zh}", en=f"{f.label.en}: {hint.en}")
    return None


def validate(item: Item, values: dict[str, str]) -> list[FieldError]:
    errors = []
    for f in item.form:
        msg = validate_field(f, values.get(f.name, ""))
        if msg is not None:
            errors.append(FieldError(f.name, msg))
    return errors
