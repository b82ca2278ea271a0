"""电子监察 (issue 21, Deliver 3) through a staff browser over real HTTP, on SQLite and on PostgreSQL: a case's
whole trail (the kiosk's anchored audit records of the citizen's session, the platform's events, the staff's
acts) in one timeline with the kiosk chain's check; who may see it; the supervisor's dashboard."""
from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import pytest

from central.config import TZ
from central.staff import passwords
from kiosk.audit.trail import AuditTrail
from kiosk.ops.telemetry import PlatformAuditSink
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import ErrorCode
from tests.helpers.manifests import complete
from tests.helpers.staff_browser import (GRADUATE_INTAKE, SECRET, Browser, Clock, account, cheap_argon2, code_of,
                                         queue_case, start)
from devices.idcard.synthetic import IDENTITIES

ENTRY = re.compile(r'<tr class="src-(\w+)"><td class="nowrap">([^<]+)</td>\s*<td>[^<]*?(?: #(\d+))?</td>\s*'
                   r'<td>([^<]*)</td><td>([^<]*)</td>')


@pytest.fixture(autouse=True, scope="module")
def _cheap_argon2():
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture(scope="module")
def live(tmp_path_factory, central_db):
    """A platform on real time (the kiosk's signed requests carry it) with one case sent from a kiosk whose
    audit trail, two citizens long, is anchored; the case decided by a reviewer."""
    p = start(tmp_path_factory.mktemp("central"), time.time, central_db)
    client = PlatformClient(p.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    trail = AuditTrail(tmp_path_factory.mktemp("audit"), key=b"k" * 32, fsync=False)
    m, files = complete(GRADUATE_INTAKE, "graduate_late")
    m = m.model_copy(update={"local_number": "L20260001"})
    id_number = IDENTITIES["graduate_late"].id_number
    ours, other = "a1b2c3d4e5f60718", "ffeeddccbbaa0099"
    trail.record("step", {"session": other, "step": "identify", "to": "form"})  # another citizen, before
    trail.record("card_read", {"session": ours, "step": "identify", "card": {"id_number": id_number}})
    trail.record("stored", {"session": ours, "step": "submit", "local_number": m.local_number})
    sent = client.submit(m, files)
    trail.record("submitted", {"session": ours, "step": "submit", "status": sent.status, "reference": sent.reference})
    trail.record("step", {"session": other, "step": "form", "to": "end"})  # another citizen, after
    PlatformAuditSink(client).send(trail.read_after(0))
    reviewer = account(p, f"rev{uuid.uuid4().hex[:6]}", "reviewer")
    b = Browser(p.url)
    assert b.login(reviewer).status_code == 303
    assert b.claim(sent.reference).status_code == 303
    assert b.decide(sent.reference, "approve").status_code == 303
    yield p, sent.reference, reviewer, b, id_number
    client.close()
    p.stop()


def logged_in(p, role: str) -> tuple[Browser, str]:
    name = account(p, f"{role[:3]}{uuid.uuid4().hex[:6]}", role)
    b = Browser(p.url)
    assert b.login(name).status_code == 303
    return b, name


def test_the_trail_shows_the_kiosk_records_of_the_citizens_session_the_events_and_the_staff_acts_in_time_order(live):
    p, ref, reviewer, _, id_number = live
    sup, _ = logged_in(p, "supervisor")
    page = sup.get(f"/staff/watch/{ref}")
    assert page.status_code == 200
    rows = ENTRY.findall(page.text)
    kiosk = [(int(seq), what) for src, _, seq, _, what in rows if src == "kiosk"]
    # seq 1 and 5 are another citizen's session: left out
    assert kiosk == [(2, "card_read"), (3, "stored"), (4, "submitted")]
    sources = [r[0] for r in rows]
    assert sources.index("platform") > sources.index("kiosk") and "staff" in sources
    assert f"{reviewer}（reviewer）" in page.text and "批准 approved" in page.text and "领取 claimed" in page.text
    times = [dt.datetime.fromisoformat(r[1]) for r in rows]
    assert times == sorted(times)
    assert id_number not in page.text and f"card=id_number={id_number[:3]}***********{id_number[-4:]}" in page.text
    assert 'class="card chain intact"' in page.text and "链接至平台锚定的链头（序号 5）" in page.text


def test_a_changed_anchored_record_shows_the_chain_broken_on_the_trail(live):
    p, ref, *_ = live
    store = p.store
    sql = "UPDATE audit_chain SET data=REPLACE(data, 'L20260001', 'L20269999') WHERE kiosk_id='K-TEST' AND seq=3"
    if hasattr(store, "_db"):
        store._db.execute(sql)
    else:
        store._exec(sql)
    try:
        sup, _ = logged_in(p, "supervisor")
        page = sup.get(f"/staff/watch/{ref}").text
        assert 'class="card chain broken"' in page and "seq 3 does not hash to its anchored hash" in page
    finally:
        undo = sql.replace("'L20260001', 'L20269999'", "'L20269999', 'L20260001'")
        store._db.execute(undo) if hasattr(store, "_db") else store._exec(undo)


def test_a_reviewer_sees_the_trail_of_his_own_case_but_not_anothers(live):
    p, ref, reviewer, own_browser, _ = live
    assert own_browser.get(f"/staff/watch/{ref}").status_code == 200
    other, _ = logged_in(p, "reviewer")
    refused = other.get(f"/staff/watch/{ref}")
    assert refused.status_code == 403 and code_of(refused) == ErrorCode.STAFF_NOT_YOUR_CASE == 4240
    assert "K-TEST" not in refused.text and "card_read" not in refused.text


@pytest.mark.parametrize("role", ["technician", "finance"])
def test_technicians_and_finance_see_neither_the_trail_nor_the_dashboard(live, role):
    p, ref, *_ = live
    b, _ = logged_in(p, role)
    for path in (f"/staff/watch/{ref}", "/staff/watch"):
        r = b.get(path)
        assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_ROLE


def test_without_a_session_the_trail_leads_to_the_login(live):
    p, ref, *_ = live
    r = Browser(p.url).get(f"/staff/watch/{ref}")
    assert r.status_code == 303 and r.headers["location"] == "/staff/login"


@pytest.mark.parametrize("odd", ["%00", "..%2F..%2Fetc", "ABC%FF%FE", "A" * 200, "%E4%B8%AD%E6%96%87"])
def test_an_odd_reference_is_not_found_and_leaks_nothing(live, odd):
    p, *_ = live
    sup, _ = logged_in(p, "supervisor")
    r = sup.get(f"/staff/watch/{odd}")
    assert r.status_code == 404 and "Traceback" not in r.text


def test_viewing_a_trail_is_in_the_staff_audit_with_the_actor(live):
    p, ref, *_ = live
    sup, name = logged_in(p, "supervisor")
    sup.get(f"/staff/watch/{ref}")
    assert any(a["actor"] == name and a["action"] == "view_trail" for a in p.store.staff_actions(ref, 100))


def test_a_refused_later_upload_shows_the_anchors_alarm_beside_the_intact_records(live):
    """Last of the trail tests on ``live``: the alarm stays on the kiosk's head until an administrator acts."""
    p, ref, *_ = live
    client = PlatformClient(p.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    try:
        from kiosk.platform.schema import AuditEvent
        from kiosk.platform.transport import PlatformError
        with pytest.raises(PlatformError) as refused:  # a record that does not match its hash: refused (409)
            client.send_audit([AuditEvent(seq=9, at="2026-12-05T06:00:00.000Z", kind="step",
                                          data={"v": 2, "data": {}, "prev": "0" * 64, "hash": "1" * 64})])
        assert refused.value.code == ErrorCode.AUDIT_CHAIN_BROKEN
    finally:
        client.close()
    sup, _ = logged_in(p, "supervisor")
    page = sup.get(f"/staff/watch/{ref}").text
    assert 'class="card chain alarm"' in page and "已存记录完整（至序号 5）" in page


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


def test_the_dashboard_counts_per_item_and_kiosk_averages_working_days_and_lists_overdue_cases(tmp_path, central_db):
    clock = Clock()
    p = start(tmp_path / "central", clock, central_db)
    try:
        refs = {}
        for name, when in (("old", "2026-08-01T10:00"),  # beyond 30 days: not counted
                           ("A", "2026-09-18T11:00"),  # 1 working day -> due 9.20 (调休 Sunday): overdue
                           ("B", "2026-09-30T16:00"),  # decided 10.9: 10.8, 10.9 are working days -> 2
                           ("C", "2026-10-08T08:30")):  # today
            clock.t = at(when)
            refs[name] = queue_case(p, item="312000218000")
        clock.t = at("2026-10-09T10:00")
        rev, _ = logged_in(p, "reviewer")
        assert rev.claim(refs["B"]).status_code == 303 and rev.decide(refs["B"], "approve").status_code == 303
        clock.t = at("2026-10-09T11:00")
        sup, _ = logged_in(p, "supervisor")
        page = sup.get("/staff/watch").text
        assert re.search(r'id="total-1">0<', page) and re.search(r'id="total-7">1<', page)  # C on 10.8
        assert re.search(r'id="total-30">3<', page)  # A, B, C: the August case is older than 30 days
        assert 'id="average">2.0 个工作日<' in page
        row = re.search(r'<tr id="item-312000218000">(.*?)</tr>', page, re.S).group(1)
        assert re.findall(r"<td>(\d+)</td>", row) == ["0", "1", "3"]
        assert re.findall(r"<td>(\d+)</td>", re.search(r'<tr id="kiosk-K-TEST">(.*?)</tr>', page, re.S).group(1)) \
            == ["0", "1", "3"]
        assert f'id="overdue-{refs["A"]}"' in page and f'id="overdue-{refs["B"]}"' not in page
        assert f'id="overdue-{refs["old"]}"' in page  # still waiting, long overdue
        assert f'id="overdue-{refs["C"]}"' not in page
    finally:
        p.stop()
