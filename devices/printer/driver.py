"""Receipt printer driver: ESC/POS over serial, socket://HOST:9100, file:// or sim://printer.

Real-time status (DLE EOT 1..4) is polled into the device state and the ``paper`` supply. A print job
checks the status before it starts and after it ends (and between chunks); a job cut short by a fault is
reported as PRINTER_JOB_INTERRUPTED so the caller can reprint it once the fault is fixed. A job id that
already printed completely is not printed again: retries never give the citizen two receipts.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ..base import Device, DeviceState, EventKind, Supply
from ..errors import DeviceError, DeviceErrorCode
from ..transport import STREAM_ERRORS, FileStream, Stream, open_stream
from .escpos import PROFILES, Profile, status_request
from .status import PrinterStatus, valid_status_byte

log = logging.getLogger(__name__)

CHUNK = 1024  # bytes between status checks while printing


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
        self._done_jobs: set[str] = set()
        self.last_status: PrinterStatus | None = None

    # ----- public -------------------------------------------------------------------------------
    def print_job(self, job_id: str, data: bytes):
        """Queue a job on the device thread; returns a Future of ``PrintResult``."""
        return self.submit(self._print, job_id, data)

    def job_done(self, job_id: str) -> bool:
        return job_id in self._done_jobs

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
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
            stream.close()

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
            for i in range(0, len(data), CHUNK):
                stream.write(data[i:i + CHUNK])
                sent += len(data[i:i + CHUNK])
                if not self._write_only and sent < len(data):
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
        self._done_jobs.add(job_id)
        self.count("jobs_printed")
        result = PrintResult(job_id, ok=True, bytes_sent=sent)
        self.emit(EventKind.JOB_FINISHED, result)
        return result

    def _interrupted(self, job_id: str, status: PrinterStatus, sent: int) -> PrintResult:
        self.count("jobs_interrupted")
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
