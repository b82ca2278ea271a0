"""The receipt QR the kiosk prints, held under the simulated document camera, comes back as a RECEIPT payload
for its acceptance number: kiosk.printing.receipt -> printer driver -> printer simulator (ESC/POS interpreted) ->
the QR as printed (zxing-cpp's writer at the job's module size, one pixel per printer dot) -> camera
simulator -> CameraScanner attached through the DeviceManager -> ScanRouter -> Payload.

The step "printed paper -> image" uses zxing-cpp's writer on the QR command the printer received (payload,
module size, error correction), not a render of the whole ESC/POS page: a page renderer
(devices/printer/render.py) is not in this tree yet. Opening the status screen is the journey's part.
"""
from __future__ import annotations

import datetime as dt

import pytest

from devices import sim
from devices.barcode.camera_scan import CameraScanner
from devices.barcode.render import render_code
from devices.base import EventKind
from devices.idcard.synthetic import IDENTITIES
from devices.manager import DeviceManager, DeviceSpec
from devices.printer.interpret import QrCode
from kiosk.catalog import Catalog
from kiosk.outbox import OutboxState, Record
from kiosk.payloads import Payload, PayloadClassifier, PayloadKind, ScanRouter
from kiosk.printing.receipt import receipt_bytes
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import Recorder, wait_until

EC_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}  # GS ( k function 169 values


@pytest.fixture
def kiosk_parts(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path)
    manager = DeviceManager([DeviceSpec("printer", "printer", settings.devices.printer.url, {"profile": "80mm"}),
                             DeviceSpec("camera", "camera", settings.devices.camera.url)])
    b = settings.barcode
    scanner = CameraScanner.attach(manager, "camera", dedupe_s=b.camera_dedupe_s, budget_ms=b.camera_decode_budget_ms,
                                   formats=b.camera_formats)
    manager.start()
    scanner.start()
    yield settings, manager, scanner
    scanner.stop()
    manager.stop()


def _printed_receipt_qr(settings, manager, reference: str) -> QrCode:
    catalog = Catalog.from_dir(settings.catalog_dir)
    item = catalog.get("312000218000")
    card = IDENTITIES["graduate"]
    record = Record(id="app-1", local_number="L-0001", item_code=item.code, state=OutboxState.DELIVERED,
                    created_at=0.0, attempts=1, next_attempt_at=0.0, last_error="", reference=reference,
                    platform_status="received", result={})
    manifest = {"applicant": {"name": card.name, "id_number": card.id_number}, "materials": [],
                "delivery": {"method": "pickup"}, "payment": {}}
    data = receipt_bytes(record, manifest, item, kiosk_id=settings.kiosk_id, kiosk_location=settings.kiosk_location,
                         tracking_url=settings.platform.tracking_url, now=dt.datetime(2026, 11, 27, 9, 30))
    assert manager.get("printer").print_job("receipt-app-1", data).result(10).ok
    receipt = sim.get_hardware(settings.devices.printer.url).last_receipt
    (qr,) = [e for e in receipt.elements if isinstance(e, QrCode)]
    return qr


def test_printed_receipt_qr_under_the_camera_becomes_one_receipt_payload(kiosk_parts) -> None:
    settings, manager, scanner = kiosk_parts
    reference = "SZ20261127000042"
    qr = _printed_receipt_qr(settings, manager, reference)
    paper = render_code(qr.payload, "QRCode", module_px=qr.module, ec=EC_LEVELS[qr.ec])

    payloads: list[Payload] = []
    reads = Recorder()
    router = ScanRouter(PayloadClassifier.from_settings(settings, Catalog.from_dir(settings.catalog_dir)),
                        payloads.append)
    scanner.subscribe(router)
    scanner.subscribe(reads)
    # The receipt lies on the desk: its 22 mm QR is about a tenth of the camera's field of view.
    sim.get_hardware(settings.devices.camera.url).show_code(paper, fraction=0.1)

    (event,) = reads.wait_for(lambda ev: [e for e in ev if e.kind == EventKind.BARCODE_READ], timeout_s=20)
    assert event.data.source == "camera"
    frames = scanner.stats().frames
    wait_until(lambda: scanner.stats().frames >= frames + 5)  # it keeps lying there: no second read
    assert len([e for e in reads.events if e.kind == EventKind.BARCODE_READ]) == 1
    (payload,) = payloads
    assert (payload.kind, payload.reference, payload.symbology) == (PayloadKind.RECEIPT, reference, "QRCode")
    assert payload.text == f"{settings.platform.tracking_url}{reference}"
