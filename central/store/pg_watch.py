"""``PgStore``'s 电子监察 records (issue 21, Deliver 3): the PostgreSQL twin of watch_sqlite.py (tables in
migration 0003_watch)."""
from __future__ import annotations

from .base import Row
from .pg_base import PgBase
from .watch_sqlite import STEP, SUPERVISION


class PgWatch(PgBase):
    def set_staff_contact(self, username: str, phone: str, email: str) -> None:
        self._exec("INSERT INTO staff_contacts(username, phone, email) VALUES (%s,%s,%s) ON CONFLICT(username) "
                   "DO UPDATE SET phone=excluded.phone, email=excluded.email", (username, phone, email))

    def staff_contact(self, username: str) -> Row | None:
        return self._one("SELECT username, phone, email FROM staff_contacts WHERE username=%s", (username,))

    def add_supervision(self, row: Row) -> None:
        self._exec(f"INSERT INTO supervisions({', '.join(SUPERVISION)}) VALUES (%s,%s,%s,%s,%s,%s)",
                   tuple(row[c] for c in SUPERVISION))

    def supervisions(self, reference: str | None = None) -> list[Row]:
        """Oldest first; every case's when ``reference`` is None."""
        sql = f"SELECT {', '.join(SUPERVISION)} FROM supervisions"
        return (self._all(sql + " WHERE reference=%s ORDER BY row_no", (reference,)) if reference is not None
                else self._all(sql + " ORDER BY row_no"))

    def add_followup_step(self, row: Row) -> None:
        self._exec(f"INSERT INTO followup_steps({', '.join(STEP)}) VALUES (%s,%s,%s,%s,%s)", tuple(row[c] for c in STEP))

    def followup_steps(self, application_id: str | None = None) -> list[Row]:
        """Oldest first; every follow-up's when ``application_id`` is None."""
        sql = f"SELECT {', '.join(STEP)} FROM followup_steps"
        return (self._all(sql + " WHERE application_id=%s ORDER BY row_no", (application_id,))
                if application_id is not None else self._all(sql + " ORDER BY row_no"))
