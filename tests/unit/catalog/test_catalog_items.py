"""The service catalogue content (config/catalog/) and its data-sharing vocabulary (config/shared_data.toml).

These tests read the real files: a wrong item, an undefined shared key, a pattern without sample values
or a missing category fails here before it reaches a kiosk.
"""
from __future__ import annotations

import re
import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest

from kiosk.platform.catalog_schema import (
    CatalogError,
    DeliveryMethod,
    FieldType,
    Item,
    MaterialSource,
    catalog_digest,
    load_catalog_dir,
    parse_item,
)

ROOT = Path(__file__).resolve().parents[3]
CATALOG_DIR = ROOT / "config" / "catalog"
SHARED_FILE = ROOT / "config" / "shared_data.toml"

CARD_ATTRS = {"name", "gender", "nation", "birth_date", "address", "id_number", "issuer", "valid_from", "valid_until"}
DEPARTMENTS = {"市场监管", "人力资源和社会保障", "公安", "交通运输", "住房和建设"}
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


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return load_catalog_dir(CATALOG_DIR)


@pytest.fixture(scope="module")
def shared() -> dict:
    return tomllib.loads(SHARED_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shared_keys(shared) -> dict[str, dict]:
    return {k["key"]: k for k in shared["keys"]}


@pytest.fixture(scope="module")
def licence_types(shared) -> dict[str, dict]:
    return {t["code"]: t for t in shared["licence_types"]}


def _by_code(items: list[Item]) -> dict[str, Item]:
    return {i.code: i for i in items}


def _find(items: list[Item], *words: str, department: str | None = None) -> list[Item]:
    """Items whose Chinese name contains every word (and whose department is ``department`` if given)."""
    return [i for i in items if all(w in i.name.zh for w in words)
            and (department is None or i.department.zh == department)]


# ------------------------------------------------------------------------------------------ size, names, codes

def test_at_least_30_items(items):
    assert len(items) >= 30, f"only {len(items)} items"


def test_file_names_follow_department_item_pinyin():
    for path in CATALOG_DIR.glob("*.toml"):
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+\.toml", path.name), path.name


def test_codes_unique_and_twelve_characters(items):
    codes = [i.code for i in items]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[0-9]{12}", code), code


def test_synthetic_codes_are_marked():
    """Codes not known to be real basic-catalogue codes start with 9 and carry a SYNTHETIC comment."""
    for path in CATALOG_DIR.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        code = tomllib.loads(text)["code"]
        if code.startswith("9"):
            assert "SYNTHETIC" in text, f"{path.name}: synthetic code {code} without a SYNTHETIC comment"


# ------------------------------------------------------------------------------------------ coverage

def test_every_department_of_the_first_list_is_present(items):
    assert DEPARTMENTS <= {i.department.zh for i in items}


@pytest.mark.parametrize(
    ("label", "words", "department"),
    [
        ("小汽车摇号 个人增量指标", ("增量指标", "申请"), "交通运输"),
        ("小汽车 更新指标", ("更新指标",), "交通运输"),
        ("网约车驾驶员证", ("网络预约出租汽车驾驶员证",), "交通运输"),
        ("网约车运输证", ("网络预约出租汽车运输证",), "交通运输"),
        ("无犯罪记录证明", ("无犯罪记录证明",), "公安"),
        ("保安员证核发", ("保安员证",), "公安"),
        ("港澳通行证签注", ("往来港澳通行证", "签注"), "公安"),
        ("港澳通行证换发", ("往来港澳通行证", "换发"), "公安"),
        ("个体工商户设立", ("个体工商户", "设立"), "市场监管"),
        ("个体工商户变更", ("个体工商户", "变更"), "市场监管"),
        ("有限公司设立", ("有限责任公司", "设立"), "市场监管"),
        ("建设工程施工许可", ("施工许可",), "住房和建设"),
        ("应届毕业生引进落户", ("应届毕业生",), "人力资源和社会保障"),
        ("留学回国人员引进", ("留学回国",), "人力资源和社会保障"),
        ("博士后进站", ("博士后", "进站"), "人力资源和社会保障"),
        ("博士后出站", ("博士后", "出站"), "人力资源和社会保障"),
        ("博士后生活补贴", ("博士后", "补贴"), "人力资源和社会保障"),
        ("养老保险待遇申领", ("养老保险待遇申领",), "人力资源和社会保障"),
    ],
)
def test_category_covered(items, label, words, department):
    assert _find(items, *words, department=department), f"no item for {label}"


def test_real_code_of_the_worked_example(items):
    assert _by_code(items)["312000218000"].name.zh == "无犯罪记录证明"


def test_graduate_hukou_is_instant(items):
    (grad,) = _find(items, "应届毕业生")
    assert grad.instant and grad.instant_approval.rules
    fields = {r.field for r in grad.instant_approval.rules}
    assert {"shared.education.degree", "shared.education.years_since_graduation", "shared.hukou.city"} <= fields


def test_several_instant_items(items):
    instant = [i for i in items if i.instant]
    assert len(instant) >= 3, [i.name.zh for i in instant]
    for item in instant:
        assert item.instant_approval.rules, f"{item.code}: 秒批 without rules"


def test_fee_express_and_instant_present(items):
    assert any(i.fee.charged for i in items), "no item with a fee"
    assert any(DeliveryMethod.EXPRESS in i.delivery for i in items), "no item with express delivery"
    assert any(DeliveryMethod.SELF_PRINT in i.delivery for i in items), "no item printed at the kiosk"
    for item in items:
        if item.fee.charged:
            assert item.fee.basis is not None, f"{item.code}: a fee needs its 收费依据"


def test_hk_macao_endorsement_fee_by_trips(items):
    (endorse,) = _find(items, "往来港澳通行证", "签注")
    assert endorse.fee.amount_for({"trips": "once"}) == 1500
    assert endorse.fee.amount_for({"trips": "twice"}) == 3000
    assert endorse.fee.amount_for({}) is None
    (renew,) = _find(items, "往来港澳通行证", "换发")
    assert renew.fee.amount_fen == 6000 and renew.fee.amount_for({}) == 6000


@pytest.mark.parametrize("word", ["电费", "水费", "燃气费"])
def test_bill_payments(items, word):
    (bill,) = [i for i in items if word in i.name.zh]
    assert bill.kind == "bill_payment"
    assert bill.materials == ()
    assert bill.fee.amount_fen == 0 and bill.fee.from_bill
    assert bill.fee.amount_for({"account_no": "0301234567"}) is None
    assert not bill.needs_identity
    account = bill.field("account_no")
    assert account is not None and account.required and account.source == "applicant" and account.pattern


# ------------------------------------------------------------------------------------------ item sanity

def test_time_limits_promised_not_longer_than_legal(items):
    for item in items:
        assert item.time_limit.promised_days <= item.time_limit.legal_days, item.code


def test_choice_values_unique(items):
    for item in items:
        for f in item.form:
            values = [c.value for c in f.choices]
            assert len(values) == len(set(values)), f"{item.code}.{f.name}"


def test_applications_with_identity_take_the_id_card(items):
    for item in items:
        if item.kind == "application" and item.needs_identity:
            assert any(m.source == MaterialSource.CARD for m in item.materials), item.code
            assert any(f.source == "card.id_number" for f in item.form), item.code


def test_no_display_text_is_blank(items):
    for item in items:
        for text in (item.name, item.department, item.agency, *item.legal_basis, *item.conditions):
            assert text.zh.strip() and text.en.strip(), item.code


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
            f = _by_code(items)[code].field(name)
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


# ------------------------------------------------------------------------------------------ error messages

def test_broken_copy_names_file_item_and_field(tmp_path):
    src = CATALOG_DIR / "gongan-baoanyuan-zheng.toml"
    broken = tmp_path / "gongan-baoanyuan-zheng-kaputt.toml"
    text = src.read_text(encoding="utf-8")
    assert "time_limit = { legal_days = 15," in text
    broken.write_text(text.replace("time_limit = { legal_days = 15,", "time_limit = { legal_days = -15,"),
                      encoding="utf-8")
    shutil.copy(CATALOG_DIR / "gongan-wufanzui-jilu.toml", tmp_path)
    with pytest.raises(CatalogError) as info:
        load_catalog_dir(tmp_path)
    message = str(info.value)
    assert str(broken) in message
    assert "910000001000" in message
    assert "time_limit.legal_days" in message
    assert "gongan-wufanzui-jilu" not in message  # the good file is not blamed


def test_broken_material_source_names_the_material(tmp_path):
    src = CATALOG_DIR / "renshe-yingjie-biyesheng-yinjin.toml"
    broken = tmp_path / src.name
    text = src.read_text(encoding="utf-8")
    broken.write_text(text.replace('licence_type = "graduation_certificate"\n', "", 1), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog_dir(tmp_path)
    message = str(info.value)
    assert str(broken) in message and "920000001000" in message
    assert "materials[" in message and "licence_type" in message


def test_duplicate_code_is_reported(tmp_path):
    src = CATALOG_DIR / "dianli-dianfei-jiaona.toml"
    shutil.copy(src, tmp_path / "dianli-dianfei-a.toml")
    shutil.copy(src, tmp_path / "dianli-dianfei-b.toml")
    with pytest.raises(CatalogError, match=r"dianli-dianfei-b\.toml: item 960000001000: code already used"):
        load_catalog_dir(tmp_path)


# ------------------------------------------------------------------------------------------ schema additions

def _item_data(name: str) -> dict:
    return tomllib.loads((CATALOG_DIR / name).read_text(encoding="utf-8"))


def test_fee_options_must_price_every_choice():
    data = _item_data("gongan-gangao-qianzhu.toml")
    data["fee"]["options"] = [{"value": "once", "amount_fen": 1500}]
    with pytest.raises(CatalogError, match=r"item 910000002000: field \(item\).*fee.options"):
        parse_item(data, "x.toml")


def test_fee_amount_is_the_smallest_option():
    data = _item_data("gongan-gangao-qianzhu.toml")
    data["fee"]["amount_fen"] = 3000
    with pytest.raises(CatalogError, match=r"field fee: .*smallest option"):
        parse_item(data, "x.toml")


def test_from_bill_only_for_bill_payments():
    data = _item_data("renshe-canbao-zhengming.toml")
    data["fee"] = {"amount_fen": 0, "from_bill": True}
    with pytest.raises(CatalogError, match="from_bill"):
        parse_item(data, "x.toml")
    bill = _item_data("shuiwu-shuifei-jiaona.toml")
    bill["fee"]["amount_fen"] = 100
    with pytest.raises(CatalogError, match="amount_fen = 0"):
        parse_item(bill, "x.toml")


def test_locked_shared_fields_are_not_required(items):
    """A shared value the citizen cannot edit must not block the form when data sharing has no value:
    missing data is handled by the 秒批 rules (manual review) instead."""
    for item in items:
        for f in item.form:
            if f.source.startswith("shared.") and not f.editable:
                assert not f.required, f"{item.code}.{f.name}: locked shared field must have required = false"


def test_docs_list_every_item(items):
    text = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    missing = [i.code for i in items if f"| {i.code}" not in text]
    assert not missing, f"add these items to the table in docs/catalog.md: {missing}"


def test_catalog_survives_sync_round_trip(items):
    """What the platform sends (model_dump JSON) parses back to the same items and the same digest."""
    again = [parse_item(i.model_dump(mode="json"), f"sync item {i.code}") for i in items]
    assert again == items
    assert catalog_digest(again) == catalog_digest(items)


def test_every_typed_field_with_a_pattern_has_a_valid_example(items):
    """Citizens see the example as "例如 …"; the autopilot types it. The schema checks it matches."""
    missing = [(i.code, f.name) for i in items for f in i.form
               if f.editable and f.required and f.pattern and f.type.value != "phone" and not f.example]
    assert missing == []


# ----- promises the catalogue makes on screen (issue 15) ------------------------------------------------
def test_only_deliveries_that_produce_something_are_offered(items):
    """本机自助打印 and 电子证照 produce nothing yet: never offered to an applicant; an item left without a way
    is collected at the counter."""
    for item in items:
        if item.kind == "bill_payment":
            continue
        offered = item.offered_delivery
        assert offered and set(offered) <= {DeliveryMethod.PICKUP, DeliveryMethod.EXPRESS}, item.code
    only_electronic = next(i for i in items if i.delivery == (DeliveryMethod.ELECTRONIC,))
    assert only_electronic.offered_delivery == (DeliveryMethod.PICKUP,)


def test_no_material_note_claims_a_photo_standard_check_the_kiosk_does_not_make(items):
    for item in items:
        for m in item.materials:
            note = m.note.zh if m.note else ""
            assert "标准检测" not in note and "系统检测" not in note, (item.code, m.id, note)


def test_the_no_criminal_record_certificate_accepts_only_resident_id_cards(items):
    item = next(i for i in items if i.code == "312000218000")
    assert item.accepted_cards == ("resident",) and item.refused_cards_advice is not None
    assert all(len(i.accepted_cards) >= 1 for i in items)
