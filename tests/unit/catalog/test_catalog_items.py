"""The service catalogue content (config/catalog/); its vocabulary is tested in test_catalog_vocabulary.py.

These tests read the real files: a wrong item, a broken file or a missing category fails here before it
reaches a kiosk.
"""
from __future__ import annotations

import re
import shutil
import tomllib

import pytest

from kiosk.platform.catalog_schema import (CatalogError, DeliveryMethod, Item, MaterialSource, catalog_digest,
                                           load_catalog_dir, parse_item)
from tests.unit.catalog.conftest import CATALOG_DIR, ROOT

DEPARTMENTS = {"市场监管", "人力资源和社会保障", "公安", "交通运输", "住房和建设"}


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
def test_only_deliveries_that_produce_something_are_offered_without_an_a4_printer(items):
    """Without an A4 printer 本机打印 produces nothing, and 电子证照 nothing yet: never offered to an applicant;
    an item left without a way is collected at the counter."""
    for item in items:
        if item.kind == "bill_payment":
            continue
        offered = item.deliveries(self_print=False)
        assert offered == item.offered_delivery, item.code
        assert offered and set(offered) <= {DeliveryMethod.PICKUP, DeliveryMethod.EXPRESS}, item.code
    only_electronic = next(i for i in items if i.delivery == (DeliveryMethod.ELECTRONIC,))
    assert only_electronic.offered_delivery == (DeliveryMethod.PICKUP,)


def test_self_print_is_offered_first_for_an_instant_item_on_a_kiosk_with_an_a4_printer(items):
    """With a working A4 printer a 秒批 item that lists 本机打印 prints its result in the journey (issue 18):
    offered first (the default), with only express beside it; an item reviewed by staff never offers it."""
    proof = next(i for i in items if i.code == "920000008000")  # self_print, electronic, pickup; 秒批
    assert proof.deliveries(self_print=True) == (DeliveryMethod.SELF_PRINT,)
    assert proof.deliveries(self_print=False) == (DeliveryMethod.PICKUP,)
    for item in items:
        if item.kind == "bill_payment":
            continue
        here = item.deliveries(self_print=True)
        if item.instant and DeliveryMethod.SELF_PRINT in item.delivery:
            assert here[0] == DeliveryMethod.SELF_PRINT and set(here[1:]) <= {DeliveryMethod.EXPRESS}, item.code
        else:
            assert here == item.deliveries(self_print=False), item.code
    with_express = proof.model_copy(update={"delivery": (DeliveryMethod.SELF_PRINT, DeliveryMethod.EXPRESS)})
    assert with_express.deliveries(self_print=True) == (DeliveryMethod.SELF_PRINT, DeliveryMethod.EXPRESS)
    reviewed = proof.model_copy(update={"instant_approval": proof.instant_approval.model_copy(update={"enabled": False})})
    assert reviewed.deliveries(self_print=True) == (DeliveryMethod.PICKUP,)


def test_no_material_note_claims_a_photo_standard_check_the_kiosk_does_not_make(items):
    for item in items:
        for m in item.materials:
            note = m.note.zh if m.note else ""
            assert "标准检测" not in note and "系统检测" not in note, (item.code, m.id, note)


def test_the_no_criminal_record_certificate_accepts_only_resident_id_cards(items):
    item = next(i for i in items if i.code == "312000218000")
    assert item.accepted_cards == ("resident",) and item.refused_cards_advice is not None
    assert all(len(i.accepted_cards) >= 1 for i in items)
