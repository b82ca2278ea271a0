"""kill -9 at any moment: nothing lost, nothing doubled at the platform (subprocess + SIGKILL)."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys

import pytest

from central.server import EmbeddedPlatform
from kiosk.outbox import Outbox, OutboxState
from kiosk.settings import CONFIG_DIR
from tests.helpers.fakes import OUTBOX_KEY

ROOT = CONFIG_DIR.parent
KIOSK, SECRET = "K-CRASH", "crash-secret-0123456789"

pytestmark = pytest.mark.slow


def spawn(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.helpers.outbox_worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def kill_after_lines(proc: subprocess.Popen, lines: int) -> list[str]:
    """Read ``lines`` progress lines (or to the end), then SIGKILL: a crash at a point the run chose."""
    seen = []
    assert proc.stdout is not None
    while len(seen) < lines:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    seen += [ln.strip() for ln in proc.stdout.read().splitlines()]
    proc.stdout.close()
    return seen


@pytest.fixture
def platform(tmp_path):
    p = EmbeddedPlatform(tmp_path / "central", kiosks={KIOSK: SECRET})
    p.start()
    yield p
    p.stop()


def platform_keys(platform) -> list[str]:
    rows = platform.store._all("SELECT idempotency_key FROM applications WHERE kiosk_id=?", (KIOSK,))
    return [r["idempotency_key"] for r in rows]


def test_killing_the_enqueuing_process_keeps_every_committed_application_whole(tmp_path):
    out = tmp_path / "outbox"
    rng = random.Random(7)
    stored: list[str] = []
    for _ in range(4):
        lines = kill_after_lines(spawn("enqueue", str(out), KIOSK, "50"), rng.randint(1, 8))
        stored += [ln.split()[1] for ln in lines if ln.startswith("stored ")]
    box = Outbox(out, KIOSK, key=OUTBOX_KEY)
    try:
        records = box.list()
        ids = {r.id for r in records}
        assert set(stored) <= ids  # everything the process said it committed is there
        for r in records:  # and nothing half-written: every record decrypts with all its files
            pkg = box.package(r.id)
            assert {f["name"] for f in pkg.manifest["files"]} == set(pkg.files)
    finally:
        box.close()


@pytest.mark.parametrize("mode", ["random_kills", "die_after_platform_answer"])
def test_killing_the_sender_at_any_point_delivers_each_application_exactly_once(tmp_path, platform, mode):
    out = tmp_path / "outbox"
    n = 12
    proc = spawn("enqueue", str(out), KIOSK, str(n))
    assert proc.wait(60) == 0
    proc.stdout.close()
    rng = random.Random(11 if mode == "random_kills" else 13)
    for round_ in range(40):
        if mode == "random_kills":
            proc = spawn("drain", str(out), KIOSK, platform.url, SECRET)
            lines = kill_after_lines(proc, rng.randint(1, 6))
        else:
            proc = spawn("drain", str(out), KIOSK, platform.url, SECRET, "--die-after-send", str(rng.randint(1, 3)))
            assert proc.stdout is not None
            lines = proc.stdout.read().splitlines()
            proc.stdout.close()
            proc.wait(60)
        if "empty" in lines:
            break
    else:
        pytest.fail("the outbox did not drain in 40 runs")
    box = Outbox(out, KIOSK, key=OUTBOX_KEY)
    try:
        records = box.list()
        assert len(records) == n and all(r.state == OutboxState.DELIVERED for r in records)
        keys = platform_keys(platform)
        assert sorted(keys) == sorted(r.id for r in records)  # each once: none lost, none doubled
        for r in records:
            assert platform.store.find_by_key(r.id)["reference"] == r.reference
        if mode == "die_after_platform_answer":
            # The crash really hit the window: some applications were stored by the platform while the kiosk
            # did not know, and their next submission got the platform's first answer back.
            assert any(r.result.get("duplicate") for r in records)
    finally:
        box.close()
    assert json.dumps([r.id for r in records])  # records are plain data for `kiosk outbox list --json`
