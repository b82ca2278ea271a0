"""The catalogue's vocabulary (config/shared_data.toml): every source a field or material names, the shared
keys and licence types, the field patterns with the values each must accept and reject, and the 秒批 rules.
These tests read the real files: an undefined shared key or a pattern without sample values fails here."""
from __future__ import annotations

import re
from datetime import date

import pytest

from kiosk.platform.catalog_schema import FieldType, Item, MaterialSource

CARD_ATTRS = {"name", "gender", "nation", "birth_date", "address", "id_number", "issuer", "valid_from", "valid_until"}
SHARED_TYPES = {"string", "int", "bool", "date", "enum"}
TRUST_LEVELS = {"A", "B", "C", "D"}


# Every `pattern` used by a form field must appear here with values it must accept and reject
# (re.fullmatch, as the kiosk anchors patterns). A new pattern without samples fails test_pattern_samples.
PATTERN_SAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "1[3-9][0-9]{9}": (["13800138000", "19912345678", "16612345678"], ["12800138000", "1380013800", "138001380000", "1380013800a"]),
    "C[0-9A-HJ-NP-Z][0-9]{7}": (["C01234567", "CA1234567"], ["C0123456", "D01234567", "CI1234567", "c01234567"]),
    "[0-9]{12}": (["440300123456"], ["44030012345", "4403001234567", "44030012345X"]),
    "(19|20)[0-9]{2}": (["2024", "1998"], ["2124", "24", "20245"]),
    "(19|20)[0-9]{2}(0[1-9]|1[0-2])": (["202301", "199912"], ["202313", "202300", "2023-01", "20231"]),
    "[0-9]{16,19}": (["6222021234567890", "6217001234567890123"], ["622202123456789", "62220212345678901234", "6222 0212 3456 7890"]),
    "[0-9]{9,10}": (["612345678", "6123456789"], ["61234567", "61234567890", "61234567a"]),
    "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}": (
        ["91440300MA5DEMP01X", "92440300MA5EXAMP1X"],
        ["91440300MA5DEMP01", "91440300MA5DEMPI1X", "91440300MA5DEMPO1X", "9144030AMA5DEMP01X"],
    ),
    "[2-7]": (["5", "7"], ["8", "1", "55"]),
    "粤BD[A-HJ-NP-Z0-9][0-9]{4}": (["粤BD12345", "粤BDA1234"], ["粤B12345", "粤BF12345", "粤AD12345", "粤BD1234"]),
    "[A-HJ-NPR-Z0-9]{17}": (["LSVAM4187C2184847"], ["LSVAM4187C218484", "LSVAM4187C2184847Q", "LSVAM4187C218484O"]),
    "粤B[DF]?[A-HJ-NP-Z0-9]{5}": (["粤B12345", "粤BD12345", "粤BA1234"], ["粤A12345", "粤B1234", "粤BD1234567"]),
    "[0-9]{13}": (["1234567890123"], ["123456789012", "12345678901234"]),
    "[0-9]{10,20}": (["4403050010001200101"], ["440305001", "44030500100012001011234", "4403A50010"]),
    "[0-9]{1,6}(\\.[0-9]{1,2})?": (["10", "3.5", "999999.99"], ["1234567", "3.555", ".5", "abc"]),
    "[0-9]{1,8}(\\.[0-9]{1,4})?": (["120", "1500.2500"], ["123456789", "1.23456", "12,000"]),
    "[0-9]{1,8}(\\.[0-9]{1,2})?": (["12000", "8650.75"], ["123456789", "86.505", "8,650"]),
    "[0-9]{1,3}": (["1", "250"], ["1000", "", "a"]),
    "[0-9]{1,9}": (["86000"], ["1234567890", "-5", "8.6"]),
    "[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}": (
        ["2024-440305-47-01-123456"],
        ["2024-440305-47-01-12345", "202444030547 01123456", "24-440305-47-01-123456"],
    ),
    "[0-9]{18}": (["440305202401150101"], ["44030520240115010", "4403052024011501011"]),
    "[0-9]{10,13}": (["0301234567", "0301234567890"], ["030123456", "03012345678901"]),
    "[0-9]{8,10}": (["12345678", "1234567890"], ["1234567", "12345678901"]),
    "[0-9]{8,12}": (["12345678", "123456789012"], ["1234567", "1234567890123"]),
}


# ------------------------------------------------------------------------------------------ sources

def test_card_sources_are_card_attributes(items):
    for item in items:
        for f in item.form:
            if f.source.startswith("card."):
                assert f.source.removeprefix("card.") in CARD_ATTRS, f"{item.code}.{f.name}: {f.source}"


def _used_shared_keys(items: list[Item]) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for item in items:
        for f in item.form:
            if f.source.startswith("shared."):
                used.setdefault(f.source, []).append(f"{item.code}.{f.name}")
        for r in item.instant_approval.rules:
            if r.field.startswith("shared."):
                used.setdefault(r.field, []).append(f"{item.code} rule")
        if item.instant and item.instant_approval.credit_gate:
            used.setdefault("shared.credit.blacklisted", []).append(f"{item.code} credit_gate")
    return used


def test_every_shared_key_used_is_defined(items, shared_keys):
    missing = {k: where for k, where in _used_shared_keys(items).items() if k not in shared_keys}
    assert not missing, f"shared keys not defined in config/shared_data.toml: {missing}"


def test_every_defined_shared_key_is_used(items, shared_keys):
    """Keep the vocabulary small: nothing defined that no item needs."""
    unused = set(shared_keys) - set(_used_shared_keys(items))
    assert not unused, f"defined but unused: {sorted(unused)}"


def test_every_licence_type_used_is_defined(items, licence_types):
    for item in items:
        for m in item.materials:
            if m.source == MaterialSource.E_LICENCE:
                assert m.licence_type in licence_types, f"{item.code}.{m.id}: {m.licence_type}"
            else:
                assert m.licence_type is None, f"{item.code}.{m.id}: licence_type without source = e_licence"


def test_every_defined_licence_type_is_used(items, licence_types):
    used = {m.licence_type for i in items for m in i.materials if m.licence_type}
    assert set(licence_types) <= used, f"defined but unused: {sorted(set(licence_types) - used)}"


# ------------------------------------------------------------------------------------------ shared_data.toml

def _value_fits(kind: str, value: object, entry: dict) -> bool:
    if kind == "string":
        return isinstance(value, str) and bool(value)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        try:
            date.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return True
    if kind == "enum":
        return value in entry.get("values", [])
    return False


def test_shared_data_file_is_well_formed(shared):
    assert set(shared) == {"keys", "licence_types"}
    keys = [k["key"] for k in shared["keys"]]
    assert len(keys) == len(set(keys)), "duplicate shared keys"
    for entry in shared["keys"]:
        assert set(entry) <= {"key", "type", "description", "example", "values"}, entry["key"]
        assert re.fullmatch(r"shared\.[a-z_]+(\.[a-z_]+)+", entry["key"]), entry["key"]
        assert entry["type"] in SHARED_TYPES, entry["key"]
        assert entry["description"]["zh"] and entry["description"]["en"], entry["key"]
        assert ("values" in entry) == (entry["type"] == "enum"), entry["key"]
        assert _value_fits(entry["type"], entry["example"], entry), f"{entry['key']}: example {entry['example']!r}"
    codes = [t["code"] for t in shared["licence_types"]]
    assert len(codes) == len(set(codes)), "duplicate licence types"
    for t in shared["licence_types"]:
        assert set(t) == {"code", "name", "issuer", "trust"}, t["code"]
        assert re.fullmatch(r"[a-z][a-z0-9_]*", t["code"]), t["code"]
        assert t["trust"] in TRUST_LEVELS, t["code"]
        for text in (t["name"], t["issuer"]):
            assert text["zh"] and text["en"], t["code"]


_FIELD_TYPE_FOR_SHARED = {
    "string": {FieldType.TEXT, FieldType.TEXTAREA, FieldType.PHONE, FieldType.ID_NUMBER},
    "int": {FieldType.NUMBER},
    "bool": {FieldType.BOOL},
    "date": {FieldType.DATE},
    "enum": {FieldType.CHOICE},
}


def test_prefilled_fields_fit_their_shared_key(items, shared_keys):
    """Field type matches the key type, enum choices cover every value, the example passes the pattern."""
    for item in items:
        for f in item.form:
            if not f.source.startswith("shared."):
                continue
            entry = shared_keys[f.source]
            where = f"{item.code}.{f.name} <- {f.source}"
            assert f.type in _FIELD_TYPE_FOR_SHARED[entry["type"]], where
            if entry["type"] == "enum":
                assert set(entry["values"]) <= {c.value for c in f.choices}, where
            if f.pattern:
                assert re.fullmatch(f.pattern, str(entry["example"])), where


# ------------------------------------------------------------------------------------------ patterns

def _patterns(items: list[Item]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        for f in item.form:
            if f.pattern is not None:
                out.setdefault(f.pattern, []).append(f"{item.code}.{f.name}")
    return out


def test_every_pattern_has_samples(items):
    missing = {p: where for p, where in _patterns(items).items() if p not in PATTERN_SAMPLES}
    assert not missing, f"add sample values to PATTERN_SAMPLES for: {missing}"


@pytest.mark.parametrize("pattern", sorted(PATTERN_SAMPLES))
def test_pattern_samples(pattern):
    rx = re.compile(pattern)
    good, bad = PATTERN_SAMPLES[pattern]
    assert good and bad
    for value in good:
        assert rx.fullmatch(value), f"{pattern!r} rejects valid {value!r}"
    for value in bad:
        assert not rx.fullmatch(value), f"{pattern!r} accepts invalid {value!r}"


def test_sample_patterns_are_all_used(items):
    stale = set(PATTERN_SAMPLES) - set(_patterns(items))
    assert not stale, f"samples for patterns no item uses: {sorted(stale)}"


def test_patterns_fit_max_length(items):
    for pattern, (good, _bad) in PATTERN_SAMPLES.items():
        for where in _patterns(items).get(pattern, []):
            code, name = where.split(".")
            f = {i.code: i for i in items}[code].field(name)
            assert all(len(v) <= f.max_length for v in good), where


# ------------------------------------------------------------------------------------------ 秒批 rules

def test_rules_are_well_formed(items, shared_keys):
    for item in items:
        if not item.instant:
            continue
        for r in item.instant_approval.rules:
            where = f"{item.code} rule {r.field} {r.op}"
            assert r.reason.zh and r.reason.en, where
            scope, _, name = r.field.partition(".")
            assert scope in {"shared", "form"}, where
            if r.op in {"exists", "true", "false"}:
                assert r.value is None, where
            elif r.op in {"in", "not_in"}:
                assert isinstance(r.value, list) and r.value, where
            elif r.op in {"gte", "lte"}:
                assert isinstance(r.value, (int, float)) and not isinstance(r.value, bool), where
            else:
                assert r.value is not None and not isinstance(r.value, list), where
            allowed: set[str] | None = None
            if scope == "shared":
                entry = shared_keys[r.field]
                if r.op in {"true", "false"}:
                    assert entry["type"] == "bool", where
                if r.op in {"gte", "lte"}:
                    assert entry["type"] == "int", where
                if entry["type"] == "enum":
                    allowed = set(entry["values"])
            else:
                f = item.field(name)
                assert f is not None, f"{where}: no such form field"
                if f.type == FieldType.CHOICE:
                    allowed = {c.value for c in f.choices}
            if allowed is not None and r.op in {"eq", "ne", "in", "not_in"}:
                values = r.value if isinstance(r.value, list) else [r.value]
                assert set(values) <= allowed, f"{where}: {values} not in {sorted(allowed)}"


def test_non_instant_items_have_no_rules(items):
    for item in items:
        if not item.instant:
            assert not item.instant_approval.rules, item.code

