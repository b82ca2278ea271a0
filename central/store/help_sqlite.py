"""Help requests on SQLite (issue 15): a mixin of ``SqliteStore``. A request is kept until staff acknowledge it;
the same ``help_id`` filed twice (a kiosk retrying) is one request."""
from __future__ import annotations

import sqlite3
import threading

from .base import Row

HELP_SCHEMA = """
CREATE TABLE IF NOT EXISTS help_requests (
    help_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, location TEXT NOT NULL, step TEXT NOT NULL,
    item_code TEXT NOT NULL, requested_at TEXT NOT NULL, status TEXT NOT NULL,
    acknowledged_at TEXT, acknowledged_by TEXT
);
CREATE INDEX IF NOT EXISTS help_requests_status ON help_requests(status, requested_at);
"""
_COLS = ("help_id", "kiosk_id", "location", "step", "item_code", "requested_at", "status", "acknowledged_at",
         "acknowledged_by")


class SqliteHelp:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_help(self) -> None:
        with self._lock:
            self._db.executescript(HELP_SCHEMA)

    def _help_rows(self, sql: str, args: tuple = ()) -> list[Row]:
        with self._lock:
            return [dict(zip(_COLS, r)) for r in self._db.execute(f"SELECT {', '.join(_COLS)} FROM help_requests "
                                                                   + sql, args).fetchall()]

    def add_help(self, row: Row) -> Row:
        """File a request; the stored one when ``help_id`` is known already (whoever filed it)."""
        with self._lock:
            self._db.execute(f"INSERT OR IGNORE INTO help_requests({', '.join(_COLS)}) VALUES "
                             f"({', '.join('?' * len(_COLS))})", tuple(row.get(c) for c in _COLS))
            return self._help_rows("WHERE help_id = ?", (row["help_id"],))[0]

    def help_request(self, help_id: str) -> Row | None:
        rows = self._help_rows("WHERE help_id = ?", (help_id,))
        return rows[0] if rows else None

    def help_requests(self, open_only: bool = True, limit: int = 200) -> list[Row]:
        if open_only:
            return self._help_rows("WHERE status = 'open' ORDER BY requested_at LIMIT ?", (limit,))
        return self._help_rows("ORDER BY requested_at DESC LIMIT ?", (limit,))

    def ack_help(self, help_id: str, at: str, by: str) -> Row | None:
        """Acknowledge an open request (a second acknowledgement keeps the first's time and name)."""
        with self._lock:
            self._db.execute("UPDATE help_requests SET status = 'acknowledged', acknowledged_at = ?, "
                             "acknowledged_by = ? WHERE help_id = ? AND status = 'open'", (at, by, help_id))
        return self.help_request(help_id)
