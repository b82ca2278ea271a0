"""A separate process that enqueues into or drains an outbox, for the crash tests (they SIGKILL it).

    python -m tests.helpers.outbox_worker enqueue DIR KIOSK N
        enqueue N applications, printing "stored <app_id>" after each commit
    python -m tests.helpers.outbox_worker drain DIR KIOSK URL SECRET [--die-after-send K]
        deliver until nothing is pending, printing "sending <local>" / "done <local> <reference>";
        with --die-after-send K: SIGKILL itself right after the platform's K-th answer, before the outbox
        records it (the worst moment: the platform has the application, the kiosk does not know)
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import uuid
from pathlib import Path

from kiosk.platform.sender import platform_sender
from kiosk.outbox import Outbox
from kiosk.platform.client import PlatformClient
from tests.helpers.fakes import OUTBOX_KEY
from tests.helpers.manifests import complete


def page(n: int, size: int = 40_000) -> bytes:
    seed = hashlib.sha256(str(n).encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def manifest(app_id: str, kiosk: str, files: dict[str, bytes]) -> dict:
    """A complete submission (the platform refuses an incomplete one) carrying ``files`` too; adds its own."""
    m, own = complete("312000218000", "graduate", app_id, kiosk_id=kiosk)
    files.update(own)
    return dict(m.model_dump(mode="json"), created_at="2026-11-27T10:00:00+08:00",
                files=[{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d),
                        "mime": "application/pdf"} for n, d in files.items()])


def enqueue(directory: str, kiosk: str, n: int) -> None:
    box = Outbox(Path(directory), kiosk, key=OUTBOX_KEY)
    for i in range(n):
        app_id = str(uuid.uuid4())
        files = {f"material-{k}.pdf": page(i * 10 + k) for k in range(3)}
        box.enqueue(app_id, "312000218000", manifest(app_id, kiosk, files), files)
        print(f"stored {app_id}", flush=True)


def drain(directory: str, kiosk: str, url: str, secret: str, die_after: int | None) -> None:
    client = PlatformClient(url, kiosk_id=kiosk, secret=secret, timeout_s=10)
    real = platform_sender(client)
    answers = 0

    def sender(record, package):
        nonlocal answers
        print(f"sending {record.local_number}", flush=True)
        result = real(record, package)
        answers += 1
        if die_after is not None and answers >= die_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    box = Outbox(Path(directory), kiosk, key=OUTBOX_KEY, sender=sender, backoff_min_s=0.01, backoff_max_s=0.05)
    box.subscribe(lambda r: print(f"done {r.local_number} {r.reference}", flush=True) if r.reference else None)
    while box.backlog():
        box.deliver_due()
    box.close()
    print("empty", flush=True)


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "enqueue":
        enqueue(rest[0], rest[1], int(rest[2]))
    else:
        die = int(rest[rest.index("--die-after-send") + 1]) if "--die-after-send" in rest else None
        drain(rest[0], rest[1], rest[2], rest[3], die)
