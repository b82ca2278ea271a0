"""The receipt's 送达方式 line for 本机打印 (issues 15 and 18) is true to where the result document stands
when the receipt prints: printed here, coming out of the A4 tray now, or not printed (then: 我的办件), and
never a print for a rejected application."""
from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.printing.receipt import receipt_data
from kiosk.settings import CONFIG_DIR
from tests.unit.printing.test_receipt import MANIFEST, TRACK, build, record, the_receipt

SELF = dict(MANIFEST, delivery={"method": "self_print"}, payment={"amount_fen": 0, "status": "none"})


@pytest.fixture(scope="module")
def item():
    return Catalog.from_dir(CONFIG_DIR / "catalog").get("920000008000")


def line(item, state, status="approved"):
    return receipt_data(record(platform_status=status), SELF, item, kiosk_id="K", kiosk_location="L",
                        tracking_url=TRACK, result_print=state).delivery


@pytest.mark.parametrize("state, says, never", [
    ("printed", "本机打印（已从A4出纸口打出）", "我的办件"),
    ("printing", "请从A4出纸口取走；未取到可在“我的办件”打印", "已从"),
    ("fetching", "请从A4出纸口取走；未取到可在“我的办件”打印", "已从"),
    ("failed", "本机未打印结果，请在“我的办件”打印", "已从"),
    ("not_issued", "本机未打印结果，请在“我的办件”打印", "已从"),
    ("none", "本机未打印结果，请在“我的办件”打印", "已从"),
])
def test_the_self_print_line_says_where_the_result_is(item, state, says, never):
    text = line(item, state)
    assert says in text and never not in text and "窗口" not in text


def test_a_rejected_application_promises_no_print(item):
    text = line(item, "none", status="rejected")
    assert "无结果文书" in text and "我的办件" not in text


def test_the_printed_thermal_receipt_carries_the_line(item):
    r = the_receipt(build(item, record(platform_status="approved"), manifest=SELF, result_print="printed"))
    assert "本机打印（已从A4出纸口打出）" in r.text.replace("\n", "")
