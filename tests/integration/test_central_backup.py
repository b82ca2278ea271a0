"""Backups and restore of the platform on PostgreSQL (issue 20, Deliver 6): `kiosk central backup` makes one of the
records (pg_dump), the file store and the results' signing key; `kiosk central restore` brings it back into an
empty database and an empty directory, and the restored platform is the same platform. Synthetic identities."""
from __future__ import annotations

import hashlib
import os
import shutil
import time

import psycopg
import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import (
    H_BODY_SHA256,
    H_KIOSK,
    H_NONCE,
    H_SIGNATURE,
    H_SIGNATURE_VERSION,
    H_TIMESTAMP,
    sign_v2,
)
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import PNG
from tests.integration.test_central_citizens import GRADUATE, SECRETS
from tests.integration.test_central_citizens import submit as submit_as
from tests.integration.test_central_uploads import manifest as upload_manifest
from ui.cli import main

KIOSKS = dict(SECRETS, **{"K-UP": "upload-secret-0123456789"})
BIG = os.urandom(300 * 1024)  # over the client's inline limit below: it goes by resumable upload


def _platform(data_dir, url) -> EmbeddedPlatform:
    p = EmbeddedPlatform(data_dir, CONFIG_DIR / "catalog", kiosks=dict(KIOSKS), db_url=url)
    p.start()
    return p


def _client(p, kiosk="K-UP", **kw) -> PlatformClient:
    return PlatformClient(p.url, kiosk_id=kiosk, secret=KIOSKS[kiosk], timeout_s=10, sleep=lambda s: None, **kw)


def _signed_get(path: str) -> dict[str, str]:
    ts, nonce, digest = str(int(time.time())), "backup-" + os.urandom(8).hex(), hashlib.sha256(b"").hexdigest()
    return {H_KIOSK: "K-HOME", H_TIMESTAMP: ts, H_NONCE: nonce, H_BODY_SHA256: digest,
            H_SIGNATURE_VERSION: "2",
            H_SIGNATURE: sign_v2(KIOSKS["K-HOME"], "K-HOME", "GET", path, ts, nonce, digest, {})}


def _files_of(p, reference: str) -> dict[str, str]:
    folder = p.app.state.platform.files.files_dir / reference
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def _drop(url: str) -> None:
    name = url.split("@/", 1)[1].partition("?")[0]
    with psycopg.connect(url.replace(f"@/{name}?", "@/postgres?"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _db(request, kind: str) -> str | None:
    return request.getfixturevalue("pg_cluster").database() if kind == "postgresql" else None


def _db_args(url: str | None) -> list[str]:
    return ["--db", url] if url else []  # SQLite: the default, central.sqlite in --data-dir


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_backup_restored_into_an_empty_database_and_directory_is_the_same_platform(tmp_path, request, kind):
    url, live = _db(request, kind), tmp_path / "live"
    p = _platform(live, url)
    try:
        big = _client(p, inline_max_bytes=64 * 1024).submit(upload_manifest(BIG), {"material-big.pdf": BIG,
                                                                                   "signature.png": PNG})
        instant = submit_as(p, "K-HOME", GRADUATE)  # 秒批: a signed result is issued at once
        assert instant.status == "approved"
        result = p.store.result_for(instant.reference)
        pdf = p.app.state.platform.files.get_blob(result["sha256"])
        partial = _client(p).t.request("POST", "/uploads", json_body={"sha256": "ab" * 32, "size": 1000, "name": "x"})
        upload_id = partial.json()["upload_id"]
        put = _client(p).t.request("PUT", f"/uploads/{upload_id}", data=b"z" * 400,
                                   headers={"Upload-Offset": "0", "Content-Type": "application/octet-stream"})
        assert put.json()["offset"] == 400  # a partial upload in flight at backup time
        seen = _signed_get("/api/v1/catalog")
        assert requests.get(p.url + "/api/v1/catalog", headers=seen, timeout=5).status_code == 200
        refs = {big.reference: "K-UP", instant.reference: "K-HOME"}  # each readable by the kiosk that sent it
        before = {r: (_client(p, k).status(r).model_dump(), _files_of(p, r)) for r, k in refs.items()}
        assert before[big.reference][1]["material-big.pdf"] == hashlib.sha256(BIG).hexdigest()
        count = p.store.count()
    finally:
        p.stop()

    backup = tmp_path / "backup"
    assert main(["central", "--data-dir", str(live), *_db_args(url), "backup", str(backup)]) == 0
    assert oct((backup / "results" / "signer.key").stat().st_mode & 0o777) == "0o600"
    if url:
        _drop(url)  # the disaster: database and directory gone
    shutil.rmtree(live)

    url2, restored = _db(request, kind), tmp_path / "restored"
    assert main(["central", "--data-dir", str(restored), *_db_args(url2), "restore", str(backup)]) == 0
    q = _platform(restored, url2)
    try:
        assert q.store.count() == count
        for r, k in refs.items():  # every application, its status and timeline, its files' hashes
            assert (_client(q, k).status(r).model_dump(), _files_of(q, r)) == before[r]
        # the result verifies: by its code, and as the file (the signing key came back with the backup)
        code = q.store.result_for(instant.reference)["code"]
        by_code = requests.get(f"{q.url}/verify/{code}", timeout=5).json()
        assert by_code["genuine"] is True and by_code["sha256"] == result["sha256"]
        as_file = requests.post(q.url + "/verify", data=pdf, headers={"Content-Type": "application/pdf"}, timeout=20)
        assert as_file.json()["genuine"] is True
        # a request seen before the backup is still a replay after the restore (the nonces came back)
        again = requests.get(q.url + "/api/v1/catalog", headers=seen, timeout=5)
        assert again.status_code == 401 and again.json()["code"] == 4014
        # the partial upload resumes where it stood
        assert _client(q).t.request("GET", f"/uploads/{upload_id}").json()["offset"] == 400
        # numbering goes on: a new submission gets a new, higher reference
        new = submit_as(q, "K-HOME", GRADUATE)
        assert new.reference not in refs and int(new.reference[-6:]) > max(int(r[-6:]) for r in refs)
    finally:
        q.stop()


def test_restore_refuses_a_damaged_backup_and_a_target_that_is_not_empty(tmp_path, pg_cluster, capsys):
    url, live = pg_cluster.database(), tmp_path / "live"
    p = _platform(live, url)
    try:
        submit_as(p, "K-HOME", GRADUATE)
    finally:
        p.stop()
    backup = tmp_path / "backup"
    assert main(["central", "--data-dir", str(live), "--db", url, "backup", str(backup)]) == 0
    assert main(["central", "--data-dir", str(live), "--db", url, "backup", str(backup)]) == 1  # never over one
    assert "4236" in capsys.readouterr().err
    # into the live database: it has tables
    assert main(["central", "--data-dir", str(tmp_path / "new"), "--db", url, "restore", str(backup)]) == 1
    assert "4238" in capsys.readouterr().err and not (tmp_path / "new").exists()
    # a flipped byte in a stored file: refused before anything is written
    blob = next(f for f in (backup / "blobs").rglob("*") if f.is_file())
    blob.write_bytes(b"X" + blob.read_bytes()[1:])
    url2 = pg_cluster.database()
    assert main(["central", "--data-dir", str(tmp_path / "new"), "--db", url2, "restore", str(backup)]) == 1
    assert "4237" in capsys.readouterr().err and not (tmp_path / "new").exists()
