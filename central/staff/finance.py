"""The finance page's reconciliation (issue 21, Deliver 5): the day report of ``GET /admin/reconciliation``
over a date range, one row per order, with filters and a CSV export for Excel.

Each paid order of a day is classified as the admin report does it: matched to an application, settling a
utility bill, or unmatched (paid with no application yet: refund or wait); an order refunded that day is a
row of its own with status ``refunded`` (refunds are visible, never netted away). The CSV is UTF-8 with a
BOM (Excel then reads the Chinese) and formula-injection safe: a cell starting with = + - @ (or a tab or
carriage return) is prefixed with an apostrophe so a spreadsheet shows it as text."""
from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from dataclasses import dataclass

from kiosk.platform.schema import ErrorCode

from ..context import Platform
from .accounts import StaffRefused


class Status(str, enum.Enum):
    MATCHED = "matched"  # paid, the application holds it
    BILL = "settled_bill"  # paid, settled a utility bill
    UNMATCHED = "unmatched"  # paid, no application (yet): refund or wait
    REFUNDED = "refunded"  # money returned (a late payment for a closed order)


STATUS_NAMES = {Status.MATCHED: ("已对账", "matched"), Status.BILL: ("缴费已销账", "bill settled"),
                Status.UNMATCHED: ("未匹配办件", "unmatched"), Status.REFUNDED: ("已退款", "refunded")}
CSV_COLUMNS = ("日期 Day", "时间 Time", "订单号 Order", "终端 Kiosk", "终端位置 Location", "事项编码 Item code",
               "事项 Item", "金额(元) Amount (CNY)", "状态 Status", "受理编号 Reference", "交易号 Transaction")
_RISKY = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    kiosk: str = ""
    item: str = ""
    status: str = ""


@dataclass
class Row:
    day: str
    at: str  # paid (or refunded) at, ISO
    order_id: str
    kiosk_id: str
    location: str
    item_code: str
    item_name: str
    amount_fen: int
    status: Status
    reference: str
    transaction_id: str

    @property
    def status_name(self) -> str:
        zh, en = STATUS_NAMES[self.status]
        return f"{zh} {en}"

    @property
    def yuan(self) -> str:
        return f"{self.amount_fen // 100}.{self.amount_fen % 100:02d}"


def parse_filters(p: Platform, start: str, end: str, kiosk: str = "", item: str = "", status: str = "") -> Filters:
    """Filters from the query; an empty range is today. 4251 for a bad or too long range."""
    today = p.config.now().date()
    try:
        a = dt.date.fromisoformat(start) if start else today
        b = dt.date.fromisoformat(end) if end else a
    except ValueError:
        raise StaffRefused(422, ErrorCode.FINANCE_BAD_RANGE, "日期格式应为 YYYY-MM-DD。",
                           "Dates are written YYYY-MM-DD.") from None
    most = p.config.staff.finance_max_days
    if b < a or (b - a).days + 1 > most:
        raise StaffRefused(422, ErrorCode.FINANCE_BAD_RANGE, f"结束日期不能早于开始日期，且一次最多查询 {most} 天。",
                           f"The end may not be before the start, and one report covers at most {most} days.")
    valid = {s.value for s in Status}
    return Filters(a, b, kiosk.strip()[:64], item.strip()[:12], status if status in valid else "")


def rows(p: Platform, f: Filters) -> list[Row]:
    kiosks = {k["kiosk_id"]: k.get("location") or "" for k in p.store.kiosks()}
    out: list[Row] = []
    day = f.start
    while day <= f.end:
        iso = day.isoformat()
        for o in p.store.payments_paid_on(iso):
            status = (Status.MATCHED if o["reference"] else Status.BILL if p.store.bill_settled_by(o["order_id"])
                      else Status.UNMATCHED)
            out.append(_row(p, kiosks, iso, o, o["paid_at"] or "", status))
        for o in p.store.payments_refunded_on(iso):
            out.append(_row(p, kiosks, iso, o, o.get("refunded_at") or "", Status.REFUNDED))
        day += dt.timedelta(days=1)
    return [r for r in out if (not f.kiosk or r.kiosk_id == f.kiosk) and (not f.item or r.item_code == f.item)
            and (not f.status or r.status.value == f.status)]


def _row(p: Platform, kiosks: dict[str, str], day: str, o: dict, at: str, status: Status) -> Row:
    item = p.by_code.get(o["item_code"])
    return Row(day=day, at=at, order_id=o["order_id"], kiosk_id=o["kiosk_id"], location=kiosks.get(o["kiosk_id"], ""),
               item_code=o["item_code"], item_name=item.name.zh if item else o["item_code"],
               amount_fen=int(o["amount_fen"]), status=status, reference=o.get("reference") or "",
               transaction_id=o.get("transaction_id") or "")


def totals(found: list[Row]) -> dict[str, int]:
    """Fen per status, and ``paid``: every paid row (matched, bill, unmatched), refunds apart."""
    out = {s.value: sum(r.amount_fen for r in found if r.status is s) for s in Status}
    out["paid"] = sum(r.amount_fen for r in found if r.status is not Status.REFUNDED)
    return out


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ (tab, CR) would start a formula."""
    return "'" + value if value.startswith(_RISKY) else value


def to_csv(found: list[Row]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in found:
        w.writerow([safe_cell(v) for v in (r.day, r.at[11:19], r.order_id, r.kiosk_id, r.location, r.item_code,
                                           r.item_name, r.yuan, r.status_name, r.reference, r.transaction_id)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
