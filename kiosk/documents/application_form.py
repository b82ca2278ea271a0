"""The application form (申请表) as the platform archives it: the item, the applicant as read from the ID
card, every form field with its label and value, delivery, the declaration and the citizen's signature.

This is the application itself (it travels encrypted in the outbox), so it carries the full name and ID
number; the receipts the citizen carries away are the ones that mask them.
"""
from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Spacer, Table, TableStyle

from ..identity import CARD_TYPE_ZH, id_number_label_zh
from ..platform.catalog_schema import FieldType, Item
from ..platform.regions import load_regions
from ..printing.receipt import DELIVERY_ZH
from .layout import CONTENT_WIDTH, GRID, P, build_pdf, kv_table, styles

DECLARATION = ("本人承诺：所填写的信息和提交的材料真实、准确、完整、有效，复印件与原件一致；"
               "如有虚假，愿承担相应的法律责任。本人同意审批机关通过政务数据共享核验相关信息。")


def _value(field: Any, raw: str) -> str:
    if field.type == FieldType.CHOICE:
        return next((c.label.zh for c in field.choices if c.value == raw), raw)
    if field.type == FieldType.BOOL:
        return "是" if raw in ("1", "true", "True", "yes") else "否"
    return raw


def application_form_pdf(item: Item, manifest: dict[str, Any], *, number: str,
                         signature_png: bytes | None = None) -> bytes:
    st = styles()
    a = manifest.get("applicant") or {}
    story = [P(f"{item.name.zh}申请表", st["title"]),
             P(f"{item.agency.zh}　事项编码 {item.code}　申请编号 {number}", st["subtitle"]), P("申请人信息", st["h2"])]
    story.append(kv_table([("姓名", a.get("name", "")), ("性别", a.get("gender", "")), ("民族", a.get("nation", "")),
                           ("出生日期", a.get("birth_date", "")), ("证件号码", a.get("id_number", "")),
                           ("证件类型", CARD_TYPE_ZH.get(a.get("card_type", ""), a.get("card_type", "")))],
                          CONTENT_WIDTH, key_width=24 * mm, pairs=True))
    if a.get("address"):
        story.append(kv_table([("住址", a["address"])], CONTENT_WIDTH, key_width=24 * mm))
    values = manifest.get("form") or {}
    card_type = str(a.get("card_type") or "resident")
    foreign = card_type.startswith("foreign")  # the number's label follows the card: 永久居留身份证号码
    rows = [(id_number_label_zh(card_type) if foreign and f.source == "card.id_number" else f.label.zh,
             _value(f, values.get(f.name, ""))) for f in item.form
            if not f.source.startswith("card.") or f.name in values]
    if rows:
        story += [P("申请内容", st["h2"]), kv_table(rows, CONTENT_WIDTH, key_width=40 * mm)]
    d = manifest.get("delivery") or {}
    delivery = [("送达方式", DELIVERY_ZH.get(d.get("method", "pickup"), d.get("method", "")))]
    if d.get("method") == "express":
        delivery += [("收件人", d.get("recipient", "")), ("联系电话", d.get("phone", "")),
                     ("收件地址", (load_regions().full_name(d.get("region", "")) or d.get("region", ""))
                      + d.get("address", ""))]
    story += [P("结果送达", st["h2"]), kv_table(delivery, CONTENT_WIDTH, key_width=40 * mm)]
    story += [P("申请人承诺", st["h2"]), P(DECLARATION, st["body"]), Spacer(1, 4 * mm)]
    sign = P("（未签名）", st["small"])
    if signature_png:
        reader = ImageReader(io.BytesIO(signature_png))
        w, h = reader.getSize()
        scale = min(60 * mm / w, 22 * mm / h)
        sign = Image(io.BytesIO(signature_png), w * scale, h * scale)
    when = (manifest.get("created_at") or "")[:10]
    t = Table([[P("申请人签名：", st["body"]), sign, P(f"日期：{when}", st["body"])]],
              colWidths=[28 * mm, 70 * mm, CONTENT_WIDTH - 98 * mm], rowHeights=[26 * mm])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (1, 0), (1, 0), 0.6, GRID)]))
    story.append(t)
    return build_pdf(story, title=f"{item.name.zh}申请表 {number}", subject=item.name.zh,
                     footer=f"申请编号 {number}　经政务服务自助终端提交")
