"""``PgStore``'s audit anchor and guarded enrolment (issue 16), as ``SqliteAnchor`` does them on SQLite.

SQLite serialised these with BEGIN IMMEDIATE under a process lock. Here each is one transaction that first
locks the row it decides on: the kiosk's head row (created at genesis if missing, then ``SELECT ... FOR
UPDATE``), or for enrolment a transaction-scoped advisory lock on the kiosk id. Two workers anchoring the same
kiosk's trail therefore take turns, and the second sees the head the first left.
"""
from __future__ import annotations

import json

import psycopg

from .base import Row
from .pg_base import PgBase

GENESIS = "0" * 64


class PgAnchor(PgBase):
    @staticmethod
    def _locked_head(conn: psycopg.Connection, kiosk_id: str) -> Row:
        conn.execute("INSERT INTO audit_heads(kiosk_id, epoch, seq, hash) VALUES (%s, 1, 0, %s) "
                     "ON CONFLICT DO NOTHING", (kiosk_id, GENESIS))
        row = conn.execute("SELECT epoch, seq, hash, alarm FROM audit_heads WHERE kiosk_id=%s FOR UPDATE",
                           (kiosk_id,)).fetchone()
        assert row is not None
        return {"kiosk_id": kiosk_id, "epoch": row["epoch"], "seq": row["seq"], "hash": row["hash"],
                "alarm": row["alarm"]}

    def audit_head(self, kiosk_id: str) -> Row:
        row = self._one("SELECT epoch, seq, hash, alarm FROM audit_heads WHERE kiosk_id=%s", (kiosk_id,))
        if row is None:
            return {"kiosk_id": kiosk_id, "epoch": 1, "seq": 0, "hash": GENESIS, "alarm": ""}
        return {"kiosk_id": kiosk_id, **row}

    def anchor_audit(self, kiosk_id: str, records: list[Row], at: str, broken: str = "") -> tuple[int, Row, str]:
        """As ``SqliteAnchor.anchor_audit``: append the records that continue the head; refuse the first that
        does not (kept none after it) and leave the alarm on the head."""
        stored = 0
        refusal = ""
        with self._tx() as conn:
            head = self._locked_head(conn, kiosk_id)
            for r in records:
                seq = int(r["seq"])
                if seq <= head["seq"]:
                    got = conn.execute("SELECT hash FROM audit_chain WHERE kiosk_id=%s AND epoch=%s AND seq=%s",
                                       (kiosk_id, head["epoch"], seq)).fetchone()
                    if got is None or got["hash"] != r["hash"]:
                        refusal = (f"seq {seq} differs from the record the platform holds (head seq "
                                   f"{head['seq']}): the trail was rewound, wiped or rewritten")
                        break
                    continue
                if seq != head["seq"] + 1:
                    refusal = f"seq {seq} follows seq {head['seq']}: records {head['seq'] + 1}-{seq - 1} are missing"
                    break
                if r["prev"] != head["hash"]:
                    refusal = f"seq {seq} does not chain to seq {head['seq']} held by the platform: a fork"
                    break
                conn.execute("INSERT INTO audit_chain(kiosk_id, epoch, seq, at, kind, data, hash) "
                             "VALUES (%s,%s,%s,%s,%s,%s,%s)", (kiosk_id, head["epoch"], seq, r["at"], r["kind"],
                                                               json.dumps(r["data"], ensure_ascii=False), r["hash"]))
                head = dict(head, seq=seq, hash=r["hash"])
                stored += 1
            refusal = refusal or broken
            alarm = refusal or ("" if stored else head["alarm"])
            conn.execute("UPDATE audit_heads SET seq=%s, hash=%s, alarm=%s, alarm_at=%s WHERE kiosk_id=%s",
                         (head["seq"], head["hash"], alarm, at if alarm else None, kiosk_id))
        head["alarm"] = alarm
        return stored, head, refusal

    def new_audit_epoch(self, kiosk_id: str, at: str, operator: str, reason: str) -> Row:
        with self._tx() as conn:
            old = self._locked_head(conn, kiosk_id)
            head = {"kiosk_id": kiosk_id, "epoch": old["epoch"] + 1, "seq": 0, "hash": GENESIS, "alarm": ""}
            conn.execute("UPDATE audit_heads SET epoch=%s, seq=0, hash=%s, alarm='', alarm_at=NULL WHERE kiosk_id=%s",
                         (head["epoch"], GENESIS, kiosk_id))
            self._action(conn, at, "audit_new_epoch", kiosk_id, operator, reason,
                         {"old_epoch": old["epoch"], "old_seq": old["seq"], "old_hash": old["hash"],
                          "open_alarm": old["alarm"], "new_epoch": head["epoch"]})
        return head

    def audit_last_seq(self, kiosk_id: str) -> int:
        return int(self.audit_head(kiosk_id)["seq"])

    def audit_count(self, kiosk_id: str) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM audit_chain WHERE kiosk_id=%s", (kiosk_id,)))

    # ----- administrator's acts and guarded enrolment --------------------------------------------------------
    @staticmethod
    def _action(conn: psycopg.Connection, at: str, action: str, kiosk_id: str, operator: str, reason: str,
                detail: dict) -> None:
        conn.execute("INSERT INTO admin_actions(at, action, kiosk_id, operator, reason, detail) "
                     "VALUES (%s,%s,%s,%s,%s,%s)", (at, action, kiosk_id, operator, reason,
                                                    json.dumps(detail, ensure_ascii=False)))

    def admin_actions(self, kiosk_id: str | None = None) -> list[Row]:
        sql = "SELECT at, action, kiosk_id, operator, reason, detail FROM admin_actions"
        rows = (self._all(sql + " WHERE kiosk_id=%s ORDER BY row_no", (kiosk_id,)) if kiosk_id
                else self._all(sql + " ORDER BY row_no"))
        for r in rows:  # "detail" is JSON here but plain text in alarms: decoded here, not by _decode
            r["detail"] = json.loads(r["detail"])
        return rows

    def grant_rekey(self, kiosk_id: str, at: str, operator: str, reason: str) -> None:
        with self._tx() as conn:
            conn.execute("INSERT INTO rekey_grants(kiosk_id, granted_at, operator, reason) VALUES (%s,%s,%s,%s) "
                         "ON CONFLICT(kiosk_id) DO UPDATE SET granted_at=excluded.granted_at, "
                         "operator=excluded.operator, reason=excluded.reason", (kiosk_id, at, operator, reason))
            self._action(conn, at, "rekey_granted", kiosk_id, operator, reason, {})

    def enrol_kiosk(self, code_hash: str, kiosk_id: str, secret: str, now: float, at: str, location: str = "",
                    region_code: str = "") -> str:
        """"ok", "code" or "live", as ``SqliteAnchor.enrol_kiosk``; one enrolment per kiosk id at a time across
        workers (a transaction-scoped advisory lock), the code spent and the secret stored together."""
        with self._tx() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('enrol:' || %s))", (kiosk_id,))
            ok = conn.execute("SELECT 1 FROM enrolments WHERE code_hash=%s AND kiosk_id=%s AND used_at IS NULL "
                              "AND expires_at>%s FOR UPDATE", (code_hash, kiosk_id, now)).fetchone()
            live = conn.execute("SELECT 1 FROM kiosks WHERE kiosk_id=%s", (kiosk_id,)).fetchone()
            grant = conn.execute("SELECT operator, reason FROM rekey_grants WHERE kiosk_id=%s",
                                 (kiosk_id,)).fetchone()
            outcome = "code" if ok is None else "live" if live and grant is None else "ok"
            if outcome == "ok":
                conn.execute("UPDATE enrolments SET used_at=%s WHERE code_hash=%s", (now, code_hash))
                conn.execute("INSERT INTO kiosks(kiosk_id, secret, location, region_code, enrolled_at) "
                             "VALUES (%s,%s,%s,%s,%s) ON CONFLICT(kiosk_id) DO UPDATE SET secret=excluded.secret, "
                             "location=excluded.location, region_code=excluded.region_code",
                             (kiosk_id, secret, location, region_code, at))
                if live:
                    conn.execute("DELETE FROM rekey_grants WHERE kiosk_id=%s", (kiosk_id,))
                    self._action(conn, at, "rekeyed", kiosk_id, grant["operator"], grant["reason"], {})
            elif outcome == "live":
                self._action(conn, at, "enrol_refused_live", kiosk_id, "", "a one-time code was used for an enrolled "
                             "kiosk without a re-key grant; its secret was kept", {})
        return outcome
