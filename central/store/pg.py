"""``Store`` on PostgreSQL (psycopg 3, a pool per worker): the deployment's storage, several workers at once.

Same tables and behaviour as ``SqliteStore``; where the SQLite store held its process lock the rules are the
database's own, so they hold across workers and hosts:
- a replayed nonce: the primary key (kiosk_id, nonce) and ``INSERT ... ON CONFLICT DO NOTHING``;
- an idempotency key or a reference taken twice: UNIQUE constraints (``Duplicate``);
- reference numbers: the sequence ``reference_seq`` (``nextval`` never hands out a number twice);
- the audit anchor, enrolment, waybill status + event: one transaction each, the head row locked FOR UPDATE.
The schema is created and changed by Alembic (``kiosk central migrate``; central/store/migrations).
"""
from __future__ import annotations

from typing import Any

from .base import Row
from .pg_anchor import PgAnchor
from .pg_base import PgBase
from .pg_cases import PgCases
from .pg_citizens import PgCitizens
from .pg_staff import PgStaff

_APP_COLS = ("reference", "idempotency_key", "manifest_sha256", "item_code", "kiosk_id", "status", "decision",
             "manifest", "response", "received_at")
_APP = ", ".join(_APP_COLS)


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


class PgStore(PgAnchor, PgCitizens, PgCases, PgStaff, PgBase):
    HEARTBEATS_KEPT = 10_080  # a week of one-minute heartbeats per kiosk

    def __init__(self, url: str, *, pool_size: int = 8, timeout_s: float = 10.0, migrate: bool = True) -> None:
        """``migrate``: bring the schema to the newest revision first (a no-op when it is there already)."""
        super().__init__(url, pool_size=pool_size, timeout_s=timeout_s)
        if migrate:
            from .migrate import upgrade  # noqa: PLC0415 (alembic is loaded only where a schema may change)

            upgrade(url)

    # ----- kiosks ----------------------------------------------------------------------------------------------
    def add_kiosk(self, kiosk_id: str, secret: str, at: str, location: str = "", region_code: str = "") -> None:
        self._exec("INSERT INTO kiosks(kiosk_id, secret, location, region_code, enrolled_at) VALUES (%s,%s,%s,%s,%s) "
                   "ON CONFLICT(kiosk_id) DO UPDATE SET secret=excluded.secret, location=excluded.location, "
                   "region_code=excluded.region_code", (kiosk_id, secret, location, region_code, at))

    def kiosk(self, kiosk_id: str) -> Row | None:
        return self._one("SELECT * FROM kiosks WHERE kiosk_id=%s", (kiosk_id,))

    def kiosks(self) -> list[Row]:
        return self._all("SELECT * FROM kiosks ORDER BY kiosk_id")

    def add_enrolment(self, code_hash: str, kiosk_id: str, expires_at: float) -> None:
        self._exec("INSERT INTO enrolments(code_hash, kiosk_id, expires_at) VALUES (%s,%s,%s)",
                   (code_hash, kiosk_id, expires_at))

    def use_enrolment(self, code_hash: str, kiosk_id: str, now: float) -> bool:
        return self._exec("UPDATE enrolments SET used_at=%s WHERE code_hash=%s AND kiosk_id=%s AND used_at IS NULL "
                          "AND expires_at>%s", (now, code_hash, kiosk_id, now)) == 1

    def remember_nonce(self, kiosk_id: str, nonce: str, at: float, forget_before: float) -> bool:
        """False when the nonce was seen already (a replay), by this worker or any other: the primary key
        decides, not a lock. Old nonces are forgotten as we go."""
        with self._conn() as conn:
            conn.execute("DELETE FROM nonces WHERE at<%s", (forget_before,))
            cur = conn.execute("INSERT INTO nonces(kiosk_id, nonce, at) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                               (kiosk_id, nonce, at))
            return cur.rowcount == 1

    def record_heartbeat(self, kiosk_id: str, at: str, data: dict) -> None:
        with self._tx() as conn:
            row = conn.execute("INSERT INTO heartbeats(kiosk_id, at, data) VALUES (%s,%s,%s) RETURNING row_no",
                               (kiosk_id, at, self._j(data))).fetchone()
            if row and row["row_no"] % 500 == 0:
                conn.execute("DELETE FROM heartbeats WHERE kiosk_id=%s AND row_no NOT IN (SELECT row_no FROM "
                             "heartbeats WHERE kiosk_id=%s ORDER BY row_no DESC LIMIT %s)",
                             (kiosk_id, kiosk_id, self.HEARTBEATS_KEPT))
            conn.execute("UPDATE kiosks SET last_heartbeat=%s, last_seen_at=%s WHERE kiosk_id=%s",
                         (self._j(data), at, kiosk_id))

    # ----- applications ------------------------------------------------------------------------------------------
    def find_by_key(self, key: str) -> Row | None:
        return self._one(f"SELECT {_APP} FROM applications WHERE idempotency_key=%s", (key,))

    def find_by_reference(self, reference: str) -> Row | None:
        return self._one(f"SELECT {_APP} FROM applications WHERE reference=%s", (reference,))

    def reference_for_local(self, local_number: str) -> str | None:
        row = self._one("SELECT reference FROM applications WHERE (manifest::jsonb)->>'local_number'=%s "
                        "ORDER BY seq LIMIT 1", (local_number,))
        return row["reference"] if row else None

    def next_seq(self) -> int:
        """A number no other call gets, in this worker or another (gaps are allowed, repeats are not)."""
        return int(self._scalar("SELECT nextval('reference_seq')"))

    def insert(self, app: Row) -> int:
        values = tuple(self._j(app[c]) if c in ("decision", "manifest", "response") else app.get(c, "")
                       for c in _APP_COLS)
        return int(self._scalar(f"INSERT INTO applications({_APP}) VALUES ({_marks(len(_APP_COLS))}) RETURNING seq",
                                values))

    def set_status(self, reference: str, status: str, decision: dict | None = None) -> None:
        if decision is None:
            self._exec("UPDATE applications SET status=%s WHERE reference=%s", (status, reference))
        else:
            self._exec("UPDATE applications SET status=%s, decision=%s WHERE reference=%s",
                       (status, self._j(decision), reference))

    def add_event(self, reference: str, at: str, status: str, note: dict | None) -> None:
        self._exec("INSERT INTO events(reference, at, status, note) VALUES (%s,%s,%s,%s)",
                   (reference, at, status, self._j(note) if note else None))

    def events(self, reference: str) -> list[Row]:
        return self._all("SELECT at, status, note FROM events WHERE reference=%s ORDER BY row_no", (reference,))

    def count(self) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM applications"))

    def by_status(self, statuses: list[str]) -> list[Row]:
        return self._all(f"SELECT {_APP} FROM applications WHERE status = ANY(%s) ORDER BY seq", (list(statuses),))

    def applications_on(self, day_prefix: str) -> list[Row]:
        return self._all(f"SELECT {_APP} FROM applications WHERE received_at LIKE %s ORDER BY seq",
                         (_like_prefix(day_prefix),))

    # ----- uploads ---------------------------------------------------------------------------------------------
    def create_upload(self, upload: Row) -> Row:
        self._exec("INSERT INTO uploads(upload_id, kiosk_id, sha256, size, name, created_at) "
                   "VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                   (upload["upload_id"], upload["kiosk_id"], upload["sha256"], upload["size"], upload.get("name", ""),
                    upload["created_at"]))
        found = self.upload_by_hash(upload["kiosk_id"], upload["sha256"], upload["size"])
        assert found is not None
        return found

    def upload(self, upload_id: str) -> Row | None:
        return self._one("SELECT * FROM uploads WHERE upload_id=%s", (upload_id,))

    def upload_by_hash(self, kiosk_id: str, sha256: str, size: int) -> Row | None:
        return self._one("SELECT * FROM uploads WHERE kiosk_id=%s AND sha256=%s AND size=%s", (kiosk_id, sha256, size))

    def set_upload_offset(self, upload_id: str, offset: int, complete: bool) -> None:
        self._exec("UPDATE uploads SET offset_bytes=%s, complete=%s WHERE upload_id=%s",
                   (offset, int(complete), upload_id))

    # ----- payments --------------------------------------------------------------------------------------------
    def create_payment(self, order: Row) -> Row:
        cols = ("order_id", "kiosk_id", "application_id", "item_code", "amount_fen", "status", "token", "created_at",
                "expires_at", "expires_at_iso")
        self._exec(f"INSERT INTO payments({', '.join(cols)}) VALUES ({_marks(len(cols))})",
                   tuple(order[c] for c in cols))
        found = self.payment(order["order_id"])
        assert found is not None
        return found

    def payment(self, order_id: str) -> Row | None:
        return self._one("SELECT * FROM payments WHERE order_id=%s", (order_id,))

    def payment_for(self, kiosk_id: str, application_id: str) -> Row | None:
        """The application's latest order (earlier ones were cancelled or expired)."""
        return self._one("SELECT * FROM payments WHERE kiosk_id=%s AND application_id=%s ORDER BY row_no DESC LIMIT 1",
                         (kiosk_id, application_id))

    _PAYMENT_COLS = frozenset({"status", "paid_at", "transaction_id", "reference", "refunded_at", "expires_at",
                               "expires_at_iso", "amount_fen", "token"})

    def update_payment(self, order_id: str, /, **cols: Any) -> None:
        unknown = set(cols) - self._PAYMENT_COLS
        if unknown:  # column names go into the SQL text: only known ones
            raise ValueError(f"unknown payment columns {sorted(unknown)}")
        names = ", ".join(f"{k}=%s" for k in cols)
        self._exec(f"UPDATE payments SET {names} WHERE order_id=%s", (*cols.values(), order_id))

    def payments_paid_on(self, day_prefix: str) -> list[Row]:
        return self._all("SELECT * FROM payments WHERE status='paid' AND paid_at LIKE %s ORDER BY paid_at",
                         (_like_prefix(day_prefix),))

    def payments_refunded_on(self, day_prefix: str) -> list[Row]:
        return self._all("SELECT * FROM payments WHERE status='refunded' AND refunded_at LIKE %s ORDER BY refunded_at",
                         (_like_prefix(day_prefix),))

    # ----- the biller's ledger (bills) -------------------------------------------------------------------------
    def bill(self, item_code: str, account_no: str, period: str) -> Row | None:
        return self._one("SELECT * FROM bills WHERE item_code=%s AND account_no=%s AND period=%s",
                         (item_code, account_no, period))

    def bill_ordered(self, item_code: str, account_no: str, period: str, amount_fen: int, order_id: str) -> None:
        """The bill's live order is ``order_id`` (an open bill only; a paid one keeps its settling order)."""
        self._exec("INSERT INTO bills(item_code, account_no, period, amount_fen, state, order_id) "
                   "VALUES (%s,%s,%s,%s,'open',%s) ON CONFLICT(item_code, account_no, period) DO UPDATE SET "
                   "order_id=excluded.order_id, amount_fen=excluded.amount_fen WHERE bills.state='open'",
                   (item_code, account_no, period, amount_fen, order_id))

    def bill_settled_by(self, order_id: str) -> Row | None:
        return self._one("SELECT * FROM bills WHERE order_id=%s AND state='paid'", (order_id,))

    def settle_bill(self, order_id: str, transaction_id: str, paid_at: str) -> bool:
        """open -> paid for the bill whose live order is ``order_id``; False when there is none."""
        return self._exec("UPDATE bills SET state='paid', transaction_id=%s, paid_at=%s WHERE order_id=%s "
                          "AND state='open'", (transaction_id, paid_at, order_id)) == 1

    # ----- delivery -------------------------------------------------------------------------------------------
    def create_waybill(self, waybill: Row) -> Row:
        cols = ("waybill_no", "reference", "carrier", "status", "recipient", "phone", "region", "address", "created_at")
        self._exec(f"INSERT INTO waybills({', '.join(cols)}) VALUES ({_marks(len(cols))}) ON CONFLICT DO NOTHING",
                   tuple(waybill[c] for c in cols))
        found = self.waybill_for(waybill["reference"])
        assert found is not None
        return found

    def waybill(self, waybill_no: str) -> Row | None:
        return self._one("SELECT * FROM waybills WHERE waybill_no=%s", (waybill_no,))

    def waybill_for(self, reference: str) -> Row | None:
        return self._one("SELECT * FROM waybills WHERE reference=%s", (reference,))

    def set_waybill_status(self, waybill_no: str, status: str, at: str, note: str) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE waybills SET status=%s WHERE waybill_no=%s", (status, waybill_no))
            conn.execute("INSERT INTO waybill_events(waybill_no, at, status, note) VALUES (%s,%s,%s,%s)",
                         (waybill_no, at, status, self._j(note)))

    def waybill_events(self, waybill_no: str) -> list[Row]:
        return self._all("SELECT at, status, note FROM waybill_events WHERE waybill_no=%s ORDER BY row_no",
                         (waybill_no,))


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern matching ``prefix`` literally at the start (SQLite's store does not escape; a day never has
    a wildcard in it, but a caller's string might)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
