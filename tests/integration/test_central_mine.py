"""我的办件 at the platform (issue 18, deliver 3), over real HTTP: a kiosk lists the card holder's applications
from every kiosk inside its own citizen session, newest first, a page at a time, only that holder's. Attacked
by hand-signed requests (a stolen kiosk's secret): no signature, another kiosk's session, a made-up one, a
closed one, an expired one, a page size far beyond the cap. Synthetic identities only."""
from __future__ import annotations

import json

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.errors import KioskErrorCode
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient
from kiosk.platform.mine_schema import MAX_PER_PAGE
from kiosk.platform.schema import API_PREFIX
from kiosk.platform.services import LinkError, MineService
from kiosk.platform.transport import PlatformError
from kiosk.settings import CONFIG_DIR
from tests.integration.test_central_citizens import DISHONEST, GRADUATE, SECRETS, Signed, alarms, submit

CERT = "312000218000"  # 无犯罪记录证明: received, no decision at once


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


@pytest.fixture(scope="module")
def filed(platform):
    """The graduate applied three times at two kiosks (the last by express); the dishonest applicant once."""
    first = submit(platform, "K-HOME", GRADUATE, CERT).reference
    other = submit(platform, "K-HOME", DISHONEST).reference
    second = submit(platform, "K-AWAY", GRADUATE, CERT).reference
    third = submit(platform, "K-HOME", GRADUATE, express=True).reference  # 秒批: approved, a waybill
    return {"graduate": [third, second, first], "dishonest": [other]}


def listing(platform, kiosk: str, session: str, **params: str) -> requests.Response:
    return Signed(platform.url, kiosk).call("GET", f"/citizen-sessions/{session}/applications", **params)


def test_the_holders_applications_from_every_kiosk_newest_first_and_nobody_elses(platform, admin, filed):
    session = Signed(platform.url, "K-AWAY").open_session(GRADUATE.id_number)
    resp = listing(platform, "K-AWAY", session)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [i["reference"] for i in body["items"]] == filed["graduate"]  # K-HOME's too, newest first
    assert body["total"] == 3 and filed["dishonest"][0] not in resp.text
    newest = body["items"][0]
    assert newest["status"] == "approved" and newest["waybill_status"] == "created"
    assert newest["result_available"] is True  # 秒批: the platform issued its signed result (central/results)
    assert body["items"][2]["status"] == "received" and body["items"][2]["waybill_status"] is None
    assert body["items"][2]["result_available"] is False  # nothing decided, nothing issued
    assert GRADUATE.id_number not in resp.text and GRADUATE.name not in resp.text
    ledger = admin._call("GET", "/lookups", params={"kiosk_id": "K-AWAY", "limit": "100"}).json()
    mine = [r for r in ledger if r["kind"] == "mine"]
    assert mine and mine[0]["outcome"].startswith("ok") and GRADUATE.id_number not in json.dumps(ledger)


def test_pages_are_bounded_and_follow_on(platform, filed):
    session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    second = listing(platform, "K-HOME", session, page="2", per_page="1").json()
    assert [i["reference"] for i in second["items"]] == filed["graduate"][1:2] and second["total"] == 3
    assert listing(platform, "K-HOME", session, page="4", per_page="1").json()["items"] == []


@pytest.mark.parametrize("params", [{"per_page": str(MAX_PER_PAGE + 1)}, {"per_page": "100000"},
                                    {"per_page": "0"}, {"page": "0"}, {"page": "1000000"}])
def test_a_page_beyond_the_cap_is_refused_with_its_code(platform, filed, params):
    session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    resp = listing(platform, "K-HOME", session, **params)
    assert resp.status_code == 422 and resp.json()["code"] == 4191


def test_an_absurd_page_size_is_refused_before_anything_is_read(platform, filed):
    session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    resp = listing(platform, "K-HOME", session, per_page="1" + "0" * 40)
    assert resp.status_code == 422 and "items" not in resp.text


def test_without_a_signature_nothing_is_listed(platform, filed):
    session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    resp = requests.get(f"{platform.url}{API_PREFIX}/citizen-sessions/{session}/applications", timeout=5)
    assert resp.status_code == 401 and resp.json()["code"] == 4010 and "items" not in resp.text


def test_another_kiosks_session_is_refused_and_raises_an_alarm(platform, admin, filed):
    session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    resp = listing(platform, "K-THIEF", session)
    assert resp.status_code == 403 and resp.json()["code"] == 4190 and "SZ" not in resp.text
    assert any(a["kind"] == "foreign_session" for a in alarms(admin, "K-THIEF"))


def test_a_made_up_session_is_refused(platform, filed):
    resp = listing(platform, "K-THIEF", "x" * 32)
    assert resp.status_code == 403 and resp.json()["code"] == 4190


def test_a_closed_session_is_refused(platform, filed):
    home = Signed(platform.url, "K-HOME")
    session = home.open_session(GRADUATE.id_number)
    assert listing(platform, "K-HOME", session).status_code == 200
    assert home.call("POST", f"/citizen-sessions/{session}/close").json()["closed"] is True
    resp = listing(platform, "K-HOME", session)
    assert resp.status_code == 403 and resp.json()["code"] == 4190


def test_an_expired_session_is_refused(platform, filed):
    session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    store = platform.app.state.store
    # the session's time runs out (900 s are not waited for), on either store
    if platform.config.db_url:
        store._exec("UPDATE citizen_sessions SET expires_at = 0 WHERE session_id = %s", (session,))
    else:
        with store._lock:
            store._db.execute("UPDATE citizen_sessions SET expires_at = 0 WHERE session_id = ?", (session,))
    resp = listing(platform, "K-HOME", session)
    assert resp.status_code == 403 and resp.json()["code"] == 4190


def test_the_kiosks_client_reads_the_list_and_a_detail_of_another_kiosks_application(platform, filed):
    c = PlatformClient(platform.url, kiosk_id="K-AWAY", secret=SECRETS["K-AWAY"], timeout_s=5, sleep=lambda s: None)
    try:
        session = c.open_citizen_session(DISHONEST.id_number).session_id
        got = c.my_applications(session)
        assert [i.reference for i in got.items] == filed["dishonest"] and not got.more
        detail = c.status(filed["dishonest"][0], session_id=session)  # submitted at K-HOME
        assert detail.timeline and detail.timeline[0].status == "received"
        with pytest.raises(PlatformError) as err:
            c.my_applications(session, per_page=MAX_PER_PAGE + 1)
        assert err.value.code == 4191
    finally:
        c.close()


def test_a_closed_session_is_the_citizens_refusal_at_the_kiosk_not_a_kiosk_sign_in_fault(platform, filed):
    """The platform's 403 for a closed citizen session (4190) reaches the journey as 我的办件 refused (2141: read
    the card again), not as PLATFORM_AUTH (3010: the kiosk cannot sign in, a technician checks its key); a
    wrong kiosk secret is still 3010."""
    c = PlatformClient(platform.url, kiosk_id="K-HOME", secret=SECRETS["K-HOME"], timeout_s=5, sleep=lambda s: None)
    bad = PlatformClient(platform.url, kiosk_id="K-HOME", secret="0" * 64, timeout_s=5, sleep=lambda s: None)
    try:
        session = c.open_citizen_session(GRADUATE.id_number).session_id
        c.close_citizen_session(session)
        with pytest.raises(LinkError) as err:
            MineService(c).list(session)
        assert err.value.code == KioskErrorCode.MINE_REFUSED
        with pytest.raises(LinkError) as err:
            MineService(bad).list(session)
        assert err.value.code == KioskErrorCode.PLATFORM_AUTH
    finally:
        c.close()
        bad.close()
