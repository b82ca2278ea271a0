"""The A4 acceptance receipt promises an SMS only when the platform said one will come (issue 18)."""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from kiosk.catalog import Catalog
from kiosk.documents.acceptance import acceptance_pdf
from kiosk.outbox import OutboxState, Record
from kiosk.printing.receipt import receipt_data
from kiosk.settings import CONFIG_DIR

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing (tools/system-deps.sh)")
MANIFEST = {"applicant": {"name": "李小明", "id_number": "440305200205141170"}, "materials": [],
            "delivery": {"method": "pickup"}, "created_at": "2024-03-01T10:15:00+08:00"}


def receipt_text(tmp_path, result: dict, delivered: bool = True) -> str:
    item = Catalog.from_dir(CONFIG_DIR / "catalog").get("312000218000")
    record = Record(id="app-1", local_number="SZ-KIOSK-0001-20240301-0007", item_code=item.code,
                    state=OutboxState.DELIVERED if delivered else OutboxState.PENDING, created_at=time.time(),
                    attempts=1, next_attempt_at=0.0, last_error="", reference="SZ20240301000042" if delivered else "",
                    platform_status="received" if delivered else "", result=result)
    data = receipt_data(record, MANIFEST, item, kiosk_id="K", kiosk_location="L", tracking_url="https://x.example/t/")
    pdf = tmp_path / "acceptance.pdf"
    pdf.write_bytes(acceptance_pdf(data))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return "".join(text.split())  # the layout breaks lines anywhere


def test_the_a4_receipt_promises_an_sms_only_when_the_platform_will_send_one(tmp_path):
    assert "短信" in receipt_text(tmp_path, {"sms": True, "tracking_token": "T" * 26})
    without = receipt_text(tmp_path, {"sms": False, "tracking_token": "T" * 26})
    assert "短信" not in without and "进度查询" in without
    assert "短信" not in receipt_text(tmp_path, {}, delivered=False)  # offline: nothing is promised
