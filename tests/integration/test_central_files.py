"""The platform's file store on a directory every worker shares (issue 20, Deliver 3): the bytes once under their
SHA-256, written aside + fsync + rename, so two workers receiving the same file never clash, a crash never leaves a
half file under its final name, and what one worker process wrote another reads."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from central.config import PlatformConfig
from central.context import build
from central.server import EmbeddedPlatform
from central.store.files import FileStore
from kiosk.platform.client import PlatformClient
from tests.helpers.manifests import PNG
from tests.integration.test_central_uploads import manifest as upload_manifest

ROOT = Path(__file__).resolve().parents[2]
DATA = os.urandom(512 * 1024)
SHA = hashlib.sha256(DATA).hexdigest()


def _writer(directory: str, rounds: int, start) -> None:
    store = FileStore(Path(directory))
    start.wait()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(rounds):
                store.write("SZ1", "m.pdf", DATA)  # the same file, the same name, as two workers receiving it
                store.put_blob(DATA)
        except BaseException as exc:  # noqa: BLE001 (reported through the exit status)
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(repr(errors[0]), file=sys.stderr)
        os._exit(1)


def _reader(directory: str, stop) -> None:
    """Whenever a final name exists, its bytes are the whole file."""
    store = FileStore(Path(directory))
    paths = [store.files_dir / "SZ1" / "m.pdf", store.blob_path(SHA)]
    while not stop.is_set():
        for path in paths:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            if hashlib.sha256(data).hexdigest() != SHA:
                os._exit(2)


def test_two_worker_processes_writing_the_same_file_at_once_leave_one_whole_file(tmp_path):
    ctx = multiprocessing.get_context("fork")
    start, stop = ctx.Barrier(2), ctx.Event()
    reader = ctx.Process(target=_reader, args=(str(tmp_path), stop))
    reader.start()
    writers = [ctx.Process(target=_writer, args=(str(tmp_path), 25, start)) for _ in range(2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
    stop.set()
    reader.join(10)
    assert [w.exitcode for w in writers] == [0, 0] and reader.exitcode == 0
    store = FileStore(tmp_path)
    assert [p.name for p in store.blob_path(SHA).parent.iterdir()] == [SHA]  # one file, no temp left behind
    assert [p.name for p in (store.files_dir / "SZ1").iterdir()] == ["m.pdf"]
    assert store.read("SZ1", "m.pdf") == DATA
    # content-addressed: the application's name is the blob itself (a hard link), not a second copy
    assert (store.files_dir / "SZ1" / "m.pdf").stat().st_ino == store.blob_path(SHA).stat().st_ino


def test_the_bytes_are_fsynced_before_the_rename_and_the_directory_after(tmp_path, monkeypatch):
    calls: list[str] = []
    real_fsync, real_replace, real_link = os.fsync, os.replace, os.link

    def fsync(fd):
        calls.append("fsync dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync file")
        real_fsync(fd)

    def replace(a, b):
        calls.append("rename")
        real_replace(a, b)

    def link(a, b):
        calls.append("link")
        real_link(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "link", link)
    FileStore(tmp_path).put_blob(b"a material")
    assert calls == ["fsync file", "link", "fsync dir"]  # the blob is published by a link: never over another


def test_a_late_writer_of_the_same_bytes_leaves_the_first_blob_and_its_names_in_place(tmp_path, monkeypatch):
    """Two workers both saw no blob; the first published it and linked a name to it; the second's write lands
    late. The blob must stay the inode the name is linked to (one copy on disk), and no temp file is left."""
    store = FileStore(tmp_path)
    store.write("SZ1", "m.pdf", DATA)
    inode = store.blob_path(SHA).stat().st_ino
    monkeypatch.setattr(type(store.blob_path(SHA)), "is_file", lambda self: False)  # the late writer's view
    assert store.put_blob(DATA) == SHA
    monkeypatch.undo()
    assert store.blob_path(SHA).stat().st_ino == inode == (store.files_dir / "SZ1" / "m.pdf").stat().st_ino
    assert [p.name for p in store.blob_path(SHA).parent.iterdir()] == [SHA]


CRASH = """
import os, sys
from pathlib import Path
from central.store.files import FileStore
store = FileStore(Path(sys.argv[1]))
real_replace, real_link, n = os.replace, os.link, [0]
def crash_point():  # the blob is published by link (1); the name is linked aside (2), then renamed over (3)
    n[0] += 1
    if n[0] == int(sys.argv[2]):
        os._exit(9)  # the power goes: after the write, before it gets its final name
def replace(a, b):
    crash_point()
    real_replace(a, b)
def link(a, b):
    crash_point()
    real_link(a, b)
os.replace, os.link = replace, link
store.write("SZ2", "m.pdf", bytes.fromhex(sys.argv[3]))
"""


@pytest.mark.parametrize("crash_at", [1, 3], ids=["before-the-blob-link", "before-the-name-rename"])
def test_a_crash_between_write_and_rename_leaves_no_half_file_and_its_temp_is_swept(tmp_path, crash_at):
    data = os.urandom(4096)
    sha = hashlib.sha256(data).hexdigest()
    done = subprocess.run([sys.executable, "-c", CRASH, str(tmp_path), str(crash_at), data.hex()], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, timeout=60)
    assert done.returncode == 9, done.stderr
    store = FileStore(tmp_path)
    leftovers = list(tmp_path.rglob("*.tmp"))
    assert len(leftovers) == 1
    with pytest.raises(FileNotFoundError):
        store.read("SZ2", "m.pdf")  # no name points at anything half written
    assert store.has_blob(sha) == (crash_at == 3)  # a blob exists only whole
    # another worker stores the same file meanwhile: the leftover is no obstacle, and not read
    store.write("SZ2", "m.pdf", data)
    assert store.read("SZ2", "m.pdf") == data
    assert store.sweep_temp(3600) == []  # a young temp file may be a live write of another worker: kept
    old = time.time() - 7200
    os.utime(leftovers[0], (old, old))
    config = PlatformConfig(data_dir=tmp_path)
    build(config).store.close()  # a platform starting sweeps what a crashed writer left
    assert list(tmp_path.rglob("*.tmp")) == [] and store.read("SZ2", "m.pdf") == data


def test_an_upload_completed_before_blobs_existed_is_still_adopted(tmp_path):
    """The fallback for a data directory of the previous layout: a completed upload held only as its .part."""
    kiosks = {"K-UP": "upload-secret-0123456789"}
    p = EmbeddedPlatform(None, config=PlatformConfig(data_dir=tmp_path, kiosks=kiosks, chunk_bytes=128 * 1024))
    p.start()
    try:
        c = PlatformClient(p.url, kiosk_id="K-UP", secret=kiosks["K-UP"], timeout_s=10, sleep=lambda s: None,
                           inline_max_bytes=64 * 1024)
        st = c.upload(DATA, "material-big.pdf")
        files = p.app.state.platform.files
        assert files.has_blob(SHA) and not files.upload_path(st.upload_id).exists()  # promoted on completion
        os.replace(files.blob_path(SHA), files.upload_path(st.upload_id))  # as the old layout kept it
        resp = c.submit(upload_manifest(DATA), {"material-big.pdf": DATA, "signature.png": PNG})
        assert files.read(resp.reference, "material-big.pdf") == DATA and files.has_blob(SHA)
    finally:
        p.stop()


def test_what_one_platform_process_wrote_the_other_reads(tmp_path, pg_cluster):
    """Two `kiosk central` processes on one database and one shared directory: an upload begun at one and
    finished at the other, adopted by the first; a result issued by the first, served by the second."""
    from tests.helpers.central_process import CentralProcess
    from tests.integration.test_central_citizens import GRADUATE, SECRETS, Signed
    from tests.integration.test_central_citizens import submit as submit_as

    kiosks = dict(SECRETS, **{"K-UP": "upload-secret-0123456789"})
    url, shared = pg_cluster.database(), tmp_path / "shared"
    a = CentralProcess(tmp_path / "a", "--db", url, "--data-dir", str(shared), kiosks=kiosks)
    b = CentralProcess(tmp_path / "b", "--db", url, "--data-dir", str(shared), kiosks=kiosks)
    try:
        at_a, at_b = (PlatformClient(x.url, kiosk_id="K-UP", secret=kiosks["K-UP"], timeout_s=10,
                                     sleep=lambda s: None, inline_max_bytes=64 * 1024) for x in (a, b))
        half = len(DATA) // 2
        st = at_a.t.request("POST", "/uploads", json_body={"sha256": SHA, "size": len(DATA), "name": "m"}).json()
        put = {"Content-Type": "application/octet-stream"}
        at_a.t.request("PUT", f"/uploads/{st['upload_id']}", data=DATA[:half], headers=dict(put, **{"Upload-Offset": "0"}))
        done = at_b.t.request("PUT", f"/uploads/{st['upload_id']}", data=DATA[half:],
                              headers=dict(put, **{"Upload-Offset": str(half)})).json()
        assert done["complete"] is True  # B hashed the bytes A wrote
        resp = at_a.submit(upload_manifest(DATA), {"material-big.pdf": DATA, "signature.png": PNG})
        store = FileStore(shared)
        assert store.read(resp.reference, "material-big.pdf") == DATA  # A adopted the blob B made
        instant = submit_as(a, "K-HOME", GRADUATE)  # A issues and stores the signed result
        home_b = PlatformClient(b.url, kiosk_id="K-HOME", secret=kiosks["K-HOME"], timeout_s=10, sleep=lambda s: None)
        pdf = home_b.result_pdf(instant.reference, session_id=Signed(b.url, "K-HOME").open_session(GRADUATE.id_number))
        assert pdf.startswith(b"%PDF-") and store.has_blob(hashlib.sha256(pdf).hexdigest())
    finally:
        a.stop()
        b.stop()
