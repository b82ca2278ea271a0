"""The thermal receipt (受理回执), printed from the stored application, never from screen state.

It carries what a real 回执 carries: item, applicant (masked), acceptance number (the platform's, or the
kiosk's local number while the application waits in the outbox), time, materials received, delivery,
fee paid, how to track it (QR code), and the kiosk's id and location.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from devices.printer.escpos import EscPos, display_width, text_fits

from .identity import mask_id_number, mask_name
from .outbox import OutboxState, Record
from .platform.catalog_schema import Item

STATUS_ZH = {
    "approved": "秒批通过", "under_review": "已受理，转人工审核", "received": "已受理", "rejected": "不予受理",
    "queued": "已保存，联网后自动提交",
}
DELIVERY_ZH = {"pickup": "窗口自取", "express": "邮寄送达", "electronic": "电子证照", "self_print": "自助打印"}


def tracking_payload(tracking_url: str, reference: str) -> str:
    return f"{tracking_url}{reference}"


def _kv(p: EscPos, key: str, value: str, columns: int) -> None:
    line = f"{key}：{value}"
    if not text_fits(line):
        # A rare character (e.g. in a name) the printer font lacks: keep the line legible, mark the gap.
        line = "".join(c if text_fits(c) else "□" for c in line)
    while display_width(line) > columns:
        cut, width = 0, 0
        for i, ch in enumerate(line):
            width += 1 if ord(ch) < 0x80 else 2
            if width > columns:
                break
            cut = i + 1
        p.line(line[:cut])
        line = "  " + line[cut:]
    p.line(line)


def receipt_bytes(record: Record, manifest: dict[str, Any], item: Item, *, kiosk_id: str, kiosk_location: str,
                  tracking_url: str, profile: str = "80mm", now: dt.datetime | None = None) -> bytes:
    p = EscPos(profile)
    cols = p.profile.columns
    delivered = record.state == OutboxState.DELIVERED and record.reference
    number = record.reference if delivered else record.local_number
    status = record.platform_status if delivered else "queued"
    applicant = manifest.get("applicant") or {}
    pages = sum(int(m.get("pages", 0)) for m in manifest.get("materials", []))
    held = sum(1 for m in manifest.get("materials", []) if m.get("source") in ("e_licence", "card"))
    delivery = manifest.get("delivery", {}).get("method", "pickup")
    fee = int(manifest.get("payment", {}).get("amount_fen", 0))
    when = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")

    p.init().chinese().align("center").bold().size(2, 2).line("受理回执").size().bold(False)
    p.line("深圳市政务服务自助终端").line("-" * cols).align("left")
    _kv(p, "办理事项", item.name.zh, cols)
    if applicant:
        _kv(p, "申请人", f"{mask_name(applicant.get('name', ''))}  {mask_id_number(applicant.get('id_number', ''))}",
            cols)
    p.bold()
    _kv(p, "受理编号" if delivered else "本机编号", number, cols)
    p.bold(False)
    _kv(p, "办理状态", STATUS_ZH.get(status, status), cols)
    _kv(p, "受理时间", when, cols)
    _kv(p, "收到材料", f"{pages} 页" + (f"，另 {held} 项由部门共享" if held else ""), cols)
    _kv(p, "送达方式", DELIVERY_ZH.get(delivery, delivery), cols)
    _kv(p, "缴费", f"￥{fee / 100:.2f}" if fee else "免费", cols)
    _kv(p, "承诺时限", f"{item.time_limit.promised_days} 个工作日" if item.time_limit.promised_days else "即办", cols)
    p.line("-" * cols).align("center")
    if delivered:
        p.qr(tracking_payload(tracking_url, record.reference), module=6, ec="M")
        p.line("扫码查询办理进度").line("也可在本机“进度查询”输入受理编号")
    else:
        p.line("联网后将自动提交，").line("受理编号将以短信通知您")
    p.align("left").line("-" * cols)
    _kv(p, "终端", kiosk_id, cols)
    _kv(p, "地点", kiosk_location, cols)
    p.line("请妥善保管本回执").feed(2).cut(partial=True)
    return p.getvalue()
