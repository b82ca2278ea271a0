"""Keys outside the data directory (kiosk/keystore.py) and the audit key's move away from the trail."""
from __future__ import annotations

import stat

import pytest

from kiosk.audit.trail import AuditTrail
from kiosk.audit.key import audit_key
from kiosk.audit.verify import verify
from kiosk.audit.key import KEY_OUTSIDE_DATA_DIR, KEY_UNREADABLE, AuditKeyError, load_key
from kiosk.settings import default_files, load_settings


def test_a_key_file_inside_the_data_dir_is_refused(tmp_path):
    with pytest.raises(AuditKeyError) as exc:
        load_key("kiosk-audit-key", tmp_path / "data" / "audit" / "audit.key", tmp_path / "data")
    assert exc.value.code == KEY_OUTSIDE_DATA_DIR and "inside the data directory" in str(exc.value)


def test_a_key_is_created_0600_outside_and_never_created_when_only_read(tmp_path):
    path = tmp_path / "etc" / "audit.key"
    with pytest.raises(AuditKeyError) as exc:
        load_key("k", path, tmp_path / "data", create=False)
    assert exc.value.code == KEY_UNREADABLE and not path.exists()
    key = load_key("k", path, tmp_path / "data")
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key("k", path, tmp_path / "data") == key


def test_a_systemd_credential_wins_over_the_file(tmp_path, monkeypatch):
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "kiosk-audit-key").write_bytes(b"c" * 32)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "creds"))
    assert load_key("kiosk-audit-key", tmp_path / "etc" / "audit.key", tmp_path / "data") == b"c" * 32


def test_an_old_key_beside_the_trail_is_moved_out_and_old_records_still_verify(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path / "data")
    (settings.data_dir / "audit").mkdir(parents=True)
    (settings.data_dir / "audit" / "audit.key").write_bytes(b"o" * 32)  # as the old version left it
    trail = AuditTrail.for_settings(settings)
    trail.record("step", {})
    trail.close()
    assert not list(settings.data_dir.rglob("*.key"))
    assert audit_key(settings, create=False) == b"o" * 32
    assert verify(settings.data_dir / "audit", b"o" * 32).ok
