"""电子监察's own records on SQLite (issue 21, Deliver 3): a mixin of ``SqliteStore``.

- ``staff_contacts``: a staff member's mobile and e-mail for 督办 notices (kept apart from the account row,
  which carries the password: a contact change never touches it).
- ``supervisions``: every 督办 (urge) of a supervisor on an overdue case, with the reviewer it was sent to and
  how (append-only; the reviewer's queue shows the flag while the case waits).
- ``followup_steps``: what was done about a 不满意/非常不满意 rating (return call, rectification, recorded
  outcome), each with the staff actor (append-only; the follow-up's state is derived from them).
"""
from __future__ import annotations

import sqlite3
import threading

from .base import Row

WATCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff_contacts (username TEXT PRIMARY KEY, phone TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS supervisions (
    reference TEXT NOT NULL, at TEXT NOT NULL, supervisor TEXT NOT NULL, reviewer TEXT NOT NULL,
    remark TEXT NOT NULL, channel TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS supervisions_ref ON supervisions(reference);
CREATE TABLE IF NOT EXISTS followup_steps (
    application_id TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS followup_steps_app ON followup_steps(application_id);
"""
# "remark", not "note": PgBase decodes a column named note as JSON
SUPERVISION = ("reference", "at", "supervisor", "reviewer", "remark", "channel")
STEP = ("application_id", "at", "actor", "kind", "text")


class SqliteWatch:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_watch(self) -> None:
        with self._lock:
            self._db.executescript(WATCH_SCHEMA)

    def set_staff_contact(self, username: str, phone: str, email: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO staff_contacts(username, phone, email) VALUES (?,?,?) ON CONFLICT(username) "
                             "DO UPDATE SET phone=excluded.phone, email=excluded.email", (username, phone, email))

    def staff_contact(self, username: str) -> Row | None:
        with self._lock:
            r = self._db.execute("SELECT username, phone, email FROM staff_contacts WHERE username=?",
                                 (username,)).fetchone()
        return dict(zip(("username", "phone", "email"), r)) if r else None

    def add_supervision(self, row: Row) -> None:
        with self._lock:
            self._db.execute(f"INSERT INTO supervisions({', '.join(SUPERVISION)}) VALUES (?,?,?,?,?,?)",
                             tuple(row[c] for c in SUPERVISION))

    def supervisions(self, reference: str | None = None) -> list[Row]:
        """Oldest first; every case's when ``reference`` is None."""
        sql = f"SELECT {', '.join(SUPERVISION)} FROM supervisions"
        with self._lock:
            rows = (self._db.execute(sql + " WHERE reference=? ORDER BY rowid", (reference,)) if reference is not None
                    else self._db.execute(sql + " ORDER BY rowid")).fetchall()
        return [dict(zip(SUPERVISION, r)) for r in rows]

    def add_followup_step(self, row: Row) -> None:
        with self._lock:
            self._db.execute(f"INSERT INTO followup_steps({', '.join(STEP)}) VALUES (?,?,?,?,?)",
                             tuple(row[c] for c in STEP))

    def followup_steps(self, application_id: str | None = None) -> list[Row]:
        """Oldest first; every follow-up's when ``application_id`` is None."""
        sql = f"SELECT {', '.join(STEP)} FROM followup_steps"
        with self._lock:
            rows = (self._db.execute(sql + " WHERE application_id=? ORDER BY rowid", (application_id,))
                    if application_id is not None else self._db.execute(sql + " ORDER BY rowid")).fetchall()
        return [dict(zip(STEP, r)) for r in rows]
