"""呼叫帮助 at the platform (issue 15, item 4), over real HTTP: a kiosk files a call (signed, idempotent), it is
kept until staff acknowledge it (admin endpoint, ``kiosk central help list|ack``), and the kiosk learns of the
acknowledgement. Attacked: no signature, another kiosk's call, odd bytes, no admin token."""
from __future__ import annotations

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import API_PREFIX
from kiosk.settings import CONFIG_DIR
from tests.integration.test_central_citizens import SECRETS, Signed


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


def test_a_call_is_kept_until_staff_acknowledge_it_and_the_kiosk_learns_of_it(platform, admin):
    c = kiosk(platform)
    first = c.request_help("Hcall-home-0001", step="form", item_code="312000218000")
    again = c.request_help("Hcall-home-0001", step="form")  # a retry: the same call, not a second one
    assert first.status == again.status == "open" and first.requested_at == again.requested_at
    assert [h.help_id for h in admin.help_requests()].count("Hcall-home-0001") == 1
    assert c.help_status("Hcall-home-0001").status == "open"
    acked = admin.ack_help("Hcall-home-0001", by="王工")
    assert acked.status == "acknowledged" and acked.acknowledged_by == "王工"
    seen = c.help_status("Hcall-home-0001")
    assert seen.status == "acknowledged" and seen.acknowledged_at
    assert "Hcall-home-0001" not in [h.help_id for h in admin.help_requests()]  # no longer open
    assert "Hcall-home-0001" in [h.help_id for h in admin.help_requests(all_=True)]
    # A second acknowledgement keeps the first's name and time.
    assert admin.ack_help("Hcall-home-0001", by="李工").acknowledged_by == "王工"


def test_a_call_without_a_signature_is_refused_and_not_kept(platform, admin):
    resp = requests.post(platform.url + API_PREFIX + "/help", json={"help_id": "Hunsigned-0001"}, timeout=5)
    assert resp.status_code == 401
    assert "Hunsigned-0001" not in [h.help_id for h in admin.help_requests(all_=True)]
    assert requests.get(platform.url + API_PREFIX + "/help/Hunsigned-0001", timeout=5).status_code == 401


def test_another_kiosks_call_can_be_neither_read_nor_taken_over(platform):
    kiosk(platform, "K-HOME").request_help("Hcall-home-0002", step="home")
    thief = Signed(platform.url, "K-THIEF")
    assert thief.call("GET", "/help/Hcall-home-0002").status_code == 404
    resp = thief.call("POST", "/help", {"help_id": "Hcall-home-0002", "step": "end"})
    assert resp.status_code == 404
    assert kiosk(platform, "K-HOME").help_status("Hcall-home-0002").step == "home"


@pytest.mark.parametrize("body", [
    {"help_id": "x"},                                   # too short
    {"help_id": "H../../etc/passwd"},                   # not an id
    {"help_id": "Hcall-odd-00001", "step": "F" * 200},  # too long, wrong characters
    {"help_id": "Hcall-odd-00002", "extra": 1},          # unknown field
    {"help_id": "Hcall-odd-00003", "item_code": "'; DROP TABLE help_requests; --"},
])
def test_odd_calls_are_refused_with_a_numbered_error(platform, body):
    resp = Signed(platform.url, "K-HOME").call("POST", "/help", body)
    assert resp.status_code == 422 and isinstance(resp.json()["code"], int)


def test_odd_bytes_are_refused(platform):
    s = Signed(platform.url, "K-HOME")
    full = API_PREFIX + "/help"
    import hashlib
    import secrets
    import time

    from kiosk.platform.schema import (
        H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION, H_TIMESTAMP, sign_v2,
    )
    data = b"\xff\xfe{not json"
    ts, nonce, sha = str(int(time.time())), secrets.token_urlsafe(16), hashlib.sha256(data).hexdigest()
    headers = {H_KIOSK: "K-HOME", H_TIMESTAMP: ts, H_NONCE: nonce, H_BODY_SHA256: sha,
               H_SIGNATURE_VERSION: "2",
               H_SIGNATURE: sign_v2(SECRETS["K-HOME"], "K-HOME", "POST", full, ts, nonce, sha, {}),
               "Content-Type": "application/json"}
    resp = s.http.post(platform.url + full, data=data, headers=headers, timeout=5)
    assert resp.status_code in (400, 422), resp.text
    assert "Hcall" not in resp.text


def test_the_staff_endpoints_need_the_admin_token(platform):
    assert requests.get(platform.url + API_PREFIX + "/admin/help", timeout=5).status_code == 401
    resp = requests.post(platform.url + API_PREFIX + "/admin/help/Hcall-home-0002/ack", json={"by": "x"}, timeout=5)
    assert resp.status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert requests.get(platform.url + API_PREFIX + "/admin/help", headers=wrong, timeout=5).status_code == 401


def test_acknowledging_an_unknown_call_is_not_found(admin):
    from kiosk.platform.transport import PlatformError
    with pytest.raises(PlatformError):
        admin.ack_help("Hnever-filed-0001", by="王工")


def test_kiosk_central_help_lists_and_acknowledges_on_the_data_dir(tmp_path, capsys):
    from central.store import SqliteStore
    from ui.cli import main

    store = SqliteStore(tmp_path)
    store.add_help({"help_id": "Hcli-0001", "kiosk_id": "K-HOME", "location": "南山区政务服务中心", "step": "form",
                    "item_code": "", "requested_at": "2026-01-01T10:00:00+08:00", "status": "open"})
    store.close()
    assert main(["central", "--data-dir", str(tmp_path), "help", "list"]) == 0
    out = capsys.readouterr().out
    assert "Hcli-0001" in out and "南山区政务服务中心" in out and "open" in out
    assert main(["central", "--data-dir", str(tmp_path), "--operator", "王工", "help", "ack", "Hcli-0001"]) == 0
    assert "acknowledged by 王工" in capsys.readouterr().out
    assert main(["central", "--data-dir", str(tmp_path), "help", "list"]) == 0
    assert "Hcli-0001" not in capsys.readouterr().out
    assert main(["central", "--data-dir", str(tmp_path), "help", "ack", "Hnope-0001"]) == 1


def test_a_stray_word_after_kiosk_central_is_refused_without_echoing_it(tmp_path, capsys):
    from ui.cli import main

    assert main(["central", "--data-dir", str(tmp_path), "K-1=0123456789abcdef0123"]) == 2
    assert "0123456789abcdef0123" not in capsys.readouterr().err
