"""好差评 ratings on SQLite (issue 17): a mixin of ``SqliteStore``. One per case: the application id is the key,
so a second rating of the same case is refused by the table itself, whatever the race."""
from __future__ import annotations

import sqlite3
import threading

from .base import Duplicate, Row

RATING_SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    application_id TEXT PRIMARY KEY, reference TEXT NOT NULL, item_code TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    level TEXT NOT NULL, rated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ratings_at ON ratings(rated_at);
"""
_COLS = ("application_id", "reference", "item_code", "kiosk_id", "level", "rated_at")


class SqliteRatings:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_ratings(self) -> None:
        with self._lock:
            self._db.executescript(RATING_SCHEMA)

    def add_rating(self, row: Row) -> Row:
        """Keep a rating; ``Duplicate`` when the case has one already."""
        with self._lock:
            try:
                self._db.execute(f"INSERT INTO ratings({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",
                                 tuple(row[c] for c in _COLS))
            except sqlite3.IntegrityError:
                raise Duplicate(row["application_id"]) from None
        return dict(row)

    def ratings(self, limit: int = 200) -> list[Row]:
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(_COLS)} FROM ratings ORDER BY rated_at DESC LIMIT ?",
                                    (limit,)).fetchall()
        return [dict(zip(_COLS, r)) for r in rows]
