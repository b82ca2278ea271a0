"""Verification of the audit trail (``kiosk audit verify``): every record's hash and MAC, the chain, the
numbering, the head file, the uploader's cursor and the platform's head (the anchor); each problem found is
a ``Finding`` naming the file, the line and what was wrong."""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..platform.audit_chain import GENESIS, extra_fields, record_hash
from .trail import CURSOR, FILE_PATTERN, GAP_EVENT, HEAD, TORN_EVENT, audit_files, read_head, record_lines, record_mac


@dataclass(frozen=True)
class Finding:
    kind: str  # changed | forged | removed | reordered | unreadable | truncated | gap | head | key | forked
    where: str  # "audit-000000000001.jsonl line 7" or "audit.head"
    seq: int | None
    message: str

    def __str__(self) -> str:
        at = f"{self.where}" + (f", seq {self.seq}" if self.seq is not None else "")
        return f"{self.kind.upper()} at {at}: {self.message}"


@dataclass
class VerifyReport:
    files: int = 0
    records: int = 0
    last_seq: int = 0
    keyed: bool = False
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": self.files, "records": self.records, "last_seq": self.last_seq,
                "keyed": self.keyed, "notes": self.notes,
                "findings": [{"kind": f.kind, "where": f.where, "seq": f.seq, "message": f.message}
                             for f in self.findings]}


def verify(directory: Path, key: bytes | None, *, anchor: dict[str, Any] | None = None,
           key_problem: str = "") -> VerifyReport:
    """Check the whole trail: every record's hash and MAC, numbering, order, chain, the head, and what the
    uploader and the platform saw.

    ``key`` None (missing or unreadable): hashes and the chain are still checked, but the report FAILS with a
    ``key`` finding (``key_problem`` says why): without the MACs an edited trail with recomputed hashes would
    pass. ``anchor``: the platform's head for this kiosk ``{"seq": n, "hash": h}``; a trail that ends before
    it (wiped, rewound, truncated) or holds another record at its seq (forked) fails.
    """
    directory = Path(directory)
    report = VerifyReport(keyed=key is not None)
    if key is None:
        report.findings.append(Finding("key", "audit key", None, "the audit key is missing, so the MACs cannot be "
                                                                 "checked and the trail cannot be vouched for"
                                       + (f" ({key_problem})" if key_problem else "")))
    entries: list[tuple[str, int | None, dict[str, Any]]] = []  # (where, seq, record)
    for path in audit_files(directory):
        report.files += 1
        first = int(FILE_PATTERN.match(path.name).group(1))  # type: ignore[union-attr]
        first_seen = None
        for n, rec in record_lines(path):
            where = f"{path.name} line {n}"
            if not isinstance(rec, dict) or not isinstance(rec.get("seq"), int):
                report.findings.append(Finding("unreadable", where, None, "not an audit record (edited by hand?)"))
                continue
            if first_seen is None:
                first_seen = rec["seq"]
                if first_seen != first:
                    report.findings.append(Finding("changed", where, first_seen,
                                                   f"the file is named for seq {first} but starts at {first_seen}"))
            entries.append((where, rec["seq"], rec))
    report.records = len(entries)
    by_seq: dict[int, str] = {}
    for _, seq, rec in entries:
        by_seq.setdefault(int(seq or 0), str(rec.get("hash")))
    expected = 1
    for where, seq, rec in entries:
        assert seq is not None
        digest = record_hash(rec)
        extra = extra_fields(rec)
        if extra:
            report.findings.append(Finding("changed", where, seq, f"field(s) {', '.join(extra)} were added: the "
                                                                  "record's hash does not cover them"))
        if digest != rec.get("hash"):
            report.findings.append(Finding("changed", where, seq, "the record does not match its hash: "
                                                                  "its content was changed"))
        elif key is not None and not hmac.compare_digest(record_mac(key, digest), str(rec.get("mac"))):
            report.findings.append(Finding("forged", where, seq, "the hash is right but the MAC is not: the "
                                                                 "record was rewritten by someone without the key"))
        if seq > expected:
            missing = [s for s in range(expected, seq) if s not in by_seq]
            if missing:
                span = f"{missing[0]}" if len(missing) == 1 else f"{missing[0]}-{missing[-1]}"
                report.findings.append(Finding("removed", where, seq, f"record(s) {span} are missing before it"))
            else:
                report.findings.append(Finding("reordered", where, seq, f"found where seq {expected} belongs"))
        elif seq < expected:
            report.findings.append(Finding("reordered", where, seq,
                                           f"found after seq {expected - 1}: records were moved or duplicated"))
        expected = max(expected, seq + 1)
        wanted_prev = GENESIS if seq == 1 else by_seq.get(seq - 1)
        if wanted_prev is not None and rec.get("prev") != wanted_prev:
            report.findings.append(Finding("changed", where, seq, f"does not chain to seq {seq - 1}: a record "
                                                                  "before it was changed or replaced"))
        if rec.get("event") == GAP_EVENT:
            d = rec.get("data") or {}
            report.findings.append(Finding("gap", where, seq, f"at start-up the trail ended at seq "
                                                              f"{d.get('found_seq')} but had reached seq "
                                                              f"{d.get('head_seq')}: records were cut off"))
        elif rec.get("event") == TORN_EVENT:
            d = rec.get("data") or {}
            report.notes.append(f"{where}: a write torn by a power cut in {d.get('file')} was kept as "
                                f"{d.get('kept_as')}")
    report.last_seq = max(by_seq, default=0)
    _check_head(directory, key, report, by_seq)
    _check_witnesses(directory, report, by_seq, anchor)
    return report


def _check_witnesses(directory: Path, report: VerifyReport, by_seq: dict[int, str],
                     anchor: dict[str, Any] | None) -> None:
    """The uploader's cursor and the platform's head saw records; a trail that no longer has them was wiped,
    rewound or cut."""
    try:
        sent = int((directory / CURSOR).read_text().strip() or 0)
    except (OSError, ValueError):
        sent = 0
    if sent > report.last_seq:
        report.findings.append(Finding("truncated", CURSOR, sent, f"records up to seq {sent} were sent to the "
                                                                  f"platform but the trail ends at seq "
                                                                  f"{report.last_seq}: it was wiped or cut"))
    if anchor is None:
        return
    seq, digest = int(anchor.get("seq") or 0), str(anchor.get("hash") or "")
    if seq > report.last_seq:
        report.findings.append(Finding("truncated", "platform", seq, f"the platform holds this kiosk's records up "
                                                                     f"to seq {seq} but the trail ends at seq "
                                                                     f"{report.last_seq}: it was wiped or rewound"))
    elif seq and by_seq.get(seq) != digest:
        report.findings.append(Finding("forked", "platform", seq, "the platform holds another record at this seq: "
                                                                  "the trail was rewritten after it was sent"))


def _check_head(directory: Path, key: bytes | None, report: VerifyReport, by_seq: dict[int, str]) -> None:
    head = read_head(directory)
    if head is None:
        if report.records:
            report.findings.append(Finding("head", HEAD, None, "the head file is missing: cannot tell whether "
                                                               "records were cut off the end"))
        return
    seq, digest = int(head.get("seq", 0)), str(head.get("hash", ""))
    if key is not None and not hmac.compare_digest(record_mac(key, f"head:{seq}:{digest}"), str(head.get("mac"))):
        report.findings.append(Finding("head", HEAD, seq, "the head's MAC is wrong: it was rewritten"))
    if seq > report.last_seq:
        span = f"{report.last_seq + 1}" + (f"-{seq}" if seq > report.last_seq + 1 else "")
        report.findings.append(Finding("truncated", HEAD, seq, f"the trail ends at seq {report.last_seq}; record(s) "
                                                               f"{span} were removed from the end"))
    elif seq in by_seq and by_seq[seq] != digest:
        report.findings.append(Finding("changed", HEAD, seq, "the last record is not the one the head names"))
