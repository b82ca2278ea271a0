"""The audit record's hash, shared by the kiosk that writes the trail and the platform that anchors it.

A record is a JSON object; ``hash`` and ``mac`` are computed over it, everything else is content. Version 2
(``"v": 2``, written since issue 16) hashes EVERY field but ``hash`` and ``mac``, so a field added by hand
changes the hash. Version 1 records (no ``v``) hashed only seq, ts, event, data and prev: a v1 record with any
other field is reported by ``extra_fields`` (nothing legitimate ever wrote one).
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64
VERSION = 2
V1_FIELDS = ("seq", "ts", "event", "data", "prev")
SEALS = ("hash", "mac")


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def record_hash(rec: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the record (v2: all fields but hash and mac; v1: the five)."""
    if "v" in rec:
        body = {k: v for k, v in rec.items() if k not in SEALS}
    else:
        body = {k: rec.get(k) for k in V1_FIELDS}
    return hashlib.sha256(canonical(body)).hexdigest()


def extra_fields(rec: dict[str, Any]) -> list[str]:
    """Fields a v1 record's hash does not cover (always empty for v2: it covers them all)."""
    if "v" in rec:
        return []
    return sorted(k for k in rec if k not in V1_FIELDS and k not in SEALS)
