"""systemd's notify protocol (sd_notify) in plain Python: one datagram per message to $NOTIFY_SOCKET.

The unit (deploy/kiosk.service) is ``Type=notify`` with ``WatchdogSec=``: the kiosk says READY=1 once
its window is up and then WATCHDOG=1 from a timer on the GUI thread, so a hung UI (an event loop that
stops turning) misses its pings and systemd restarts it. Outside systemd every call is a no-op.

The kiosk runs as a child of the cage compositor, so the pings come from a process that is not the
service's main PID: the unit sets ``NotifyAccess=all``, and ``watchdog_interval_s`` accepts a
``WATCHDOG_PID`` naming this process or its parent (cage).
"""
from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


def _address() -> str | None:
    addr = os.environ.get("NOTIFY_SOCKET")
    if not addr:
        return None
    if addr.startswith("@"):  # abstract namespace socket
        return "\0" + addr[1:]
    return addr


def notify(*messages: str) -> bool:
    """Send ``messages`` (e.g. "READY=1", "STATUS=...") as one datagram; False when not under systemd."""
    addr = _address()
    if addr is None:
        return False
    payload = "\n".join(messages).encode("utf-8")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(addr)
            sock.sendall(payload)
    except OSError as exc:
        log.warning("sd_notify to %s failed: %s", os.environ.get("NOTIFY_SOCKET"), exc)
        return False
    return True


def watchdog_interval_s() -> float | None:
    """How often to send WATCHDOG=1 (half the unit's WatchdogSec), or None when no watchdog is set."""
    usec = os.environ.get("WATCHDOG_USEC")
    if not usec:
        return None
    pid = os.environ.get("WATCHDOG_PID")
    if pid and pid.isdigit() and int(pid) not in (os.getpid(), os.getppid()):
        return None  # the watchdog is some other process's
    try:
        value = int(usec)
    except ValueError:
        return None
    return value / 2 / 1_000_000 if value > 0 else None


def ready(status: str = "") -> bool:
    return notify("READY=1", *([f"STATUS={status}"] if status else []))


def watchdog() -> bool:
    return notify("WATCHDOG=1")


def stopping() -> bool:
    return notify("STOPPING=1")
