"""What the outbox stores: records and their states, the package handed to the sender, the sender's
answer, and the database schema (with the columns added since the first schema)."""
from __future__ import annotations

import errno
import json
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    REJECTED = "rejected"


class OutboxError(OSError):
    """The outbox cannot store an application (disk, database); nothing stored before is affected."""


class OutboxFullError(OutboxError):
    def __init__(self, message: str) -> None:
        super().__init__(errno.ENOSPC, message)


@dataclass(frozen=True)
class Record:
    id: str
    local_number: str
    item_code: str
    state: OutboxState
    created_at: float
    attempts: int
    next_attempt_at: float
    last_error: str
    reference: str
    platform_status: str
    result: dict[str, Any]
    last_attempt_at: float = 0.0
    error_kind: str = ""  # network | server | auth | invalid | ... (PlatformError.kind), decrypt, sender


@dataclass(frozen=True)
class Package:
    manifest: dict[str, Any]
    files: dict[str, bytes]


@dataclass(frozen=True)
class DeliveryResult:
    outcome: str  # "delivered" | "retry" | "rejected"
    reference: str = ""
    status: str = ""
    detail: str = ""
    result: dict[str, Any] | None = None
    kind: str = ""  # why it failed, for the technician (PlatformError.kind)


Sender = Callable[[Record, Package], DeliveryResult]

SCHEMA = """
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    local_number TEXT NOT NULL UNIQUE,
    item_code TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    platform_status TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '{}',
    manifest BLOB NOT NULL,
    last_attempt_at REAL NOT NULL DEFAULT 0,
    error_kind TEXT NOT NULL DEFAULT '',
    delivered_at REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS files (
    app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    blob BLOB NOT NULL,
    PRIMARY KEY (app_id, name)
);
CREATE TABLE IF NOT EXISTS counters (day TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""
COLS = ("id, local_number, item_code, state, created_at, attempts, next_attempt_at, last_error, reference,"
         " platform_status, result, last_attempt_at, error_kind")
SQLITE_FULL = 13


def migrate_columns(db: sqlite3.Connection) -> None:
    """Columns added since the first schema (an outbox of an older kiosk keeps its records)."""
    have = {row[1] for row in db.execute("PRAGMA table_info(applications)")}
    for col, ddl in (("last_attempt_at", "REAL NOT NULL DEFAULT 0"), ("error_kind", "TEXT NOT NULL DEFAULT ''"),
                     ("delivered_at", "REAL NOT NULL DEFAULT 0")):
        if col not in have:
            db.execute(f"ALTER TABLE applications ADD COLUMN {col} {ddl}")
            if col == "delivered_at":  # delivered before the column existed: the last attempt delivered it
                db.execute("UPDATE applications SET delivered_at=last_attempt_at WHERE state=?",
                           (OutboxState.DELIVERED,))


def record_from_row(row: tuple) -> Record:
    return Record(id=row[0], local_number=row[1], item_code=row[2], state=OutboxState(row[3]), created_at=row[4],
                  attempts=row[5], next_attempt_at=row[6], last_error=row[7], reference=row[8],
                  platform_status=row[9], result=json.loads(row[10] or "{}"), last_attempt_at=row[11] or 0.0,
                  error_kind=row[12] or "")
