"""The outbox's key: where it lives (``kiosk.keystore``: sealed by systemd-creds/TPM2, or a root-only file
outside the data directory), and the migration of a kiosk whose key lay beside the outbox."""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..crypto import Box, DecryptError
from ..keystore import KeyStore, SystemdCreds

log = logging.getLogger(__name__)

LEGACY_KEY = "outbox.key"  # where the key lay before: beside the outbox (migrated away at start)
OUTBOX_KEY = "outbox.key"  # the credential's name (LoadCredentialEncrypted= in deploy/kiosk.service)


def outbox_keystore(settings: Any, creds: SystemdCreds | None = None) -> KeyStore:
    """Where this kiosk's outbox key lives: ``security.key_dir`` (outside data_dir), sealed as settings say."""
    return KeyStore(OUTBOX_KEY, settings.security.key_dir, settings.security.outbox_key_seal, creds=creds)


def migrate_legacy_key(db: sqlite3.Connection, lock: threading.RLock, box: Box | None, legacy: Path) -> None:
    """Re-seal what the old in-directory key sealed under the new key, then destroy the old key.

    One transaction: a kill leaves either every record under the old key (the old key still there, the
    next start does it again) or every record under the new one. A record the old key cannot open but
    the new one can was migrated already (a kill between COMMIT and the unlink).
    """
    if not legacy.is_file() or box is None:
        return
    old_key = legacy.read_bytes()
    if len(old_key) != 32:
        raise DecryptError(f"{legacy}: key file has {len(old_key)} bytes, expected 32")
    old = Box(old_key)
    moved = 0
    with lock:
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = [(f"{a}".encode(), "applications", "manifest", "id=?", (a,), blob) for a, blob in
                    db.execute("SELECT id, manifest FROM applications").fetchall()]
            rows += [(f"{a}/{n}".encode(), "files", "blob", "app_id=? AND name=?", (a, n), blob) for a, n, blob in
                     db.execute("SELECT app_id, name, blob FROM files").fetchall()]
            for aad, table, col, where, args, blob in rows:
                try:
                    plain = old.open(blob, aad)
                except DecryptError:
                    box.open(blob, aad)  # already under the new key, or the raise says why not
                    continue
                db.execute(f"UPDATE {table} SET {col}=? WHERE {where}", (box.seal(plain, aad), *args))
                moved += 1
            db.execute("COMMIT")
        except BaseException:
            try:
                db.execute("ROLLBACK")
            except sqlite3.OperationalError:
                pass  # SQLite rolled back by itself
            raise
    fd = os.open(legacy, os.O_WRONLY)
    try:
        os.write(fd, bytes(len(old_key)))  # overwrite before unlinking: the old key does not linger
        os.fsync(fd)
    finally:
        os.close(fd)
    legacy.unlink()
    log.warning("outbox: %d sealed item(s) moved from the key beside the outbox (%s, now destroyed) to the "
                "kiosk's sealed key", moved, legacy)

