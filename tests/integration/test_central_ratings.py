"""好差评 at the platform (issue 17), over real HTTP: a kiosk rates its own case once (signed); a second rating is
a 409, another kiosk's case or one the platform does not hold a 404; staff list them. Attacked: no signature,
someone else's case id, a huge body, odd bytes, a level that is not one of the five."""
from __future__ import annotations

import hashlib
import secrets
import time

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient
from kiosk.platform.rating_schema import RatingLevel
from kiosk.platform.schema import (API_PREFIX, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION,
                                   H_TIMESTAMP, sign_v2)
from kiosk.platform.transport import PlatformError
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete
from tests.integration.test_central_citizens import INTAKE, SECRETS, Signed


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog", kiosks=dict(SECRETS),
                         db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def admin(platform):
    return AdminClient(platform.url, platform.admin_token, timeout_s=5)


def kiosk(platform, kid="K-HOME") -> PlatformClient:
    return PlatformClient(platform.url, kiosk_id=kid, secret=SECRETS[kid], timeout_s=5, sleep=lambda s: None)


def a_case(platform, kid="K-HOME") -> str:
    """An application this kiosk submitted: its id is the case the citizen rates."""
    m, files = complete(INTAKE, "graduate", kiosk_id=kid)
    c = kiosk(platform, kid)
    try:
        assert c.submit(m, files).reference.startswith("SZ")
    finally:
        c.close()
    return m.application_id


def rated(admin, app_id: str) -> list:
    return [r for r in admin.ratings(1000) if r.application_id == app_id]


def test_a_case_is_rated_once_and_staff_see_the_level_with_its_number(platform, admin):
    app_id = a_case(platform)
    c = kiosk(platform)
    got = c.rate(app_id, RatingLevel.SATISFIED)
    assert got.level == RatingLevel.SATISFIED and got.reference.startswith("SZ") and got.kiosk_id == "K-HOME"
    with pytest.raises(PlatformError) as second:
        c.rate(app_id, RatingLevel.VERY_UNSATISFIED)  # one rating per case: the first stands
    assert second.value.status == 409 and second.value.code == 4140
    (kept,) = rated(admin, app_id)
    assert kept.level == RatingLevel.SATISFIED and kept.rated_at


def test_a_rating_without_a_signature_is_refused_and_not_kept(platform, admin):
    app_id = a_case(platform)
    resp = requests.post(platform.url + API_PREFIX + "/ratings", json={"application_id": app_id,
                                                                         "level": "very_unsatisfied"}, timeout=5)
    assert resp.status_code == 401 and rated(admin, app_id) == []


def test_another_kiosks_case_or_an_unknown_one_cannot_be_rated(platform, admin):
    app_id = a_case(platform, "K-HOME")
    resp = Signed(platform.url, "K-THIEF").call("POST", "/ratings", {"application_id": app_id,
                                                                      "level": "very_unsatisfied"})
    assert resp.status_code == 404 and resp.json()["code"] == 4141 and rated(admin, app_id) == []
    assert app_id not in resp.text or "K-HOME" not in resp.text  # nothing said about whose case it is
    resp = Signed(platform.url, "K-HOME").call("POST", "/ratings", {"application_id": "0" * 36,
                                                                     "level": "satisfied"})
    assert resp.status_code == 404
    assert kiosk(platform).rate(app_id, "basic").level == RatingLevel.BASIC  # its own kiosk still can


@pytest.mark.parametrize("body", [
    {"application_id": "A1234567-0000", "level": "excellent"},          # not one of the five levels
    {"application_id": "A1234567-0000", "level": 5},
    {"application_id": "A1234567-0000", "level": "满意"},                # the label, not the level
    {"application_id": "../../etc/passwd", "level": "satisfied"},
    {"application_id": "A1234567-0000", "level": "satisfied", "comment": "x"},  # unknown field
    {"application_id": "A1234567-0000' OR '1'='1", "level": "satisfied"},
    {"level": "satisfied"},
])
def test_odd_ratings_are_refused_with_a_numbered_error(platform, body):
    resp = Signed(platform.url, "K-HOME").call("POST", "/ratings", body)
    assert resp.status_code == 422 and isinstance(resp.json()["code"], int)


def test_a_huge_body_is_refused_before_it_is_read(platform):
    resp = Signed(platform.url, "K-HOME").call("POST", "/ratings", {"application_id": "A1234567-0000",
                                                                     "level": "satisfied", "pad": "x" * 5_000_000})
    assert resp.status_code == 413


def test_odd_bytes_are_refused(platform):
    s = Signed(platform.url, "K-HOME")
    full = API_PREFIX + "/ratings"
    data = b"\xff\xfe{not json\x00"
    ts, nonce, sha = str(int(time.time())), secrets.token_urlsafe(16), hashlib.sha256(data).hexdigest()
    headers = {H_KIOSK: "K-HOME", H_TIMESTAMP: ts, H_NONCE: nonce, H_BODY_SHA256: sha,
               H_SIGNATURE_VERSION: "2",
               H_SIGNATURE: sign_v2(SECRETS["K-HOME"], "K-HOME", "POST", full, ts, nonce, sha, {}),
               "Content-Type": "application/json"}
    resp = s.http.post(platform.url + full, data=data, headers=headers, timeout=5)
    assert resp.status_code in (400, 422), resp.text


def test_the_list_needs_the_admin_token(platform):
    assert requests.get(platform.url + API_PREFIX + "/admin/ratings", timeout=5).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert requests.get(platform.url + API_PREFIX + "/admin/ratings", headers=wrong, timeout=5).status_code == 401
