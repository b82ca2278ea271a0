"""The A4 acceptance receipt (受理回执单): the same facts as the thermal 回执 (``kiosk.printing.receipt.ReceiptData``),
laid out as the paper a service hall hands over, with the tracking QR code and a box for the hall's seal."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ..printing.receipt import ReceiptData
from .layout import CONTENT_WIDTH, GRID, P, build_pdf, grid_table, kv_table, qr_drawing, styles

NOTES = (
    "本回执是您通过政务服务自助终端提交申请的凭证，请妥善保管。",
    "办理进度可扫描右侧二维码、拨打咨询电话或在任一自助终端“进度查询”中输入受理编号查询。",
)
# The SMS is promised only when the platform said it will send one (issue 18: SubmitResponse.sms)
RESULT_NOTE_SMS = "审批结果将按您选择的送达方式送达；办理进度和补正通知将以短信发送到您留的手机。"
RESULT_NOTE = "审批结果将按您选择的送达方式送达；如需补正材料，可在“进度查询”或扫描二维码查看通知。"


def notes(r: ReceiptData) -> tuple[str, ...]:
    return (*NOTES, RESULT_NOTE_SMS if r.sms else RESULT_NOTE)


def acceptance_pdf(r: ReceiptData) -> bytes:
    st = styles()
    story = [P("政务服务受理回执单", st["title"]), P(f"{r.agency}　·　不见面审批", st["subtitle"])]
    head = kv_table([(r.number_label, r.number), ("办理状态", r.status), ("受理时间", r.when),
                     ("承诺时限", r.time_limit)], CONTENT_WIDTH - 42 * mm, key_width=26 * mm)
    qr = qr_drawing(r.tracking, 36 * mm) if r.tracking else P("联网后自动提交；提交后可在终端\n“进度查询”刷身份证并输入本机编号查询", st["small"])
    top = Table([[head, qr]], colWidths=[CONTENT_WIDTH - 40 * mm, 40 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "CENTER")]))
    story += [top, Spacer(1, 6 * mm), P("申请信息", st["h2"])]
    story.append(kv_table([("办理事项", r.item_name), ("事项编码", r.item_code), ("实施机关", r.agency),
                           ("申请人", r.applicant or "—"), ("送达方式", r.delivery), ("缴费情况", r.fee)],
                          CONTENT_WIDTH))
    for reason in r.decision_reasons:
        story.append(P(f"说明：{reason}", st["small"]))
    story.append(P("已收取材料", st["h2"]))
    rows = [[str(i), m.name, m.detail] for i, m in enumerate(r.materials, 1)] or [["—", "无需提交材料", ""]]
    story.append(grid_table(["序号", "材料名称", "提交方式 / 页数"], rows,
                            [14 * mm, CONTENT_WIDTH - 64 * mm, 50 * mm]))
    story += [P("温馨提示", st["h2"])] + [P(f"{i}. {n}", st["body"]) for i, n in enumerate(notes(r), 1)]
    story.append(P(r.contact, st["body"]))
    seal = Table([[P(f"受理终端：{r.kiosk_id}\n终端地点：{r.kiosk_location}", st["body"]),
                   P("（受理专用章）", st["small"])]], colWidths=[CONTENT_WIDTH - 50 * mm, 50 * mm],
                 rowHeights=[30 * mm])
    seal.setStyle(TableStyle([("BOX", (1, 0), (1, 0), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("ALIGN", (1, 0), (1, 0), "CENTER")]))
    story += [Spacer(1, 8 * mm), seal]
    return build_pdf(story, title=f"受理回执单 {r.number}", subject=r.item_name,
                     footer=f"{r.number}　{r.item_name}")
