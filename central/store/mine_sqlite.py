"""我的办件 on SQLite (issue 18): which applications are whose, a mixin of ``SqliteStore``.

The platform keeps an ID number only inside an application's manifest, and a citizen session only as a
hash of it (``central.citizens.id_hash``). ``applicant_index`` maps each application (by its ``seq``) to
its applicant's hash, so a card holder's applications are found by an index, never by reading every
manifest. It is caught up on demand: ``index_applicants`` adds the applications stored since its last
row (``seq`` only grows), so nothing that stores an application has to know about it.

Table added: ``applicant_index(seq, reference, id_hash)``.
"""
from __future__ import annotations

import sqlite3
import threading
from typing import Callable

from .base import Row

MINE_SCHEMA = """
CREATE TABLE IF NOT EXISTS applicant_index (
    seq INTEGER PRIMARY KEY, reference TEXT NOT NULL UNIQUE, id_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applicant_index_holder ON applicant_index(id_hash, seq);
"""
_COLS = ("reference", "item_code", "kiosk_id", "status", "received_at")


class SqliteMine:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_mine(self) -> None:
        with self._lock:
            self._db.executescript(MINE_SCHEMA)

    def index_applicants(self, id_hash: Callable[[str], str]) -> int:
        """Index the applications stored since the last call by ``id_hash(id_number)``; how many were added.
        An application without an applicant (none of the catalogue's today) is indexed under ""."""
        with self._lock:
            (last,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM applicant_index").fetchone()
            rows = self._db.execute(
                "SELECT seq, reference, json_extract(manifest, '$.applicant.id_number') FROM applications "
                "WHERE seq > ? ORDER BY seq", (last,)).fetchall()
            self._db.executemany("INSERT OR IGNORE INTO applicant_index(seq, reference, id_hash) VALUES (?,?,?)",
                                 [(seq, ref, id_hash(number) if number else "") for seq, ref, number in rows])
        return len(rows)

    def applications_of(self, id_hash: str, limit: int, offset: int = 0) -> list[Row]:
        """The holder's applications, newest first (the platform's order of arrival)."""
        if not id_hash:
            return []
        cols = ", ".join(f"a.{c}" for c in _COLS)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {cols} FROM applicant_index i JOIN applications a ON a.seq = i.seq "
                "WHERE i.id_hash = ? ORDER BY i.seq DESC LIMIT ? OFFSET ?", (id_hash, limit, offset)).fetchall()
        return [dict(zip(_COLS, r)) for r in rows]

    def count_applications_of(self, id_hash: str) -> int:
        if not id_hash:
            return 0
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM applicant_index WHERE id_hash = ?", (id_hash,)).fetchone()
        return int(n)
