"""Keys kept OUTSIDE the data directory: whoever can edit the data must not find the key beside it.

Where a key comes from, first match wins:

1. a systemd credential ``$CREDENTIALS_DIRECTORY/<name>`` — the unit passes it with ``LoadCredential=`` (a
   root-only file) or ``LoadCredentialEncrypted=`` (sealed with the TPM by ``systemd-creds encrypt``). The
   service user reads it from a private in-memory directory; it never lies on the kiosk's data disk.
2. the host key file (a setting, e.g. ``/etc/kiosk/audit.key``): root-owned, mode 0600 in a 0700 directory.
   A file ending in ``.cred`` is a sealed credential and is opened with ``systemd-creds decrypt``.
   When it does not exist and its directory can be written (installation as root; tests), it is created.

A key file inside the data directory is refused (``AuditKeyError`` with code 7101): that is the weakness this
module closes. What it protects against: someone with the data disk (or the data directory's user) but not
root on the running system cannot read the key, so cannot re-MAC a changed audit trail. It does not protect
against root on the running kiosk (who can read anything the service can); the platform's copy of the trail
is the anchor against that.
"""
from __future__ import annotations

import logging
import os
import secrets
import stat
import subprocess
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KEY_OUTSIDE_DATA_DIR = 7101
KEY_UNREADABLE = 7102
KEY_MALFORMED = 7103


class AuditKeyError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"E{code}: {message}")
        self.code = code


def resolve_key_file(key_file: str | os.PathLike[str], data_dir: Path) -> Path:
    """``key_file`` as a path: ``~`` expanded; a relative path is taken from data_dir's PARENT directory
    (so a demo or a test keeps its key next to, never inside, its data directory)."""
    path = Path(key_file).expanduser()
    if not path.is_absolute():
        path = Path(data_dir).expanduser().resolve().parent / path
    return path


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(Path(directory).expanduser().resolve())
        return True
    except ValueError:
        return False


def credential(name: str) -> bytes | None:
    """The systemd credential ``name`` for this service, or None outside such a unit."""
    directory = os.environ.get("CREDENTIALS_DIRECTORY")
    if not directory:
        return None
    try:
        return (Path(directory) / name).read_bytes()
    except OSError:
        return None


def load_key(name: str, key_file: str | os.PathLike[str], data_dir: Path, *, create: bool = True,
             length: int = 32) -> bytes:
    """The key called ``name`` (see the module text for where it is looked for)."""
    cred = credential(name)
    if cred is not None:
        return _checked(cred, length, f"credential {name}")
    path = resolve_key_file(key_file, data_dir)
    if _inside(path, data_dir):
        raise AuditKeyError(KEY_OUTSIDE_DATA_DIR, f"{path} lies inside the data directory {data_dir}: whoever can "
                                                  "change the data could use it; keep it in a root-only place "
                                                  "such as /etc/kiosk/")
    if path.suffix == ".cred":
        return _checked(_decrypt(name, path), length, str(path))
    try:
        st = path.stat()
    except FileNotFoundError:
        if not create:
            raise AuditKeyError(KEY_UNREADABLE, f"no key at {path}") from None
        return _create(path, length)
    except OSError as exc:
        raise AuditKeyError(KEY_UNREADABLE, f"cannot read {path}: {exc}") from None
    if stat.S_IMODE(st.st_mode) & 0o077:
        log.warning("%s had mode %o; set to 0600", path, stat.S_IMODE(st.st_mode))
        os.chmod(path, 0o600)
    try:
        return _checked(path.read_bytes(), length, str(path))
    except OSError as exc:
        raise AuditKeyError(KEY_UNREADABLE, f"cannot read {path}: {exc}") from None


def _checked(key: bytes, length: int, where: str) -> bytes:
    if len(key) != length:
        raise AuditKeyError(KEY_MALFORMED, f"{where} holds {len(key)} bytes, expected {length}")
    return key


def _decrypt(name: str, path: Path) -> bytes:
    try:
        done = subprocess.run(["systemd-creds", "decrypt", f"--name={name}", str(path), "-"],
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AuditKeyError(KEY_UNREADABLE, f"cannot unseal {path}: {exc}") from None
    if done.returncode != 0:
        raise AuditKeyError(KEY_UNREADABLE, f"cannot unseal {path}: "
                                            f"{done.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return done.stdout


def _create(path: Path, length: int) -> bytes:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(length)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise AuditKeyError(KEY_UNREADABLE, f"no key at {path} and it cannot be created here ({exc}); create it "
                                            "as root at installation") from None
    log.info("created key %s (mode 0600)", path)
    return key


# ----- the audit trail's key ---------------------------------------------------------------------
LEGACY_KEY = "audit.key"  # where the key lay before issue 16: beside the trail (moved away at start)
CREDENTIAL = "kiosk-audit-key"  # the systemd credential's name (LoadCredential=kiosk-audit-key:...)
KEY_FILE_ENV = "KIOSK_AUDIT_KEY_FILE"  # overrides audit.key_file (a unit's Environment=, the tests)


def audit_key(settings: Any, *, create: bool = True) -> bytes:
    """The audit key for these settings, kept outside the data directory (kiosk/keystore.py).

    A key left beside the trail by an older version is moved to the key file when that is still free (and
    removed from the trail's directory once the key file holds it), so an upgraded kiosk keeps verifying its
    old records. ``create`` False (``kiosk audit verify``): a missing key is an error, never a new key.
    """
    legacy = Path(settings.data_dir) / "audit" / LEGACY_KEY
    key_file = os.environ.get(KEY_FILE_ENV) or settings.audit.key_file
    path = resolve_key_file(key_file, settings.data_dir)
    if legacy.exists() and credential(CREDENTIAL) is None and not path.exists():
        old = legacy.read_bytes()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, old)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        log.warning("audit: the key lay beside the trail; moved to %s", path)
    key = load_key(CREDENTIAL, key_file, settings.data_dir, create=create)
    if legacy.exists():
        if legacy.read_bytes() == key:
            legacy.unlink()
        else:
            log.error("audit: %s is not the audit key in use; left for the inspector", legacy)
    return key
