"""The review workbench (issue 21, Deliver 2): the queue by due date, a case with its form, materials and the
秒批 reasons, the claim, and the decision through ``central.workflow`` (so the citizen is told on the
timeline exactly as for any decision). Every act goes to the staff audit with the authenticated actor."""
from __future__ import annotations

import datetime as dt
import re

from starlette.concurrency import run_in_threadpool
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from kiosk.platform.schema import ErrorCode, Reason

from ..errors import ApiError
from ..staff import accounts, pdfpages
from ..staff.accounts import Act, StaffRefused, StaffSession, may
from ..staff.queue import WAITING, case_view, queue, row_of
from ..staff.web import HEADERS, address, check_csrf, form, need, page, pl, see_other
from ..context import Platform
from ..workflow import ask_for_more, review

router = APIRouter(prefix="/staff/reviews", include_in_schema=False)
_REFERENCE = re.compile(r"^[A-Z0-9]{6,32}$")
_FILE = re.compile(r"^[A-Za-z0-9_.-]{1,100}\.pdf$")
OUTCOMES = {"approve", "reject", "more"}


def _case(p: Platform, reference: str) -> dict:
    row = p.store.find_by_reference(reference) if _REFERENCE.match(reference) else None
    if row is None:
        raise StaffRefused(404, ErrorCode.NOT_FOUND, "没有这个办件。", "No such application.")
    return row


def _until(p: Platform, ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, p.config.now().tzinfo).strftime("%H:%M")


def _claimed_by_other(p: Platform, s: StaffSession, reference: str) -> StaffRefused | None:
    claim = p.store.review_claim(reference, p.config.clock())
    if claim is not None and claim["username"] != s.username:
        return StaffRefused(409, ErrorCode.STAFF_CLAIMED,
                            f"该办件已由 {claim['username']} 领取，{_until(p, claim['expires_at'])} 前不能由他人处理。",
                            f"{claim['username']} holds this case until {_until(p, claim['expires_at'])}; "
                            "nobody else can decide it before then.")
    return None


@router.get("")
def review_queue(request: Request) -> HTMLResponse:
    s = need(request, Act.VIEW_QUEUE)
    p = pl(request)
    rows = queue(p)
    return page("queue.html", session=s, rows=rows, today=p.config.now().date(),
                overdue=sum(r.urgency == "overdue" for r in rows), due_soon=sum(r.urgency == "due_soon" for r in rows))


@router.get("/{reference}")
def case(request: Request, reference: str) -> HTMLResponse:
    s = need(request, Act.VIEW_CASE)
    p = pl(request)
    row = _case(p, reference)
    view = case_view(p, row)
    for m in view["materials"]:
        if m.file and _FILE.match(m.file):
            try:
                n = len(pdfpages.pages(p.files.files_dir / reference / m.file,
                                       p.config.data_dir / "staff-pages" / reference / m.file))
                m.images = [f"/staff/reviews/{reference}/files/{m.file}/{i}.png" for i in range(1, n + 1)]
            except (OSError, pdfpages.RenderError):
                m.error = "该材料无法显示为图片（不是有效的PDF） This material cannot be shown as pages"
    waiting = row["status"] in WAITING
    q = row_of(p, row, p.config.now().date(), p.store.review_claims(p.config.clock())) if waiting else None
    accounts.record(p, s.username, s.role, "view_case", reference, address(request))
    return page("case.html", session=s, row=row, q=q, waiting=waiting, v=view, mine=q is not None and
                q.claimed_by == s.username, can_decide=may(s.role, Act.DECIDE),
                notes=p.store.staff_notes(reference), actions=p.store.staff_actions(reference, 50))


@router.get("/{reference}/files/{name}/{n}.png")
def material_page(request: Request, reference: str, name: str, n: int) -> Response:
    need(request, Act.VIEW_CASE)
    p = pl(request)
    row = _case(p, reference)
    listed = {ref.get("file") for ref in row["manifest"].get("materials", [])}
    if not _FILE.match(name) or name not in listed or n < 1:
        raise StaffRefused(404, ErrorCode.STAFF_NO_FILE, "没有这一页材料。", "No such page of the materials.")
    try:
        images = pdfpages.pages(p.files.files_dir / reference / name,
                                p.config.data_dir / "staff-pages" / reference / name)
    except (OSError, pdfpages.RenderError):
        raise StaffRefused(404, ErrorCode.STAFF_NO_FILE, "该材料无法显示为图片（不是有效的PDF）。",
                           "This material cannot be shown as pages (not a valid PDF).") from None
    if n > len(images):
        raise StaffRefused(404, ErrorCode.STAFF_NO_FILE, "没有这一页材料。", "No such page of the materials.")
    return FileResponse(images[n - 1], media_type="image/png", headers=HEADERS)


@router.post("/{reference}/claim")
async def claim(request: Request, reference: str) -> Response:
    s = need(request, Act.DECIDE)
    check_csrf(s, (await form(request, {"csrf": 100})).get("csrf", ""))
    p = pl(request)
    row = _case(p, reference)
    if row["status"] not in WAITING:
        raise _not_waiting(row)
    now = p.config.clock()
    held = p.store.claim_review(reference, s.username, now, now + p.config.staff.claim_s)
    if held["username"] != s.username:
        raise _claimed_by_other(p, s, reference) or StaffRefused(409, ErrorCode.STAFF_CLAIMED, "该办件已被他人领取。",
                                                                 "Another reviewer holds this case.")
    accounts.record(p, s.username, s.role, "claim", reference, address(request),
                    until=_until(p, held["expires_at"]))
    return see_other(f"/staff/reviews/{reference}")


@router.post("/{reference}/release")
async def release(request: Request, reference: str) -> Response:
    s = need(request, Act.DECIDE)
    check_csrf(s, (await form(request, {"csrf": 100})).get("csrf", ""))
    p = pl(request)
    _case(p, reference)
    if p.store.release_review(reference, s.username):
        accounts.record(p, s.username, s.role, "release", reference, address(request))
    return see_other("/staff/reviews")


def _not_waiting(row: dict) -> StaffRefused:
    return StaffRefused(409, ErrorCode.STAFF_NOT_WAITING, f"该办件当前状态为 {row['status']}，不在待审核队列中。",
                        f"This application is {row['status']}, not waiting for review.")


@router.post("/{reference}/decide")
async def decide(request: Request, reference: str) -> Response:
    s = need(request, Act.DECIDE)
    fields = await form(request, {"csrf": 100, "outcome": 10, "reason": 500, "reason_en": 500, "staff_note": 2000},
                        ("outcome",))
    check_csrf(s, fields.get("csrf", ""))
    p = pl(request)
    row = _case(p, reference)
    outcome = fields["outcome"]
    if outcome not in OUTCOMES:
        raise StaffRefused(422, ErrorCode.STAFF_FORM_INVALID, "表单无效：未知的审核结果", "Invalid form: unknown outcome")
    if row["status"] not in WAITING:
        raise _not_waiting(row)
    claim = p.store.review_claim(reference, p.config.clock())
    if claim is None or claim["username"] != s.username:
        raise _claimed_by_other(p, s, reference) or StaffRefused(
            409, ErrorCode.STAFF_NOT_CLAIMED, "请先领取该办件再作决定（领取可避免两人同时审核）。",
            "Claim the case before deciding it (a claim keeps two reviewers from deciding one case).")
    reason = fields.get("reason", "").strip()
    note = Reason(zh=reason, en=fields.get("reason_en", "").strip() or reason) if reason else None
    if outcome in ("reject", "more") and note is None:
        raise StaffRefused(422, ErrorCode.STAFF_REASON_REQUIRED, "不予批准或要求补正时，须填写告知申请人的理由。",
                           "Rejecting or asking for more needs a reason the applicant is told.")
    staff_note = fields.get("staff_note", "").strip()
    try:
        # In a worker thread, off the event loop: an approval signs the result PDF (pyHanko runs its own
        # asyncio loop, which cannot start inside this one) and the store work blocks.
        if outcome == "more":
            await run_in_threadpool(ask_for_more, p, reference, note)
        else:
            await run_in_threadpool(review, p, reference, outcome == "approve", note, s.username, staff_note)
    except ApiError as exc:
        if exc.status == 409:
            raise _not_waiting(p.store.find_by_reference(reference) or row) from None
        raise
    p.store.release_review(reference, s.username)
    accounts.record(p, s.username, s.role, {"approve": "approve", "reject": "reject", "more": "ask_more"}[outcome],
                    reference, address(request), reason=reason, staff_note=staff_note)
    return see_other("/staff/reviews")
