"""The reference platform through the kiosk's own client, over real HTTP on loopback."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import Applicant, FileRef, Manifest
from kiosk.settings import CONFIG_DIR

PDF = b"%PDF-1.4 material"


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog")
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    return PlatformClient(platform.url, kiosk_id="K-TEST", timeout_s=5)


def manifest(app_id: str | None = None, data: bytes = PDF, item: str = "312000218000") -> Manifest:
    return Manifest(
        application_id=app_id or str(uuid.uuid4()), item_code=item, kiosk_id="K-TEST",
        created_at=dt.datetime.now(dt.timezone.utc).isoformat(),
        applicant=Applicant(name="李小明", id_number="440305200205141170", birth_date="2002-05-14"),
        form={"phone": "13800138000"},
        files=[FileRef(name="material-a.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                       mime="application/pdf")])


def test_submit_returns_a_reference_and_status_shows_its_timeline(client):
    resp = client.submit(manifest(), {"material-a.pdf": PDF})
    assert resp.reference.startswith("SZ") and resp.status == "received" and not resp.duplicate
    status = client.status(resp.reference)
    assert status.item_code == "312000218000"
    assert [e.status for e in status.timeline] == ["received"]


def test_the_same_idempotency_key_gives_the_first_answer_and_stores_once(client, platform):
    m = manifest()
    first = client.submit(m, {"material-a.pdf": PDF})
    count = platform.app.state.store.count()
    second = client.submit(m, {"material-a.pdf": PDF})
    assert second.duplicate and second.reference == first.reference
    assert platform.app.state.store.count() == count


def test_a_file_that_does_not_match_its_sha256_is_refused_and_not_retryable(client):
    with pytest.raises(PlatformError) as exc:
        client.submit(manifest(data=PDF), {"material-a.pdf": PDF + b"tampered"})
    assert exc.value.status == 422 and not exc.value.retryable
    assert "material-a.pdf" in str(exc.value)


def test_an_unknown_item_is_refused(client):
    with pytest.raises(PlatformError, match="unknown item"):
        client.submit(manifest(item="999999999999"), {"material-a.pdf": PDF})


def test_unknown_reference_is_404(client):
    with pytest.raises(PlatformError) as exc:
        client.status("SZ00000000000000")
    assert exc.value.status == 404


def test_catalog_has_an_etag_and_answers_304_when_unchanged(client, platform):
    cat = client.catalog()
    assert any(i["code"] == "312000218000" for i in cat.items)
    r = requests.get(f"{platform.url}/api/v1/catalog", headers={"If-None-Match": f'"{cat.version}"'}, timeout=5)
    assert r.status_code == 304


def test_openapi_describes_every_endpoint(platform):
    spec = requests.get(f"{platform.url}/openapi.json", timeout=5).json()
    assert {"/api/v1/health", "/api/v1/catalog", "/api/v1/applications",
            "/api/v1/applications/{reference}"} <= set(spec["paths"])


def test_an_unreachable_platform_is_a_retryable_error():
    c = PlatformClient("http://127.0.0.1:9", kiosk_id="K", timeout_s=1)
    with pytest.raises(PlatformError) as exc:
        c.health()
    assert exc.value.retryable and "unreachable" in str(exc.value)
