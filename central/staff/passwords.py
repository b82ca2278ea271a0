"""Staff passwords: argon2id through argon2-cffi (the maintained binding of the reference implementation).

Only the hash is stored. A login for an unknown account still verifies against a dummy hash, so the time
taken does not tell which accounts exist."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (time 3, 64 MiB, 4 lanes)
_DUMMY = _HASHER.hash("not a password of anyone")
MIN_LENGTH = 12
MAX_LENGTH = 256


class WeakPassword(ValueError):
    """A password the CLI refuses to set."""


def check_strength(password: str, username: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs {MIN_LENGTH} or more characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password has at most {MAX_LENGTH} characters")
    if username and username.lower() in password.lower():
        raise WeakPassword("a password must not contain the username")
    if len(set(password)) < 5:
        raise WeakPassword("a password needs at least 5 different characters")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def use_hasher(hasher: PasswordHasher) -> None:
    """Tests only: cheaper argon2 parameters (a verify costs the stored hash's parameters, so the dummy too)."""
    global _HASHER, _DUMMY
    _HASHER, _DUMMY = hasher, hasher.hash("not a password of anyone")


def verify(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing account (``None``) costs the same time and is False."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY, password[:MAX_LENGTH]) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
