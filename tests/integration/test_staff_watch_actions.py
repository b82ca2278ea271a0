"""督办 and the 好差评 follow-ups (issue 21, Deliver 3) through a staff browser over real HTTP, on SQLite and on
PostgreSQL: a supervisor urges an overdue case (the reviewer sees the flag in his queue and gets an SMS through
the platform's SMS outbox), every 不满意/非常不满意 rating is a follow-up due in 15 working days with its steps
recorded by the staff actor; and the attacks: wrong role, no CSRF, a case not overdue, odd bytes."""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from central.config import TZ
from central.staff import passwords
from central.staff.admin import AccountError, set_contact
from kiosk.platform.schema import ErrorCode
from tests.helpers.staff_browser import Browser, Clock, account, cheap_argon2, code_of, queue_case, start

ITEM = "312000218000"  # 无犯罪记录证明: 1 working day, decided by a person


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


@pytest.fixture(autouse=True, scope="module")
def _cheap_argon2():
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture(scope="module")
def world(tmp_path_factory, central_db):
    clock = Clock(at("2026-09-18T11:00"))
    p = start(tmp_path_factory.mktemp("central"), clock, central_db, )
    p.app.state.platform.config.sms_worker = False  # the SMS stays in the outbox, where the test reads it
    late = queue_case(p, item=ITEM)  # due 9.20 (the 调休 Sunday)
    clock.t = at("2026-10-08T09:00")
    fresh = queue_case(p, item=ITEM)  # due 10.9: not overdue
    yield p, clock, late, fresh
    p.stop()


def logged_in(p, role: str) -> tuple[Browser, str]:
    name = account(p, f"{role[:3]}{uuid.uuid4().hex[:6]}", role)
    b = Browser(p.url)
    assert b.login(name).status_code == 303
    return b, name


def test_an_urged_overdue_case_is_flagged_in_the_reviewers_queue_and_texted_to_his_mobile(world):
    p, clock, late, _ = world
    rev, reviewer = logged_in(p, "reviewer")
    set_contact(p.store, reviewer, "13800138000", "rev@example.gov.cn", "2026-10-08T09:00:00+08:00", "test")
    assert rev.claim(late).status_code == 303
    assert "督办" not in rev.get("/staff/reviews").text
    sup, supervisor = logged_in(p, "supervisor")
    dash = sup.get("/staff/watch").text
    assert f'id="overdue-{late}"' in dash
    r = sup.post(f"/staff/watch/{late}/supervise", {"note": "请今日办结"}, csrf_from="/staff/watch")
    assert r.status_code == 303
    queue = rev.get("/staff/reviews").text
    row = queue[queue.index(f'id="row-{late}"'):]
    assert f"督办 <span class=\"en\">urged by</span> {supervisor}" in row[:2500]
    sms = [m for m in p.store.sms_messages(late) if m["event"] == "supervise"]
    assert len(sms) == 1 and sms[0]["phone_masked"] == "138****8000" and sms[0]["state"] == "queued"
    assert late in sms[0]["text"] and "2026-09-20" in sms[0]["text"]
    assert [(s["supervisor"], s["reviewer"], s["channel"]) for s in p.store.supervisions(late)] == \
        [(supervisor, reviewer, "sms")]
    acts = [a for a in p.store.staff_actions(late, 50) if a["action"] == "supervise"]
    assert acts[0]["actor"] == supervisor and acts[0]["detail"]["note"] == "请今日办结"
    dash = sup.get("/staff/watch").text
    row = dash[dash.index(f'id="overdue-{late}"'):]
    assert "已督办" in row[:2000] and f"短信通知 {reviewer}" in row[:2000]


def test_a_case_not_yet_overdue_cannot_be_urged(world):
    p, _, _, fresh = world
    sup, _ = logged_in(p, "supervisor")
    r = sup.post(f"/staff/watch/{fresh}/supervise", {"note": ""}, csrf_from="/staff/watch")
    assert r.status_code == 409 and code_of(r) == ErrorCode.STAFF_NOT_OVERDUE == 4241
    assert p.store.supervisions(fresh) == []


def test_a_reviewer_cannot_urge_and_a_form_without_the_csrf_token_is_refused(world):
    p, _, late, _ = world
    rev, _ = logged_in(p, "reviewer")
    r = rev.post(f"/staff/watch/{late}/supervise", {"note": "x"}, csrf_from="/staff/reviews")
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_ROLE
    sup, _ = logged_in(p, "supervisor")
    before = len(p.store.supervisions(late))
    r = sup.post(f"/staff/watch/{late}/supervise", {"note": "x", "csrf": "forged"})
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_CSRF
    r = sup.post(f"/staff/watch/{late}/supervise", b"note=%FF%FE&csrf=" + sup.csrf("/staff/watch").encode())
    assert r.status_code == 422 and code_of(r) == ErrorCode.STAFF_FORM_INVALID
    r = sup.post("/staff/watch/NOSUCH0001/supervise", {"note": "x"}, csrf_from="/staff/watch")
    assert r.status_code == 404
    assert len(p.store.supervisions(late)) == before


def test_a_staff_contact_takes_only_a_mobile_number_and_an_address(world):
    p, *_ = world
    name = account(p, f"rev{uuid.uuid4().hex[:6]}", "reviewer")
    for phone, email in (("12345", ""), ("138001380001", ""), ("", "not-an-address"), ("1380013800\x00", "")):
        with pytest.raises(AccountError):
            set_contact(p.store, name, phone, email, "2026-10-08T09:00:00+08:00", "test")
    with pytest.raises(AccountError):
        set_contact(p.store, "nobody-here", "13800138000", "", "2026-10-08T09:00:00+08:00", "test")
    assert p.store.staff_contact(name) is None


def rate(p, ref_suffix: str, level: str, rated_at: str) -> str:
    app_id = str(uuid.uuid4())
    p.store.add_rating({"application_id": app_id, "reference": f"SZ2026{ref_suffix}", "item_code": ITEM,
                        "kiosk_id": "K-TEST", "level": level, "rated_at": rated_at})
    return app_id


def test_every_unsatisfied_rating_is_a_follow_up_due_in_15_working_days_closed_by_its_recorded_outcome(world):
    p, clock, *_ = world
    bad = rate(p, "90000001", "very_unsatisfied", "2026-09-25T10:00:00+08:00")  # over 国庆 and the 调休 Saturday 10.10: due 10.22
    old = rate(p, "90000002", "unsatisfied", "2026-09-01T10:00:00+08:00")  # the 调休 Sunday 9.20 counts: due 9.21, overdue on 10.8
    good = rate(p, "90000003", "satisfied", "2026-09-25T10:00:00+08:00")
    sup, supervisor = logged_in(p, "supervisor")
    page = sup.get("/staff/watch/followups").text
    assert f'id="followup-{bad}"' in page and f'id="followup-{old}"' in page and good not in page
    card = page[page.index(f'id="followup-{bad}"'):]
    assert "非常不满意" in card[:400] and "<strong>2026-10-22</strong>" in card[:1500] and "待回访" in card[:800]
    old_card = page[page.index(f'id="followup-{old}"'):]
    assert "已超期" in old_card[:800] and "<strong>2026-09-21</strong>" in old_card[:1500]
    for kind, text in (("call", "已电话回访申请人，了解情况"), ("rectify", "终端打印机缺纸，已补纸并加巡检"),
                       ("outcome", "申请人表示认可整改结果")):
        r = sup.post(f"/staff/watch/followups/{bad}/steps", {"kind": kind, "text": text},
                     csrf_from="/staff/watch/followups")
        assert r.status_code == 303
    steps = p.store.followup_steps(bad)
    assert [(s["kind"], s["actor"]) for s in steps] == [("call", supervisor), ("rectify", supervisor),
                                                        ("outcome", supervisor)]
    page = sup.get("/staff/watch/followups").text
    card = page[page.index(f'id="followup-{bad}"'):]
    assert "已办结" in card[:800] and "申请人表示认可整改结果" in card and "回访 return call" in card
    r = sup.post(f"/staff/watch/followups/{bad}/steps", {"kind": "call", "text": "again"},
                 csrf_from="/staff/watch/followups")
    assert r.status_code == 409 and code_of(r) == ErrorCode.FOLLOWUP_CLOSED == 4242
    assert any(a["action"] == "followup_outcome" and a["actor"] == supervisor
               for a in p.store.staff_actions("SZ202690000001", 10))


def test_follow_up_steps_refuse_the_wrong_role_a_forged_token_an_unknown_kind_and_an_unknown_rating(world):
    p, *_ = world
    app_id = rate(p, "90000004", "unsatisfied", "2026-10-08T08:00:00+08:00")
    rev, _ = logged_in(p, "reviewer")
    assert code_of(rev.get("/staff/watch/followups")) == ErrorCode.STAFF_ROLE
    sup, _ = logged_in(p, "supervisor")
    r = sup.post(f"/staff/watch/followups/{app_id}/steps", {"kind": "call", "text": "x", "csrf": "forged"})
    assert code_of(r) == ErrorCode.STAFF_CSRF
    r = sup.post(f"/staff/watch/followups/{app_id}/steps", {"kind": "delete", "text": "x"},
                 csrf_from="/staff/watch/followups")
    assert r.status_code == 422 and code_of(r) == ErrorCode.STAFF_FORM_INVALID
    r = sup.post(f"/staff/watch/followups/{app_id}/steps", {"kind": "call", "text": "x" * 1001},
                 csrf_from="/staff/watch/followups")
    assert r.status_code == 422
    for odd in ("not-a-rating-at-all", "..%2F..%2Fx", "%00%00%00%00%00%00%00%00"):
        r = sup.post(f"/staff/watch/followups/{odd}/steps", {"kind": "call", "text": "x"},
                     csrf_from="/staff/watch/followups")
        assert r.status_code == 404, odd
    good = rate(p, "90000005", "very_satisfied", "2026-10-08T08:00:00+08:00")
    r = sup.post(f"/staff/watch/followups/{good}/steps", {"kind": "call", "text": "x"},
                 csrf_from="/staff/watch/followups")
    assert r.status_code == 404  # a good rating is not a follow-up
    assert p.store.followup_steps(app_id) == [] and p.store.followup_steps(good) == []
    assert re.search(r'id="open-count">\d+<', sup.get("/staff/watch/followups").text)


def test_kiosk_central_staff_contact_keeps_the_mobile_for_supervision_notices_and_audits_it_masked(monkeypatch,
                                                                                                   tmp_path, capsys):
    import io

    from central.store import SqliteStore
    from ui.cli import main

    def kiosk(*words: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO("a long pass phrase 42\n"))
        return main(["central", "--data-dir", str(tmp_path / "central"), *words])

    assert kiosk("staff", "add", "wang.li", "--role", "reviewer") == 0
    assert kiosk("staff", "contact", "wang.li", "--phone", "13912345678", "--email", "wl@example.gov.cn",
                 "--operator", "admin1") == 0
    assert kiosk("staff", "contact", "wang.li", "--phone", "555") == 1
    assert "not a mainland mobile" in capsys.readouterr().err
    store = SqliteStore(tmp_path / "central")
    try:
        assert store.staff_contact("wang.li") == {"username": "wang.li", "phone": "13912345678",
                                                  "email": "wl@example.gov.cn"}
        act = store.staff_actions()[0]
        assert (act["actor"], act["action"], act["detail"]["phone"]) == ("admin1", "contact_set", "139****5678")
    finally:
        store.close()
