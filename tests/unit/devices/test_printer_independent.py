"""An independent ESC/POS decoder (emupos, its own tokenizer and print model) reads our streams: the
Chinese text (its Text tokens as GB18030), the QR payload, the barcode, with no unknown commands.

emupos needs Python >= 3.13 and lives in its own venv, made by tools/check-escpos-independent.sh; without
it these tests are skipped (the reason names the script)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from devices.printer.testpage import TEST_BARCODE, TEST_QR, TEST_TEXT, build_test_page

ROOT = Path(__file__).resolve().parents[3]
VENV = Path(os.environ.get("KIOSK_ESCPOS_CHECK_VENV", Path.home() / ".cache" / "kiosk-escpos-check"))
PY = VENV / "bin" / "python"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PY.exists(), reason=(
    f"no emupos venv at {VENV}: run tools/check-escpos-independent.sh once"))]


def decode(tmp_path: Path, data: bytes) -> dict:
    path = tmp_path / "stream.bin"
    path.write_bytes(data)
    out = subprocess.run([str(PY), str(ROOT / "tools" / "escpos_independent_decode.py"), str(path)],
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("profile", ["80mm", "58mm"])
def test_emupos_reads_the_test_page_chinese_qr_and_barcode(tmp_path, profile):
    d = decode(tmp_path, build_test_page(profile))
    assert all(t in d["text_lines"] for t in TEST_TEXT), d["text_lines"]
    assert d["qr"] == [TEST_QR] and {"format": "QRCode", "text": TEST_QR} in d["qr_scanned"]
    assert any(TEST_BARCODE in b for b in d["barcodes"]) and d["images"] >= 1
    assert d["unknown"] == [] and d["receipts"] == 1


def test_emupos_reads_the_citizens_receipt(tmp_path):
    from tests.unit.printing.test_receipt import TRACK, build  # noqa: PLC0415
    from kiosk.catalog import Catalog  # noqa: PLC0415
    from kiosk.settings import CONFIG_DIR  # noqa: PLC0415

    item = Catalog.from_dir(CONFIG_DIR / "catalog").get("312000218000")
    d = decode(tmp_path, build(item))
    assert "受理回执" in d["text_lines"] and f"办理事项：{item.name.zh}" in d["text_lines"]
    assert d["qr"] == [TRACK + "SZ20240301000042"] and d["unknown"] == []
