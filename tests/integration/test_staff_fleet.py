"""The fleet monitor (issue 21, Deliver 4) through a staff browser over real HTTP, on both stores: a kiosk's
signed heartbeat with paper low shows on the technician's page as an alert, a silent kiosk turns offline after
the configured minutes, a call for help is acknowledged in the page and the kiosk's own help desk (the poll
``GET /help/{id}``) learns who is coming; roles, CSRF and unknown calls are refused with numbered codes."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from central.config import TZ
from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.help import HelpDesk, new_call
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import DeviceHealth, ErrorCode, Heartbeat
from tests.helpers.staff_browser import SECRET, Browser, Clock, account, cheap_argon2, code_of, start

_n = iter(range(10_000))


@pytest.fixture(autouse=True, scope="module")
def _cheap_argon2():
    from central.staff import passwords
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


class LiveClock(Clock):
    """Real time (the kiosk's signatures carry it) plus an offset the test moves forward."""

    offset: float = 0.0

    def __call__(self) -> float:
        import time
        return time.time() + self.offset


@pytest.fixture(scope="module")
def clock():
    return LiveClock()


@pytest.fixture(scope="module")
def platform(tmp_path_factory, clock, central_db):
    p = start(tmp_path_factory.mktemp("central"), clock, central_db, fleet_offline_after_s=300.0)
    yield p
    p.stop()


@pytest.fixture(scope="module")
def kiosk(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


def logged_in(platform, role: str) -> tuple[Browser, str]:
    name = account(platform, f"{role[:4]}{next(_n):04d}", role)
    b = Browser(platform.url)
    assert b.login(name).status_code == 303
    return b, name


def beat(kiosk: PlatformClient, paper: str = "ok", printer_state: str = "idle", code: int | None = None) -> None:
    kiosk.heartbeat(Heartbeat(
        at=dt.datetime.now(TZ).isoformat(timespec="seconds"), software_version="1.4.2", outbox_pending=3,
        oldest_pending_age_s=600, devices=[
            DeviceHealth(name="printer", kind="printer", state=printer_state, error_code=code,
                         supplies={"paper": paper}),
            DeviceHealth(name="a4", kind="a4", state="idle", supplies={"paper": "ok", "toner": "ok"}),
            DeviceHealth(name="idcard", kind="idcard", state="idle")]))


def kiosk_row(html: str, kiosk_id: str) -> str:
    found = re.search(rf'<tr class="(\w+)" id="kiosk-{kiosk_id}">(.*?)</tr>', html, re.S)
    assert found, html[:3000]
    return found.group(1) + " " + found.group(2)


def test_a_technician_sees_paper_low_from_a_kiosks_heartbeat_and_then_paper_out(platform, kiosk):
    b, _ = logged_in(platform, "technician")
    beat(kiosk, paper="ok")
    row = kiosk_row(b.get("/staff/fleet").text, "K-TEST")
    assert row.startswith("ok ") and "1.4.2" in row and "3 件" in row and "oldest 10 min" in row
    beat(kiosk, paper="low")
    page = b.get("/staff/fleet")
    assert page.status_code == 200 and '<meta http-equiv="refresh" content="30">' in page.text
    row = kiosk_row(page.text, "K-TEST")
    assert row.startswith("warn ") and "printer 纸将尽" in row and "printer: paper low" in row
    beat(kiosk, paper="out", printer_state="error", code=1102)
    row = kiosk_row(b.get("/staff/fleet").text, "K-TEST")
    assert row.startswith("alert ") and "printer 纸已用完" in row and "printer 故障 [1102]" in row


def test_a_kiosk_silent_longer_than_the_setting_is_shown_offline(platform, kiosk, clock):
    b, _ = logged_in(platform, "supervisor")  # a supervisor may read the page
    beat(kiosk)
    assert "离线超过" not in kiosk_row(b.get("/staff/fleet").text, "K-TEST")
    clock.offset = 4 * 60  # four minutes: not yet
    try:
        assert "离线超过" not in kiosk_row(b.get("/staff/fleet").text, "K-TEST")
        clock.offset = 6 * 60
        row = kiosk_row(b.get("/staff/fleet").text, "K-TEST")
        assert row.startswith("alert ") and "离线超过 5 分钟（6 分钟无心跳）" in row
    finally:
        clock.offset = 0.0
        b.get("/staff/")  # the session's idle clock saw the future: touch it back


def test_a_call_acknowledged_in_the_page_reaches_the_kiosks_help_desk_with_who_is_coming(platform, kiosk):
    b, name = logged_in(platform, "technician")
    desk = HelpDesk(settings=None, client=kiosk)
    call = new_call("materials", "312000218000")
    assert desk.send(call) and not desk.poll(call).acknowledged
    page = b.get("/staff/fleet").text
    assert f'id="help-{call.help_id}"' in page and f'id="ack-{call.help_id}"' in page
    assert "<td>拍摄材料 materials</td>" in page  # the step the citizen called from
    resp = b.post(f"/staff/fleet/help/{call.help_id}/ack", csrf_from="/staff/fleet")
    assert resp.status_code == 303
    page = b.get(resp.headers["location"]).text
    assert f"已响应求助 {call.help_id}" in page and f'id="help-{call.help_id}"' not in page
    assert desk.poll(call).acknowledged and call.acknowledged_by == f"{name} 同志"
    # What the page promises the kiosk shows is the kiosk's own notice for an acknowledged call.
    shown = notice_for_kiosk(KioskErrorCode.HELP_ACKNOWLEDGED, level="info").text
    assert f"“{shown.zh}”" in page and f"“{shown.en}”" in page
    again = b.post(f"/staff/fleet/help/{call.help_id}/ack", csrf_from="/staff/fleet")
    assert again.status_code == 303  # a second click: the first acknowledgement stands
    acts = [a for a in platform.store.staff_actions(limit=500) if a["action"] == "help_ack"
            and a["reference"] == call.help_id]
    assert [a["actor"] for a in acts] == [name]


def test_only_technicians_acknowledge_and_reviewers_and_finance_do_not_see_the_fleet(platform, kiosk):
    call = new_call("home")
    assert HelpDesk(None, kiosk).send(call)
    sup, _ = logged_in(platform, "supervisor")
    assert "由运维技术员响应" in sup.get("/staff/fleet").text
    assert code_of(sup.post(f"/staff/fleet/help/{call.help_id}/ack", csrf_from="/staff/fleet")) == ErrorCode.STAFF_ROLE
    for role in ("reviewer", "finance"):
        b, _ = logged_in(platform, role)
        assert code_of(b.get("/staff/fleet")) == ErrorCode.STAFF_ROLE
        assert "/staff/fleet" not in b.get("/staff/").text
    tech, _ = logged_in(platform, "technician")
    assert 'href="/staff/fleet"' in tech.get("/staff/").text
    assert code_of(tech.post(f"/staff/fleet/help/{call.help_id}/ack", {"csrf": "forged"}, csrf_from=None)) \
        == ErrorCode.STAFF_CSRF
    unknown = tech.post("/staff/fleet/help/Hno-such-call-0001/ack", csrf_from="/staff/fleet")
    assert unknown.status_code == 404 and code_of(unknown) == ErrorCode.FLEET_NO_HELP
    assert 'href="/staff/">返回首页' in unknown.text and "/staff/reviews" not in unknown.text  # not a page he may not open
    assert platform.store.help_request(call.help_id)["status"] == "open"
    assert Browser(platform.url).get("/staff/fleet").headers["location"] == "/staff/login"
