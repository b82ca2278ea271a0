"""Signed requests: what the platform refuses (unsigned, wrong secret, changed body, stale, replayed)."""
from __future__ import annotations

import hashlib
import secrets
import time

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.schema import (H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION, H_TIMESTAMP,
                                   sign_v2)

SECRET = "auth-secret-0123456789"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), kiosks={"K-AUTH": SECRET}, db_url=central_db)
    p.start()
    yield p
    p.stop()


def signed(method: str, path: str, body: bytes = b"", *, secret: str = SECRET, ts: int | None = None,
           nonce: str | None = None, body_for_hash: bytes | None = None) -> dict[str, str]:
    ts_s = str(int(time.time()) if ts is None else ts)
    nonce = nonce or secrets.token_urlsafe(18)
    digest = hashlib.sha256(body if body_for_hash is None else body_for_hash).hexdigest()
    return {H_KIOSK: "K-AUTH", H_TIMESTAMP: ts_s, H_NONCE: nonce, H_BODY_SHA256: digest,
            H_SIGNATURE_VERSION: "2", H_SIGNATURE: sign_v2(secret, "K-AUTH", method, path, ts_s, nonce, digest, {})}


def call(platform, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> requests.Response:
    return requests.request(method, platform.url + path, headers=headers, data=body or None, timeout=5)


def test_a_correctly_signed_request_is_served(platform):
    r = call(platform, "GET", "/api/v1/catalog", signed("GET", "/api/v1/catalog"))
    assert r.status_code == 200


def test_an_unsigned_request_is_refused_with_a_numbered_reason(platform):
    r = requests.get(platform.url + "/api/v1/catalog", timeout=5)
    assert r.status_code == 401 and r.json()["code"] == 4010


def test_a_wrong_secret_is_refused(platform):
    r = call(platform, "GET", "/api/v1/catalog", signed("GET", "/api/v1/catalog", secret="not-the-secret"))
    assert r.status_code == 401 and r.json()["code"] == 4012


def test_a_request_sent_to_another_path_than_signed_is_refused(platform):
    r = call(platform, "GET", "/api/v1/applications/SZ00000000000001", signed("GET", "/api/v1/catalog"))
    assert r.json()["code"] == 4012


def test_a_body_changed_on_the_way_is_refused(platform):
    body = b'{"events": []}'
    headers = signed("POST", "/api/v1/kiosks/audit", body)
    r = call(platform, "POST", "/api/v1/kiosks/audit", dict(headers, **{"Content-Type": "application/json"}),
             b'{"events": [] }')
    assert r.status_code == 401 and r.json()["code"] == 4015


def test_a_stale_timestamp_is_refused_and_the_platform_says_its_time(platform):
    r = call(platform, "GET", "/api/v1/catalog", signed("GET", "/api/v1/catalog", ts=int(time.time()) - 3600))
    assert r.status_code == 401 and r.json()["code"] == 4013
    assert abs(r.json()["server_time"] - time.time()) < 60


def test_a_replayed_request_is_refused(platform):
    headers = signed("GET", "/api/v1/catalog", nonce="replay-nonce-" + secrets.token_hex(8))
    assert call(platform, "GET", "/api/v1/catalog", headers).status_code == 200
    again = call(platform, "GET", "/api/v1/catalog", headers)
    assert again.status_code == 401 and again.json()["code"] == 4014


def test_admin_endpoints_need_the_token_and_ignore_kiosk_signatures(platform):
    assert requests.get(platform.url + "/api/v1/admin/reviews", timeout=5).status_code == 401
    r = call(platform, "GET", "/api/v1/admin/reviews", signed("GET", "/api/v1/admin/reviews"))
    assert r.status_code == 401 and r.json()["code"] == 4016
    ok = requests.get(platform.url + "/api/v1/admin/reviews", timeout=5,
                      headers={"Authorization": f"Bearer {platform.admin_token}"})
    assert ok.status_code == 200
