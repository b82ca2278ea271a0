"""Sample documents from synthetic data (``kiosk documents render-sample DIR``): what each document looks
like without a citizen -- for reviewers, integrators and the tests. Identities are the synthetic ones."""
from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

from PIL import Image, ImageDraw

from devices.idcard.synthetic import IDENTITIES
from devices.printer.fonts import draw_text
from devices.printer.render import render_png, split_receipts

from ..outbox import OutboxState, Record
from ..platform.catalog_schema import Item
from ..printing.receipt import receipt_bytes, receipt_data
from ..capture.pages import Page
from .acceptance import acceptance_pdf
from .application_form import application_form_pdf
from .bundle import BundleMaterial, material_bundle_pdf

TRACKING_URL = "https://zwfw.example.gov.cn/t/"


def sample_page(title: str, lines: list[str], width: int = 1240, height: int = 1754) -> Page:
    """A synthetic captured page (A4 at 150 dpi) as JPEG: a letter with a title and a few lines."""
    img = Image.new("L", (width, height), 246)
    d = ImageDraw.Draw(img)
    draw_text(d, (width - len(title) * 96) // 2, 160, title, cell=(48, 96), bold=True)
    for i, line in enumerate(lines):
        draw_text(d, 140, 400 + i * 90, line, cell=(24, 48))
    d.rectangle((width - 420, height - 420, width - 160, height - 160), outline=90, width=6)
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=80)
    return Page(bytearray(buf.getvalue()), "image/jpeg", width, height)


def sample_signature() -> bytes:
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pts = [(40 + x * 5, 100 + int(40 * ((x % 23) / 23 - 0.5) * (1 if x % 46 < 23 else -1))) for x in range(100)]
    d.line(pts, fill=(20, 30, 60, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def sample_application(item: Item) -> tuple[Record, dict]:
    card = IDENTITIES["graduate"]
    form = {f.name: f.example or (f.choices[0].value if f.choices else "") for f in item.form}
    form.update({f.name: "13800138000" for f in item.form if f.type.value == "phone" and not f.example})
    form.update({"name": card.name, "id_number": card.id_number, "address": card.address})
    manifest = {
        "application_id": "sample-0001", "item_code": item.code, "kiosk_id": "SZ-DEMO-0001",
        "created_at": dt.datetime(2024, 3, 1, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))).isoformat(),
        "applicant": {"name": card.name, "id_number": card.id_number, "card_type": "resident", "gender": card.gender,
                      "birth_date": card.birth_date.isoformat(), "nation": card.nation, "address": card.address},
        "form": form,
        "materials": [{"id": m.id, "source": m.source.value, "pages": 2 if m.source.value == "applicant" else 0,
                       "licence_id": "SAMPLE-LICENCE-0001" if m.source.value == "e_licence" else None}
                      for m in item.materials],
        "delivery": {"method": "express", "recipient": card.name, "phone": "13800138000", "region": "440305",
                     "address": "科技园南区示例路88号"},
        "payment": {"amount_fen": item.fee.amount_fen, "status": "paid" if item.fee.amount_fen else "none"},
    }
    record = Record(id="sample-0001", local_number="SZ-DEMO-0001-20240301-0001", item_code=item.code,
                    state=OutboxState.DELIVERED, created_at=time.time(), attempts=1, next_attempt_at=0.0,
                    last_error="", reference="SZ20240301000042", platform_status="received", result={})
    return record, manifest


def write_samples(directory: Path, item: Item) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    record, manifest = sample_application(item)
    data = receipt_data(record, manifest, item, kiosk_id="SZ-DEMO-0001", kiosk_location="深圳市南山区政务服务中心",
                        tracking_url=TRACKING_URL)
    materials = []
    for m, ref in zip(item.materials, manifest["materials"]):
        if ref["source"] == "applicant":
            pages = [sample_page(m.name.zh, ["（样例）兹证明李小明同志为我单位员工，", "因办理本事项需要，特此证明。",
                                             f"第 {i} 页"]) for i in (1, 2)]
            materials.append(BundleMaterial(m.name.zh, "扫描 2 页", pages))
        else:
            materials.append(BundleMaterial(m.name.zh, {"e_licence": "电子证照共享", "card": "身份证读取"}[ref["source"]]))
    out = {
        "application-form.pdf": application_form_pdf(item, manifest, number=record.reference,
                                                     signature_png=sample_signature()),
        "acceptance-receipt.pdf": acceptance_pdf(data),
        "material-bundle.pdf": material_bundle_pdf(item.name.zh, record.reference, data.applicant, materials),
    }
    thermal = receipt_bytes(record, manifest, item, kiosk_id="SZ-DEMO-0001", kiosk_location="深圳市南山区政务服务中心",
                            tracking_url=TRACKING_URL)
    from devices.printer.interpret import Interpreter  # noqa: PLC0415

    out["thermal-receipt.bin"] = thermal
    out["thermal-receipt.png"] = render_png(split_receipts(Interpreter().feed(thermal))[0])
    paths = []
    for name, blob in out.items():
        (directory / name).write_bytes(blob)
        paths.append(directory / name)
    return paths
