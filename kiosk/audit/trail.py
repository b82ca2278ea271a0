"""Append-only, hash-chained audit trail (全流程电子监察: 人过留迹, 事过留痕).

Every journey step, device fault and maintenance action becomes one JSON line in
``<data_dir>/audit/audit-<first seq>.jsonl``::

    {"seq": 42, "ts": "2026-11-26T08:00:00.123Z", "event": "step", "data": {...},
     "prev": "<hash of record 41>", "hash": "<sha256 of this record>", "mac": "<hmac-sha256(key, hash)>"}

- ``seq`` counts from 1 without gaps, across files: a removed record leaves a gap, a moved one is out of
  order. ``prev`` chains each record to the one before, so a changed record breaks the chain after it.
- ``hash`` is SHA-256 over the canonical JSON of EVERY field of the record but ``hash`` and ``mac`` (``"v": 2``;
  kiosk/platform/audit_chain.py). Anyone can recompute it; a field added by hand changes it.
- ``mac`` is HMAC-SHA256 over the hash with the kiosk's audit key. The key is NOT kept beside the trail: it
  comes from kiosk/keystore.py (a systemd credential, or a root-only host key such as /etc/kiosk/audit.key).
  Someone who edits the data disk and recomputes every hash still cannot make the MACs without it.
- ``audit.head`` names the last record (seq, hash, MAC), so cutting records off the end is seen too.
- The records also go to the platform (``upload.AuditUploader`` through an ``AuditSink``), which keeps the
  head it has seen and refuses a trail that goes backwards or forks: the copy that a technician with root
  on the kiosk cannot reach is the inspector's final reference, and ``verify`` compares with its head.

Personal data never enters the trail: ``scrub`` masks fields named like personal data and any ID number
or mobile number found in a string (defence in depth; the journey already passes masked values).

Files rotate when they pass ``file_max_bytes``; the chain and the numbering simply continue in the next
file. After a power cut, a half-written last line is moved aside into ``torn-*.bin`` (kept for the
inspector) and the trail records that it did so; if the files end before the head (records cut off), the
trail records the gap, so it stays visible in every later verification.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from devices.observers import Observers

from ..identity import IdCardData, mask_address, mask_id_number, mask_name
from ..platform.audit_chain import GENESIS, VERSION, canonical, record_hash
from .key import audit_key

log = logging.getLogger(__name__)

HEAD = "audit.head"
CURSOR = "upload.cursor"
FILE_PATTERN = re.compile(r"^audit-(\d{12})\.jsonl$")
GAP_EVENT = "audit_gap"
TORN_EVENT = "audit_torn_tail"

# ----- masking -----------------------------------------------------------------------------------
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
PERSONAL_KEYS: dict[str, Callable[[str], str]] = {
    "name": mask_name, "recipient": mask_name, "applicant": mask_name,
    "id_number": mask_id_number, "address": mask_address,
    "phone": lambda v: v[:3] + "****" + v[-4:] if len(v) >= 7 else "*" * len(v),
}


def mask_text(text: str) -> str:
    """Mask ID numbers and mobile numbers wherever they appear in free text."""
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def scrub(value: Any, key: str = "") -> Any:
    """A JSON-safe copy of ``value`` with personal data masked."""
    if isinstance(value, IdCardData):
        return value.masked()
    if isinstance(value, dict):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [scrub(v, key) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = value.value if hasattr(value, "value") and isinstance(value.value, str) else str(value)
    masker = PERSONAL_KEYS.get(key)
    return masker(text) if masker else mask_text(text)


# ----- records -----------------------------------------------------------------------------------
def record_mac(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def file_name(first_seq: int) -> str:
    return f"audit-{first_seq:012d}.jsonl"


def audit_files(directory: Path) -> list[Path]:
    """The trail's files in order of their first sequence number."""
    found = [(int(m.group(1)), p) for p in Path(directory).glob("audit-*.jsonl")
             if (m := FILE_PATTERN.match(p.name))]
    return [p for _, p in sorted(found)]


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class AuditTrail:
    """Writes the trail. Thread-safe: the journey, device threads and the console all record."""

    def __init__(self, directory: Path, *, key: bytes, file_max_bytes: int = 8_000_000,
                 fsync: bool = True, clock: Callable[[], float] = time.time) -> None:
        if not key:
            raise ValueError("an audit trail needs its key (kiosk.audit.trail.audit_key)")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.key = key
        self.file_max_bytes = file_max_bytes
        self.fsync = fsync
        self.clock = clock
        self._lock = threading.RLock()
        self._fd: int | None = None
        self._size = 0
        self._seq = 0
        self._hash = GENESIS
        self._listeners: Observers[dict[str, Any]] = Observers("audit")
        # Another process (``kiosk maintenance unlock`` at a terminal) may write while the kiosk runs: every
        # record is written under an exclusive lock, after catching up with what the others wrote.
        self._lock_fd = os.open(self.directory / "audit.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            pending = self._recover()
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        for event, data in pending:
            self.record(event, data)

    @classmethod
    def for_settings(cls, settings: Any) -> "AuditTrail":
        return cls(settings.path("audit"), key=audit_key(settings), file_max_bytes=settings.audit.file_max_bytes,
                   fsync=settings.audit.fsync)

    # ----- state ---------------------------------------------------------------------------------
    @property
    def last_seq(self) -> int:
        return self._seq

    @property
    def last_hash(self) -> str:
        return self._hash

    def subscribe(self, listener: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Called with each stored record (on the recording thread)."""
        return self._listeners.subscribe(listener)

    # ----- writing -------------------------------------------------------------------------------
    def __call__(self, event: str, data: dict[str, Any] | None = None) -> None:
        """The journey's audit callback: ``audit(event, data)``."""
        self.record(event, data)

    def record(self, event: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        with self._lock:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                rec = self._append(event, data)
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._listeners.notify(rec)
        return rec

    def _catch_up(self) -> None:
        """If another process appended since our last record, continue after its records."""
        head = read_head(self.directory)
        if head is None or int(head.get("seq", 0)) <= self._seq:
            return
        self._seq, self._hash = int(head["seq"]), str(head["hash"])
        self._close_fd()
        files = audit_files(self.directory)
        if files:
            self._fd = os.open(files[-1], os.O_WRONLY | os.O_APPEND)
            self._size = os.fstat(self._fd).st_size

    def _append(self, event: str, data: dict[str, Any] | None) -> dict[str, Any]:
        self._catch_up()
        rec: dict[str, Any] = {"v": VERSION, "seq": self._seq + 1, "ts": _iso(self.clock()), "event": str(event),
                               "data": scrub(data or {}), "prev": self._hash}
        rec["hash"] = record_hash(rec)
        rec["mac"] = record_mac(self.key, rec["hash"])
        line = canonical(rec) + b"\n"
        if self._fd is None or (self._size > 0 and self._size + len(line) > self.file_max_bytes):
            self._rotate(rec["seq"])
        assert self._fd is not None
        os.write(self._fd, line)
        if self.fsync:
            os.fsync(self._fd)
        self._size += len(line)
        self._seq, self._hash = rec["seq"], rec["hash"]
        self._write_head()
        return rec

    def _rotate(self, first_seq: int) -> None:
        self._close_fd()
        path = self.directory / file_name(first_seq)
        # O_EXCL: a file for this sequence number already existing means two writers; never append to it.
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        self._size = 0
        if self.fsync:
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)  # the new file's name survives a power cut
            finally:
                os.close(dir_fd)

    def _write_head(self) -> None:
        head = {"seq": self._seq, "hash": self._hash, "mac": record_mac(self.key, f"head:{self._seq}:{self._hash}")}
        tmp = self.directory / (HEAD + ".tmp")
        tmp.write_bytes(canonical(head))
        os.replace(tmp, self.directory / HEAD)

    def _close_fd(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        with self._lock:
            if self._fd is not None and self.fsync:
                os.fsync(self._fd)
            self._close_fd()
            if self._lock_fd >= 0:
                os.close(self._lock_fd)
                self._lock_fd = -1

    # ----- recovery at start ---------------------------------------------------------------------
    def _recover(self) -> list[tuple[str, dict[str, Any]]]:
        """Find the end of the chain; returns the records to add about what was found (torn tail, gap)."""
        notes: list[tuple[str, dict[str, Any]]] = []
        files = audit_files(self.directory)
        while files:
            last = files[-1]
            data = last.read_bytes()
            cut = data.rfind(b"\n") + 1  # everything after the last newline is a torn write
            torn = data[cut:]
            good = data[:cut]
            # The last complete line must parse, else it is torn too (a crash between write and newline).
            while good:
                prev_nl = good.rfind(b"\n", 0, len(good) - 1) + 1
                try:
                    json.loads(good[prev_nl:])
                    break
                except ValueError:
                    torn = good[prev_nl:] + torn
                    good = good[:prev_nl]
            if torn:
                aside = self.directory / f"torn-{last.stem}-{len(good)}.bin"
                aside.write_bytes(torn)
                os.truncate(last, len(good))
                notes.append((TORN_EVENT, {"file": last.name, "offset": len(good), "bytes": len(torn),
                                           "kept_as": aside.name}))
                log.warning("audit: %s ended in a torn write (%d bytes moved to %s)", last.name, len(torn), aside)
            if not good:
                last.unlink()  # created, then the power went before its first record
                files.pop()
                continue
            rec = json.loads(good[good.rfind(b"\n", 0, len(good) - 1) + 1:])
            self._seq, self._hash = int(rec["seq"]), str(rec["hash"])
            self._fd = os.open(last, os.O_WRONLY | os.O_APPEND)
            self._size = len(good)
            break
        head = read_head(self.directory)
        if head is not None and int(head.get("seq", 0)) > self._seq:
            notes.append((GAP_EVENT, {"head_seq": int(head["seq"]), "found_seq": self._seq}))
            self._write_head()  # the gap record carries the evidence from here on; the chain goes on from the files
            log.error("audit: the trail ends at seq %d but its head names seq %d: records were removed",
                      self._seq, head["seq"])
        return notes

    # ----- reading -------------------------------------------------------------------------------
    def read_after(self, seq: int, limit: int = 1000) -> list[dict[str, Any]]:
        """Records with a sequence number above ``seq``, in order (for the uploader)."""
        with self._lock:
            files = audit_files(self.directory)
        starts = [int(FILE_PATTERN.match(p.name).group(1)) for p in files]  # type: ignore[union-attr]
        first = 0
        for i, start in enumerate(starts):
            if start <= seq + 1:
                first = i
        out: list[dict[str, Any]] = []
        for path in files[first:]:
            for _, rec in record_lines(path):
                if isinstance(rec, dict) and int(rec.get("seq", 0)) > seq:
                    out.append(rec)
                    if len(out) >= limit:
                        return out
        return out


def read_head(directory: Path) -> dict[str, Any] | None:
    try:
        head = json.loads((Path(directory) / HEAD).read_bytes())
    except (FileNotFoundError, ValueError):
        return None
    return head if isinstance(head, dict) else None


def record_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed record or None when the line is not JSON) for each line of a file."""
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            raw = raw.rstrip(b"\n")
            try:
                yield n, json.loads(raw)
            except ValueError:
                yield n, None
