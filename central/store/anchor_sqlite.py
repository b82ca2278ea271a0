"""The audit anchor and guarded enrolment on SQLite (issue 16): a mixin of ``SqliteStore``.

- ``audit_chain`` holds each kiosk's audit records per epoch; ``audit_heads`` the head the platform has seen
  (epoch, seq, hash) and the open alarm. ``anchor_audit`` appends only records that continue that head: a
  repeat of a stored record is harmless, another record at a stored seq (a fork, a rewound or wiped trail) or a
  gap is refused, stored nowhere, and leaves an alarm.
- ``admin_actions`` records every administrator's act on a kiosk (new audit epoch, re-key grant, re-key).
- ``enrol_kiosk`` spends a one-time code and stores the secret in one transaction, and refuses an id that
  already has a secret unless a re-key was granted (``grant_rekey``).
"""
from __future__ import annotations

import json
import sqlite3
import threading

from .base import Row

GENESIS = "0" * 64

ANCHOR_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_chain (
    kiosk_id TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
    data TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (kiosk_id, epoch, seq)
);
CREATE TABLE IF NOT EXISTS audit_heads (
    kiosk_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL,
    alarm TEXT NOT NULL DEFAULT '', alarm_at TEXT
);
CREATE TABLE IF NOT EXISTS admin_actions (
    at TEXT NOT NULL, action TEXT NOT NULL, kiosk_id TEXT NOT NULL, operator TEXT NOT NULL, reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS rekey_grants (
    kiosk_id TEXT PRIMARY KEY, granted_at TEXT NOT NULL, operator TEXT NOT NULL, reason TEXT NOT NULL
);
"""


class SqliteAnchor:
    _db: sqlite3.Connection
    _lock: threading.RLock

    def _init_anchor(self) -> None:
        with self._lock:
            self._db.executescript(ANCHOR_SCHEMA)
            # Records stored before the anchor existed (table ``audit``) become epoch 1, once.
            old = self._db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='audit'").fetchone()
            if old:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.execute("INSERT OR IGNORE INTO audit_chain(kiosk_id, epoch, seq, at, kind, data, hash) "
                                     "SELECT kiosk_id, 1, seq, at, kind, data, "
                                     "COALESCE(json_extract(data, '$.hash'), '') FROM audit")
                    self._db.execute("INSERT OR IGNORE INTO audit_heads(kiosk_id, epoch, seq, hash) "
                                     "SELECT kiosk_id, 1, seq, hash FROM audit_chain c WHERE seq = (SELECT MAX(seq) "
                                     "FROM audit_chain WHERE kiosk_id=c.kiosk_id AND epoch=1)")
                    self._db.execute("DROP TABLE audit")
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise

    # ----- the audit anchor ----------------------------------------------------------------------------------
    def _head(self, kiosk_id: str) -> Row:
        row = self._db.execute("SELECT epoch, seq, hash, alarm FROM audit_heads WHERE kiosk_id=?",
                               (kiosk_id,)).fetchone()
        if row is None:
            return {"kiosk_id": kiosk_id, "epoch": 1, "seq": 0, "hash": GENESIS, "alarm": ""}
        return {"kiosk_id": kiosk_id, "epoch": row[0], "seq": row[1], "hash": row[2], "alarm": row[3]}

    def audit_head(self, kiosk_id: str) -> Row:
        with self._lock:
            return self._head(kiosk_id)

    def anchor_audit(self, kiosk_id: str, records: list[Row], at: str, broken: str = "") -> tuple[int, Row, str]:
        """Append ``records`` (seq, at, kind, data, hash, prev; hashes already checked) after the head.

        Returns (stored, head, refusal): refusal "" when every record was a repeat or continued the chain;
        else why the first bad record was refused (the records before it are kept, none after it) and the
        alarm stays on the head until records are accepted again or an administrator starts a new epoch.
        ``broken``: the caller found a record after ``records`` that does not match its hash (the refusal)."""
        stored = 0
        refusal = ""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                head = self._head(kiosk_id)
                for r in records:
                    seq = int(r["seq"])
                    if seq <= head["seq"]:
                        got = self._db.execute("SELECT hash FROM audit_chain WHERE kiosk_id=? AND epoch=? AND seq=?",
                                               (kiosk_id, head["epoch"], seq)).fetchone()
                        if got is None or got[0] != r["hash"]:
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
                    self._db.execute("INSERT INTO audit_chain(kiosk_id, epoch, seq, at, kind, data, hash) "
                                     "VALUES (?,?,?,?,?,?,?)", (kiosk_id, head["epoch"], seq, r["at"], r["kind"],
                                                                json.dumps(r["data"], ensure_ascii=False), r["hash"]))
                    head = dict(head, seq=seq, hash=r["hash"])
                    stored += 1
                refusal = refusal or broken
                alarm = refusal or ("" if stored else head["alarm"])
                self._db.execute("INSERT INTO audit_heads(kiosk_id, epoch, seq, hash, alarm, alarm_at) "
                                 "VALUES (?,?,?,?,?,?) ON CONFLICT(kiosk_id) DO UPDATE SET seq=excluded.seq, "
                                 "hash=excluded.hash, alarm=excluded.alarm, alarm_at=excluded.alarm_at",
                                 (kiosk_id, head["epoch"], head["seq"], head["hash"], alarm, at if alarm else None))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            head["alarm"] = alarm
        return stored, head, refusal

    def new_audit_epoch(self, kiosk_id: str, at: str, operator: str, reason: str) -> Row:
        """An administrator's explicit act after a replaced disk: the next record must start a new chain at
        seq 1. The old epoch's records stay; the act is recorded in ``admin_actions``."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                old = self._head(kiosk_id)
                head = {"kiosk_id": kiosk_id, "epoch": old["epoch"] + 1, "seq": 0, "hash": GENESIS, "alarm": ""}
                self._db.execute("INSERT INTO audit_heads(kiosk_id, epoch, seq, hash, alarm) VALUES (?,?,0,?,'') "
                                 "ON CONFLICT(kiosk_id) DO UPDATE SET epoch=excluded.epoch, seq=0, hash=excluded.hash, "
                                 "alarm='', alarm_at=NULL", (kiosk_id, head["epoch"], GENESIS))
                self._action(at, "audit_new_epoch", kiosk_id, operator, reason,
                             {"old_epoch": old["epoch"], "old_seq": old["seq"], "old_hash": old["hash"],
                              "open_alarm": old["alarm"], "new_epoch": head["epoch"]})
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return head

    def audit_records(self, kiosk_id: str, epoch: int) -> list[Row]:
        """Every anchored record of one kiosk's epoch in seq order (the 电子监察 trail re-checks their chain)."""
        with self._lock:
            rows = self._db.execute("SELECT epoch, seq, at, kind, data, hash FROM audit_chain WHERE kiosk_id=? "
                                    "AND epoch=? ORDER BY seq", (kiosk_id, epoch)).fetchall()
        return [{"epoch": r[0], "seq": r[1], "at": r[2], "kind": r[3], "data": json.loads(r[4]), "hash": r[5]}
                for r in rows]

    def audit_last_seq(self, kiosk_id: str) -> int:
        return int(self.audit_head(kiosk_id)["seq"])

    def audit_count(self, kiosk_id: str) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM audit_chain WHERE kiosk_id=?", (kiosk_id,)).fetchone()
        return int(n)

    # ----- administrator's acts and guarded enrolment --------------------------------------------------------
    def _action(self, at: str, action: str, kiosk_id: str, operator: str, reason: str, detail: dict) -> None:
        self._db.execute("INSERT INTO admin_actions(at, action, kiosk_id, operator, reason, detail) "
                         "VALUES (?,?,?,?,?,?)", (at, action, kiosk_id, operator, reason,
                                                  json.dumps(detail, ensure_ascii=False)))

    def admin_actions(self, kiosk_id: str | None = None) -> list[Row]:
        sql = "SELECT at, action, kiosk_id, operator, reason, detail FROM admin_actions"
        with self._lock:
            rows = (self._db.execute(sql + " WHERE kiosk_id=? ORDER BY rowid", (kiosk_id,)) if kiosk_id
                    else self._db.execute(sql + " ORDER BY rowid")).fetchall()
        return [{"at": r[0], "action": r[1], "kiosk_id": r[2], "operator": r[3], "reason": r[4],
                 "detail": json.loads(r[5])} for r in rows]

    def grant_rekey(self, kiosk_id: str, at: str, operator: str, reason: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT INTO rekey_grants(kiosk_id, granted_at, operator, reason) VALUES (?,?,?,?) "
                                 "ON CONFLICT(kiosk_id) DO UPDATE SET granted_at=excluded.granted_at, "
                                 "operator=excluded.operator, reason=excluded.reason", (kiosk_id, at, operator, reason))
                self._action(at, "rekey_granted", kiosk_id, operator, reason, {})
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def enrol_kiosk(self, code_hash: str, kiosk_id: str, secret: str, now: float, at: str, location: str = "",
                    region_code: str = "") -> str:
        """"ok" (code spent, secret stored), "code" (unknown, used or expired: nothing changed) or "live" (the
        id has a secret and no re-key was granted: nothing changed, the code stays unspent)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                ok = self._db.execute("SELECT 1 FROM enrolments WHERE code_hash=? AND kiosk_id=? AND used_at IS NULL "
                                      "AND expires_at>?", (code_hash, kiosk_id, now)).fetchone()
                live = self._db.execute("SELECT 1 FROM kiosks WHERE kiosk_id=?", (kiosk_id,)).fetchone()
                grant = self._db.execute("SELECT operator, reason FROM rekey_grants WHERE kiosk_id=?",
                                         (kiosk_id,)).fetchone()
                outcome = "code" if ok is None else "live" if live and grant is None else "ok"
                if outcome == "ok":
                    self._db.execute("UPDATE enrolments SET used_at=? WHERE code_hash=?", (now, code_hash))
                    self._db.execute("INSERT INTO kiosks(kiosk_id, secret, location, region_code, enrolled_at) "
                                     "VALUES (?,?,?,?,?) ON CONFLICT(kiosk_id) DO UPDATE SET secret=excluded.secret, "
                                     "location=excluded.location, region_code=excluded.region_code",
                                     (kiosk_id, secret, location, region_code, at))
                    if live:
                        self._db.execute("DELETE FROM rekey_grants WHERE kiosk_id=?", (kiosk_id,))
                        self._action(at, "rekeyed", kiosk_id, grant[0], grant[1], {})
                elif outcome == "live":
                    self._action(at, "enrol_refused_live", kiosk_id, "", "a one-time code was used for an enrolled "
                                 "kiosk without a re-key grant; its secret was kept", {})
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return outcome
