"""Staff accounts, sessions, login throttling, review claims and the staff's audit on SQLite (issue 21): a mixin
of ``SqliteStore``.

- ``staff_accounts``: one row per person; the password only as an argon2 hash (``central.staff.passwords``).
- ``staff_sessions``: server-side sessions keyed by the SHA-256 of the cookie (a copy of the database gives no
  session), each with its CSRF synchronizer token, an idle and an absolute expiry. A session with an empty
  username is a login form's (its token protects the login itself).
- ``staff_login_failures``: failed logins by account and by address, counted over a window, so the throttle
  holds across workers and restarts (never in process memory).
- ``review_claims``: one row per case; a claim is taken only when none is live or it is the taker's own, in
  one statement, so two reviewers never both hold a case whatever the race.
- ``staff_actions``: every staff act with the authenticated actor (append-only; the 电子监察 trail reads it).
"""
from __future__ import annotations

import json
import sqlite3
import threading

from .base import Duplicate, Row

STAFF_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff_accounts (
    username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, password_changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_sessions (
    session_hash TEXT PRIMARY KEY, username TEXT NOT NULL, csrf_token TEXT NOT NULL, address TEXT NOT NULL,
    created_at REAL NOT NULL, last_seen REAL NOT NULL, expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_sessions_expiry ON staff_sessions(expires_at);
CREATE TABLE IF NOT EXISTS staff_login_failures (at REAL NOT NULL, username TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS staff_login_failures_user ON staff_login_failures(username, at);
CREATE INDEX IF NOT EXISTS staff_login_failures_addr ON staff_login_failures(address, at);
CREATE TABLE IF NOT EXISTS review_claims (
    reference TEXT PRIMARY KEY, username TEXT NOT NULL, claimed_at REAL NOT NULL, expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_actions (
    at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, reference TEXT NOT NULL,
    address TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS staff_actions_ref ON staff_actions(reference);
"""
_ACCOUNT = ("username", "display_name", "role", "password_hash", "disabled", "created_at", "password_changed_at")
_SESSION = ("session_hash", "username", "csrf_token", "address", "created_at", "last_seen", "expires_at")


class SqliteStaff:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_staff(self) -> None:
        with self._lock:
            self._db.executescript(STAFF_SCHEMA)

    # ----- accounts ------------------------------------------------------------------------------------------
    def add_staff(self, row: Row) -> None:
        """``Duplicate`` when the username is taken."""
        with self._lock:
            try:
                self._db.execute(f"INSERT INTO staff_accounts({', '.join(_ACCOUNT)}) VALUES "
                                 f"({', '.join('?' * len(_ACCOUNT))})", tuple(row[c] for c in _ACCOUNT))
            except sqlite3.IntegrityError:
                raise Duplicate(row["username"]) from None

    def staff(self, username: str) -> Row | None:
        with self._lock:
            r = self._db.execute(f"SELECT {', '.join(_ACCOUNT)} FROM staff_accounts WHERE username=?",
                                 (username,)).fetchone()
        return dict(zip(_ACCOUNT, r)) if r else None

    def staff_accounts(self) -> list[Row]:
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(_ACCOUNT)} FROM staff_accounts ORDER BY username").fetchall()
        return [dict(zip(_ACCOUNT, r)) for r in rows]

    def update_staff(self, username: str, **cols: object) -> bool:
        """Set columns of an account; a disabled account or a new password also ends its sessions."""
        bad = set(cols) - {"display_name", "role", "password_hash", "disabled", "password_changed_at"}
        if bad:
            raise ValueError(f"not an account column: {sorted(bad)}")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                n = self._db.execute(f"UPDATE staff_accounts SET {', '.join(f'{c}=?' for c in cols)} WHERE username=?",
                                     (*cols.values(), username)).rowcount
                if n and ({"password_hash", "disabled"} & set(cols)):
                    self._db.execute("DELETE FROM staff_sessions WHERE username=?", (username,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return bool(n)

    # ----- sessions ------------------------------------------------------------------------------------------
    def add_staff_session(self, row: Row, now: float, replaces: str = "") -> None:
        """Store a session (and drop ``replaces``, the login form's, and every expired one) in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM staff_sessions WHERE expires_at<=? OR session_hash=?", (now, replaces))
                self._db.execute(f"INSERT INTO staff_sessions({', '.join(_SESSION)}) VALUES "
                                 f"({', '.join('?' * len(_SESSION))})", tuple(row[c] for c in _SESSION))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def staff_session(self, session_hash: str, now: float, idle_s: float) -> Row | None:
        """The live session (not expired, used within ``idle_s``); touching it moves ``last_seen``."""
        with self._lock:
            r = self._db.execute(f"SELECT {', '.join(_SESSION)} FROM staff_sessions WHERE session_hash=? AND "
                                 "expires_at>? AND last_seen>?", (session_hash, now, now - idle_s)).fetchone()
            if r is None:
                return None
            self._db.execute("UPDATE staff_sessions SET last_seen=? WHERE session_hash=?", (now, session_hash))
        return dict(zip(_SESSION, r))

    def end_staff_session(self, session_hash: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM staff_sessions WHERE session_hash=?", (session_hash,))

    # ----- login throttling ----------------------------------------------------------------------------------
    def add_login_failure(self, at: float, username: str, address: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO staff_login_failures(at, username, address) VALUES (?,?,?)",
                             (at, username, address))

    def login_failures(self, since: float, username: str, address: str) -> tuple[int, int]:
        """Failures since ``since``: (of this account, from this address)."""
        with self._lock:
            (by_user,) = self._db.execute("SELECT COUNT(*) FROM staff_login_failures WHERE username=? AND at>?",
                                          (username, since)).fetchone()
            (by_addr,) = self._db.execute("SELECT COUNT(*) FROM staff_login_failures WHERE address=? AND at>?",
                                          (address, since)).fetchone()
        return int(by_user), int(by_addr)

    def clear_login_failures(self, username: str, before: float) -> None:
        """After a good login the account's count starts again; old rows of anyone are forgotten."""
        with self._lock:
            self._db.execute("DELETE FROM staff_login_failures WHERE username=? OR at<?", (username, before))

    # ----- review claims -------------------------------------------------------------------------------------
    def claim_review(self, reference: str, username: str, now: float, expires_at: float) -> Row:
        """Take (or renew one's own) claim unless another person's claim is live; returns the claim that holds."""
        with self._lock:
            self._db.execute("INSERT INTO review_claims(reference, username, claimed_at, expires_at) VALUES (?,?,?,?) "
                             "ON CONFLICT(reference) DO UPDATE SET username=excluded.username, "
                             "claimed_at=CASE WHEN review_claims.username=excluded.username "
                             "AND review_claims.expires_at>? THEN review_claims.claimed_at ELSE excluded.claimed_at END, "
                             "expires_at=excluded.expires_at "
                             "WHERE review_claims.username=excluded.username OR review_claims.expires_at<=?",
                             (reference, username, now, expires_at, now, now))
            return self._claim(reference)  # type: ignore[return-value]

    def _claim(self, reference: str) -> Row | None:
        r = self._db.execute("SELECT reference, username, claimed_at, expires_at FROM review_claims WHERE reference=?",
                             (reference,)).fetchone()
        return dict(zip(("reference", "username", "claimed_at", "expires_at"), r)) if r else None

    def review_claim(self, reference: str, now: float) -> Row | None:
        """The live claim on a case, if any."""
        with self._lock:
            c = self._claim(reference)
        return c if c is not None and c["expires_at"] > now else None

    def review_claims(self, now: float) -> dict[str, Row]:
        with self._lock:
            rows = self._db.execute("SELECT reference, username, claimed_at, expires_at FROM review_claims "
                                    "WHERE expires_at>?", (now,)).fetchall()
        return {r[0]: dict(zip(("reference", "username", "claimed_at", "expires_at"), r)) for r in rows}

    def release_review(self, reference: str, username: str) -> bool:
        with self._lock:
            return bool(self._db.execute("DELETE FROM review_claims WHERE reference=? AND username=?",
                                         (reference, username)).rowcount)

    # ----- the staff's audit ---------------------------------------------------------------------------------
    def add_staff_action(self, at: str, actor: str, role: str, action: str, reference: str = "", address: str = "",
                         detail: dict | None = None) -> None:
        with self._lock:
            self._db.execute("INSERT INTO staff_actions(at, actor, role, action, reference, address, detail) "
                             "VALUES (?,?,?,?,?,?,?)", (at, actor, role, action, reference, address,
                                                        json.dumps(detail or {}, ensure_ascii=False)))

    def staff_actions(self, reference: str | None = None, limit: int = 1000) -> list[Row]:
        sql = "SELECT at, actor, role, action, reference, address, detail FROM staff_actions"
        with self._lock:
            rows = (self._db.execute(sql + " WHERE reference=? ORDER BY rowid DESC LIMIT ?", (reference, limit))
                    if reference is not None else
                    self._db.execute(sql + " ORDER BY rowid DESC LIMIT ?", (limit,))).fetchall()
        return [dict(zip(("at", "actor", "role", "action", "reference", "address"), r[:6]), detail=json.loads(r[6]))
                for r in rows]
