"""The HTML a phone's browser gets: the public tracking page (the receipt's QR) and the verification page.

Chinese first with English under it, a viewport for phones, large text. The tracking page shows what
``PublicStatus`` holds (status, dates, the timeline's statuses) and the item's name, never a note, a
reason, a name or a waybill; when the result is issued, the link to verify it. Everything is escaped.
"""
from __future__ import annotations

from html import escape

from kiosk.platform.schema import PublicStatus

from .verify import VerifiedCode

STATUS = {"received": ("已受理", "Received"), "approved": ("已批准", "Approved"),
          "under_review": ("审核中", "Under review"), "rejected": ("未予批准", "Not approved"),
          "completed": ("已办结", "Completed"), "paid": ("已缴费", "Paid"), "delivery": ("结果寄送", "Sent by post"),
          "issued": ("结果已签发", "Result issued")}

_HEAD = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;font-size:20px;line-height:1.5;
margin:0;padding:16px;color:#1d2733;background:#f6f8fb}}h1{{font-size:28px;margin:8px 0 16px}}
.en{{color:#51606f;font-size:17px}}.card{{background:#fff;border-radius:12px;padding:16px;margin-bottom:16px;
box-shadow:0 1px 3px #0002}}.big{{font-size:30px;font-weight:bold}}.ok{{color:#0a7a35}}.bad{{color:#b3261e}}
ol{{padding-left:24px}}li{{margin-bottom:10px}}a.button{{display:block;text-align:center;background:#1558b0;
color:#fff;padding:16px;border-radius:10px;text-decoration:none;font-size:22px}}code{{font-size:18px;
word-break:break-all}}</style></head><body>"""
_TAIL = "</body></html>"


def label(status: str) -> tuple[str, str]:
    return STATUS.get(status, (status, status))


def tracking_page(s: PublicStatus, item_name: tuple[str, str], verify_code: str | None) -> str:
    zh, en = label(s.status)
    steps = "".join(f"<li>{escape(label(e.status)[0])} <span class='en'>{escape(label(e.status)[1])}</span><br>"
                    f"<span class='en'>{escape(e.at.replace('T', ' ')[:16])}</span></li>" for e in s.timeline)
    received = next((e.at for e in s.timeline if e.status == "received"), "")
    parts = [_HEAD.format(title="办件进度 Progress"), "<h1>办件进度<br><span class='en'>Application progress</span></h1>",
             "<div class='card'>", f"<div>{escape(item_name[0])}<br><span class='en'>{escape(item_name[1])}</span></div>",
             f"<p>受理编号 <span class='en'>Reference</span><br><code>{escape(s.reference)}</code></p>",
             f"<p>受理时间 <span class='en'>Received</span><br>{escape(received.replace('T', ' ')[:16])}</p>",
             f"<p>当前状态 <span class='en'>Status</span><br><span class='big'>{escape(zh)}</span> "
             f"<span class='en'>{escape(en)}</span></p></div>",
             f"<div class='card'><h2>办理过程 <span class='en'>Timeline</span></h2><ol>{steps}</ol></div>"]
    if verify_code:
        parts.append(f"<div class='card'><p>办理结果已签发，可在线核验真伪。<br><span class='en'>The result is issued; "
                     f"check that it is genuine.</span></p><a class='button' href='/verify/{escape(verify_code)}'>"
                     f"核验结果 Verify the result</a></div>")
    parts.append(_TAIL)
    return "".join(parts)


def verified_page(v: VerifiedCode) -> str:
    item = f"{escape(v.item_name['zh'])}<br><span class='en'>{escape(v.item_name['en'])}</span>"
    rows = [("核验码", "Code", f"<code>{escape(v.code)}</code>"), ("事项", "Item", item),
            ("文书", "Document", escape(v.kind)), ("持有人", "Holder", escape(v.holder_masked)),
            ("证件号码", "ID number", f"<code>{escape(v.id_masked)}</code>"),
            ("签发时间", "Issued", escape(v.issued_at.replace("T", " ")[:16])),
            ("文件指纹 SHA-256", "Document hash", f"<code>{escape(v.sha256)}</code>")]
    body = "".join(f"<p>{escape(zh)} <span class='en'>{escape(en)}</span><br>{val}</p>" for zh, en, val in rows)
    return (_HEAD.format(title="结果核验 Verification") + "<h1>结果核验<br><span class='en'>Verification</span></h1>"
            "<div class='card'><p class='big ok'>✓ 真实有效</p><p class='en'>Genuine: issued by the platform</p>"
            f"{body}<p class='en'>纸质件或 PDF 的核验码、文件指纹应与此一致。The code and the PDF's SHA-256 must match "
            "these.</p></div>" + _TAIL)


def unknown_code_page() -> str:
    return (_HEAD.format(title="结果核验 Verification") + "<h1>结果核验<br><span class='en'>Verification</span></h1>"
            "<div class='card'><p class='big bad'>✗ 未找到该核验码</p><p class='en'>No document was issued with this "
            "code. Check the code you typed; a forged document has no valid code.</p></div>" + _TAIL)


def unknown_token_page() -> str:
    return (_HEAD.format(title="办件进度 Progress") + "<h1>办件进度<br><span class='en'>Application progress</span></h1>"
            "<div class='card'><p class='big bad'>未找到该查询码</p><p>请核对回执上的查询码，或在任一政务自助终端刷身份证查询。"
            "</p><p class='en'>No application has this tracking code. Check the code on your receipt, or read your "
            "ID card at any self-service kiosk.</p></div>" + _TAIL)
