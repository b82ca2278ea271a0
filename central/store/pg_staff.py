"""``PgStore``'s staff accounts, sessions, login throttling, review claims and staff actions (issue 21): the
PostgreSQL twin of staff_sqlite.py (tables in migration 0002). The claim is one ``INSERT ... ON CONFLICT ...
WHERE`` statement here too, so two reviewers on two workers never both hold a case."""
from __future__ import annotations

import json

from .base import Duplicate, Row
from .pg_base import PgBase

_ACCOUNT = ("username", "display_name", "role", "password_hash", "disabled", "created_at", "password_changed_at")
_SESSION = ("session_hash", "username", "csrf_token", "address", "created_at", "last_seen", "expires_at")
_CLAIM = "reference, username, claimed_at, expires_at"


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


class PgStaff(PgBase):
    # ----- accounts ------------------------------------------------------------------------------------------
    def add_staff(self, row: Row) -> None:
        """``Duplicate`` when the username is taken."""
        try:
            self._exec(f"INSERT INTO staff_accounts({', '.join(_ACCOUNT)}) VALUES ({_marks(len(_ACCOUNT))})",
                       tuple(row[c] for c in _ACCOUNT))
        except Duplicate:
            raise Duplicate(row["username"]) from None

    def staff(self, username: str) -> Row | None:
        return self._one(f"SELECT {', '.join(_ACCOUNT)} FROM staff_accounts WHERE username=%s", (username,))

    def staff_accounts(self) -> list[Row]:
        return self._all(f"SELECT {', '.join(_ACCOUNT)} FROM staff_accounts ORDER BY username")

    def update_staff(self, username: str, **cols: object) -> bool:
        """Set columns of an account; a disabled account or a new password also ends its sessions."""
        bad = set(cols) - {"display_name", "role", "password_hash", "disabled", "password_changed_at"}
        if bad:
            raise ValueError(f"not an account column: {sorted(bad)}")
        with self._tx() as conn:
            n = conn.execute(f"UPDATE staff_accounts SET {', '.join(f'{c}=%s' for c in cols)} WHERE username=%s",
                             (*cols.values(), username)).rowcount
            if n and ({"password_hash", "disabled"} & set(cols)):
                conn.execute("DELETE FROM staff_sessions WHERE username=%s", (username,))
        return bool(n)

    # ----- sessions ------------------------------------------------------------------------------------------
    def add_staff_session(self, row: Row, now: float, replaces: str = "") -> None:
        """Store a session (and drop ``replaces``, the login form's, and every expired one) in one transaction."""
        with self._tx() as conn:
            conn.execute("DELETE FROM staff_sessions WHERE expires_at<=%s OR session_hash=%s", (now, replaces))
            conn.execute(f"INSERT INTO staff_sessions({', '.join(_SESSION)}) VALUES ({_marks(len(_SESSION))})",
                         tuple(row[c] for c in _SESSION))

    def staff_session(self, session_hash: str, now: float, idle_s: float) -> Row | None:
        """The live session (not expired, used within ``idle_s``); touching it moves ``last_seen``."""
        # one statement: the row as it was (last_seen before this touch, as SQLite's select-then-update gives)
        return self._one(f"UPDATE staff_sessions s SET last_seen=%s FROM staff_sessions old "
                         f"WHERE s.session_hash=%s AND old.session_hash=s.session_hash AND s.expires_at>%s "
                         f"AND s.last_seen>%s RETURNING {', '.join('old.' + c for c in _SESSION)}",
                         (now, session_hash, now, now - idle_s))

    def end_staff_session(self, session_hash: str) -> None:
        self._exec("DELETE FROM staff_sessions WHERE session_hash=%s", (session_hash,))

    # ----- login throttling ----------------------------------------------------------------------------------
    def add_login_failure(self, at: float, username: str, address: str) -> None:
        self._exec("INSERT INTO staff_login_failures(at, username, address) VALUES (%s,%s,%s)", (at, username, address))

    def login_failures(self, since: float, username: str, address: str) -> tuple[int, int]:
        """Failures since ``since``, counted by every worker: (of this account, from this address)."""
        row = self._one("SELECT COUNT(*) FILTER (WHERE username=%s) AS u, COUNT(*) FILTER (WHERE address=%s) AS a "
                        "FROM staff_login_failures WHERE at>%s AND (username=%s OR address=%s)",
                        (username, address, since, username, address))
        assert row is not None
        return int(row["u"]), int(row["a"])

    def clear_login_failures(self, username: str, before: float) -> None:
        """After a good login the account's count starts again; old rows of anyone are forgotten."""
        self._exec("DELETE FROM staff_login_failures WHERE username=%s OR at<%s", (username, before))

    # ----- review claims -------------------------------------------------------------------------------------
    def claim_review(self, reference: str, username: str, now: float, expires_at: float) -> Row:
        """Take (or renew one's own) claim unless another person's claim is live; returns the claim that holds."""
        with self._conn() as conn:
            conn.execute("INSERT INTO review_claims(reference, username, claimed_at, expires_at) "
                         "VALUES (%s,%s,%s,%s) ON CONFLICT(reference) DO UPDATE SET username=excluded.username, "
                         "claimed_at=CASE WHEN review_claims.username=excluded.username "
                         "AND review_claims.expires_at>%s THEN review_claims.claimed_at ELSE excluded.claimed_at END, "
                         "expires_at=excluded.expires_at "
                         "WHERE review_claims.username=excluded.username OR review_claims.expires_at<=%s",
                         (reference, username, now, expires_at, now, now))
        return self._one(f"SELECT {_CLAIM} FROM review_claims WHERE reference=%s", (reference,))  # type: ignore

    def review_claim(self, reference: str, now: float) -> Row | None:
        """The live claim on a case, if any."""
        return self._one(f"SELECT {_CLAIM} FROM review_claims WHERE reference=%s AND expires_at>%s", (reference, now))

    def review_claims(self, now: float) -> dict[str, Row]:
        return {r["reference"]: r for r in self._all(f"SELECT {_CLAIM} FROM review_claims WHERE expires_at>%s",
                                                     (now,))}

    def release_review(self, reference: str, username: str) -> bool:
        return bool(self._exec("DELETE FROM review_claims WHERE reference=%s AND username=%s", (reference, username)))

    # ----- the staff's audit ---------------------------------------------------------------------------------
    def add_staff_action(self, at: str, actor: str, role: str, action: str, reference: str = "", address: str = "",
                         detail: dict | None = None) -> None:
        self._exec("INSERT INTO staff_actions(at, actor, role, action, reference, address, detail) "
                   "VALUES (%s,%s,%s,%s,%s,%s,%s)", (at, actor, role, action, reference, address,
                                                     json.dumps(detail or {}, ensure_ascii=False)))

    def staff_actions(self, reference: str | None = None, limit: int = 1000) -> list[Row]:
        sql = "SELECT at, actor, role, action, reference, address, detail FROM staff_actions"
        rows = (self._all(sql + " WHERE reference=%s ORDER BY row_no DESC LIMIT %s", (reference, limit))
                if reference is not None else self._all(sql + " ORDER BY row_no DESC LIMIT %s", (limit,)))
        for r in rows:  # "detail" is JSON here (plain text in alarms): decoded here, not by _decode
            r["detail"] = json.loads(r["detail"])
        return rows
