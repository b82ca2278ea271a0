"""``PgStore``'s citizen sessions, look-ups, alarms, tracking tokens, staff notes (issue 16), help requests
(issue 15) and 好差评 ratings (issue 17): the PostgreSQL twins of the SQLite store's methods of the same names."""
from __future__ import annotations

from .base import Duplicate, Row
from .pg_base import PgBase

_HELP = ("help_id", "kiosk_id", "location", "step", "item_code", "requested_at", "status", "acknowledged_at",
         "acknowledged_by")
_RATING = ("application_id", "reference", "item_code", "kiosk_id", "level", "rated_at")


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


class PgCitizens(PgBase):
    # ----- citizen sessions and look-ups ----------------------------------------------------------------------
    def open_citizen_session(self, row: Row) -> None:
        cols = ("session_id", "kiosk_id", "id_hash", "id_masked", "opened_at", "expires_at")
        self._exec(f"INSERT INTO citizen_sessions({', '.join(cols)}) VALUES ({_marks(len(cols))})",
                   tuple(row[c] for c in cols))

    def citizen_session(self, session_id: str) -> Row | None:
        return self._one("SELECT * FROM citizen_sessions WHERE session_id=%s", (session_id,))

    def close_citizen_session(self, session_id: str, kiosk_id: str, at: float) -> bool:
        return self._exec("UPDATE citizen_sessions SET closed_at=%s WHERE session_id=%s AND kiosk_id=%s "
                          "AND closed_at IS NULL", (at, session_id, kiosk_id)) == 1

    def count_citizen_sessions(self, kiosk_id: str, since: float) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM citizen_sessions WHERE kiosk_id=%s AND opened_at>=%s",
                                (kiosk_id, since)))

    def record_lookup(self, row: Row) -> None:
        cols = ("at", "at_iso", "kiosk_id", "session_id", "kind", "subject", "item_code", "outcome")
        self._exec(f"INSERT INTO lookups({', '.join(cols)}) VALUES ({_marks(len(cols))})",
                   tuple(row.get(c, "") for c in cols))

    def count_lookups(self, kiosk_id: str, since: float) -> int:
        """Look-ups of personal data (session opens not counted) by a kiosk since ``since``, by every worker."""
        return int(self._scalar("SELECT COUNT(*) FROM lookups WHERE kiosk_id=%s AND at>=%s AND kind!='session_open'",
                                (kiosk_id, since)))

    def count_session_lookups(self, session_id: str) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM lookups WHERE session_id=%s AND kind!='session_open'",
                                (session_id,)))

    def lookups(self, kiosk_id: str | None = None, limit: int = 1000) -> list[Row]:
        if kiosk_id is None:
            return self._all("SELECT * FROM lookups ORDER BY row_no DESC LIMIT %s", (limit,))
        return self._all("SELECT * FROM lookups WHERE kiosk_id=%s ORDER BY row_no DESC LIMIT %s", (kiosk_id, limit))

    # ----- alarms, tracking tokens, staff notes ---------------------------------------------------------------
    def add_alarm(self, row: Row) -> None:
        self._exec("INSERT INTO alarms(at, at_iso, kiosk_id, kind, detail) VALUES (%s,%s,%s,%s,%s)",
                   (row["at"], row["at_iso"], row["kiosk_id"], row["kind"], row["detail"]))

    def last_alarm_at(self, kiosk_id: str, kind: str) -> float | None:
        return self._scalar("SELECT MAX(at) FROM alarms WHERE kiosk_id=%s AND kind=%s", (kiosk_id, kind))

    def alarms(self, limit: int = 1000) -> list[Row]:
        return self._all("SELECT at_iso AS at, kiosk_id, kind, detail FROM alarms ORDER BY row_no DESC LIMIT %s",
                         (limit,))

    def set_tracking_token(self, reference: str, token: str) -> None:
        self._exec("INSERT INTO tracking_tokens(reference, token) VALUES (%s,%s) ON CONFLICT DO NOTHING",
                   (reference, token))

    def tracking_token(self, reference: str) -> str | None:
        return self._scalar("SELECT token FROM tracking_tokens WHERE reference=%s", (reference,))

    def reference_for_token(self, token: str) -> str | None:
        return self._scalar("SELECT reference FROM tracking_tokens WHERE token=%s", (token,))

    def add_staff_note(self, reference: str, at: str, reviewer: str, approved: bool, text: str) -> None:
        self._exec("INSERT INTO staff_notes(reference, at, reviewer, approved, text) VALUES (%s,%s,%s,%s,%s)",
                   (reference, at, reviewer, int(approved), text))

    def staff_notes(self, reference: str) -> list[Row]:
        return self._all("SELECT reference, at, reviewer, approved, text FROM staff_notes WHERE reference=%s "
                         "ORDER BY row_no", (reference,))

    # ----- help requests (issue 15) ---------------------------------------------------------------------------
    def add_help(self, row: Row) -> Row:
        """File a request; the stored one when ``help_id`` is known already (whoever filed it)."""
        self._exec(f"INSERT INTO help_requests({', '.join(_HELP)}) VALUES ({_marks(len(_HELP))}) "
                   "ON CONFLICT DO NOTHING", tuple(row.get(c) for c in _HELP))
        found = self.help_request(row["help_id"])
        assert found is not None
        return found

    def help_request(self, help_id: str) -> Row | None:
        return self._one(f"SELECT {', '.join(_HELP)} FROM help_requests WHERE help_id=%s", (help_id,))

    def help_requests(self, open_only: bool = True, limit: int = 200) -> list[Row]:
        sql = f"SELECT {', '.join(_HELP)} FROM help_requests "
        if open_only:
            return self._all(sql + "WHERE status='open' ORDER BY requested_at LIMIT %s", (limit,))
        return self._all(sql + "ORDER BY requested_at DESC LIMIT %s", (limit,))

    def ack_help(self, help_id: str, at: str, by: str) -> Row | None:
        """Acknowledge an open request (a second acknowledgement keeps the first's time and name)."""
        self._exec("UPDATE help_requests SET status='acknowledged', acknowledged_at=%s, acknowledged_by=%s "
                   "WHERE help_id=%s AND status='open'", (at, by, help_id))
        return self.help_request(help_id)

    # ----- 好差评 ratings (issue 17) ---------------------------------------------------------------------------
    def add_rating(self, row: Row) -> Row:
        """Keep a rating; ``Duplicate`` when the case has one already (the primary key decides)."""
        try:
            self._exec(f"INSERT INTO ratings({', '.join(_RATING)}) VALUES ({_marks(len(_RATING))})",
                       tuple(row[c] for c in _RATING))
        except Duplicate:
            raise Duplicate(row["application_id"]) from None
        return dict(row)

    def ratings(self, limit: int = 200) -> list[Row]:
        return self._all(f"SELECT {', '.join(_RATING)} FROM ratings ORDER BY rated_at DESC LIMIT %s", (limit,))
