"""Encryption at rest for what waits in the outbox: AES-256-GCM with a key file created mode 0600."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_LEN = 12
VERSION = b"\x01"
log = logging.getLogger(__name__)


class DecryptError(ValueError):
    pass


def load_or_create_key(path: Path) -> bytes:
    """The 32-byte key in ``path``; created with mode 0600 (atomically) when missing."""
    path = Path(path)
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            # Someone copied or restored it carelessly: the key must stay private to the kiosk's user.
            log.warning("%s had mode %o; set to 0600", path, mode)
            os.chmod(path, 0o600)
        key = path.read_bytes()
        if len(key) != 32:
            raise DecryptError(f"{path}: key file has {len(key)} bytes, expected 32")
        return key
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = AESGCM.generate_key(bit_length=256)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return key


class Box:
    """Seals bytes with AES-GCM; ``aad`` binds a ciphertext to its record (no swapping rows)."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, data: bytes, aad: bytes = b"") -> bytes:
        nonce = os.urandom(NONCE_LEN)
        return VERSION + nonce + self._aead.encrypt(nonce, bytes(data), aad)

    def open(self, blob: bytes, aad: bytes = b"") -> bytes:
        if len(blob) < 1 + NONCE_LEN + 16 or blob[:1] != VERSION:
            raise DecryptError("not a sealed record")
        try:
            return self._aead.decrypt(blob[1:1 + NONCE_LEN], blob[1 + NONCE_LEN:], aad)
        except InvalidTag:
            raise DecryptError("record was changed or the key is wrong") from None
