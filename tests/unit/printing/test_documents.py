"""The kiosk's PDFs: Chinese text survives pdftotext, pages render with pdftoppm, the CJK font is embedded,
the A4 receipt's QR scans to the tracking payload, and the citizen's copy masks the person."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from kiosk.catalog import Catalog
from kiosk.documents.samples import TRACKING_URL, write_samples
from kiosk.printing.receipt import tracking_payload
from kiosk.settings import CONFIG_DIR

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing (tools/system-deps.sh)")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    item = Catalog.from_dir(CONFIG_DIR / "catalog").get("312000218000")
    out = tmp_path_factory.mktemp("docs")
    return {p.name: p for p in write_samples(out, item)}


def text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout


def pages(pdf: Path, dpi: int = 100) -> list[Image.Image]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, capture_output=True)
    out = []
    for p in sorted(pdf.parent.glob(prefix.name + "-*.png")):
        with Image.open(p) as img:
            out.append(img.copy())
        p.unlink()
    return out


def test_the_acceptance_receipt_keeps_its_chinese_and_masks_the_applicant(samples):
    t = text(samples["acceptance-receipt.pdf"])
    for expected in ("政务服务受理回执单", "无犯罪记录证明", "深圳市公安局", "SZ20240301000042", "单位介绍信或用途证明",
                     "李**", "受理专用章"):
        assert expected in t, expected
    assert "李小明" not in t and "440305200205141170" not in t


def test_the_acceptance_receipt_qr_scans_to_the_tracking_payload(samples):
    (page,) = pages(samples["acceptance-receipt.pdf"], dpi=150)
    found = {(b.format.name, b.text) for b in zxingcpp.read_barcodes(page)}
    assert ("QRCode", tracking_payload(TRACKING_URL, "SZ20240301000042")) in found


def test_the_application_form_carries_the_applicant_fields_and_declaration(samples):
    t = text(samples["application-form.pdf"])
    for expected in ("无犯罪记录证明申请表", "李小明", "440305200205141170", "申请人承诺", "本人承诺", "邮寄送达"):
        assert expected in t, expected


def test_the_material_bundle_lists_the_materials_and_has_one_sheet_per_page(samples):
    pdf = samples["material-bundle.pdf"]
    t = text(pdf)
    assert "申请材料汇总" in t and "居民身份证" in t and "身份证读取" in t and "扫描 2 页" in t
    rendered = pages(pdf, dpi=40)
    assert len(rendered) == 3  # contents + 2 captured pages
    ink = [(np.asarray(p.convert("L")) < 160).mean() for p in rendered]
    assert all(v > 0.001 for v in ink), ink  # every sheet has something on it


def test_every_pdf_embeds_its_cjk_font_and_renders_chinese_as_glyphs(samples):
    for name in ("application-form.pdf", "acceptance-receipt.pdf", "material-bundle.pdf"):
        fonts = subprocess.run(["pdffonts", str(samples[name])], capture_output=True, text=True, check=True).stdout
        cjk = [r for r in fonts.splitlines()[2:] if "WenQuanYi" in r]
        assert cjk and all(r.split()[-5] == "yes" for r in cjk), fonts  # the CJK font is embedded (emb)
        first = pages(samples[name], dpi=50)[0]
        assert (np.asarray(first.convert("L")) < 128).mean() > 0.001  # glyphs drawn, not an empty page


def test_the_sample_thermal_receipt_renders_and_scans(samples):
    with Image.open(samples["thermal-receipt.png"]) as f:
        img = f.copy()
    assert img.width == 608
    assert [b.text for b in zxingcpp.read_barcodes(img)] == [tracking_payload(TRACKING_URL, "SZ20240301000042")]


def test_the_application_form_labels_a_foreign_residents_number_by_the_card_type(tmp_path):
    from kiosk.documents.application_form import application_form_pdf
    item = Catalog.from_dir(CONFIG_DIR / "catalog").get("920000008000")  # takes every card type
    manifest = {"applicant": {"name": "安娜", "id_number": "932156199001011234", "card_type": "foreign_2023"},
                "form": {"name": "安娜", "id_number": "932156199001011234", "proof_type": "summary",
                         "from_month": "202301", "to_month": "202412"}}
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(application_form_pdf(item, manifest, number="SZ1"))
    t = text(pdf)
    assert "外国人永久居留身份证" in t and "永久居留身份证号码" in t and "公民身份号码" not in t
