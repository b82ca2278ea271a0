"""Large files go by resumable upload: a broken connection, or a kiosk that crashed, resumes; never restarts."""
from __future__ import annotations

import hashlib
import os

import pytest
import requests

from central.config import PlatformConfig
from central.server import EmbeddedPlatform
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import FileRef, Manifest
from tests.helpers.manifests import PNG, complete

SECRET = "upload-secret-0123456789"
CHUNK = 256 * 1024
DATA = os.urandom(6 * CHUNK + 1000)  # seven chunks, the last one short


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    config = PlatformConfig(data_dir=tmp_path_factory.mktemp("central"), kiosks={"K-UP": SECRET}, chunk_bytes=CHUNK,
                            db_url=central_db)
    p = EmbeddedPlatform(None, config=config)
    p.start()
    yield p
    p.stop()


class FakeBrokenNetwork(requests.Session):
    """Counts the chunk bytes that reach the platform; breaks chosen PUTs before or after they arrive."""

    def __init__(self, lose_answer_of: set[int] = frozenset(), fail_before: set[int] | None = None,
                 fail_from: int | None = None) -> None:
        super().__init__()
        self.lose_answer_of, self.fail_before, self.fail_from = set(lose_answer_of), set(fail_before or ()), fail_from
        self.puts = 0
        self.bytes_arrived = 0

    def send(self, request, **kwargs):
        if request.method != "PUT":
            return super().send(request, **kwargs)
        self.puts += 1
        if self.puts in self.fail_before or (self.fail_from is not None and self.puts >= self.fail_from):
            raise requests.ConnectionError("cable pulled before the chunk left")
        resp = super().send(request, **kwargs)
        self.bytes_arrived += len(request.body or b"")
        if self.puts in self.lose_answer_of:
            raise requests.ConnectionError("cable pulled before the answer came back")
        return resp


def client(platform, session=None) -> PlatformClient:
    return PlatformClient(platform.url, kiosk_id="K-UP", secret=SECRET, timeout_s=10, inline_max_bytes=64 * 1024,
                          session=session, sleep=lambda s: None)


def manifest(data: bytes) -> Manifest:
    m, files = complete("312000218000", "graduate", kiosk_id="K-UP")  # complete; its material is the big file
    big = FileRef(name="material-big.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                  mime="application/pdf")
    mats = [r.model_copy(update={"file": big.name}) for r in m.materials]
    return m.model_copy(update={"materials": mats, "files": [big] + [f for f in m.files if f.name == m.signature]})


def test_a_broken_connection_mid_upload_resumes_and_the_submission_carries_the_file(platform):
    data = os.urandom(len(DATA))
    net = FakeBrokenNetwork(lose_answer_of={2}, fail_before={4})
    c = client(platform, net)
    resp = c.submit(manifest(data), {"material-big.pdf": data, "signature.png": PNG})
    assert resp.reference.startswith("SZ")
    assert platform.app.state.platform.files.read(resp.reference, "material-big.pdf") == data
    # Only the chunk whose answer was lost went twice: the upload resumed, it did not start again.
    assert net.bytes_arrived <= len(data) + CHUNK


def test_a_kiosk_that_crashed_mid_upload_resumes_from_the_platforms_offset(platform):
    data = DATA
    dying = FakeBrokenNetwork(fail_from=3)  # two chunks arrive, then the kiosk loses power
    with pytest.raises(PlatformError):
        client(platform, dying).upload(data, "material-big.pdf")
    assert dying.bytes_arrived == 2 * CHUNK
    restarted = FakeBrokenNetwork()  # after the restart the upload id is forgotten; the hash finds it again
    st = client(platform, restarted).upload(data, "material-big.pdf")
    assert st.complete and st.offset == len(data)
    assert restarted.bytes_arrived == len(data) - 2 * CHUNK


def test_bytes_that_do_not_match_the_declared_hash_restart_the_upload(platform):
    c = client(platform)
    good = os.urandom(1000)
    created = c.t.request("POST", "/uploads", json_body={"sha256": hashlib.sha256(good).hexdigest(),
                                                         "size": len(good)}, safe=True).json()
    with pytest.raises(PlatformError) as exc:
        c.t.request("PUT", f"/uploads/{created['upload_id']}", data=os.urandom(1000),
                    headers={"Upload-Offset": "0", "Content-Type": "application/octet-stream"})
    assert exc.value.code == 4092
    st = c.upload(good)  # the right bytes afterwards complete it
    assert st.complete and st.upload_id == created["upload_id"]


def test_an_offset_past_what_the_platform_holds_is_refused_with_its_offset(platform):
    c = client(platform)
    blob = os.urandom(CHUNK * 2)
    created = c.t.request("POST", "/uploads", json_body={"sha256": hashlib.sha256(blob).hexdigest(),
                                                         "size": len(blob)}, safe=True).json()
    with pytest.raises(PlatformError) as exc:
        c.t.request("PUT", f"/uploads/{created['upload_id']}", data=blob[CHUNK:],
                    headers={"Upload-Offset": str(CHUNK), "Content-Type": "application/octet-stream"})
    assert exc.value.status == 409 and exc.value.code == 4091
