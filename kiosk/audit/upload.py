"""Delivery of the audit trail beyond the kiosk: a sink interface, a directory sink, and the uploader.

The trail itself (files, hash chain, verify) is kiosk/audit/trail.py; the platform's sink is
``kiosk.ops.telemetry.PlatformAuditSink``.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

from ..periodic import Periodic
from .trail import CURSOR, AuditTrail, canonical

log = logging.getLogger(__name__)
AUDIT_REFUSED = 7110  # the platform refused the trail (wiped, rewound, rewritten): an alert until it is resolved


class AuditSinkError(Exception):
    """The receiver could not take the records now; the uploader tries again later."""


class AuditRefused(AuditSinkError):
    """The receiver refused the records: the trail goes backwards or forks from what it holds (wiped,
    rewound or rewritten). Nothing is marked delivered; the uploader raises an alarm and keeps trying (an
    administrator's new epoch, after a replaced disk, lets it through)."""


class AuditSink(Protocol):
    """Where audit records go beyond the kiosk.

    ``send`` gets records in sequence order (the same dicts as in the files, hash and MAC included) and
    returns the highest sequence number the receiver has stored durably; records after it are sent again
    next time (the receiver must accept repeats: ``seq`` is its idempotency key). Raise ``AuditSinkError``
    when nothing was stored.

    The platform's sink is ``kiosk.ops.telemetry.PlatformAuditSink`` (``POST /api/v1/kiosks/audit``);
    ``DirectorySink`` writes batches as files (e.g. to a USB stick).
    """

    def send(self, records: Sequence[dict[str, Any]]) -> int: ...


class DirectorySink:
    """A local sink: each batch becomes ``batch-<first>-<last>.jsonl`` in a directory (a USB stick, or a
    spool directory that another agent ships). Writes are atomic, so a reader never sees half a batch."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def send(self, records: Sequence[dict[str, Any]]) -> int:
        if not records:
            return 0
        first, last = int(records[0]["seq"]), int(records[-1]["seq"])
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / f"batch-{first:012d}-{last:012d}.jsonl"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(b"".join(canonical(r) + b"\n" for r in records))
            os.replace(tmp, path)
        except OSError as exc:
            raise AuditSinkError(f"{self.directory}: {exc}") from exc
        return last


class AuditUploader:
    """Sends the trail to a sink in batches, remembering how far it got in ``upload.cursor``."""

    def __init__(self, trail: AuditTrail, sink: AuditSink | None = None, *, batch: int = 200,
                 interval_s: float = 30.0, on_refused: Callable[[str], None] | None = None) -> None:
        self.trail = trail
        self.sink = sink
        self.batch = batch
        self.interval_s = interval_s
        self._cursor_path = trail.directory / CURSOR
        self._delay = self.interval_s
        self._worker = Periodic("audit-upload", self.interval_s, self._round, first_delay_s=0)
        self.last_error = ""
        self.refused = ""  # why the receiver last refused the trail; "" once it takes records again
        self.on_refused = on_refused

    @property
    def cursor(self) -> int:
        try:
            return int(self._cursor_path.read_text().strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def _save_cursor(self, seq: int) -> None:
        tmp = self._cursor_path.with_suffix(".tmp")
        tmp.write_text(str(seq))
        os.replace(tmp, self._cursor_path)

    def pending(self) -> int:
        return max(0, self.trail.last_seq - self.cursor)

    def upload_once(self) -> int:
        """Send everything pending; returns how many records the sink stored. Raises AuditSinkError."""
        if self.sink is None:
            return 0
        sent = 0
        while True:
            cursor = self.cursor
            records = self.trail.read_after(cursor, self.batch)
            if not records:
                return sent
            try:
                stored = int(self.sink.send(records))
            except AuditRefused as exc:
                if not self.refused:
                    self.trail.record("audit_upload_refused", {"from_seq": int(records[0]["seq"]),
                                                               "reason": str(exc)[:300]})
                self.refused = str(exc)
                log.error("audit: the platform refused the trail from seq %s: %s", records[0]["seq"], exc)
                if self.on_refused is not None:
                    self.on_refused(self.refused)
                raise
            if self.refused:
                self.refused = ""
                if self.on_refused is not None:
                    self.on_refused("")
            if stored <= cursor:
                raise AuditSinkError(f"the receiver stored nothing past seq {cursor}")
            self._save_cursor(min(stored, int(records[-1]["seq"])))
            sent += min(stored, int(records[-1]["seq"])) - cursor

    def kick(self) -> None:
        self._worker.wake()

    def start(self) -> None:
        if self.sink is not None:
            self._worker.start()

    def stop(self) -> None:
        self._worker.stop()

    def _round(self) -> float:
        """One upload; the next in ``interval_s``, or later and later (up to an hour) while it fails."""
        try:
            self.upload_once()
            self.last_error = ""
            self._delay = self.interval_s
        except AuditSinkError as exc:
            self.last_error = str(exc)
            log.warning("audit upload failed, will retry: %s", exc)
            self._delay = min(self._delay * 2, 3600.0)
        except Exception as exc:  # a sink's bug must not end the uploads for the rest of the day
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.exception("audit upload failed")
            self._delay = min(self._delay * 2, 3600.0)
        return self._delay
