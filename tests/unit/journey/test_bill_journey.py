"""A utility bill is paid, not applied for (issue 15, item 2): its plan, its slip and its wording."""
from __future__ import annotations

from devices.printer.interpret import Interpreter
from devices.printer.render import split_receipts
from kiosk.catalog import Catalog
from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.journey.bill import mask_account
from kiosk.journey.plan import Step, plan_steps
from kiosk.printing.bill_slip import bill_slip_bytes
from kiosk.settings import CONFIG_DIR

CATALOG = Catalog.from_dir(CONFIG_DIR / "catalog")
BILLS = ("960000001000", "960000002000", "960000003000")


def test_a_bill_has_no_delivery_no_review_and_nothing_submitted():
    for code in BILLS:
        assert plan_steps(CATALOG.get(code)) == [Step.GUIDE, Step.FORM, Step.PAYMENT, Step.RECEIPT, Step.END]


def test_the_slip_carries_biller_masked_account_period_amount_transaction_and_time():
    fields = {"item": "电费缴纳", "biller": "深圳供电局有限公司", "account": mask_account("0100123456"),
              "holder": "李*明", "period": "2026-11", "amount_fen": "12030", "transaction_id": "TX0123456789ABCDEF",
              "paid_at": "2026-12-05T17:00:03+08:00", "contact": "客服电话 95598", "kiosk_id": "SZ-KIOSK-0001",
              "kiosk_location": "南山区政务服务中心"}
    (slip,) = split_receipts(Interpreter().feed(bill_slip_bytes(fields)))
    text = slip.text
    for shown in ("缴费凭条", "深圳供电局有限公司", "******3456", "2026-11", "120.30", "TX0123456789ABCDEF",
                  "2026-12-05 17:00:03", "账单已销账"):
        assert shown in text, shown
    assert "0100123456" not in text  # the account is masked as accounts are
    for promise in ("审核", "受理", "申请", "送达", "身份证"):  # no application wording on a bill's slip
        assert promise not in text, promise


def test_a_settled_bill_is_told_as_no_money_taken():
    n = notice_for_kiosk(KioskErrorCode.BILL_ALREADY_PAID)
    assert n.code == 2050 and "已缴清" in n.text.zh and "未收取" in n.text.zh


def test_an_account_is_masked_to_its_last_four_digits():
    assert mask_account("20012345") == "****2345" and mask_account("0100123456789") == "*********6789"
