"""The result document: one A4 page the platform issues for an approved case (电子证照 / 证明 / 批准文书).

It carries the item's name, the holder (masked), the acceptance reference, the issue date, the
verification code and a QR code of the public verification URL. The code also rides in the PDF's
Subject (``verify:CODE``), so a checked file says which code it carries without reading its text.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from kiosk.documents.layout import CONTENT_WIDTH, P, build_pdf, kv_table, qr_drawing, styles

SUBJECT_PREFIX = "verify:"


@dataclass(frozen=True)
class ResultData:
    kind_zh: str  # 电子证照 / 电子证明 / 批准文书
    kind_en: str
    item_zh: str
    item_en: str
    agency_zh: str
    holder_masked: str
    id_masked: str
    reference: str
    issued_on: str  # YYYY-MM-DD
    code: str
    verify_url: str


def render(d: ResultData) -> bytes:
    st = styles()
    story = [P(f"{d.item_zh}", st["title"]), P(f"{d.kind_zh} · {d.kind_en}", st["subtitle"]),
             P(d.item_en, st["subtitle"])]
    rows = [("事项名称 Item", f"{d.item_zh}\n{d.item_en}"),
            ("持有人 Holder", d.holder_masked),
            ("证件号码 ID number", d.id_masked),
            ("受理编号 Reference", d.reference),
            ("签发日期 Issued on", d.issued_on),
            ("签发机关 Issued by", f"{d.agency_zh}（经政务服务平台签发）"),
            ("核验码 Verification code", d.code)]
    story.append(kv_table(rows, CONTENT_WIDTH, key_width=44 * mm))
    story.append(Spacer(1, 8 * mm))
    text = P("本文件由政务服务平台以数字签名签发。签名后任何改动都会使签名失效，"
             "在支持签名的 PDF 阅读器中即可看出。\n"
             "扫描右侧二维码或打开下方地址，可核验本文件的真伪。\n"
             "This document is digitally signed by the platform; any change after signing breaks the "
             "signature, which a PDF reader that checks signatures shows. Scan the QR code or open the "
             f"address below to verify it.\n{d.verify_url}", st["body"])
    box = Table([[text, qr_drawing(d.verify_url, 38 * mm)]], colWidths=[CONTENT_WIDTH - 44 * mm, 44 * mm])
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(box)
    return build_pdf(story, title=f"{d.item_zh} {d.kind_zh}", subject=SUBJECT_PREFIX + d.code,
                     footer=f"核验码 {d.code} · 受理编号 {d.reference}")
