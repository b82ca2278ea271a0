"""The A4 printer against a real cupsd (started by the test, private config and spool) with a cups-pdf
queue: a real document goes through CUPS' filters and comes back as the PDF the queue wrote; a paused or
rejecting queue, an unknown queue, and the technician's print-test and queue discovery."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from devices.a4 import A4Printer, list_queues
from devices.a4.ipp import JobState
from devices.base import DeviceState
from devices.errors import DeviceError, DeviceErrorCode as C
from kiosk.maintenance.devices import Discovery
from kiosk.printing.a4_test import TEST_MARK
from tests.helpers.cupsd import PrivateCupsd, skip_reason

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


@pytest.fixture(scope="module")
def cupsd():
    server = PrivateCupsd().start()
    yield server
    server.stop()


@pytest.fixture
def queue(cupsd):
    """The queue as a fresh kiosk finds it: enabled and accepting."""
    cupsd.lp_admin("cupsenable")
    cupsd.lp_admin("cupsaccept")
    return cupsd


def started(url: str) -> A4Printer:
    printer = A4Printer("a4", url, {"check_interval_s": 0.2})
    up = threading.Event()
    printer.subscribe(lambda e: up.set() if printer.state not in (DeviceState.CLOSED, DeviceState.STARTING) else None)
    printer.start()
    assert up.wait(10), "the printer never left STARTING"
    return printer


def document(marks: list[str]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for mark in marks:
        c.setFont("Helvetica", 24)
        c.drawString(72, 700, mark)
        c.showPage()
    c.save()
    return buf.getvalue()


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_document_printed_on_a_real_cups_pdf_queue_comes_out_whole_and_its_job_is_followed(queue):
    printer = started(queue.url())
    try:
        before = set(queue.pdfs())
        t0 = time.monotonic()
        job = printer.print_pdf(document(["CERT-PAGE-ONE", "CERT-PAGE-TWO"]), "证书 certificate").result(60)
        seconds = time.monotonic() - t0
    finally:
        printer.stop()
    assert job.ok and job.state == JobState.COMPLETED and job.pages == 2 and job.copies == 1
    written = [p for p in queue.pdfs() if p not in before]
    assert len(written) == 1, queue.log()
    text = pdftotext(written[0])
    assert "CERT-PAGE-ONE" in text and "CERT-PAGE-TWO" in text
    assert text.index("CERT-PAGE-ONE") < text.index("CERT-PAGE-TWO")
    info = subprocess.run(["pdfinfo", str(written[0])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info
    health = printer.health()
    assert health.counters["jobs_printed"] == 1 and health.counters["pages_printed"] == 2
    print(f"\nA4 via cupsd + cups-pdf: 2 pages submitted -> completed in {seconds * 1000:.0f} ms")


def test_a_paused_queue_refuses_the_job_with_1257_and_queues_nothing(queue):
    printer = started(queue.url())
    try:
        queue.lp_admin("cupsdisable")
        with pytest.raises(DeviceError) as err:
            printer.print_pdf(document(["NEVER"]), "paused").result(30)
        assert err.value.code == C.A4_PAUSED and "paused" in err.value.detail
        assert printer.health().error_code == C.A4_PAUSED and printer.state == DeviceState.ERROR
        queue.lp_admin("cupsenable")
        printer.refresh().result(10)
        assert printer.state == DeviceState.IDLE and printer.health().error_code is None
    finally:
        printer.stop()
    jobs = subprocess.run(["lpstat", "-h", queue.server, "-o", queue.queue], capture_output=True, text=True).stdout
    assert jobs.strip() == ""   # nothing waits in the queue to print for the next citizen


def test_a_rejecting_queue_gives_1258_before_and_at_submission(queue):
    printer = started(queue.url())
    try:
        queue.lp_admin("cupsreject")
        with pytest.raises(DeviceError) as err:
            printer.print_pdf(document(["NEVER"]), "rejected").result(30)
        assert err.value.code == C.A4_REJECTING
        # The queue's own answer to a job (IPP server-error-not-accepting-jobs) maps to the same code.
        from devices.a4.client import HttpEndpoint, IppClient

        with pytest.raises(DeviceError) as direct:
            IppClient(HttpEndpoint(str(queue.socket)), queue.queue).print_job(document(["X"]), "x")
        assert direct.value.code == C.A4_REJECTING and "0x0506" in direct.value.detail
    finally:
        printer.stop()


def test_an_unknown_queue_is_offline_with_1251(queue):
    printer = A4Printer("a4", f"cups://no-such-queue?server={queue.socket}")
    changed = threading.Event()
    printer.subscribe(lambda e: changed.set() if printer.state == DeviceState.OFFLINE else None)
    printer.start()
    try:
        assert changed.wait(10)
        assert printer.health().error_code == C.A4_QUEUE_NOT_FOUND
    finally:
        printer.stop()


def test_the_console_lists_the_print_servers_queues(queue):
    assert (queue.queue, "Kiosk test A4 Generic CUPS-PDF Printer (w/ options)") in list_queues(str(queue.socket))
    found = Discovery(queues=lambda: list_queues(queue.server)).candidates("a4")
    assert f"cups://{queue.queue}" in [c.url for c in found]


def test_print_test_prints_the_a4_test_sheet_through_cups(queue):
    before = set(queue.pdfs())
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "devices", "print-test", "--url", queue.url(), "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] and report["job"]["pages"] == 1 and report["job"]["state"] == "completed"
    assert report["health"]["info"]["reasons"] == "none"
    written = [p for p in queue.pdfs() if p not in before]
    assert len(written) == 1 and TEST_MARK in pdftotext(written[0])
