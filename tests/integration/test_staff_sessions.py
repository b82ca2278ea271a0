"""Staff accounts and sessions under attack (issue 21): no session, expired sessions, wrong roles, missing or
wrong CSRF tokens, throttled logins that hold across a restart, odd and huge bodies. Real HTTP against the
embedded platform; the clock is the test's."""
from __future__ import annotations

import sqlite3

import psycopg
import pytest
import requests

from kiosk.platform.schema import ErrorCode
from central.staff import passwords
from tests.helpers.staff_browser import PASSWORD, Browser, Clock, account, cheap_argon2, code_of, queue_case, start


@pytest.fixture(autouse=True)
def _cheap_argon2():
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture(scope="module")
def clock():
    return Clock()


@pytest.fixture(scope="module")
def platform(tmp_path_factory, clock, central_db):
    """One platform for the module (starting one costs a second): each test has its own accounts and cases."""
    p = start(tmp_path_factory.mktemp("central"), clock, central_db)
    yield p
    p.stop()


_n = iter(range(10_000))


def user(platform, role: str = "reviewer") -> str:
    return account(platform, f"u{next(_n):04d}", role)


def test_pages_without_a_session_send_to_the_login_and_show_nothing_of_a_case(platform):
    ref = queue_case(platform)
    b = Browser(platform.url)
    for path in ("/staff/", "/staff/reviews", f"/staff/reviews/{ref}", f"/staff/reviews/{ref}/files/x.pdf/1.png",
                 "/staff/actions"):
        r = b.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/staff/login", path
        assert ref not in r.text


def test_a_form_posted_without_a_session_is_refused_with_4200_and_decides_nothing(platform):
    ref = queue_case(platform)
    r = Browser(platform.url).post(f"/staff/reviews/{ref}/decide", {"outcome": "approve", "csrf": "x"})
    assert r.status_code == 401 and code_of(r) == ErrorCode.STAFF_LOGIN_REQUIRED
    assert platform.store.find_by_reference(ref)["status"] == "under_review"


def test_login_gives_a_new_httponly_samesite_strict_cookie_scoped_to_staff(platform):
    rev01 = user(platform)
    b = Browser(platform.url)
    b.csrf("/staff/login")
    before = b.http.cookies.get("staff_session")
    r = b.post("/staff/login", {"username": rev01, "password": PASSWORD}, csrf_from="/staff/login")
    assert r.status_code == 303 and r.headers["location"] == "/staff/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/staff" in cookie
    assert "Secure" not in cookie  # plain HTTP in the test: a Secure cookie would never come back
    assert b.http.cookies.get("staff_session") != before  # a new id at login: no session fixation
    page = b.get("/staff/")
    assert page.status_code == 200 and rev01 in page.text and "审核队列" in page.text
    assert page.headers["cache-control"] == "no-store" and "frame-ancestors 'none'" in page.headers[
        "content-security-policy"]


def test_the_cookie_is_secure_where_the_platform_is_configured_for_https(platform):
    platform.config.staff.cookie_secure = True
    try:
        r = requests.get(platform.url + "/staff/login", timeout=10)
        assert "Secure" in r.headers["set-cookie"]
    finally:
        platform.config.staff.cookie_secure = None


def test_an_idle_session_expires_and_so_does_a_busy_one_after_its_maximum_age(platform, clock):
    rev01 = user(platform)
    b = Browser(platform.url)
    b.login(rev01)
    clock.t += 29 * 60
    assert b.get("/staff/reviews").status_code == 200  # used within the idle time: still on
    clock.t += 31 * 60
    assert b.get("/staff/reviews").status_code == 303  # 31 minutes idle: over
    b.login(rev01)
    for _ in range(21):  # busy all day, one look every 29 minutes
        clock.t += 29 * 60
        b.get("/staff/reviews")
    assert b.last.status_code == 303  # 10 hours after login: over however busy


def test_a_wrong_password_and_a_disabled_account_get_the_same_refusal_4201(platform):
    rev01 = user(platform)
    rev02 = user(platform)
    platform.store.update_staff(rev02, disabled=1)
    b = Browser(platform.url)
    wrong = b.login(rev01, "not-the-password")
    disabled = b.login(rev02)
    unknown = b.login("nobody")
    for r in (wrong, disabled, unknown):
        assert r.status_code == 401 and code_of(r) == ErrorCode.STAFF_LOGIN_FAILED
    assert b.get("/staff/reviews").status_code == 303


def test_five_failures_throttle_the_account_even_with_the_right_password_and_across_a_restart(tmp_path, clock):
    p = start(tmp_path / "central", clock)
    try:
        account(p, "rev01")
        b = Browser(p.url)
        for _ in range(5):
            assert b.login("rev01", "guess-guess-guess").status_code == 401
        r = b.login("rev01")
        assert r.status_code == 429 and code_of(r) == ErrorCode.STAFF_LOGIN_THROTTLED
    finally:
        p.stop()
    p = start(tmp_path / "central", clock)  # another worker or a restart: the count is in the database
    try:
        assert code_of(Browser(p.url).login("rev01")) == ErrorCode.STAFF_LOGIN_THROTTLED
        clock.t += 15 * 60 + 1  # the window has passed
        assert Browser(p.url).login("rev01").status_code == 303
        assert any(a["action"] == "login_throttled" for a in p.store.staff_actions())
    finally:
        p.stop()


def test_failures_from_one_address_throttle_that_address_for_every_account(tmp_path, clock):
    p = start(tmp_path / "c", clock, failures_per_address=6)
    try:
        account(p, "rev01")
        b = Browser(p.url)
        for n in range(6):  # spraying: one guess per account name, all from one address
            assert b.login(f"user{n:02d}", "guess-guess-guess").status_code == 401
        r = b.login("rev01")
        assert r.status_code == 429 and code_of(r) == ErrorCode.STAFF_LOGIN_THROTTLED
    finally:
        p.stop()


def test_the_default_hash_is_argon2id_with_the_rfc_9106_low_memory_profile():
    from argon2 import PasswordHasher

    default = PasswordHasher().hash("x")
    assert default.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_login_without_the_login_forms_token_is_refused(platform):
    rev01 = user(platform)
    b = Browser(platform.url)
    b.get("/staff/login")
    r = b.post("/staff/login", {"username": rev01, "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_CSRF
    other = Browser(platform.url)  # a page that posts a login from elsewhere has no form session at all
    r = other.post("/staff/login", {"username": rev01, "password": PASSWORD}, csrf_from=None)
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_CSRF


@pytest.mark.parametrize("token", [None, "", "wrong-token", "é" * 40])
def test_a_decision_without_the_sessions_csrf_token_is_refused_4203_and_changes_nothing(platform, token):
    ref = queue_case(platform)
    rev01 = user(platform)
    b = Browser(platform.url)
    b.login(rev01)
    assert b.claim(ref).status_code == 303
    data = {"outcome": "approve"} if token is None else {"outcome": "approve", "csrf": token}
    r = b.post(f"/staff/reviews/{ref}/decide", data, csrf_from=None)
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_CSRF
    assert platform.store.find_by_reference(ref)["status"] == "under_review"


def test_another_sessions_token_does_not_pass(platform):
    ref = queue_case(platform)
    rev01 = user(platform)
    rev02 = user(platform)
    a, b = Browser(platform.url), Browser(platform.url)
    a.login(rev01)
    b.login(rev02)
    assert a.claim(ref).status_code == 303
    r = a.post(f"/staff/reviews/{ref}/decide", {"outcome": "approve", "csrf": b.csrf("/staff/")}, csrf_from=None)
    assert code_of(r) == ErrorCode.STAFF_CSRF


def test_logout_ends_the_session_on_the_server(platform):
    rev01 = user(platform)
    b = Browser(platform.url)
    b.login(rev01)
    cookie = b.http.cookies.get("staff_session")
    assert b.post("/staff/logout").status_code == 303
    thief = requests.Session()
    thief.cookies.set("staff_session", cookie, path="/staff")
    assert thief.get(platform.url + "/staff/reviews", allow_redirects=False, timeout=10).status_code == 303


def test_a_new_password_or_disabling_ends_the_accounts_sessions(platform):
    from central.staff.admin import disable_account

    rev01 = user(platform)
    b = Browser(platform.url)
    b.login(rev01)
    disable_account(platform.store, rev01, "2026-01-02T09:00:00+08:00", "boss", "left")
    assert b.get("/staff/reviews").status_code == 303


@pytest.mark.parametrize("cookie", ["", "x" * 5000, "\u00e9t\u00e9", "' OR 1=1 --"])
def test_a_garbage_cookie_is_no_session(platform, cookie):
    s = requests.Session()
    r = s.get(platform.url + "/staff/reviews", headers={"Cookie": f"staff_session={cookie}".encode("utf-8")},
              allow_redirects=False, timeout=10)
    assert r.status_code in (303, 400)


def test_the_password_is_kept_only_as_an_argon2id_hash(platform):
    rev01 = user(platform)
    row = platform.store.staff(rev01)
    assert row["password_hash"].startswith("$argon2id$")
    raw = b"".join(p.read_bytes() for p in platform.config.data_dir.glob("central.sqlite*"))
    assert PASSWORD.encode() not in raw


def test_odd_bytes_and_huge_bodies_are_numbered_refusals_never_a_500(platform):
    ref = queue_case(platform)
    rev01 = user(platform)
    b = Browser(platform.url)
    b.login(rev01)
    b.claim(ref)
    token = b.csrf(f"/staff/reviews/{ref}")
    decide = f"/staff/reviews/{ref}/decide"
    cases = {
        "not utf-8": (b"outcome=approve&csrf=" + token.encode() + b"&reason=\xff\xfe", ErrorCode.STAFF_FORM_INVALID),
        "percent-encoded bad utf-8": (f"outcome=approve&csrf={token}&reason=%ff%c0", ErrorCode.STAFF_FORM_INVALID),
        "NUL": (f"outcome=approve&csrf={token}&reason=a%00b", ErrorCode.STAFF_FORM_INVALID),
        "too many fields": ("&".join(f"f{n}=1" for n in range(50)), ErrorCode.STAFF_FORM_INVALID),
        "too long": (f"outcome=approve&csrf={token}&reason=" + "x" * 600, ErrorCode.STAFF_FORM_INVALID),
        "unknown outcome": (f"outcome=maybe&csrf={token}", ErrorCode.STAFF_FORM_INVALID),
    }
    for what, (body, code) in cases.items():
        r = b.post(decide, body)
        assert (r.status_code, code_of(r)) == (422, code), what
    r = b.post(decide, f"outcome=approve&csrf={token}", content_type="application/json")
    assert r.status_code == 422
    huge = b.post(decide, b"outcome=approve&reason=" + b"x" * (1024 * 1024))
    assert huge.status_code == 413 and code_of(huge) == ErrorCode.BODY_TOO_LARGE
    assert platform.store.find_by_reference(ref)["status"] == "under_review"


def test_the_staff_tables_are_in_the_platforms_database(platform):
    if platform.config.db_url:  # PostgreSQL (central_db): the tables of the platform's database
        with psycopg.connect(platform.config.db_url) as db:
            names = {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables "
                                              "WHERE table_schema = current_schema()")}
    else:
        db = sqlite3.connect(platform.config.data_dir / "central.sqlite")
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        db.close()
    assert {"staff_accounts", "staff_sessions", "staff_login_failures", "review_claims", "staff_actions"} <= names
