"""Issued result documents on SQLite (issue 18): a mixin of ``SqliteStore``. One per case: the reference is
the key, so a retried approval cannot index a second document, whatever the race; the verification code is
unique too. The PDF itself lives content-addressed in the ``FileStore`` (``sha256`` names it)."""
from __future__ import annotations

import sqlite3
import threading

from .base import Duplicate, Row

RESULTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    reference TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, item_code TEXT NOT NULL, kind TEXT NOT NULL,
    holder_masked TEXT NOT NULL, id_masked TEXT NOT NULL, issued_at TEXT NOT NULL, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL
);
"""
_COLS = ("reference", "code", "item_code", "kind", "holder_masked", "id_masked", "issued_at", "sha256", "size")


class SqliteResults:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_results(self) -> None:
        with self._lock:
            self._db.executescript(RESULTS_SCHEMA)

    def add_result(self, row: Row) -> Row:
        """Index an issued document; ``Duplicate`` when the case (or the code) has one already."""
        with self._lock:
            try:
                self._db.execute(f"INSERT INTO results({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",
                                 tuple(row[c] for c in _COLS))
            except sqlite3.IntegrityError:
                raise Duplicate(row["reference"]) from None
        return {c: row[c] for c in _COLS}

    def _result_where(self, column: str, value: str) -> Row | None:
        with self._lock:
            found = self._db.execute(f"SELECT {', '.join(_COLS)} FROM results WHERE {column}=?", (value,)).fetchone()
        return dict(zip(_COLS, found)) if found else None

    def result_for(self, reference: str) -> Row | None:
        return self._result_where("reference", reference)

    def result_by_code(self, code: str) -> Row | None:
        return self._result_where("code", code)
