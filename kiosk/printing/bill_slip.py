"""The payment slip of a utility bill (缴费凭条) on the thermal printer: biller, masked account, period, amount,
transaction number and time. A bill is paid, not applied for: nothing on it speaks of review, delivery or an
acceptance number. Printed once per session through the print journal (``receipt.print_once``)."""
from __future__ import annotations

import datetime as dt

from devices.printer.escpos import EscPos

from .receipt import _kv


def yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def when(iso: str) -> str:
    """``2026-12-05T17:00:03+08:00`` -> ``2026-12-05 17:00:03`` (the platform's time of the payment)."""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def bill_slip_bytes(fields: dict[str, str], *, profile: str = "80mm", reprint: bool = False) -> bytes:
    p = EscPos(profile)
    rule = "-" * p.profile.columns
    p.init().chinese().line_spacing(32).align("center").bold().size(2, 2).line("缴费凭条").size().bold(False)
    p.line("深圳市政务服务自助终端")
    if reprint:
        p.bold().line("【补打】前一张未打完，请作废").bold(False)
    p.line(rule).align("left")
    _kv(p, "缴费项目", fields["item"])
    _kv(p, "收费单位", fields["biller"])
    _kv(p, "户号", fields["account"])
    if fields.get("holder"):
        _kv(p, "户名", fields["holder"])
    _kv(p, "账期", fields["period"])
    p.bold().size(1, 2)
    _kv(p, "金额", yuan(int(fields["amount_fen"])))
    p.size().bold(False)
    _kv(p, "交易流水号", fields["transaction_id"])
    _kv(p, "支付时间", when(fields["paid_at"]))
    _kv(p, "状态", "支付成功，账单已销账")
    p.line(rule).align("center")
    if fields.get("contact"):
        p.line(fields["contact"])
    p.align("left").line(rule)
    _kv(p, "终端", fields["kiosk_id"])
    _kv(p, "地点", fields["kiosk_location"])
    p.align("center").line("请妥善保管本凭条").feed(2).cut(partial=True)
    return p.getvalue()
