"""``PgStore``'s issued results, SMS outbox, courier events (issue 18) and 我的办件's applicant index: the
PostgreSQL twins of results_sqlite.py, sms_sqlite.py and mine_sqlite.py (tables in migration 0002)."""
from __future__ import annotations

from typing import Callable

from .base import Duplicate, Row
from .pg_base import PgBase

_RESULT = ("reference", "code", "item_code", "kind", "holder_masked", "id_masked", "issued_at", "sha256", "size")
SMS_COLS = ("id", "reference", "event", "event_at", "created_at", "state", "phone", "phone_masked", "lang",
            "template", "params", "text", "attempts", "next_at", "last_error", "sent_at", "provider_id", "gateway")
_SMS_INSERT = [c for c in SMS_COLS if c != "id"]
_MINE = ("reference", "item_code", "kiosk_id", "status", "received_at")


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


class PgCases(PgBase):
    # ----- issued results --------------------------------------------------------------------------------------
    def add_result(self, row: Row) -> Row:
        """Index an issued document; ``Duplicate`` when the case (or the code) has one already."""
        try:
            self._exec(f"INSERT INTO results({', '.join(_RESULT)}) VALUES ({_marks(len(_RESULT))})",
                       tuple(row[c] for c in _RESULT))
        except Duplicate:
            raise Duplicate(row["reference"]) from None
        return {c: row[c] for c in _RESULT}

    def result_for(self, reference: str) -> Row | None:
        return self._one(f"SELECT {', '.join(_RESULT)} FROM results WHERE reference=%s", (reference,))

    def result_by_code(self, code: str) -> Row | None:
        return self._one(f"SELECT {', '.join(_RESULT)} FROM results WHERE code=%s", (code,))

    # ----- the SMS outbox and courier events --------------------------------------------------------------------
    def _sms_rows(self, sql: str, args: tuple = ()) -> list[Row]:
        return self._all(f"SELECT {', '.join(SMS_COLS)} FROM sms_messages " + sql, args)

    def add_sms(self, row: Row) -> Row:
        """Keep a notification; the same (reference, event, event_at) twice is one message (``Duplicate``)."""
        try:
            new_id = self._scalar(f"INSERT INTO sms_messages({', '.join(_SMS_INSERT)}) VALUES "
                                  f"({_marks(len(_SMS_INSERT))}) RETURNING id",
                                  tuple(row.get(c, 0 if c in ("attempts", "next_at") else "") for c in _SMS_INSERT))
        except Duplicate:
            raise Duplicate(row["reference"]) from None
        return self._sms_rows("WHERE id = %s", (new_id,))[0]

    SMS_LEASE_S = 120.0  # a message handed to one worker's sender is not due for the others for this long

    def sms_due(self, now: float, limit: int = 50) -> list[Row]:
        """The due messages, each handed to one caller only: every worker runs a sender thread, and without
        this two of them would send the same SMS. The rows are leased (``next_at`` moved ``SMS_LEASE_S`` on,
        locked rows skipped); the sender then marks them sent, failed or due again. A worker that dies with a
        lease leaves its messages due again when the lease runs out (sent at least once, not twice at once)."""
        rows = self._all(f"UPDATE sms_messages SET next_at = %s WHERE id IN (SELECT id FROM sms_messages "
                         "WHERE state = 'queued' AND next_at <= %s ORDER BY next_at, id LIMIT %s "
                         f"FOR UPDATE SKIP LOCKED) RETURNING {', '.join(SMS_COLS)}",
                         (now + self.SMS_LEASE_S, now, limit))
        return sorted(rows, key=lambda r: r["id"])

    def sms_next_due(self) -> float | None:
        return self._scalar("SELECT MIN(next_at) FROM sms_messages WHERE state = 'queued'")

    def update_sms(self, sms_id: int, /, **cols: object) -> None:
        names = [c for c in cols if c in SMS_COLS and c != "id"]
        if names:
            self._exec(f"UPDATE sms_messages SET {', '.join(f'{c} = %s' for c in names)} WHERE id = %s",
                       (*[cols[c] for c in names], sms_id))

    def sms_messages(self, reference: str | None = None, state: str | None = None, limit: int = 200) -> list[Row]:
        where, args = [], []
        if reference:
            where.append("reference = %s")
            args.append(reference)
        if state:
            where.append("state = %s")
            args.append(state)
        sql = ("WHERE " + " AND ".join(where) + " " if where else "") + "ORDER BY id DESC LIMIT %s"
        return self._sms_rows(sql, (*args, limit))

    def add_courier_event(self, row: Row) -> bool:
        """Remember a courier event by its id; False when it was seen before (by any worker)."""
        return self._exec("INSERT INTO courier_events(event_id, carrier, waybill_no, status, at, received_at) "
                          "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                          (row["event_id"], row["carrier"], row["waybill_no"], row["status"], row["at"],
                           row["received_at"])) == 1

    # ----- 我的办件: the applicant index -------------------------------------------------------------------------
    def index_applicants(self, id_hash: Callable[[str], str]) -> int:
        """Index the applications not indexed yet. Not "since the last seq" as on SQLite: with several workers
        a lower seq may commit after a higher one, so the missing rows are found by an anti-join."""
        rows = self._all("SELECT a.seq, a.reference, (a.manifest::jsonb)->'applicant'->>'id_number' AS number "
                         "FROM applications a LEFT JOIN applicant_index i ON i.seq = a.seq WHERE i.seq IS NULL "
                         "ORDER BY a.seq")
        if rows:
            with self._conn() as conn, conn.cursor() as cur:
                cur.executemany("INSERT INTO applicant_index(seq, reference, id_hash) VALUES (%s,%s,%s) "
                                "ON CONFLICT DO NOTHING",
                                [(r["seq"], r["reference"], id_hash(r["number"]) if r["number"] else "") for r in rows])
        return len(rows)

    def applications_of(self, id_hash: str, limit: int, offset: int = 0) -> list[Row]:
        """The holder's applications, newest first (the platform's order of arrival)."""
        if not id_hash:
            return []
        cols = ", ".join(f"a.{c}" for c in _MINE)
        return self._all(f"SELECT {cols} FROM applicant_index i JOIN applications a ON a.seq = i.seq "
                         "WHERE i.id_hash = %s ORDER BY i.seq DESC LIMIT %s OFFSET %s", (id_hash, limit, offset))

    def count_applications_of(self, id_hash: str) -> int:
        if not id_hash:
            return 0
        return int(self._scalar("SELECT COUNT(*) FROM applicant_index WHERE id_hash = %s", (id_hash,)))
