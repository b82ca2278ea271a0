"""Keys kept away from the data they protect: sealed with systemd-creds (TPM2 where present) or a root-only file.

A key is found, in this order:

1. ``$CREDENTIALS_DIRECTORY/<name>``: systemd decrypted it for the service (``LoadCredentialEncrypted=`` in
   deploy/kiosk.service) and handed it over in memory; the kiosk's user never reads the sealed blob.
2. ``<key_dir>/<name>.cred``: a ``systemd-creds`` blob, decrypted here (works as root: ``kiosk`` commands
   run by a technician).
3. ``<key_dir>/<name>``: a plain key file, mode 0600 in a 0700 directory, outside the data directory.

When none exists the key is created: sealed with ``systemd-creds encrypt --with-key=<seal>`` (``auto``: the
TPM2 when the machine has one, else the host secret /var/lib/systemd/credential.secret; ``tpm2``: the TPM2
or nothing; ``host``: the host secret), or, for ``seal = "file"`` and when ``auto`` cannot seal (no
systemd-creds, not root), written as the plain file. docs/security.md says what each protects against.

Shared: the outbox key uses it (kiosk/outbox/); another key can too (one ``KeyStore`` per name).
"""
from __future__ import annotations

import logging
import os
import secrets
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal, Mapping

from .private import private_dir, write_private

log = logging.getLogger(__name__)

KEY_BYTES = 32
Seal = Literal["auto", "tpm2", "host", "file"]


class KeyStoreError(OSError):
    """The key cannot be found, unsealed or created: the kiosk must not guess a new one for old data."""


class SystemdCreds:
    """``systemd-creds`` as a small object, so tests can stand in for a TPM."""

    def __init__(self, run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> None:
        self._run = run

    def available(self) -> bool:
        return shutil.which("systemd-creds") is not None

    def encrypt(self, name: str, data: bytes, out: Path, with_key: str) -> None:
        proc = self._run(["systemd-creds", "encrypt", f"--with-key={with_key}", f"--name={name}", "-", str(out)],
                         input=data, capture_output=True, timeout=60)
        if proc.returncode != 0:
            raise KeyStoreError(f"systemd-creds encrypt --with-key={with_key} failed: "
                                f"{proc.stderr.decode('utf-8', 'replace').strip()}")

    def decrypt(self, name: str, path: Path) -> bytes:
        proc = self._run(["systemd-creds", "decrypt", f"--name={name}", str(path), "-"], capture_output=True,
                         timeout=60)
        if proc.returncode != 0:
            raise KeyStoreError(f"systemd-creds cannot unseal {path}: "
                                f"{proc.stderr.decode('utf-8', 'replace').strip()}")
        return proc.stdout


@dataclass(frozen=True)
class Loaded:
    key: bytes
    source: str  # "credential" | "sealed" | "file"
    created: bool = False


class KeyStore:
    def __init__(self, name: str, key_dir: Path, seal: Seal = "auto", *, creds: SystemdCreds | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.key_dir = Path(key_dir)
        self.seal = seal
        self.creds = creds or SystemdCreds()
        self.env = os.environ if env is None else env

    @property
    def sealed_path(self) -> Path:
        return self.key_dir / f"{self.name}.cred"

    @property
    def file_path(self) -> Path:
        return self.key_dir / self.name

    def load(self, create: bool = True) -> Loaded:
        cred_dir = self.env.get("CREDENTIALS_DIRECTORY")
        if cred_dir and (Path(cred_dir) / self.name).is_file():
            return Loaded(_checked(Path(cred_dir) / self.name, (Path(cred_dir) / self.name).read_bytes()),
                          "credential")
        if self.sealed_path.is_file():
            return Loaded(_checked(self.sealed_path, self.creds.decrypt(self.name, self.sealed_path)), "sealed")
        if self.file_path.is_file():
            mode = stat.S_IMODE(self.file_path.stat().st_mode)
            if mode & 0o077:
                log.warning("%s had mode %o; set to 0600", self.file_path, mode)
                os.chmod(self.file_path, 0o600)
            return Loaded(_checked(self.file_path, self.file_path.read_bytes()), "file")
        if not create:
            raise KeyStoreError(f"no key {self.name}: neither {self.sealed_path} nor {self.file_path} exists")
        return self._create()

    def _create(self) -> Loaded:
        key = secrets.token_bytes(KEY_BYTES)
        if self.seal != "file":
            try:
                if not self.creds.available():
                    raise KeyStoreError("systemd-creds is not installed")
                private_dir(self.key_dir)
                self.creds.encrypt(self.name, key, self.sealed_path, self.seal)
                os.chmod(self.sealed_path, 0o600)
                log.info("key %s created, sealed with systemd-creds (--with-key=%s)", self.name, self.seal)
                return Loaded(key, "sealed", True)
            except (KeyStoreError, OSError) as exc:
                if self.seal != "auto":
                    raise KeyStoreError(f"cannot seal {self.name} with --with-key={self.seal}: {exc}") from exc
                log.warning("key %s: cannot seal with systemd-creds (%s); kept as a root-only file %s",
                            self.name, exc, self.file_path)
        try:
            write_private(self.file_path, key)
        except OSError as exc:
            raise KeyStoreError(f"cannot create the key file {self.file_path}: {exc}") from exc
        return Loaded(key, "file", True)


def _checked(path: Path, key: bytes) -> bytes:
    if len(key) != KEY_BYTES:
        raise KeyStoreError(f"{path}: key has {len(key)} bytes, expected {KEY_BYTES}")
    return key
