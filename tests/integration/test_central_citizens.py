"""Attacks on personal data at the platform, over real HTTP (issue 16, weaknesses 1 and 3).

The attacker holds a kiosk's secret (a stolen kiosk) and signs correctly: the signature is not what
stops them here. Requests are built by hand (``Signed``), not through the kiosk's client, so each
attack is the same bytes whatever the client does. Synthetic identities only (devices/idcard/synthetic.py).
"""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from urllib.parse import urlencode

import pytest
import requests

from central.server import EmbeddedPlatform
from devices.idcard.synthetic import IDENTITIES
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import (API_PREFIX, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION,
                                   H_TIMESTAMP, DeliveryInfo, Reason, sign_v2)
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

SECRETS = {"K-HOME": "home-secret-0123456789", "K-AWAY": "away-secret-0123456789",
           "K-THIEF": "thief-secret-0123456789", "K-BURST": "burst-secret-0123456789",
           "K-OPENER": "opener-secret-0123456789"}
INTAKE = "920000001000"  # 应届毕业生引进落户: reads credit, hukou, education
HK_ENDORSEMENT = "910000002000"
PDF = b"%PDF-1.4 material"
GRADUATE = IDENTITIES["graduate"]
DISHONEST = IDENTITIES["dishonest"]


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


class Signed:
    """A correctly signed request by ``kiosk`` (what a stolen secret allows), built by hand."""

    def __init__(self, url: str, kiosk: str) -> None:
        self.url, self.kiosk, self.http = url, kiosk, requests.Session()

    def call(self, method: str, path: str, body: dict | None = None, **params: str) -> requests.Response:
        full = API_PREFIX + path + (("?" + urlencode(params)) if params else "")
        data = json.dumps(body).encode() if body is not None else b""
        ts, nonce, sha = str(int(time.time())), secrets.token_urlsafe(16), hashlib.sha256(data).hexdigest()
        headers = {H_KIOSK: self.kiosk, H_TIMESTAMP: ts, H_NONCE: nonce, H_BODY_SHA256: sha,
                   H_SIGNATURE_VERSION: "2",
                   H_SIGNATURE: sign_v2(SECRETS[self.kiosk], self.kiosk, method, full, ts, nonce, sha, {}),
                   "Content-Type": "application/json"}
        return self.http.request(method, self.url + full, data=data, headers=headers, timeout=5)

    def open_session(self, id_number: str) -> str:
        resp = self.call("POST", "/citizen-sessions", {"id_number": id_number})
        assert resp.status_code == 200, resp.text
        return resp.json()["session_id"]

    def lookup(self, id_number: str, session: str | None, item: str | None = INTAKE, name: str = "") -> requests.Response:
        body = {"id_number": id_number, "name": name, "item_code": item}
        if session is not None:
            body["session_id"] = session
        return self.call("POST", "/sharing/lookup", body)


def submit(platform, kiosk: str, who=GRADUATE, item: str = INTAKE, express: bool = False, local_number: str = ""):
    c = PlatformClient(platform.url, kiosk_id=kiosk, secret=SECRETS[kiosk], timeout_s=5, sleep=lambda s: None)
    delivery = DeliveryInfo(method="express", recipient=who.name, phone="13800138000", region="440305",
                            address="深圳市南山区粤海街道示例路88号") if express else DeliveryInfo()
    label = next(k for k, card in IDENTITIES.items() if card is who)
    m, files = complete(item, label, kiosk_id=kiosk, delivery=delivery,  # a complete submission
                        local_number=local_number)
    try:
        return c.submit(m, files)
    finally:
        c.close()


def lookups(admin, kiosk: str) -> list[dict]:
    return admin._call("GET", "/lookups", params={"kiosk_id": kiosk, "limit": "10000"}).json()


def alarms(admin, kiosk: str) -> list[dict]:
    return [a for a in admin._call("GET", "/alarms").json() if a["kiosk_id"] == kiosk]


# ----- weakness 1: data sharing is no oracle -------------------------------------------------------------------
def test_a_lookup_without_a_citizen_session_is_refused_and_recorded(platform, admin):
    thief = Signed(platform.url, "K-THIEF")
    resp = thief.lookup(GRADUATE.id_number, None)
    assert resp.status_code == 403 and resp.json()["code"] == 4031
    assert "credit.blacklisted" not in resp.text
    mine = lookups(admin, "K-THIEF")
    assert mine and mine[0]["kind"] == "sharing" and mine[0]["outcome"].startswith("refused")
    assert GRADUATE.id_number not in json.dumps(mine)  # recorded masked


def test_another_kiosks_session_is_refused_and_raises_an_alarm(platform, admin):
    home_session = Signed(platform.url, "K-HOME").open_session(GRADUATE.id_number)
    resp = Signed(platform.url, "K-THIEF").lookup(GRADUATE.id_number, home_session)
    assert resp.status_code == 403
    assert any(a["kind"] == "foreign_session" for a in alarms(admin, "K-THIEF"))


def test_a_session_for_one_card_does_not_look_up_another_number(platform, admin):
    thief = Signed(platform.url, "K-THIEF")
    own = thief.open_session(GRADUATE.id_number)
    resp = thief.lookup(DISHONEST.id_number, own)
    assert resp.status_code == 403 and "blacklisted" not in resp.text
    assert any(a["kind"] == "session_mismatch" for a in alarms(admin, "K-THIEF"))


def test_an_expired_or_closed_session_is_refused(platform):
    home = Signed(platform.url, "K-HOME")
    ttl = platform.config.citizen_session_ttl_s
    platform.config.citizen_session_ttl_s = 0.0  # expires the moment it opens
    try:
        expired = home.open_session(GRADUATE.id_number)
    finally:
        platform.config.citizen_session_ttl_s = ttl
    assert home.lookup(GRADUATE.id_number, expired).status_code == 403
    closed = home.open_session(GRADUATE.id_number)
    assert home.lookup(GRADUATE.id_number, closed).status_code == 200
    assert home.call("POST", f"/citizen-sessions/{closed}/close").json() == {"closed": True}
    assert home.lookup(GRADUATE.id_number, closed).status_code == 403


def test_a_lookup_without_an_item_code_returns_nothing(platform):
    home = Signed(platform.url, "K-HOME")
    sid = home.open_session(DISHONEST.id_number)
    resp = home.lookup(DISHONEST.id_number, sid, item=None)
    assert resp.status_code == 422 and resp.json()["code"] == 4032
    assert "person.serving_sentence" not in resp.text and "blacklisted" not in resp.text


def test_the_platform_confirms_no_guessed_name(platform):
    home = Signed(platform.url, "K-HOME")
    sid = home.open_session(GRADUATE.id_number)
    right = home.lookup(GRADUATE.id_number, sid, name=GRADUATE.name).json()
    wrong = home.lookup(GRADUATE.id_number, sid, name="王五").json()
    assert right == wrong and right["name_matches"] is None


def test_a_burst_of_300_lookups_is_throttled_alarmed_and_every_one_recorded(platform, admin):
    burst = Signed(platform.url, "K-BURST")
    sid = burst.open_session(GRADUATE.id_number)
    statuses = [burst.lookup(GRADUATE.id_number, sid).status_code for _ in range(300)]
    answered = statuses.count(200)
    assert answered <= platform.config.lookups_per_session and statuses.count(429) == 300 - answered
    assert any(a["kind"] in ("session_lookups", "lookups_rate") for a in alarms(admin, "K-BURST"))
    recorded = [r for r in lookups(admin, "K-BURST") if r["kind"] == "sharing"]
    assert len(recorded) == 300 and sum(r["outcome"] == "ok" for r in recorded) == answered


def test_a_burst_of_session_openings_is_throttled_and_alarmed(platform, admin):
    opener = Signed(platform.url, "K-OPENER")
    numbers = [card.id_number for card in IDENTITIES.values()]
    statuses = [opener.call("POST", "/citizen-sessions", {"id_number": numbers[i % len(numbers)]}).status_code
                for i in range(300)]
    assert statuses.count(200) == platform.config.sessions_per_kiosk_per_minute
    assert statuses.count(429) == 300 - platform.config.sessions_per_kiosk_per_minute
    assert any(a["kind"] == "sessions_rate" for a in alarms(admin, "K-OPENER"))
    assert len([r for r in lookups(admin, "K-OPENER") if r["kind"] == "session_open"]) == 300


# ----- weakness 3: ownership on every read, tokens ----------------------------------------------------------------
def test_another_kiosk_reads_no_application_without_the_citizens_session(platform):
    sub = submit(platform, "K-HOME", who=DISHONEST)  # goes to review: its reasons are personal
    away = Signed(platform.url, "K-AWAY")
    assert away.call("GET", f"/applications/{sub.reference}").status_code == 404
    assert away.call("GET", "/track", code=sub.reference).status_code == 404
    other = away.open_session(GRADUATE.id_number)  # a card, but not the applicant's
    assert away.call("GET", f"/applications/{sub.reference}", session=other).status_code == 404
    theirs = away.open_session(DISHONEST.id_number)  # 进度查询 with the applicant's card works anywhere
    assert away.call("GET", "/track", code=sub.reference, session=theirs).json()["reference"] == sub.reference
    assert away.call("GET", f"/applications/{sub.reference}", token=sub.tracking_token).status_code == 200
    assert away.call("GET", "/track", code=f"https://x.gov.cn/t/{sub.tracking_token}").status_code == 200
    assert Signed(platform.url, "K-HOME").call("GET", f"/applications/{sub.reference}").status_code == 200


def test_walking_public_references_learns_nothing(platform):
    sub = submit(platform, "K-HOME", who=DISHONEST)
    day, seq = sub.reference[:10], int(sub.reference[10:])
    pages = {requests.get(f"{platform.url}/t/{day}{n:06d}", timeout=5).text for n in range(max(1, seq - 100), seq + 100)}
    assert len(pages) == 1  # 200 references, existing or not: the same page asking for the token or the card
    page = pages.pop()
    assert "查询码" in page and "身份证" in page and sub.status not in page and "Credit" not in page
    guesses = [requests.get(f"{platform.url}/t/{secrets.token_hex(13)[:26].upper()}", timeout=5).status_code
               for _ in range(50)]
    assert set(guesses) == {404}


def test_the_tracking_token_shows_status_but_no_reasons_notes_or_names(platform, admin):
    sub = submit(platform, "K-HOME", who=DISHONEST)
    admin.t.request("POST", f"/admin/reviews/{sub.reference}", json_body={
        "approved": False, "note": Reason(zh="信用核查未通过", en="Credit check not passed").model_dump(),
        "reviewer": "审核员张伟", "staff_note": "applicant on the list since 2024"},
        headers=admin._auth, signed=False, safe=False)
    public = requests.get(f"{platform.url}/t/{sub.tracking_token}", timeout=5)
    assert public.status_code == 200 and public.json()["status"] == "rejected"
    for secret_text in ("Credit", "信用", "张伟", "2024", DISHONEST.name, "note"):
        assert secret_text not in public.text.replace('"note":null', "")
    citizen = Signed(platform.url, "K-HOME").call("GET", f"/applications/{sub.reference}").text
    assert "张伟" not in citizen and "since 2024" not in citizen  # staff notes are the staff's
    notes = admin._call("GET", f"/reviews/{sub.reference}/notes").json()
    assert notes[0]["reviewer"] == "审核员张伟" and "2024" in notes[0]["note"]


def test_waybills_are_random_and_readable_only_by_the_applications_readers(platform, admin):
    sub = submit(platform, "K-HOME", item=INTAKE, express=True)
    assert sub.status == "approved"
    home = Signed(platform.url, "K-HOME")
    waybill = home.call("GET", f"/applications/{sub.reference}").json()["waybill_no"]
    derived = "EM" + str(int(hashlib.sha256(sub.reference.encode()).hexdigest(), 16) % 10 ** 9).zfill(9) + "CN"
    assert waybill and waybill != derived
    away = Signed(platform.url, "K-AWAY")
    assert away.call("GET", f"/deliveries/{waybill}").status_code == 404
    assert away.call("GET", f"/deliveries/{derived}").status_code == 404
    assert away.call("GET", f"/deliveries/{waybill}", token=sub.tracking_token).status_code == 200
    assert home.call("GET", f"/deliveries/{waybill}").json()["reference"] == sub.reference


# ----- issue 15 item 3: a local number is a guessable sequence ------------------------------------------------
def test_a_local_number_finds_the_application_only_inside_the_applicants_session(platform):
    local = "K-HOME-20261127-0042"
    sub = submit(platform, "K-HOME", local_number=local)  # the platform learns it on delivery
    home = Signed(platform.url, "K-HOME")
    bare = home.call("GET", "/track", code=local)  # even at the kiosk that submitted it
    assert bare.status_code == 404 and sub.reference not in bare.text
    stranger = home.open_session(DISHONEST.id_number)  # someone else's card
    assert home.call("GET", "/track", code=local, session=stranger).status_code == 404
    own = home.open_session(GRADUATE.id_number)
    found = home.call("GET", "/track", code=local, session=own)
    assert found.status_code == 200 and found.json()["reference"] == sub.reference
    elsewhere = Signed(platform.url, "K-THIEF")
    assert elsewhere.call("GET", "/track", code=local).status_code == 404


@pytest.mark.parametrize("code", ["K-HOME-20261127-9999", "K-HOME-20261127-0042\x00", "-20261127-0001",
                                  "K-HOME-2026112-0042", "K" * 70 + "-20261127-0042"])
def test_an_unknown_or_odd_local_number_is_a_plain_404(platform, code):
    home = Signed(platform.url, "K-HOME")
    own = home.open_session(GRADUATE.id_number)
    assert home.call("GET", "/track", code=code, session=own).status_code == 404
