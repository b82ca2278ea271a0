"""Receipt printer driver: ESC/POS over serial, USB (the kernel's usblp device), socket://HOST:9100,
file:// or sim://printer.

Real-time status (DLE EOT 1..4) is polled into the device state and the ``paper`` supply (near end ->
LOW, out -> OUT; paper out, cover open, cutter error, offline -> ERROR with the fault's code). A print job
checks the status before it starts and after it ends (and between 1 KB chunks); a job cut short by a fault
is reported as PRINTER_JOB_INTERRUPTED and the printer is told to drop what it still holds (DLE ENQ 2), so
nothing of the cut-short receipt prints when the paper is reloaded; the caller reprints the whole job once
the fault is fixed. A job id that already printed completely is not printed again: retries never give the
citizen two receipts. (This memory lasts as long as the process; ``kiosk.printing.receipt.PrintJournal`` keeps it
across restarts.)

URLs: ``serial:///dev/ttyS1?baudrate=115200``; ``socket://10.0.0.5:9100`` (network printers answer DLE EOT
on the same connection); ``file:///dev/usb/lp0`` (a USB printer through usblp: a character device, opened
read-write, so status works); ``file:///path/out.bin`` (a plain file: the raw stream, no status).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ..base import Device, DeviceState, EventKind, Supply
from ..errors import DeviceError, DeviceErrorCode
from ..transport import STREAM_ERRORS, FileStream, Stream, close_stream, open_stream
from .escpos import PROFILES, Profile, recover_request, status_request
from .interpret import command_chunks
from .status import PrinterStatus, valid_status_byte
from .usblp import is_char_device, open_char_device

log = logging.getLogger(__name__)

CHUNK = 1024  # bytes between status checks while printing
DONE_JOBS_KEPT = 1000  # job ids remembered as printed (oldest forgotten first)


@dataclass(frozen=True)
class PrintResult:
    job_id: str
    ok: bool
    duplicate: bool = False  # the job had already printed; nothing was sent
    error_code: int | None = None
    bytes_sent: int = 0


class ReceiptPrinter(Device):
    kind = "printer"
    poll_interval_s = 2.0
    status_timeout_s = 0.5

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self.profile: Profile = PROFILES[str(self.options.get("profile", "80mm"))]
        self._stream: Stream | None = None
        self._write_only = False
        self._done_jobs: dict[str, None] = {}  # insertion-ordered set
        self.last_status: PrinterStatus | None = None
        self.set_info("profile", self.profile.name)

    # ----- public -------------------------------------------------------------------------------
    def print_job(self, job_id: str, data: bytes):
        """Queue a job on the device thread; returns a Future of ``PrintResult``."""
        return self.submit(self._print, job_id, data)

    def job_done(self, job_id: str) -> bool:
        return job_id in self._done_jobs

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        if is_char_device(self.url):
            self._stream = open_char_device(self.url, timeout_s=self.status_timeout_s)
        else:
            self._stream = open_stream(self.url, timeout_s=self.status_timeout_s, baudrate=9600)
        self._write_only = isinstance(self._stream, FileStream)
        if self._write_only:
            self.set_supply("paper", Supply.UNKNOWN)
            return
        try:
            self._apply(self.query_status())
        except DeviceError:
            self._close()
            raise

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            close_stream(stream)

    def _poll(self) -> None:
        if not self._write_only:
            self._apply(self.query_status())

    # ----- status -------------------------------------------------------------------------------
    def query_status(self) -> PrinterStatus:
        stream = self._require_stream()
        values = []
        try:
            stream.reset_input_buffer()
            for n in (1, 2, 3, 4):
                stream.write(status_request(n))
                values.append(self._read_status_byte(stream))
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        status = PrinterStatus.from_bytes(*values)
        self.last_status = status
        return status

    def _read_status_byte(self, stream: Stream) -> int:
        # Stale or Automatic Status Back bytes may precede the answer: skip what is not a status byte.
        deadline = time.monotonic() + self.status_timeout_s
        while time.monotonic() < deadline:
            stream.timeout = max(0.01, deadline - time.monotonic())
            got = stream.read(1)
            if got and valid_status_byte(got[0]):
                return got[0]
        raise DeviceError(DeviceErrorCode.TIMEOUT, "no real-time status reply")

    def _apply(self, status: PrinterStatus) -> None:
        paper = Supply.OUT if status.paper_out else Supply.LOW if status.paper_near_end else Supply.OK
        self.set_supply("paper", paper)
        fault = status.fault()
        if fault is not None:
            self.set_state(DeviceState.ERROR, DeviceError(fault))
        elif self.state != DeviceState.BUSY:
            self.set_state(DeviceState.IDLE)

    # ----- printing -----------------------------------------------------------------------------
    def _print(self, job_id: str, data: bytes) -> PrintResult:
        if job_id in self._done_jobs:
            return PrintResult(job_id, ok=True, duplicate=True)
        stream = self._require_stream()
        if not self._write_only:
            before = self.query_status()
            self._apply(before)
            if before.fault() is not None:
                result = PrintResult(job_id, ok=False, error_code=int(before.fault()))
                self.emit(EventKind.JOB_FINISHED, result)
                return result
        self.set_state(DeviceState.BUSY)
        sent = 0
        try:
            chunks = command_chunks(data, CHUNK)
            for i, chunk in enumerate(chunks):
                stream.write(chunk)
                sent += len(chunk)
                if not self._write_only and i < len(chunks) - 1:
                    status = self.query_status()
                    if status.fault() is not None:
                        return self._interrupted(job_id, status, sent)
            if not self._write_only:
                after = self.query_status()
                if after.fault() is not None:
                    return self._interrupted(job_id, after, sent)
                self._apply(after)
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        if self.state == DeviceState.BUSY:
            self.set_state(DeviceState.IDLE)
        self._done_jobs[job_id] = None
        while len(self._done_jobs) > DONE_JOBS_KEPT:
            del self._done_jobs[next(iter(self._done_jobs))]
        self.count("jobs_printed")
        self.set_info("last_job", job_id)
        result = PrintResult(job_id, ok=True, bytes_sent=sent)
        self.emit(EventKind.JOB_FINISHED, result)
        return result

    def _interrupted(self, job_id: str, status: PrinterStatus, sent: int) -> PrintResult:
        self.count("jobs_interrupted")
        try:
            # Drop the rest of the job the printer still holds: else it prints after the paper is reloaded,
            # a torn-off tail before the whole reprint.
            self._require_stream().write(recover_request(clear_buffers=True))
        except STREAM_ERRORS as exc:
            log.warning("%s: could not clear the printer's buffer: %s", self.name, exc)
        self._apply(status)
        log.warning("%s: job %s interrupted after %d bytes", self.name, job_id, sent)
        result = PrintResult(job_id, ok=False, error_code=int(DeviceErrorCode.PRINTER_JOB_INTERRUPTED),
                             bytes_sent=sent)
        self.emit(EventKind.JOB_FINISHED, result)
        return result

    def _require_stream(self) -> Stream:
        if self._stream is None:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, "not open")
        return self._stream
