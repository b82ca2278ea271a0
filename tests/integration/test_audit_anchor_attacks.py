"""Issue 16, weakness 4: the audit trail against someone with file access to the kiosk's data disk.

The attacker holds the data directory (a stolen or opened kiosk) but not root on the running system: he edits,
deletes and truncates records and, like the probe that found the weakness, re-hashes the chain and re-MACs it
with any key he finds in the data directory. Each attack is counted; `kiosk audit verify` must find every one,
and the platform, which anchors the chain over real HTTP, must refuse every tampered trail it is sent.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
from pathlib import Path

import pytest

from central.server import EmbeddedPlatform
from kiosk.audit.trail import HEAD, AuditTrail, audit_files
from kiosk.audit.key import audit_key
from kiosk.audit.verify import verify
from kiosk.audit.upload import AuditRefused, AuditUploader
from kiosk.ops.telemetry import PlatformAuditSink
from kiosk.platform.admin import AdminClient
from kiosk.platform.audit_chain import canonical, record_hash
from kiosk.platform.client import PlatformClient
from kiosk.settings import CONFIG_DIR, default_files, load_settings

SECRET = "anchor-test-secret-0123456789"
KIOSKS = [f"K-ANCHOR-{i:02d}" for i in range(40)]
RECORDS = 10


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog",
                         kiosks={k: SECRET for k in KIOSKS}, db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def admin(platform):
    return AdminClient(platform.url, platform.admin_token, timeout_s=5)


_free = iter(KIOSKS)


def kiosk(platform, tmp_path, n=RECORDS):
    """A kiosk with its own id, data dir, trail (n records, all uploaded) and uploader."""
    kid = next(_free)
    settings = load_settings(default_files(True), data_dir=tmp_path / kid, overrides={"kiosk_id": kid})
    trail = AuditTrail.for_settings(settings)
    for i in range(n):
        trail.record("step", {"to": f"s{i}"})
    client = PlatformClient(platform.url, kiosk_id=kid, secret=SECRET, timeout_s=5, sleep=lambda s: None)
    up = AuditUploader(trail, PlatformAuditSink(client))
    assert up.upload_once() == n
    return kid, settings, trail, up, client


# ----- the attacker --------------------------------------------------------------------------------------------
def found_key(data_dir: Path) -> bytes:
    """Whatever 32-byte file the attacker finds in the data directory; a guess when there is none."""
    for p in sorted(data_dir.rglob("*")):
        if p.is_file() and p.stat().st_size == 32:
            return p.read_bytes()
    return secrets.token_bytes(32)


def rewrite(directory: Path, records: list[dict], key: bytes) -> None:
    """Renumber, re-chain, re-hash and re-MAC ``records``, write them and a matching head."""
    prev = "0" * 64
    for n, rec in enumerate(records, start=1):
        rec["seq"], rec["prev"] = n, prev
        rec["hash"] = record_hash(rec)
        rec["mac"] = hmac.new(key, rec["hash"].encode(), hashlib.sha256).hexdigest()
        prev = rec["hash"]
    for f in audit_files(directory):
        f.unlink()
    (directory / "audit-000000000001.jsonl").write_bytes(b"".join(canonical(r) + b"\n" for r in records))
    last = records[-1] if records else {"seq": 0, "hash": "0" * 64}
    mac = hmac.new(key, f"head:{last['seq']}:{last['hash']}".encode(), hashlib.sha256).hexdigest()
    (directory / HEAD).write_bytes(canonical({"seq": last["seq"], "hash": last["hash"], "mac": mac}))


def tamper(settings, how: str, seq: int) -> None:
    directory = settings.data_dir / "audit"
    records = [json.loads(x) for f in audit_files(directory) for x in f.read_text(encoding="utf-8").splitlines()]
    if how == "edit":
        records[seq - 1]["data"]["to"] = "forged"
    elif how == "delete":
        del records[seq - 1]
    else:  # truncate: seq and everything after it
        del records[seq - 1:]
    rewrite(directory, records, found_key(settings.data_dir))
    (directory / "upload.cursor").unlink(missing_ok=True)  # and make the kiosk send it all again


@pytest.mark.parametrize("how", ["edit", "delete", "truncate"])
def test_file_access_tampering_is_found_by_verify_every_time(tmp_path, how):
    """10 tries per kind (every record of a 10-record trail): 10 of 10 must be found."""
    found = 0
    for seq in range(1, RECORDS + 1):
        s = load_settings(default_files(True), data_dir=tmp_path / f"{how}{seq}")
        t = AuditTrail.for_settings(s)
        for i in range(RECORDS):
            t.record("step", {"to": f"s{i}"})
        t.close()
        assert not [p for p in s.data_dir.rglob("*key*")], "no key file lies in the data directory"
        tamper(s, how, seq)
        report = verify(s.data_dir / "audit", audit_key(s, create=False))
        found += not report.ok
    assert found == RECORDS


def test_the_platform_refuses_every_tampered_trail_and_the_kiosk_keeps_it_undelivered(platform, admin, tmp_path):
    """Edit, delete and truncate at seq 2, 5 and 9 after upload (9 tries): the platform refuses 9 of 9,
    stores nothing of them, the kiosk's cursor does not move, and the alarm is visible on both sides."""
    refused = 0
    for how in ("edit", "delete", "truncate"):
        for seq in (2, 5, 9):
            kid, settings, trail, up, client = kiosk(platform, tmp_path / f"{how}{seq}")
            trail.close()
            tamper(settings, how, seq)
            trail = AuditTrail.for_settings(settings)
            trail.record("step", {"to": "after"})
            alarms = []
            up = AuditUploader(trail, PlatformAuditSink(client), on_refused=alarms.append)
            with pytest.raises(AuditRefused):
                up.upload_once()
            refused += 1
            assert up.cursor == 0 and up.pending() == trail.last_seq and alarms and up.refused
            head = client.audit_head()
            assert head.seq == RECORDS and head.alarm  # the platform kept the genuine records
            assert next(k for k in admin.kiosks() if k.kiosk_id == kid).audit_alarm
            trail.close()
    assert refused == 9


def test_a_missing_key_fails_verify_and_says_why(platform, tmp_path, capsys):
    from ui.cli import main

    s = load_settings(default_files(True), data_dir=tmp_path / "data")
    t = AuditTrail.for_settings(s)
    t.record("step", {"to": "home"})
    t.close()
    assert main(["audit", "verify", "--demo", "--offline", "--data-dir", str(s.data_dir)]) == 0
    Path(os.environ["KIOSK_AUDIT_KEY_FILE"]).unlink()
    assert main(["audit", "verify", "--demo", "--offline", "--data-dir", str(s.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "KEY" in out and "audit key is missing" in out and "TAMPERED" in out


def _cli_config(tmp_path, platform, kid) -> Path:
    cfg = tmp_path / f"{kid}.toml"
    cfg.write_text(f'kiosk_id = "{kid}"\n[platform]\nurl = "{platform.url}"\nembedded = false\n'
                   f'secret = "{SECRET}"\nretry_attempts = 1\n', encoding="utf-8")
    return cfg


def test_a_wiped_trail_fails_verify_against_the_platforms_head(platform, tmp_path, capsys):
    from ui.cli import main

    kid, settings, trail, up, client = kiosk(platform, tmp_path)
    trail.close()
    shutil.rmtree(settings.data_dir / "audit")  # everything: records, head, cursor
    fresh = AuditTrail.for_settings(settings)  # the kiosk starts again on an empty trail
    fresh.record("step", {"to": "home"})
    fresh.close()
    cfg = _cli_config(tmp_path, platform, kid)
    assert main(["audit", "verify", "--demo", "--config", str(cfg), "--data-dir", str(settings.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "platform holds this kiosk's records up to seq 10" in out and "TAMPERED" in out


def test_a_rewound_trail_is_refused_until_an_administrator_starts_a_new_epoch(platform, admin, tmp_path, capsys):
    from ui.cli import main

    kid, settings, trail, up, client = kiosk(platform, tmp_path)
    trail.close()
    shutil.rmtree(settings.data_dir / "audit")  # a replaced (or wiped) disk
    trail = AuditTrail.for_settings(settings)
    for i in range(3):
        trail.record("step", {"to": f"new{i}"})
    alarms = []
    up = AuditUploader(trail, PlatformAuditSink(client), on_refused=alarms.append)
    with pytest.raises(AuditRefused):
        up.upload_once()  # before issue 16: 0 stored, yet the cursor moved to 3 ("delivered")
    assert up.cursor == 0 and alarms and "rewound" in alarms[0]
    assert client.audit_head().seq == RECORDS
    assert "rewound" in next(k for k in admin.kiosks() if k.kiosk_id == kid).audit_alarm
    # the administrator's explicit act, recorded with who and why
    db = ["--db", platform.config.db_url] if platform.config.db_url else []  # the store the platform runs on
    assert main(["central", "--data-dir", str(platform.config.data_dir), *db, "--audit-epoch", kid,
                 "--reason", "disk replaced, ticket 4711", "--operator", "zhang"]) == 0
    up.upload_once()
    assert up.cursor == 4 and alarms[-1] == "" and up.refused == ""  # the refusal itself is recorded too
    head = client.audit_head()
    assert head.epoch == 2 and head.seq == 4 and head.alarm == ""
    acts = [a for a in admin.actions() if a.kiosk_id == kid]
    assert [(a.action, a.operator, a.reason) for a in acts] == [("audit_new_epoch", "zhang",
                                                                "disk replaced, ticket 4711")]
    assert acts[0].detail["old_seq"] == RECORDS
    trail.close()


def test_an_extra_field_in_a_record_is_found_by_verify_and_refused_by_the_platform(platform, admin, tmp_path):
    kid, settings, trail, up, client = kiosk(platform, tmp_path)
    trail.close()
    f = audit_files(settings.data_dir / "audit")[0]
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    rec = json.loads(lines[4])
    rec["approved_by"] = "nobody"  # an extra field, hash and MAC left as they were
    lines[4] = json.dumps(rec, ensure_ascii=False) + "\n"
    f.write_text("".join(lines), encoding="utf-8")
    report = verify(settings.data_dir / "audit", audit_key(settings, create=False))
    assert [(x.kind, x.seq) for x in report.findings] == [("changed", 5)]
    (settings.data_dir / "audit" / "upload.cursor").unlink()
    up = AuditUploader(AuditTrail.for_settings(settings), PlatformAuditSink(client))
    with pytest.raises(AuditRefused) as exc:
        up.upload_once()
    assert "seq 5" in str(exc.value) and up.cursor == 0


def test_a_legacy_record_with_an_extra_field_is_flagged(tmp_path):
    """Records written before v2 hashed five fields: a field added to one of them is named, not ignored."""
    key = b"k" * 32
    rec = {"seq": 1, "ts": "t", "event": "step", "data": {}, "prev": "0" * 64}
    rec["hash"] = record_hash(rec)
    rec["mac"] = hmac.new(key, rec["hash"].encode(), hashlib.sha256).hexdigest()
    rec["extra"] = 1
    (tmp_path / "audit-000000000001.jsonl").write_bytes(canonical(rec) + b"\n")
    report = verify(tmp_path, key)
    assert [(x.kind, x.seq) for x in report.findings if "extra" in x.message] == [("changed", 1)]


# ----- the endpoints, attacked ---------------------------------------------------------------------------------
def test_the_anchor_endpoints_refuse_strangers_and_odd_input(platform, admin, tmp_path):
    import requests

    base = f"{platform.url}/api/v1"
    assert requests.get(f"{base}/kiosks/audit/head", timeout=5).status_code == 401  # no signature
    r = requests.post(f"{base}/admin/kiosks/{KIOSKS[-1]}/audit-epoch", json={"operator": "x", "reason": "12345678"},
                      timeout=5)
    assert r.status_code == 401  # no admin token
    auth = {"Authorization": f"Bearer {platform.admin_token}"}
    for path, body, status in (("kiosks/NOPE/audit-epoch", {"operator": "x", "reason": "12345678"}, 404),
                               (f"kiosks/{KIOSKS[-1]}/rekey", {"operator": "x", "reason": "short"}, 422),
                               ("kiosks/%E2%80%AE%00/rekey", {"operator": "x", "reason": "12345678"}, 422)):
        assert requests.post(f"{base}/admin/{path}", json=body, headers=auth, timeout=5).status_code == status
    # someone else's records go into the sender's own chain, never into the other kiosk's
    kid, settings, trail, up, client = kiosk(platform, tmp_path)
    other = PlatformClient(platform.url, kiosk_id=KIOSKS[-1], secret=SECRET, timeout_s=5, sleep=lambda s: None)
    before = client.audit_head()
    PlatformAuditSink(other).send(trail.read_after(0, 3))
    assert client.audit_head() == before
    # a record whose chain fields are missing or odd is refused, not stored
    from kiosk.platform.schema import AuditEvent
    from kiosk.platform.transport import PlatformError

    for data in ({}, {"prev": 7, "hash": None}, {"prev": "\u202e\x00", "hash": "x" * 64}):
        with pytest.raises(PlatformError) as exc:
            client.send_audit([AuditEvent(seq=RECORDS + 1, at="t", kind="step", data=data)])
        assert exc.value.status in (409, 422)
    assert client.audit_head().seq == RECORDS
