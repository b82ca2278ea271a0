"""``Store`` on SQLite (WAL) under the platform's data directory: the reference and demo storage."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from .anchor_sqlite import SqliteAnchor  # issue 16: audit anchor and guarded enrolment
from .base import Duplicate, Row
from .help_sqlite import SqliteHelp  # issue 15: help requests kept until acknowledged
from .mine_sqlite import SqliteMine  # issue 18: 我的办件, a card holder's applications
from .rating_sqlite import SqliteRatings  # issue 17: 好差评, one rating per case
from .results_sqlite import SqliteResults  # issue 18: issued result documents, one per case
from .sms_sqlite import SqliteSms  # issue 18: the SMS outbox and courier events
from .staff_sqlite import SqliteStaff  # issue 21: staff accounts, sessions, claims, staff audit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id TEXT PRIMARY KEY, secret TEXT NOT NULL, location TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL DEFAULT '', enrolled_at TEXT NOT NULL,
    last_heartbeat TEXT, last_seen_at TEXT
);
CREATE TABLE IF NOT EXISTS enrolments (
    code_hash TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, expires_at REAL NOT NULL, used_at REAL
);
CREATE TABLE IF NOT EXISTS nonces (
    kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (kiosk_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_at ON nonces(at);
CREATE TABLE IF NOT EXISTS heartbeats (kiosk_id TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS heartbeats_kiosk ON heartbeats(kiosk_id);
CREATE TABLE IF NOT EXISTS applications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    manifest_sha256 TEXT NOT NULL DEFAULT '',
    item_code TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    status TEXT NOT NULL,
    decision TEXT NOT NULL,
    manifest TEXT NOT NULL,
    response TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (reference TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL, note TEXT);
CREATE INDEX IF NOT EXISTS events_ref ON events(reference);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '', offset_bytes INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, UNIQUE (kiosk_id, sha256, size)
);
CREATE TABLE IF NOT EXISTS payments (
    order_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, application_id TEXT NOT NULL, item_code TEXT NOT NULL,
    amount_fen INTEGER NOT NULL, status TEXT NOT NULL, token TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at REAL NOT NULL, expires_at_iso TEXT NOT NULL, paid_at TEXT, transaction_id TEXT, reference TEXT
);
CREATE INDEX IF NOT EXISTS payments_app ON payments(kiosk_id, application_id);
CREATE TABLE IF NOT EXISTS bills (
    item_code TEXT NOT NULL, account_no TEXT NOT NULL, period TEXT NOT NULL, amount_fen INTEGER NOT NULL,
    state TEXT NOT NULL, order_id TEXT, transaction_id TEXT, paid_at TEXT,
    PRIMARY KEY (item_code, account_no, period)
);
CREATE INDEX IF NOT EXISTS bills_order ON bills(order_id);
CREATE TABLE IF NOT EXISTS waybills (
    waybill_no TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, carrier TEXT NOT NULL, status TEXT NOT NULL,
    recipient TEXT NOT NULL, phone TEXT NOT NULL, region TEXT NOT NULL, address TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS waybill_events (waybill_no TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '""');
"""

# ----- citizen sessions, look-ups, alarms, tracking tokens, staff notes (issue 16: weaknesses 1 and 3) ------------
_CITIZEN_SCHEMA = """
CREATE TABLE IF NOT EXISTS citizen_sessions (
    session_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, id_hash TEXT NOT NULL, id_masked TEXT NOT NULL,
    opened_at REAL NOT NULL, expires_at REAL NOT NULL, closed_at REAL
);
CREATE INDEX IF NOT EXISTS citizen_sessions_kiosk ON citizen_sessions(kiosk_id, opened_at);
CREATE TABLE IF NOT EXISTS lookups (
    at REAL NOT NULL, at_iso TEXT NOT NULL, kiosk_id TEXT NOT NULL, session_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL, subject TEXT NOT NULL, item_code TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lookups_kiosk ON lookups(kiosk_id, at);
CREATE INDEX IF NOT EXISTS lookups_session ON lookups(session_id);
CREATE TABLE IF NOT EXISTS alarms (
    at REAL NOT NULL, at_iso TEXT NOT NULL, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alarms_kiosk ON alarms(kiosk_id, kind, at);
CREATE TABLE IF NOT EXISTS tracking_tokens (reference TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS staff_notes (
    reference TEXT NOT NULL, at TEXT NOT NULL, reviewer TEXT NOT NULL, approved INTEGER NOT NULL, text TEXT NOT NULL
);
"""

_APP_COLS = ("reference", "idempotency_key", "manifest_sha256", "item_code", "kiosk_id", "status", "decision",
             "manifest", "response", "received_at")
_JSON_COLS = {"decision", "manifest", "response", "last_heartbeat", "data", "note"}


class SqliteStore(SqliteAnchor, SqliteHelp, SqliteRatings, SqliteResults, SqliteSms, SqliteStaff,
                  SqliteMine):
    def __init__(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._db = sqlite3.connect(directory / "central.sqlite", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # an acceptance number once given must not be lost
        self._db.executescript(_SCHEMA)
        self._db.executescript(_CITIZEN_SCHEMA)
        self._migrate_payments()
        self._lock = threading.RLock()
        self._named: dict[str, threading.Lock] = {}
        # ----- issue 16 (audit anchor, enrolment): tables and methods in anchor_sqlite.py -----
        self._init_anchor()
        self._init_help()
        self._init_ratings()
        self._init_results()
        self._init_sms()
        self._init_staff()
        self._init_mine()

    def _migrate_payments(self) -> None:
        """Issue 15: an order may be refunded (a late payment, a paid order whose application never came)."""
        have = {row[1] for row in self._db.execute("PRAGMA table_info(payments)")}
        if "refunded_at" not in have:
            self._db.execute("ALTER TABLE payments ADD COLUMN refunded_at TEXT")

    def lock(self, name: str) -> threading.Lock:
        """The platform's named lock: SQLite serves one process, so a thread lock is every worker's."""
        with self._lock:
            return self._named.setdefault(name, threading.Lock())

    # ----- helpers -------------------------------------------------------------------------------------------
    def _all(self, sql: str, args: tuple = ()) -> list[Row]:
        with self._lock:
            cur = self._db.execute(sql, args)
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        out = []
        for row in rows:
            d = dict(zip(names, row))
            for k in _JSON_COLS & d.keys():
                if isinstance(d[k], str):
                    d[k] = json.loads(d[k])
            out.append(d)
        return out

    def _one(self, sql: str, args: tuple = ()) -> Row | None:
        rows = self._all(sql, args)
        return rows[0] if rows else None

    def _exec(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    @staticmethod
    def _j(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    # ----- kiosks ----------------------------------------------------------------------------------------------
    def add_kiosk(self, kiosk_id: str, secret: str, at: str, location: str = "", region_code: str = "") -> None:
        self._exec("INSERT INTO kiosks(kiosk_id, secret, location, region_code, enrolled_at) VALUES (?,?,?,?,?) "
                   "ON CONFLICT(kiosk_id) DO UPDATE SET secret=excluded.secret, location=excluded.location, "
                   "region_code=excluded.region_code", (kiosk_id, secret, location, region_code, at))

    def kiosk(self, kiosk_id: str) -> Row | None:
        return self._one("SELECT * FROM kiosks WHERE kiosk_id=?", (kiosk_id,))

    def kiosks(self) -> list[Row]:
        return self._all("SELECT * FROM kiosks ORDER BY kiosk_id")

    def add_enrolment(self, code_hash: str, kiosk_id: str, expires_at: float) -> None:
        self._exec("INSERT INTO enrolments(code_hash, kiosk_id, expires_at) VALUES (?,?,?)",
                   (code_hash, kiosk_id, expires_at))

    def use_enrolment(self, code_hash: str, kiosk_id: str, now: float) -> bool:
        cur = self._exec("UPDATE enrolments SET used_at=? WHERE code_hash=? AND kiosk_id=? AND used_at IS NULL "
                         "AND expires_at>?", (now, code_hash, kiosk_id, now))
        return cur.rowcount == 1

    def remember_nonce(self, kiosk_id: str, nonce: str, at: float, forget_before: float) -> bool:
        """False when the nonce was seen already (a replay). Old nonces are forgotten as we go."""
        with self._lock:
            self._db.execute("DELETE FROM nonces WHERE at<?", (forget_before,))
            cur = self._db.execute("INSERT OR IGNORE INTO nonces(kiosk_id, nonce, at) VALUES (?,?,?)",
                                   (kiosk_id, nonce, at))
            return cur.rowcount == 1

    HEARTBEATS_KEPT = 10_080  # a week of one-minute heartbeats per kiosk

    def record_heartbeat(self, kiosk_id: str, at: str, data: dict) -> None:
        with self._lock:
            cur = self._db.execute("INSERT INTO heartbeats(kiosk_id, at, data) VALUES (?,?,?)",
                                   (kiosk_id, at, self._j(data)))
            if (cur.lastrowid or 0) % 500 == 0:
                self._db.execute("DELETE FROM heartbeats WHERE kiosk_id=? AND rowid NOT IN (SELECT rowid FROM "
                                 "heartbeats WHERE kiosk_id=? ORDER BY rowid DESC LIMIT ?)",
                                 (kiosk_id, kiosk_id, self.HEARTBEATS_KEPT))
            self._db.execute("UPDATE kiosks SET last_heartbeat=?, last_seen_at=? WHERE kiosk_id=?",
                             (self._j(data), at, kiosk_id))

    # ----- issue 16: audit_head, anchor_audit, new_audit_epoch, audit_last_seq, audit_count, enrol_kiosk,
    # grant_rekey, admin_actions come from SqliteAnchor (anchor_sqlite.py) -----

    # ----- applications ------------------------------------------------------------------------------------------
    def find_by_key(self, key: str) -> Row | None:
        return self._one(f"SELECT {', '.join(_APP_COLS)} FROM applications WHERE idempotency_key=?", (key,))

    def find_by_reference(self, reference: str) -> Row | None:
        return self._one(f"SELECT {', '.join(_APP_COLS)} FROM applications WHERE reference=?", (reference,))

    def reference_for_local(self, local_number: str) -> str | None:
        row = self._one("SELECT reference FROM applications WHERE json_extract(manifest, '$.local_number')=? "
                        "ORDER BY rowid LIMIT 1", (local_number,))
        return row["reference"] if row else None

    def next_seq(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM applications").fetchone()
        return int(n)

    def insert(self, app: Row) -> int:
        values = tuple(self._j(app[c]) if c in _JSON_COLS else app.get(c, "") for c in _APP_COLS)
        try:
            cur = self._exec(f"INSERT INTO applications({', '.join(_APP_COLS)}) "
                             f"VALUES ({','.join('?' * len(_APP_COLS))})", values)
        except sqlite3.IntegrityError as exc:
            raise Duplicate(str(exc)) from None
        return int(cur.lastrowid or 0)

    def set_status(self, reference: str, status: str, decision: dict | None = None) -> None:
        if decision is None:
            self._exec("UPDATE applications SET status=? WHERE reference=?", (status, reference))
        else:
            self._exec("UPDATE applications SET status=?, decision=? WHERE reference=?",
                       (status, self._j(decision), reference))

    def add_event(self, reference: str, at: str, status: str, note: dict | None) -> None:
        self._exec("INSERT INTO events(reference, at, status, note) VALUES (?,?,?,?)",
                   (reference, at, status, self._j(note) if note else None))

    def events(self, reference: str) -> list[Row]:
        return self._all("SELECT at, status, note FROM events WHERE reference=? ORDER BY rowid", (reference,))

    def count(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM applications").fetchone()
        return int(n)

    def by_status(self, statuses: list[str]) -> list[Row]:
        marks = ",".join("?" * len(statuses))
        return self._all(f"SELECT {', '.join(_APP_COLS)} FROM applications WHERE status IN ({marks}) ORDER BY seq",
                         tuple(statuses))

    def applications_on(self, day_prefix: str) -> list[Row]:
        return self._all(f"SELECT {', '.join(_APP_COLS)} FROM applications WHERE received_at LIKE ? ORDER BY seq",
                         (day_prefix + "%",))

    # ----- uploads ---------------------------------------------------------------------------------------------
    def create_upload(self, upload: Row) -> Row:
        self._exec("INSERT OR IGNORE INTO uploads(upload_id, kiosk_id, sha256, size, name, created_at) "
                   "VALUES (?,?,?,?,?,?)", (upload["upload_id"], upload["kiosk_id"], upload["sha256"], upload["size"],
                                            upload.get("name", ""), upload["created_at"]))
        found = self.upload_by_hash(upload["kiosk_id"], upload["sha256"], upload["size"])
        assert found is not None
        return found

    def upload(self, upload_id: str) -> Row | None:
        return self._one("SELECT * FROM uploads WHERE upload_id=?", (upload_id,))

    def upload_by_hash(self, kiosk_id: str, sha256: str, size: int) -> Row | None:
        return self._one("SELECT * FROM uploads WHERE kiosk_id=? AND sha256=? AND size=?", (kiosk_id, sha256, size))

    def set_upload_offset(self, upload_id: str, offset: int, complete: bool) -> None:
        self._exec("UPDATE uploads SET offset_bytes=?, complete=? WHERE upload_id=?", (offset, int(complete), upload_id))

    # ----- payments --------------------------------------------------------------------------------------------
    def create_payment(self, order: Row) -> Row:
        cols = ("order_id", "kiosk_id", "application_id", "item_code", "amount_fen", "status", "token", "created_at",
                "expires_at", "expires_at_iso")
        self._exec(f"INSERT INTO payments({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                   tuple(order[c] for c in cols))
        found = self.payment(order["order_id"])
        assert found is not None
        return found

    def payment(self, order_id: str) -> Row | None:
        return self._one("SELECT * FROM payments WHERE order_id=?", (order_id,))

    def payment_for(self, kiosk_id: str, application_id: str) -> Row | None:
        """The application's latest order (earlier ones were cancelled or expired)."""
        return self._one("SELECT * FROM payments WHERE kiosk_id=? AND application_id=? ORDER BY rowid DESC LIMIT 1",
                         (kiosk_id, application_id))

    def update_payment(self, order_id: str, /, **cols: Any) -> None:
        names = ", ".join(f"{k}=?" for k in cols)
        self._exec(f"UPDATE payments SET {names} WHERE order_id=?", (*cols.values(), order_id))

    def payments_paid_on(self, day_prefix: str) -> list[Row]:
        return self._all("SELECT * FROM payments WHERE status='paid' AND paid_at LIKE ? ORDER BY paid_at",
                         (day_prefix + "%",))

    # ----- the biller's ledger (bills) -------------------------------------------------------------------------
    def bill(self, item_code: str, account_no: str, period: str) -> Row | None:
        return self._one("SELECT * FROM bills WHERE item_code=? AND account_no=? AND period=?",
                         (item_code, account_no, period))

    def bill_ordered(self, item_code: str, account_no: str, period: str, amount_fen: int, order_id: str) -> None:
        """The bill's live order is ``order_id`` (an open bill only; a paid one keeps its settling order)."""
        self._exec("INSERT INTO bills(item_code, account_no, period, amount_fen, state, order_id) "
                   "VALUES (?,?,?,?,'open',?) ON CONFLICT(item_code, account_no, period) DO UPDATE SET "
                   "order_id=excluded.order_id, amount_fen=excluded.amount_fen WHERE state='open'",
                   (item_code, account_no, period, amount_fen, order_id))

    def bill_settled_by(self, order_id: str) -> Row | None:
        return self._one("SELECT * FROM bills WHERE order_id=? AND state='paid'", (order_id,))

    def settle_bill(self, order_id: str, transaction_id: str, paid_at: str) -> bool:
        """open -> paid for the bill whose live order is ``order_id``; False when there is none."""
        cur = self._exec("UPDATE bills SET state='paid', transaction_id=?, paid_at=? WHERE order_id=? AND state='open'",
                         (transaction_id, paid_at, order_id))
        return cur.rowcount == 1

    def payments_refunded_on(self, day_prefix: str) -> list[Row]:
        return self._all("SELECT * FROM payments WHERE status='refunded' AND refunded_at LIKE ? ORDER BY refunded_at",
                         (day_prefix + "%",))

    # ----- delivery -------------------------------------------------------------------------------------------
    def create_waybill(self, waybill: Row) -> Row:
        cols = ("waybill_no", "reference", "carrier", "status", "recipient", "phone", "region", "address", "created_at")
        self._exec(f"INSERT OR IGNORE INTO waybills({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                   tuple(waybill[c] for c in cols))
        found = self.waybill_for(waybill["reference"])
        assert found is not None
        return found

    def waybill(self, waybill_no: str) -> Row | None:
        return self._one("SELECT * FROM waybills WHERE waybill_no=?", (waybill_no,))

    def waybill_for(self, reference: str) -> Row | None:
        return self._one("SELECT * FROM waybills WHERE reference=?", (reference,))

    def set_waybill_status(self, waybill_no: str, status: str, at: str, note: str) -> None:
        with self._lock:
            self._db.execute("UPDATE waybills SET status=? WHERE waybill_no=?", (status, waybill_no))
            self._db.execute("INSERT INTO waybill_events(waybill_no, at, status, note) VALUES (?,?,?,?)",
                             (waybill_no, at, status, self._j(note)))

    def waybill_events(self, waybill_no: str) -> list[Row]:
        return self._all("SELECT at, status, note FROM waybill_events WHERE waybill_no=? ORDER BY rowid", (waybill_no,))

    # ----- citizen sessions, look-ups, alarms, tracking tokens, staff notes (issue 16) -------------------------
    def open_citizen_session(self, row: Row) -> None:
        cols = ("session_id", "kiosk_id", "id_hash", "id_masked", "opened_at", "expires_at")
        self._exec(f"INSERT INTO citizen_sessions({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                   tuple(row[c] for c in cols))

    def citizen_session(self, session_id: str) -> Row | None:
        return self._one("SELECT * FROM citizen_sessions WHERE session_id=?", (session_id,))

    def close_citizen_session(self, session_id: str, kiosk_id: str, at: float) -> bool:
        cur = self._exec("UPDATE citizen_sessions SET closed_at=? WHERE session_id=? AND kiosk_id=? "
                         "AND closed_at IS NULL", (at, session_id, kiosk_id))
        return cur.rowcount == 1

    def count_citizen_sessions(self, kiosk_id: str, since: float) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM citizen_sessions WHERE kiosk_id=? AND opened_at>=?",
                                    (kiosk_id, since)).fetchone()
        return int(n)

    def record_lookup(self, row: Row) -> None:
        cols = ("at", "at_iso", "kiosk_id", "session_id", "kind", "subject", "item_code", "outcome")
        self._exec(f"INSERT INTO lookups({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                   tuple(row.get(c, "") for c in cols))

    def count_lookups(self, kiosk_id: str, since: float) -> int:
        """Look-ups of personal data (session opens not counted) by a kiosk since ``since``."""
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM lookups WHERE kiosk_id=? AND at>=? AND "
                                    "kind!='session_open'", (kiosk_id, since)).fetchone()
        return int(n)

    def count_session_lookups(self, session_id: str) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM lookups WHERE session_id=? AND kind!='session_open'",
                                    (session_id,)).fetchone()
        return int(n)

    def lookups(self, kiosk_id: str | None = None, limit: int = 1000) -> list[Row]:
        if kiosk_id is None:
            return self._all("SELECT * FROM lookups ORDER BY rowid DESC LIMIT ?", (limit,))
        return self._all("SELECT * FROM lookups WHERE kiosk_id=? ORDER BY rowid DESC LIMIT ?", (kiosk_id, limit))

    def add_alarm(self, row: Row) -> None:
        self._exec("INSERT INTO alarms(at, at_iso, kiosk_id, kind, detail) VALUES (?,?,?,?,?)",
                   (row["at"], row["at_iso"], row["kiosk_id"], row["kind"], row["detail"]))

    def last_alarm_at(self, kiosk_id: str, kind: str) -> float | None:
        with self._lock:
            (at,) = self._db.execute("SELECT MAX(at) FROM alarms WHERE kiosk_id=? AND kind=?",
                                     (kiosk_id, kind)).fetchone()
        return at

    def alarms(self, limit: int = 1000) -> list[Row]:
        return self._all("SELECT at_iso AS at, kiosk_id, kind, detail FROM alarms ORDER BY rowid DESC LIMIT ?",
                         (limit,))

    def set_tracking_token(self, reference: str, token: str) -> None:
        self._exec("INSERT OR IGNORE INTO tracking_tokens(reference, token) VALUES (?,?)", (reference, token))

    def tracking_token(self, reference: str) -> str | None:
        row = self._one("SELECT token FROM tracking_tokens WHERE reference=?", (reference,))
        return row["token"] if row else None

    def reference_for_token(self, token: str) -> str | None:
        row = self._one("SELECT reference FROM tracking_tokens WHERE token=?", (token,))
        return row["reference"] if row else None

    def add_staff_note(self, reference: str, at: str, reviewer: str, approved: bool, text: str) -> None:
        self._exec("INSERT INTO staff_notes(reference, at, reviewer, approved, text) VALUES (?,?,?,?,?)",
                   (reference, at, reviewer, int(approved), text))

    def staff_notes(self, reference: str) -> list[Row]:
        return self._all("SELECT reference, at, reviewer, approved, text FROM staff_notes WHERE reference=? "
                         "ORDER BY rowid", (reference,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
