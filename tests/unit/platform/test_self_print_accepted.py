"""The platform accepts 本机打印 for a 秒批 item that lists it (the kiosk printed the result on its A4 printer)
and refuses it for an item reviewed by staff, whose result is never printed in the journey (issues 15, 18)."""
from __future__ import annotations

from central.validation import problems
from kiosk.catalog import Catalog
from kiosk.platform.schema import DeliveryInfo
from kiosk.settings import CONFIG_DIR
from tests.unit.platform.test_platform_rules import m

CATALOG = Catalog.from_dir(CONFIG_DIR / "catalog")
FORM = {"proof_type": "summary", "from_month": "202301", "to_month": "202412"}


def submitted(code: str, method: str):
    item = CATALOG.get(code)
    base = m()
    manifest = base.model_copy(update={"item_code": code, "form": dict(base.form, **FORM),
                                       "delivery": DeliveryInfo(method=method)})
    return [r.zh for r in problems(item, manifest) if "本机打印" in r.zh]


def test_self_print_and_the_counter_are_accepted_for_the_instant_proof():
    assert submitted("920000008000", "self_print") == []
    assert submitted("920000008000", "pickup") == []


def test_self_print_for_an_item_reviewed_by_staff_is_refused():
    pension = CATALOG.get("920000006000")  # 基本养老保险待遇申领: reviewed by staff, lists self_print
    assert not pension.instant and "self_print" in {d.value for d in pension.delivery}
    assert submitted(pension.code, "self_print") == ["本事项的结果不能在自助终端当场打印（本机打印）"]
    assert submitted(pension.code, "pickup") == []
