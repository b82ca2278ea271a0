"""The outbox key is not beside the outbox (sealed by systemd-creds/TPM2 or a root-only file elsewhere), old
kiosks are migrated without losing a queued application, and delivered applications do not stay for ever."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess

import pytest

from kiosk.crypto import Box, DecryptError
from kiosk.keystore import KeyStore, KeyStoreError, SystemdCreds
from kiosk.outbox import DeliveryResult, Outbox, OutboxState, open_outbox, outbox_keystore
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import FakeClock

MANIFEST = {"application_id": "app-1", "applicant": {"name": "李小明", "id_number": "440305200205141170",
                                                    "phone": "13800138000", "address": "深圳市南山区"}}
FILES = {"material-a.pdf": b"%PDF-1.4 secret page", "signature.png": b"\x89PNG signature"}


class FakeTpm(SystemdCreds):
    """systemd-creds --with-key=tpm2 on a machine with a TPM: the secret stays in the chip (``chip``)."""

    def __init__(self, chip: dict[bytes, bytes]) -> None:
        super().__init__()
        self.chip = chip

    def available(self) -> bool:
        return True

    def encrypt(self, name, data, out, with_key):
        handle = os.urandom(16)
        self.chip[handle] = bytes(data)
        out.write_bytes(b"TPM2" + handle)

    def decrypt(self, name, path):
        blob = path.read_bytes()
        if blob[4:] not in self.chip:
            raise KeyStoreError("this TPM did not seal it")
        return self.chip[blob[4:]]


def settings_for(data, seal="file"):
    return load_settings(default_files(False), data_dir=data, overrides={"security": {"outbox_key_seal": seal}})


def queue_three(box):
    for n in range(3):
        box.enqueue(f"app-{n}", "312000218000", dict(MANIFEST, application_id=f"app-{n}"), FILES)


def all_readable(box):
    return [box.package(f"app-{n}").manifest["application_id"] for n in range(3)]


def every_32_byte_file(root):
    return [p.read_bytes() for p in root.rglob("*") if p.is_file() and p.stat().st_size == 32]


def stolen_data_dir_opens_nothing(data, box_dir):
    """The thief has the data directory only: no file there unseals a manifest."""
    db = sqlite3.connect(box_dir / "outbox.sqlite")
    blobs = db.execute("SELECT id, manifest FROM applications").fetchall()
    db.close()
    opened = 0
    for candidate in every_32_byte_file(data):
        for app_id, blob in blobs:
            try:
                Box(candidate).open(blob, app_id.encode())
                opened += 1
            except DecryptError:
                pass
    return opened


def test_with_the_data_directory_alone_no_queued_manifest_decrypts(tmp_path):
    data = tmp_path / "data"
    settings = settings_for(data)
    box = open_outbox(settings)
    queue_three(box)
    box.close()
    assert stolen_data_dir_opens_nothing(data, data / "outbox") == 0
    key_file = settings.security.key_dir / "outbox.key"
    assert not key_file.is_relative_to(data)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", ["file", "tpm2", "credential", "host"])
def test_queued_applications_survive_a_restart_in_every_key_mode(tmp_path, mode, monkeypatch):
    if mode == "host" and (os.geteuid() != 0 or shutil.which("systemd-creds") is None):
        pytest.skip("systemd-creds --with-key=host needs root and systemd-creds")
    data = tmp_path / "data"
    settings = settings_for(data, {"credential": "file"}.get(mode, mode))
    chip: dict[bytes, bytes] = {}
    creds = FakeTpm(chip) if mode == "tpm2" else None
    if mode == "credential":  # systemd unsealed it for the service: LoadCredentialEncrypted=outbox.key:...
        creds_dir = tmp_path / "run-credentials"
        creds_dir.mkdir()
        (creds_dir / "outbox.key").write_bytes(os.urandom(32))
        monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds_dir))
    box = open_outbox(settings, creds=creds)
    queue_three(box)
    box.close()  # the machine reboots
    again = open_outbox(settings, creds=FakeTpm(chip) if mode == "tpm2" else None)
    assert all_readable(again) == ["app-0", "app-1", "app-2"]
    assert again.backlog() == 3
    again.close()
    store = outbox_keystore(settings, creds)
    if mode in ("tpm2", "host"):
        assert store.sealed_path.exists() and not store.file_path.exists()
        assert stolen_data_dir_opens_nothing(settings.security.key_dir, data / "outbox") == 0  # sealed blob
    if mode == "tpm2":  # the disk in another machine (another TPM): the sealed key does not open
        with pytest.raises(KeyStoreError):
            open_outbox(settings, creds=FakeTpm({}))


def test_a_tpm2_seal_without_a_tpm_refuses_rather_than_falling_back_to_a_plain_file(tmp_path):
    class NoTpm(SystemdCreds):
        def __init__(self):
            super().__init__(run=lambda *a, **k: subprocess.CompletedProcess(a, 1, b"", b"No TPM2 device"))

        def available(self):
            return True
    settings = settings_for(tmp_path / "data", "tpm2")
    with pytest.raises(KeyStoreError, match="TPM2"):
        open_outbox(settings, creds=NoTpm())
    assert not list(settings.security.key_dir.glob("*"))


@pytest.mark.parametrize("seal", ["file", "tpm2"])
def test_an_old_kiosk_with_the_key_beside_the_outbox_is_migrated_and_keeps_its_queue(tmp_path, seal):
    data = tmp_path / "data"
    old_key = os.urandom(32)
    old = Outbox(data / "outbox", "K1", key=old_key)
    queue_three(old)
    old.close()
    (data / "outbox" / "outbox.key").write_bytes(old_key)  # the old layout: the key beside the outbox
    settings = settings_for(data, seal)
    chip: dict[bytes, bytes] = {}
    box = open_outbox(settings, creds=FakeTpm(chip) if seal == "tpm2" else None)
    assert all_readable(box) == ["app-0", "app-1", "app-2"]
    box.close()
    assert not (data / "outbox" / "outbox.key").exists()
    assert stolen_data_dir_opens_nothing(data, data / "outbox") == 0
    db = sqlite3.connect(data / "outbox" / "outbox.sqlite")
    blob = db.execute("SELECT manifest FROM applications WHERE id='app-0'").fetchone()[0]
    db.close()
    with pytest.raises(DecryptError):  # a copy of the old key taken earlier opens nothing any more
        Box(old_key).open(blob, b"app-0")
    again = open_outbox(settings, creds=FakeTpm(chip) if seal == "tpm2" else None)  # and a reboot after it
    assert all_readable(again) == ["app-0", "app-1", "app-2"]
    again.close()


def test_a_migration_cut_off_before_the_old_key_was_removed_is_finished_at_the_next_start(tmp_path):
    data = tmp_path / "data"
    old_key = os.urandom(32)
    old = Outbox(data / "outbox", "K1", key=old_key)
    queue_three(old)
    old.close()
    settings = settings_for(data)
    (data / "outbox" / "outbox.key").write_bytes(old_key)
    open_outbox(settings).close()
    (data / "outbox" / "outbox.key").write_bytes(old_key)  # as if killed between COMMIT and the unlink
    box = open_outbox(settings)
    assert all_readable(box) == ["app-0", "app-1", "app-2"]
    box.close()
    assert not (data / "outbox" / "outbox.key").exists()


def test_delivered_applications_are_purged_after_the_retention_period_and_waiting_ones_never(tmp_path):
    clock = FakeClock(1_800_000_000.0)
    settings = load_settings(default_files(False), data_dir=tmp_path / "data",
                             overrides={"outbox": {"delivered_retention_days": 30}})
    assert settings.outbox.delivered_retention_days == 30
    box = open_outbox(settings, sender=lambda r, p: DeliveryResult("delivered", reference="SZ1"), clock=clock)
    box.enqueue("app-done", "312000218000", MANIFEST, FILES)
    box.deliver_due()
    box._sender = None
    box.enqueue("app-waiting", "312000218000", MANIFEST, FILES)
    clock.advance(29 * 86400)
    assert box.purge_delivered() == 0 and box.get("app-done").state == OutboxState.DELIVERED
    clock.advance(2 * 86400)
    assert box.purge_delivered() == 1
    assert box.get("app-done") is None and box.get("app-waiting") is not None
    assert box._db.execute("SELECT COUNT(*) FROM files WHERE app_id='app-done'").fetchone() == (0,)
    box.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data" / "outbox").glob("outbox.sqlite*"))
    assert b"SZ1" not in raw  # secure_delete: the purged row's bytes are gone from the file, not just unlinked


def test_the_key_dir_inside_the_data_dir_is_refused(tmp_path, monkeypatch):
    from kiosk.settings import SettingsError
    monkeypatch.setenv("KIOSK_KEY_DIR", str(tmp_path / "data" / "keys"))
    with pytest.raises(SettingsError, match="outside data_dir"):
        load_settings(default_files(False), data_dir=tmp_path / "data")


def test_a_key_file_left_readable_by_others_is_made_private_again(tmp_path):
    store = KeyStore("outbox.key", tmp_path / "keys", "file")
    store.load()
    os.chmod(store.file_path, 0o644)
    store.load()
    assert stat.S_IMODE(store.file_path.stat().st_mode) == 0o600
