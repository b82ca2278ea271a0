"""The platform on PostgreSQL: several workers on one database, migrations, the move from SQLite, the URL rules.

Two ``EmbeddedPlatform``s on the same database and files directory stand for two worker processes: each has its
own app, store, connection pool and submit lock, so whatever one of them kept in memory the other cannot see.
(The contract tests themselves run on both stores through ``central_db``: tests/helpers/pg_fixtures.py.)
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import secrets
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

from central.config import PlatformConfig
from central.server import EmbeddedPlatform
from central.store.migrate import current, head
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import (H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION, H_TIMESTAMP,
                                   sign_v2)
from tests.helpers.manifests import complete
from ui.cli import main

SECRET = "pg-secret-0123456789abc"
KIOSK = "K-TEST"
ITEM = "312000218000"


def _workers(data_dir, url, n=2, **limits):
    out = []
    for _ in range(n):
        config = PlatformConfig(data_dir=data_dir, kiosks={KIOSK: SECRET}, db_url=url, admin_token="t" * 20, demo=True,
                                **limits)
        p = EmbeddedPlatform(None, config=config)
        p.start()
        out.append(p)
    return out


@pytest.fixture
def two_workers(tmp_path, pg_url):
    ws = _workers(tmp_path, pg_url)
    yield ws
    for w in ws:
        w.stop()


def _client(p) -> PlatformClient:
    return PlatformClient(p.url, kiosk_id=KIOSK, secret=SECRET, timeout_s=10, sleep=lambda s: None)


def _signed(path: str) -> dict[str, str]:
    ts = str(int(time.time()))
    nonce = "replay-" + secrets.token_hex(8)
    digest = hashlib.sha256(b"").hexdigest()
    return {H_KIOSK: KIOSK, H_TIMESTAMP: ts, H_NONCE: nonce, H_BODY_SHA256: digest,
            H_SIGNATURE_VERSION: "2", H_SIGNATURE: sign_v2(SECRET, KIOSK, "GET", path, ts, nonce, digest, {})}


def test_a_request_replayed_to_another_worker_is_refused(two_workers):
    a, b = two_workers
    headers = _signed("/api/v1/catalog")
    assert requests.get(a.url + "/api/v1/catalog", headers=headers, timeout=5).status_code == 200
    again = requests.get(b.url + "/api/v1/catalog", headers=headers, timeout=5)
    assert again.status_code == 401 and again.json()["code"] == 4014


def test_one_submission_sent_to_two_workers_at_once_is_one_application(two_workers):
    a, b = two_workers
    m, files = complete(ITEM, kiosk_id=KIOSK)
    clients = [_client(a), _client(b)]
    with cf.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda c: c.submit(m, files), clients))
    assert answers[0].reference == answers[1].reference
    assert a.store.count() == 1 and b.store.count() == 1
    assert sorted(bool(x.duplicate) for x in answers) == [False, True]


def test_workers_hand_out_reference_numbers_no_other_worker_gets(two_workers):
    a, b = two_workers
    with cf.ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(lambda i: (a if i % 2 else b).store.next_seq(), range(200)))
    assert len(set(numbers)) == 200
    m1, f1 = complete(ITEM, kiosk_id=KIOSK)
    m2, f2 = complete(ITEM, kiosk_id=KIOSK)
    r1, r2 = _client(a).submit(m1, f1).reference, _client(b).submit(m2, f2).reference
    assert r1 != r2 and _client(b).status(r1).reference == r1  # a worker finds what another stored


def test_the_audit_anchor_holds_across_workers(two_workers):
    """Two workers anchoring the same kiosk's records at once: each record stored once, the head at the end."""
    a, b = two_workers
    prev, records = "0" * 64, []
    for seq in range(1, 41):
        h = hashlib.sha256(f"{prev}{seq}".encode()).hexdigest()
        records.append({"seq": seq, "at": "2026-12-05T10:00:00+08:00", "kind": "t", "data": {"n": seq},
                        "hash": h, "prev": prev})
        prev = h
    stores = [a.store, b.store]
    with cf.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda i: stores[i % 2].anchor_audit(KIOSK, records[: 10 * (i % 4 + 1)], "now"), range(16)))
    assert a.store.audit_count(KIOSK) == 40 and b.store.audit_head(KIOSK)["seq"] == 40


def test_the_platform_says_503_4230_while_its_database_is_unreachable(tmp_path, pg_url):
    (p,) = _workers(tmp_path, pg_url, 1, db_timeout_s=1.0)
    dbname = pg_url.split("@/", 1)[1].partition("?")[0]
    admin = pg_url.replace(f"@/{dbname}?", "@/postgres?")
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false')
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname=%s", (dbname,))
        down = requests.get(p.url + "/api/v1/health", timeout=15)
        assert down.status_code == 503 and down.json()["code"] == 4230 and down.headers["Retry-After"] == "5"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true')
        # the pool reconnects (with backoff): a restarted or failed-over server is picked up. The kiosk retries on
        # 503; so does this loop, each try bounded by db_timeout_s
        deadline = time.monotonic() + 20
        while (up := requests.get(p.url + "/api/v1/health", timeout=15)).status_code == 503:
            assert up.json()["code"] == 4230 and time.monotonic() < deadline
        assert up.status_code == 200
    finally:
        p.stop()


def test_migrate_brings_an_empty_database_to_the_newest_revision_once(tmp_path, pg_url, capsys):
    assert current(pg_url) is None
    assert main(["central", "--data-dir", str(tmp_path), "--db", pg_url, "migrate"]) == 0
    assert current(pg_url) == head() and f"empty -> {head()}" in capsys.readouterr().out
    assert main(["central", "--data-dir", str(tmp_path), "--db", pg_url, "migrate"]) == 0  # nothing to do
    assert f"{head()} -> {head()}" in capsys.readouterr().out


def test_a_sqlite_deployment_moves_to_postgresql_with_its_applications(tmp_path, pg_url, capsys):
    (old,) = _workers(tmp_path, None, 1)
    try:
        m, files = complete(ITEM, kiosk_id=KIOSK)
        first = _client(old).submit(m, files)
        timeline = _client(old).status(first.reference).timeline
        sms_before = old.store.sms_messages(reference=first.reference)
        assert sms_before  # the applicant's "received" message
    finally:
        old.stop()
    sqlite_url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    assert main(["central", "--data-dir", str(tmp_path), "--db", pg_url, "copy", sqlite_url]) == 0
    assert "applications" in capsys.readouterr().out
    (new,) = _workers(tmp_path, pg_url, 1)
    try:
        c = _client(new)
        assert c.status(first.reference).timeline == timeline and timeline
        again = c.submit(m, files)  # the kiosk's retry after the move: the same answer, not a second case
        assert again.duplicate and again.reference == first.reference
        m2, f2 = complete(ITEM, kiosk_id=KIOSK)
        second = c.submit(m2, f2)
        assert int(second.reference[-6:]) > int(first.reference[-6:])  # numbering goes on
        assert new.store.count() == 2
        # the SMS outbox came along, and its numbering goes on too (a clash would drop the new message)
        assert new.store.sms_messages(reference=first.reference) == sms_before
        assert new.store.sms_messages(reference=second.reference)
    finally:
        new.stop()
    assert main(["central", "--data-dir", str(tmp_path), "--db", pg_url, "copy", sqlite_url]) == 1  # not twice
    assert "copy into an empty one" in capsys.readouterr().err


def test_a_password_on_the_command_line_is_refused_and_not_repeated(tmp_path, capsys):
    assert main(["central", "--data-dir", str(tmp_path), "--db", "postgresql://kiosk:Hunter2pw@db/central",
                 "migrate"]) == 2
    err = capsys.readouterr().err
    assert "PGPASSFILE" in err and "Hunter2pw" not in err


def test_several_workers_need_postgresql(tmp_path, capsys):
    assert main(["central", "--data-dir", str(tmp_path), "--workers", "2"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_kiosk_central_serves_with_several_worker_processes_on_postgresql(tmp_path, pg_url):
    from tests.helpers.central_process import KIOSK_ID, SECRET as CP_SECRET, CentralProcess, signed_headers

    server = CentralProcess(tmp_path, "--db", pg_url, "--workers", "2")
    try:
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text().split()
        workers = [c for c in children if "central.asgi" in _cmdline(c) or "multiprocessing" in _cmdline(c)]
        assert len(workers) >= 2, [_cmdline(c) for c in children]
        client = PlatformClient(server.url, kiosk_id=KIOSK_ID, secret=CP_SECRET, timeout_s=10, sleep=lambda s: None)
        subs = [complete(ITEM, kiosk_id=KIOSK_ID) for _ in range(6)]
        with cf.ThreadPoolExecutor(6) as pool:
            refs = list(pool.map(lambda mf: client.submit(*mf).reference, subs))
        assert len(set(refs)) == 6
        headers = signed_headers("GET", "/api/v1/catalog")
        answers = [requests.get(server.url + "/api/v1/catalog", headers=headers, timeout=5).status_code
                   for _ in range(4)]  # connections land on either worker: one answer, then replays
        assert answers == [200, 401, 401, 401]
    finally:
        server.stop()


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_the_submit_lock_excludes_across_workers_and_waiting_threads_do_not_starve_the_pool(pg_url):
    """Two stores (two workers' pools of 2 connections) and 12 threads: one holder at a time across both, and a
    holder still gets a connection for its own statements while the others wait."""
    from central.store.pg import PgStore

    stores = [PgStore(pg_url, pool_size=2, timeout_s=3), PgStore(pg_url, pool_size=2, timeout_s=3)]
    locks = [s.lock("submit") for s in stores]
    inside, overlaps, numbers = [0], [0], []
    guard = threading.Lock()

    def critical(i: int) -> None:
        with locks[i % 2]:
            with guard:
                inside[0] += 1
                overlaps[0] += inside[0] > 1
            numbers.append(stores[i % 2].next_seq())  # the holder's own statement needs a pooled connection
            # hold the lock while the others queue: a round trip to the server, not a sleep
            stores[i % 2].next_seq()
            with guard:
                inside[0] -= 1
    try:
        with cf.ThreadPoolExecutor(12) as pool:
            list(pool.map(critical, range(24)))
    finally:
        for s in stores:
            s.close()
    assert overlaps[0] == 0 and len(set(numbers)) == 24


def test_a_due_sms_is_handed_to_one_workers_sender_only(pg_url):
    """Every worker runs an SMS sender thread: the message due now goes to one of them, not to each."""
    from central.store.pg import PgStore

    stores = [PgStore(pg_url), PgStore(pg_url)]
    try:
        for n in range(20):
            stores[0].add_sms({"reference": f"SZ20261205{n:06d}", "event": "approved", "event_at": "t",
                               "created_at": "t", "state": "queued", "phone": "13900005678",
                               "phone_masked": "139****5678", "lang": "zh_CN", "template": "", "params": "{}",
                               "text": "已办结", "next_at": 0})
        with cf.ThreadPoolExecutor(8) as pool:
            batches = list(pool.map(lambda i: stores[i % 2].sms_due(time.time(), limit=3), range(16)))
        handed = [r["id"] for b in batches for r in b]
        assert len(handed) == 20 and len(set(handed)) == 20  # each once, none left behind
        assert stores[1].sms_due(time.time()) == []  # leased: not due again until the sender says so
    finally:
        for s in stores:
            s.close()
