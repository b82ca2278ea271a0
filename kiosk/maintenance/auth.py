"""Who may open the maintenance console: two factors, weak PINs refused, an exponential back-off.

Credentials live in ``<data_dir>/maintenance/credentials.json`` (mode 0600) as scrypt hashes with a
random salt per entry; the PIN itself is never stored or logged. The console opens only with BOTH a
technician's token (a badge barcode, or the technician's resident ID card laid on the reader while the PIN
pad shows) AND a PIN: a barcode can be photocopied and an ID number is no secret, so either alone never
opens it. The token comes first; a PIN typed without one is not even checked (so it cannot be guessed).

Only wrong PINs count: a barcode or card that is not a technician's (a citizen's QR code, a parcel label)
is refused and audited but locks nobody out. After ``max_attempts`` wrong PINs the console locks for
``lockout_s``, doubling with every further wrong PIN up to ``max_lockout_s``; only a right PIN (or
``kiosk maintenance unlock``) resets the count. Time is counted on the monotonic clock (setting the wall
clock back or forward changes nothing); the count and the lock are kept on disk with the boot they were
measured in, so restarting the kiosk does not reset them and a reboot restarts the lock in full.

PINs are at least ``MIN_PIN_DIGITS`` digits and not guessable: not one repeated or sequential digit run,
not a short repeated pattern, not a common PIN, not the kiosk's id (``pin_problem``).

Demo mode: while no PIN has been set, ``maintenance.demo_pin`` alone is accepted (only when ``demo`` is
true). A production kiosk gets its PIN and badges at installation: ``kiosk maintenance set-pin``,
``add-badge``, ``add-card``.
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
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from devices.idcard import idnumber

from ..private import write_private

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}  # ~16 MiB and ~50 ms per check: slow for guessing, fine for a person
MIN_PIN_DIGITS = 6
KINDS = ("pins", "badges", "cards")
TOKEN_VALID_S = 120.0  # a badge or card counts as the first factor for this long (monotonic)
COMMON_PINS = frozenset({"123123", "112233", "121212", "123321", "147258", "159753", "520520", "520131",
                         "131420", "666888", "888666", "102030", "147852", "258369", "741852", "963852",
                         "123654", "456789", "987654", "135790", "246810", "11223344", "12341234", "12344321",
                         "19491001", "88888888", "20080808"})


def pin_problem(pin: str, kiosk_id: str = "") -> str | None:
    """Why ``pin`` is refused as a maintenance PIN, or None when it is acceptable."""
    if not pin.isascii() or not pin.isdigit() or len(pin) < MIN_PIN_DIGITS:
        return f"a PIN is at least {MIN_PIN_DIGITS} digits"
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if len(set(pin)) <= 2:
        return "a PIN needs at least three different digits (not 000000, 121212, 112211...)"
    if steps in ({1}, {9}):
        return "a PIN is not a run of sequential digits (123456, 654321...)"
    for period in range(2, len(pin) // 2 + 1):
        if all(pin[i] == pin[i % period] for i in range(len(pin))):
            return "a PIN is not a short pattern repeated (123123, 147147...)"
    if pin in COMMON_PINS:
        return "this PIN is among the most common ones"
    digits = "".join(c for c in kiosk_id if c.isdigit())
    if len(digits) >= 4 and (digits in pin or pin in digits):
        return "a PIN must not contain the kiosk's id (it is printed on the kiosk)"
    return None


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

    def set_pin(self, pin: str, label: str = "technician", kiosk_id: str = "") -> None:
        """Set (replace) the PIN of ``label``; a guessable PIN raises ValueError (``pin_problem``)."""
        why = pin_problem(pin, kiosk_id)
        if why is not None:
            raise ValueError(why)
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

    def has_token(self) -> bool:
        """A badge or a card is registered (without one the console cannot be opened outside demo mode)."""
        data = self._read()
        return bool(data["badges"] or data["cards"])

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
    need: str = ""  # "token": scan a badge or lay the card first; "pin": the token is in, now the PIN


def boot_id() -> str:
    """This boot's id: the monotonic clock starts again at each boot, so a stored reading names its boot."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return _PROCESS_BOOT  # no /proc: at worst a restart re-arms a lock in full


_PROCESS_BOOT = uuid.uuid4().hex


class Gate:
    """The console's door: gesture -> PIN pad -> badge or card -> PIN -> open; wrong PINs back off."""

    def __init__(self, store: CredentialStore, *, max_attempts: int, lockout_s: float, audit: Callable,
                 max_lockout_s: float = 86400.0, demo_pin: str | None = None,
                 monotonic: Callable[[], float] = time.monotonic, boot: Callable[[], str] = boot_id) -> None:
        self.store = store
        self.max_attempts = max_attempts
        self.lockout_s = lockout_s
        self.max_lockout_s = max(max_lockout_s, lockout_s)
        self.demo_pin = demo_pin
        self.monotonic = monotonic
        self.boot = boot
        self._audit = audit
        self._state_path = store.directory / "lockout.json"
        self._lock = threading.RLock()
        self.state = GateState.CLOSED
        self.who = ""
        self._token: tuple[str, str, float] | None = None  # (who, method, monotonic time it was shown)

    # lockout state on disk ----------------------------------------------------------------------
    def _load(self) -> tuple[int, float]:
        """(wrong PINs so far, monotonic time the lock ends) in this boot's clock."""
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
            failures, until = int(data.get("failures", 0)), float(data.get("locked_until", 0.0))
            boot, lock_s = str(data.get("boot", "")), float(data.get("lock_s", 0.0))
        except (FileNotFoundError, ValueError, TypeError, AttributeError):
            return 0, 0.0
        if until and boot != self.boot():
            # Measured in another boot's clock: the lock starts again, in full, from now (a power cut
            # never shortens it).
            until = self.monotonic() + lock_s
            self._save(failures, until, lock_s)
        return failures, until

    def _save(self, failures: int, locked_until: float, lock_s: float = 0.0) -> None:
        write_private(self._state_path, json.dumps({"failures": failures, "locked_until": locked_until,
                                                    "lock_s": lock_s, "boot": self.boot(),
                                                    "clock": "monotonic"}).encode())

    def lock_for(self, failures: int) -> float:
        """How long ``failures`` wrong PINs in a row lock the console: 0, then lockout_s doubling."""
        if failures < self.max_attempts:
            return 0.0
        return min(self.max_lockout_s, self.lockout_s * 2 ** min(failures - self.max_attempts, 32))

    def locked_for_s(self) -> float:
        _, until = self._load()
        return max(0.0, until - self.monotonic())

    def attempts_left(self) -> int:
        failures, _ = self._load()
        return max(0, self.max_attempts - failures)

    def token(self) -> str:
        """Who showed a badge or card at this prompt (still valid), else ""."""
        if self._token is None or self.monotonic() - self._token[2] > TOKEN_VALID_S:
            return ""
        return self._token[0]

    def demo_only(self) -> bool:
        """Demo mode with no PIN set: the demo PIN alone opens the console."""
        return bool(self.demo_pin) and not self.store.has_pin()

    # transitions ---------------------------------------------------------------------------------
    def request(self) -> GateState:
        """The hidden gesture was made: show the PIN pad (or the lock notice)."""
        with self._lock:
            if self.state == GateState.OPEN:
                return self.state
            self._token = None
            self.state = GateState.LOCKED if self.locked_for_s() > 0 else GateState.PROMPT
        self._audit("maintenance_prompt", {"state": self.state.value})
        return self.state

    def cancel(self) -> None:
        with self._lock:
            if self.state in (GateState.PROMPT, GateState.LOCKED):
                self.state = GateState.CLOSED
            self._token = None

    def try_badge(self, code: str) -> Attempt:
        return self._try_token("badges", code.strip(), "badge")

    def try_card(self, id_number: str) -> Attempt:
        return self._try_token("cards", id_number.strip().upper(), "id_card")

    def _try_token(self, kind: str, secret: str, method: str) -> Attempt:
        """The first factor. A code or card that is no technician's is refused, audited, and NOT counted:
        whatever is scanned at a kiosk in a public hall must not lock the technicians out."""
        with self._lock:
            if self.state not in (GateState.PROMPT, GateState.LOCKED):
                return Attempt(False, self.state)
            who = self.store.match(kind, secret) if secret else None
            if who is None:
                self._audit("maintenance_token_unknown", {"method": method})
                return Attempt(False, self.state, self.attempts_left(), self.locked_for_s(), need="token")
            self._token = (who, method, self.monotonic())
            self._audit("maintenance_token", {"method": method, "who": who})
            return Attempt(False, self.state, self.attempts_left(), self.locked_for_s(), who, need="pin")

    def try_pin(self, pin: str) -> Attempt:
        with self._lock:
            if self.state not in (GateState.PROMPT, GateState.LOCKED):
                return Attempt(False, self.state)
            remaining = self.locked_for_s()
            if remaining > 0:
                self.state = GateState.LOCKED
                self._audit("maintenance_refused", {"method": "pin", "why": "locked",
                                                    "locked_for_s": round(remaining)})
                return Attempt(False, self.state, 0, remaining)
            self.state = GateState.PROMPT
            if self.demo_only():
                ok_demo = hmac.compare_digest(pin.encode("utf-8"), self.demo_pin.encode("utf-8"))
                return self._opened("demo", "demo_pin") if ok_demo else self._wrong()
            holder = self.token()
            if not holder:
                # No badge or card yet: the PIN is not checked at all, so it cannot be guessed this way.
                self._audit("maintenance_refused", {"method": "pin", "why": "no badge or card"})
                return Attempt(False, self.state, self.attempts_left(), 0.0, need="token")
            if pin and self.store.match("pins", pin) is not None:
                return self._opened(holder, f"{self._token[1]}+pin")
            return self._wrong()

    def _opened(self, who: str, method: str) -> Attempt:
        self._save(0, 0.0)
        self.state, self.who, self._token = GateState.OPEN, who, None
        self._audit("maintenance_enter", {"method": method, "who": who})
        return Attempt(True, self.state, self.max_attempts, 0.0, who)

    def _wrong(self) -> Attempt:
        failures = self._load()[0] + 1
        lock_s = self.lock_for(failures)
        if lock_s > 0:
            self._save(failures, self.monotonic() + lock_s, lock_s)
            self.state = GateState.LOCKED
            self._audit("maintenance_locked", {"method": "pin", "failures": failures, "lockout_s": lock_s})
            return Attempt(False, self.state, 0, lock_s, need="pin")
        self._save(failures, 0.0)
        self._audit("maintenance_wrong", {"method": "pin", "failures": failures})
        return Attempt(False, self.state, self.max_attempts - failures, need="pin")

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
            self.who, self._token = "", None
        if was_open:
            self._audit("maintenance_leave", {"who": who, "why": why})

    def unlock(self, by: str) -> None:
        """Clear a lock and the count (``kiosk maintenance unlock`` at the terminal: root or the kiosk user)."""
        self._save(0, 0.0)
        self._audit("maintenance_unlocked", {"by": by})
