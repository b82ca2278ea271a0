"""The review workbench (issue 21, Deliver 2) through a staff browser over real HTTP: the queue by due date in
working days, the case with its materials as page images, claims that keep two reviewers off one case, the
decision through the platform's workflow (the kiosk's status query shows it), roles, and the staff audit."""
from __future__ import annotations

import datetime as dt
import re
import threading
import time
from html.parser import HTMLParser

import pytest

from central.config import TZ
from central.staff import passwords
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import ErrorCode
from tests.helpers.manifests import complete
from tests.helpers.staff_browser import (GRADUATE_INTAKE, SECRET, Browser, Clock, account, cheap_argon2, code_of,
                                         queue_case, start)
from devices.idcard.synthetic import IDENTITIES

WITH_MATERIAL = "312000218000"  # 无犯罪记录证明: one applicant material (a PDF), reviewed by a person
ROW = re.compile(r'<tr class="(\w+)" id="row-(\w+)">')


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


@pytest.fixture(autouse=True, scope="module")
def _cheap_argon2():
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    yield
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture(scope="module")
def clock():
    return Clock(at("2026-03-10T10:00:00"))


@pytest.fixture(scope="module")
def platform(tmp_path_factory, clock, central_db):
    p = start(tmp_path_factory.mktemp("central"), clock, central_db)
    yield p
    p.stop()


_n = iter(range(10_000))


def logged_in(platform, role: str = "reviewer") -> tuple[Browser, str]:
    name = account(platform, f"{role[:3]}{next(_n):04d}", role)
    b = Browser(platform.url)
    assert b.login(name).status_code == 303
    return b, name


def test_a_case_from_a_kiosk_is_approved_in_the_workbench_and_the_kiosks_status_query_shows_it(tmp_path):
    p = start(tmp_path / "central", time.time)  # real time: the kiosk's signed requests carry it
    client = PlatformClient(p.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    try:
        m, files = complete(GRADUATE_INTAKE, "graduate_late")
        sent = client.submit(m, files)
        assert sent.status == "under_review"
        b, name = logged_in(p)
        assert sent.reference in b.get("/staff/reviews").text
        case = b.get(f"/staff/reviews/{sent.reference}").text
        assert "Graduated more than two years ago" in case  # the 秒批 reason that sent it to a person
        assert b.claim(sent.reference).status_code == 303
        assert b.decide(sent.reference, "approve").status_code == 303
        status = client.status(sent.reference)
        assert status.status == "approved" and status.timeline[-2].note.zh == "人工审核通过" \
                and status.timeline[-1].note.zh.startswith("已签发")
        assert sent.reference not in b.get("/staff/reviews").text
        assert [n["reviewer"] for n in p.store.staff_notes(sent.reference)] == [name]  # the authenticated actor
    finally:
        client.close()
        p.stop()


def test_the_queue_is_sorted_by_due_date_in_working_days_with_overdue_and_due_soon_flags(tmp_path):
    clock = Clock()
    p = start(tmp_path / "central", clock)
    try:
        refs = {}
        for name, when, item in (("A", "2026-09-24T10:00", GRADUATE_INTAKE),  # 秒批 sent to a person: 5 days
                                 ("B", "2026-09-30T16:00", "312000218000"),  # 1 day, over 国庆 -> 10.8
                                 ("C", "2026-09-18T11:00", "312000218000"),  # 1 day -> 9.20, the 调休 Sunday
                                 ("D", "2026-10-08T08:30", GRADUATE_INTAKE)):  # 10.9, 10.10, 10.12-10.14
            clock.t = at(when)
            refs[name] = queue_case(p, item=item)
        clock.t = at("2026-10-08T09:00")
        b, _ = logged_in(p)
        page = b.get("/staff/reviews").text
        rows = [(cls, ref) for cls, ref in ROW.findall(page)]
        by_ref = {ref: cls for cls, ref in rows}
        assert [ref for _, ref in rows] == [refs[n] for n in "CBAD"]
        assert [by_ref[refs[n]] for n in "CBAD"] == ["overdue", "due_soon", "due_soon", "on_time"]
        row_c = page[page.index(f'id="row-{refs["C"]}"'):]
        assert "2026-09-20" in row_c[:800] and "已超期 8 个工作日" in row_c[:1500]
        row_a = page[page.index(f'id="row-{refs["A"]}"'):]
        assert "5 个工作日" in row_a[:800] and "2026-10-09" in row_a[:800]
        assert "已超期 <strong class=\"overdue\">1</strong>" in page and "即将到期 <strong class=\"due_soon\">2</strong>" in page
    finally:
        p.stop()


def test_the_case_page_shows_the_form_the_materials_as_page_images_and_masks_the_id_number(platform):
    ref = queue_case(platform, item=WITH_MATERIAL, pages=2)
    b, _ = logged_in(platform)
    page = b.get(f"/staff/reviews/{ref}").text
    full_id = IDENTITIES["graduate_late"].id_number
    assert full_id not in page and f"{full_id[:6]}********{full_id[-4:]}" in page
    assert "转人工原因" in page
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert [alt.split()[-1] for _, alt in images] == ["1", "2"]  # both pages of the PDF, in order
    png = b.get(images[1][0])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(png.content) > 2000
    for label in ("申请人与表单", "申请材料", "领取本件"):
        assert label in page


@pytest.mark.parametrize("name", ["../../central.sqlite", "signature.png", "nothere.pdf", "%2e%2e%2fx.pdf"])
def test_only_the_cases_listed_material_pdfs_are_served_as_pages(platform, name):
    ref = queue_case(platform, item=WITH_MATERIAL)
    b, _ = logged_in(platform)
    r = b.get(f"/staff/reviews/{ref}/files/{name}/1.png")
    assert r.status_code == 404
    if r.headers.get("content-type", "").startswith("text/html"):
        assert code_of(r) in (ErrorCode.STAFF_NO_FILE, None)


@pytest.mark.parametrize("role", ["finance", "technician"])
def test_finance_and_technicians_can_neither_open_nor_decide_a_case(platform, role):
    ref = queue_case(platform)
    b, _ = logged_in(platform, role)
    for path in ("/staff/reviews", f"/staff/reviews/{ref}"):
        r = b.get(path)
        assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_ROLE and ref not in r.text
    r = b.post(f"/staff/reviews/{ref}/claim")
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_ROLE
    r = b.post(f"/staff/reviews/{ref}/decide", {"outcome": "approve"})
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_ROLE
    assert platform.store.find_by_reference(ref)["status"] == "under_review"
    assert "尚未开放" in b.get("/staff/").text


def test_a_case_must_be_claimed_before_it_is_decided(platform):
    ref = queue_case(platform)
    b, _ = logged_in(platform)
    r = b.decide(ref, "approve")
    assert r.status_code == 409 and code_of(r) == ErrorCode.STAFF_NOT_CLAIMED


def test_two_reviewers_cannot_hold_one_case_and_the_second_cannot_decide_it(platform):
    ref = queue_case(platform)
    first, first_name = logged_in(platform)
    second, _ = logged_in(platform)
    assert first.claim(ref).status_code == 303
    r = second.claim(ref)
    assert r.status_code == 409 and code_of(r) == ErrorCode.STAFF_CLAIMED and first_name in r.text
    r = second.decide(ref, "reject", "材料不全")
    assert r.status_code == 409 and code_of(r) == ErrorCode.STAFF_CLAIMED
    assert f"{first_name} 正在审核本件" in second.get(f"/staff/reviews/{ref}").text
    assert platform.store.find_by_reference(ref)["status"] == "under_review"
    assert first.decide(ref, "approve").status_code == 303


def test_racing_claims_leave_exactly_one_holder_the_database_decides(platform, clock):
    ref = queue_case(platform)
    winners, start_gate = [], threading.Barrier(8)

    def grab(n: int) -> None:
        start_gate.wait()
        held = platform.store.claim_review(ref, f"racer{n}", clock(), clock() + 600)
        if held["username"] == f"racer{n}":
            winners.append(n)

    threads = [threading.Thread(target=grab, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1


def test_an_expired_claim_can_be_taken_by_another_reviewer(platform, clock):
    ref = queue_case(platform)
    first, _ = logged_in(platform)
    second, second_name = logged_in(platform)
    first.claim(ref)
    clock.t += 29 * 60  # both sessions stay alive: each looks at the queue within the idle time
    first.get("/staff/reviews")
    second.get("/staff/reviews")
    clock.t += 2 * 60  # the 30-minute claim has run out
    assert second.claim(ref).status_code == 303
    assert platform.store.review_claim(ref, clock())["username"] == second_name
    r = first.decide(ref, "approve")
    assert r.status_code == 409 and code_of(r) == ErrorCode.STAFF_CLAIMED


def test_rejecting_needs_a_reason_and_the_citizen_is_told_it(platform):
    ref = queue_case(platform)
    b, _ = logged_in(platform)
    b.claim(ref)
    r = b.decide(ref, "reject")
    assert r.status_code == 422 and code_of(r) == ErrorCode.STAFF_REASON_REQUIRED
    assert b.decide(ref, "reject", "毕业已超过两年，不符合应届条件", reason_en="Graduated over two years ago",
                    staff_note="内部：已电话核实").status_code == 303
    row = platform.store.find_by_reference(ref)
    last = platform.store.events(ref)[-1]
    assert row["status"] == "rejected" and last["note"]["zh"] == "毕业已超过两年，不符合应届条件"
    assert "内部" not in str(platform.store.events(ref))  # the internal note stays with the staff


def test_asking_for_more_keeps_the_case_in_review_tells_the_citizen_and_flags_the_queue(platform):
    ref = queue_case(platform)
    b, _ = logged_in(platform)
    b.claim(ref)
    assert b.decide(ref, "more", "请补充毕业证书原件扫描件", reason_en="Please add a scan of the diploma").status_code == 303
    assert platform.store.find_by_reference(ref)["status"] == "under_review"
    assert platform.store.events(ref)[-1]["note"]["zh"] == "请补充材料：请补充毕业证书原件扫描件"
    queue = b.get("/staff/reviews").text
    row = queue[queue.index(f'id="row-{ref}"'):]
    assert "已要求补正" in row[:2000]
    assert platform.store.review_claim(ref, platform.config.clock()) is None  # released


def test_a_decided_case_cannot_be_decided_again(platform):
    ref = queue_case(platform)
    b, _ = logged_in(platform)
    b.claim(ref)
    token = b.csrf(f"/staff/reviews/{ref}")
    assert b.decide(ref, "approve").status_code == 303
    r = b.post(f"/staff/reviews/{ref}/decide", {"outcome": "reject", "reason": "x", "csrf": token}, csrf_from=None)
    assert r.status_code == 409 and code_of(r) == ErrorCode.STAFF_NOT_WAITING
    assert platform.store.find_by_reference(ref)["status"] == "approved"


def test_every_staff_act_is_in_the_staff_audit_with_the_authenticated_actor_and_a_supervisor_reads_it(platform):
    ref = queue_case(platform)
    b, name = logged_in(platform)
    b.get(f"/staff/reviews/{ref}")
    b.claim(ref)
    b.decide(ref, "approve", staff_note="ok")
    acts = [(a["actor"], a["action"]) for a in reversed(platform.store.staff_actions(ref))]
    assert acts[0] == (name, "view_case")  # looking at personal data leaves a trace too (人过留迹)
    assert [a for a in acts if a[1] != "view_case"] == [(name, "claim"), (name, "approve")]
    assert all(a["role"] == "reviewer" and a["address"] == "127.0.0.1" for a in platform.store.staff_actions(ref))
    r = b.get("/staff/actions")
    assert r.status_code == 403 and code_of(r) == ErrorCode.STAFF_ROLE
    sup, _ = logged_in(platform, "supervisor")
    page = sup.get("/staff/actions").text
    assert ref in page and name in page and "批准 approved" in page


class _Page(HTMLParser):
    """Collects what an accessibility check needs: the language, labels, inputs, forms and their tokens."""

    def __init__(self) -> None:
        super().__init__()
        self.lang, self.labels, self.inputs, self.forms, self.scripts = "", set(), [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        elif tag in ("input", "textarea") and a.get("type") not in ("hidden", "radio"):
            self.inputs.append(a.get("id", ""))
        elif tag == "form":
            self.forms.append({"method": a.get("method", "get"), "csrf": False})
        elif tag == "input" and a.get("name") == "csrf" and self.forms:
            self.forms[-1]["csrf"] = bool(a.get("value"))
        elif tag == "script":
            self.scripts += 1


def test_every_page_is_chinese_first_labels_its_fields_carries_csrf_in_every_post_form_and_runs_no_script(platform):
    ref = queue_case(platform, item=WITH_MATERIAL)
    b, _ = logged_in(platform)
    b.claim(ref)
    sup, _ = logged_in(platform, "supervisor")
    pages = [Browser(platform.url).get("/staff/login"), b.get("/staff/"), b.get("/staff/reviews"),
             b.get(f"/staff/reviews/{ref}"), sup.get("/staff/actions"), b.get("/staff/actions")]
    for r in pages:
        page = _Page()
        page.feed(r.text)
        assert page.lang == "zh-CN" and page.scripts == 0, r.url
        assert all(i and i in page.labels for i in page.inputs), (r.url, page.inputs, page.labels)
        assert all(f["csrf"] for f in page.forms if f["method"] == "post"), r.url
        assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none': no script runs


def test_a_released_claim_lets_another_reviewer_take_the_case_and_a_supervisor_may_decide_it(platform):
    ref = queue_case(platform)
    first, _ = logged_in(platform)
    sup, sup_name = logged_in(platform, "supervisor")
    first.claim(ref)
    assert sup.claim(ref).status_code == 409
    assert first.post(f"/staff/reviews/{ref}/release", csrf_from=f"/staff/reviews/{ref}").status_code == 303
    assert platform.store.review_claim(ref, platform.config.clock()) is None
    assert sup.claim(ref).status_code == 303
    assert sup.decide(ref, "approve").status_code == 303
    assert platform.store.find_by_reference(ref)["status"] == "approved"
    assert ("release" in [a["action"] for a in platform.store.staff_actions(ref)]
            and platform.store.staff_notes(ref)[-1]["reviewer"] == sup_name)
