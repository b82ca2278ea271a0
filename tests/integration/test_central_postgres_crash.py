"""kill -9 at random on both sides, the platform on PostgreSQL with two workers: 0 lost, 0 duplicated.

The kiosk's sender (a drain process of the outbox) is killed after a random number of lines, as in
test_outbox_crash.py; meanwhile, in some rounds, one of the platform's worker processes is killed at a random
moment. hypercorn then stops the whole platform (its supervisor's job, systemd's Restart=always in a
deployment, is to start it again: the test does that). Every application the outbox holds must end up at the
platform exactly once, with the reference the outbox recorded.
"""
from __future__ import annotations

import os
import random
import signal
import threading
from pathlib import Path

import psycopg
import pytest

from kiosk.outbox import Outbox, OutboxState
from tests.helpers.central_process import KIOSK_ID, SECRET, CentralProcess
from tests.helpers.fakes import OUTBOX_KEY
from tests.integration.test_outbox_crash import kill_after_lines, spawn

pytestmark = pytest.mark.slow


def _workers(server: CentralProcess) -> list[int]:
    pid = server.proc.pid
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _kill(pid: int) -> None:
    """SIGKILL a platform worker; one the supervisor has already replaced (the previous round's kill) is gone."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_killing_senders_and_platform_workers_at_random_loses_and_doubles_nothing(tmp_path, pg_url):
    out = tmp_path / "outbox"
    n = 8
    proc = spawn("enqueue", str(out), KIOSK_ID, str(n))
    assert proc.wait(60) == 0
    proc.stdout.close()
    rng = random.Random(20)
    server = CentralProcess(tmp_path / "central", "--db", pg_url, "--workers", "2")
    platform_kills = 0
    try:
        for round_ in range(40):
            if server.proc.poll() is not None:  # a worker was killed: the supervisor starts the platform again
                server.stop()
                server = CentralProcess(tmp_path / "central", "--db", pg_url, "--workers", "2")
            killer = None
            # the platform is killed in rounds 1 and 2, while the outbox still holds most of its records (in
            # rounds 1 and 4 a fast drain could empty it first: 'platform_kills == 1' on a loaded machine)
            if round_ >= 1 and platform_kills < 2:
                victims = _workers(server)
                assert victims, "the platform has no worker processes"
                victim = rng.choice(victims)
                killer = threading.Timer(rng.uniform(0.05, 0.6), _kill, (victim,))
                killer.start()
                platform_kills += 1
            lines = kill_after_lines(spawn("drain", str(out), KIOSK_ID, server.url, SECRET), rng.randint(2, 8))
            if killer is not None:
                killer.join()
            if "empty" in lines:
                break
        else:
            pytest.fail("the outbox did not drain in 40 runs")
    finally:
        server.stop()
    assert platform_kills == 2
    box = Outbox(out, KIOSK_ID, key=OUTBOX_KEY)
    try:
        records = box.list()
        assert len(records) == n and all(r.state == OutboxState.DELIVERED for r in records)
    finally:
        box.close()
    with psycopg.connect(pg_url) as conn:
        stored = dict(conn.execute("SELECT idempotency_key, reference FROM applications").fetchall())
        count = conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0]
    assert count == n and sorted(stored) == sorted(r.id for r in records)  # each once: none lost, none doubled
    assert all(stored[r.id] == r.reference for r in records)
