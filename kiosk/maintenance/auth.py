"""Who may open the maintenance console: PINs and technician badges stored hashed, and the lockout.

Credentials live in ``<data_dir>/maintenance/credentials.json`` (mode 0600) as scrypt hashes with a
random salt per entry; the PIN itself is never stored or logged. A technician badge is a barcode (or the
text a badge reader types) handled the same way, and so is a technician's resident ID card laid on the
reader while the PIN pad shows (the hash of its number). ``max_attempts`` wrong entries in a row lock the console
for ``lockout_s``; the count and the end of the lock are kept on disk (wall clock), so restarting the
kiosk does not reset them.

Demo mode: while no PIN has been set, ``maintenance.demo_pin`` is accepted (only when ``demo`` is true).
A production kiosk gets its PIN at installation: ``kiosk maintenance set-pin``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from devices.idcard import idnumber

from ..private import write_private

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}  # ~16 MiB and ~50 ms per check: slow for guessing, fine for a person
MIN_PIN_DIGITS = 6
KINDS = ("pins", "badges", "cards")


def _hash(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


class CredentialStore:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "credentials.json"
        self._lock = threading.Lock()

    def _read(self) -> dict[str, list[dict[str, Any]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {kind: [] for kind in KINDS}
        return {kind: list(data.get(kind, [])) for kind in KINDS}

    def _write(self, data: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(data, indent=1).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)

    def _entry(self, label: str, secret: str) -> dict[str, Any]:
        salt = secrets.token_bytes(16)
        return {"label": label, "salt": _b64(salt), "hash": _b64(_hash(secret, salt, **SCRYPT)), **SCRYPT,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    def set_pin(self, pin: str, label: str = "technician") -> None:
        """Set (replace) the PIN of ``label``. PINs are digits, at least MIN_PIN_DIGITS of them."""
        if not pin.isdigit() or len(pin) < MIN_PIN_DIGITS:
            raise ValueError(f"a PIN is at least {MIN_PIN_DIGITS} digits")
        with self._lock:
            data = self._read()
            data["pins"] = [e for e in data["pins"] if e.get("label") != label] + [self._entry(label, pin)]
            self._write(data)

    def add_badge(self, code: str, label: str) -> None:
        if len(code.strip()) < 8:
            raise ValueError("a badge code has at least 8 characters")
        with self._lock:
            data = self._read()
            data["badges"] = [e for e in data["badges"] if e.get("label") != label] + [self._entry(label, code.strip())]
            self._write(data)

    def add_card(self, id_number: str, label: str) -> None:
        """Accept a technician's resident ID card: only a salted hash of its number is kept."""
        number = id_number.strip().upper()
        why = idnumber.problem(number)
        if why is not None:
            raise ValueError(f"not a resident ID number: {why}")
        with self._lock:
            data = self._read()
            data["cards"] = [e for e in data["cards"] if e.get("label") != label] + [self._entry(label, number)]
            self._write(data)

    def has_pin(self) -> bool:
        return bool(self._read()["pins"])

    def match(self, kind: str, secret: str) -> str | None:
        """The label of the PIN (kind "pins"), badge ("badges") or ID card ("cards") that ``secret`` matches."""
        for entry in self._read()[kind]:
            try:
                salt = base64.b64decode(entry["salt"])
                want = base64.b64decode(entry["hash"])
                got = _hash(secret, salt, int(entry["n"]), int(entry["r"]), int(entry["p"]))
            except (KeyError, ValueError):
                continue
            if hmac.compare_digest(got, want):
                return str(entry.get("label", "technician"))
        return None


class GateState(StrEnum):
    CLOSED = "closed"  # in service; the console is hidden
    PROMPT = "prompt"  # the PIN pad is shown
    LOCKED = "locked"  # too many wrong PINs: the pad refuses input until the lock ends
    OPEN = "open"  # a technician is in the console


@dataclass(frozen=True)
class Attempt:
    ok: bool
    state: GateState
    attempts_left: int = 0
    locked_for_s: float = 0.0
    who: str = ""


class Gate:
    """The console's door: gesture -> PIN pad -> open; wrong PINs count towards the lock."""

    def __init__(self, store: CredentialStore, *, max_attempts: int, lockout_s: float, audit: Callable,
                 demo_pin: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.max_attempts = max_attempts
        self.lockout_s = lockout_s
        self.demo_pin = demo_pin
        self.clock = clock
        self._audit = audit
        self._state_path = store.directory / "lockout.json"
        self._lock = threading.RLock()
        self.state = GateState.CLOSED
        self.who = ""

    # lockout state on disk ----------------------------------------------------------------------
    def _load(self) -> tuple[int, float]:
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
            return int(data.get("failures", 0)), float(data.get("locked_until", 0.0))
        except (FileNotFoundError, ValueError):
            return 0, 0.0

    def _save(self, failures: int, locked_until: float) -> None:
        write_private(self._state_path, json.dumps({"failures": failures, "locked_until": locked_until}).encode())

    def locked_for_s(self) -> float:
        _, until = self._load()
        return max(0.0, until - self.clock())

    def attempts_left(self) -> int:
        failures, _ = self._load()
        return max(0, self.max_attempts - failures)

    # transitions ---------------------------------------------------------------------------------
    def request(self) -> GateState:
        """The hidden gesture was made: show the PIN pad (or the lock notice)."""
        with self._lock:
            if self.state == GateState.OPEN:
                return self.state
            self.state = GateState.LOCKED if self.locked_for_s() > 0 else GateState.PROMPT
        self._audit("maintenance_prompt", {"state": self.state.value})
        return self.state

    def cancel(self) -> None:
        with self._lock:
            if self.state in (GateState.PROMPT, GateState.LOCKED):
                self.state = GateState.CLOSED

    def try_pin(self, pin: str) -> Attempt:
        return self._try("pins", pin, "pin")

    def try_badge(self, code: str) -> Attempt:
        return self._try("badges", code.strip(), "badge")

    def try_card(self, id_number: str) -> Attempt:
        return self._try("cards", id_number.strip().upper(), "id_card")

    def _try(self, kind: str, secret: str, method: str) -> Attempt:
        with self._lock:
            if self.state not in (GateState.PROMPT, GateState.LOCKED):
                return Attempt(False, self.state)
            remaining = self.locked_for_s()
            if remaining > 0:
                self.state = GateState.LOCKED
                self._audit("maintenance_refused", {"method": method, "why": "locked",
                                                    "locked_for_s": round(remaining)})
                return Attempt(False, self.state, 0, remaining)
            who = self.store.match(kind, secret) if secret else None
            if who is None and kind == "pins" and self.demo_pin and not self.store.has_pin() \
                    and hmac.compare_digest(secret, self.demo_pin):
                who = "demo"
            failures, _ = self._load()
            if who is not None:
                self._save(0, 0.0)
                self.state, self.who = GateState.OPEN, who
                self._audit("maintenance_enter", {"method": method, "who": who})
                return Attempt(True, self.state, self.max_attempts, 0.0, who)
            failures += 1
            if failures >= self.max_attempts:
                until = self.clock() + self.lockout_s
                self._save(0, until)  # after the lock, a fresh set of attempts
                self.state = GateState.LOCKED
                self._audit("maintenance_locked", {"method": method, "failures": failures,
                                                   "lockout_s": self.lockout_s})
                return Attempt(False, self.state, 0, self.lockout_s)
            self._save(failures, 0.0)
            self._audit("maintenance_wrong", {"method": method, "failures": failures})
            return Attempt(False, self.state, self.max_attempts - failures)

    def refresh(self) -> GateState:
        """LOCKED turns back into PROMPT once the lock has run out."""
        with self._lock:
            if self.state == GateState.LOCKED and self.locked_for_s() <= 0:
                self.state = GateState.PROMPT
            return self.state

    def leave(self, why: str = "technician") -> None:
        with self._lock:
            was_open = self.state == GateState.OPEN
            self.state, who = GateState.CLOSED, self.who
            self.who = ""
        if was_open:
            self._audit("maintenance_leave", {"who": who, "why": why})

    def unlock(self, by: str) -> None:
        """Clear a lock (``kiosk maintenance unlock`` at the terminal, which needs root or the kiosk user)."""
        self._save(0, 0.0)
        self._audit("maintenance_unlocked", {"by": by})
