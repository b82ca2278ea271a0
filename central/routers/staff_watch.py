"""电子监察 in the staff pages (issue 21, Deliver 3): a case's whole trail with the kiosk chain's check, and the
supervisor's dashboard. Read-only pages: each view of a trail goes to the staff audit with the actor.

A supervisor sees every case; a reviewer only the trail of a case he claimed or decided himself (4240), so the
trail page cannot be used to read other reviewers' cases."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiosk.platform.schema import ErrorCode

from ..staff import accounts
from ..staff.accounts import Act, Role, StaffRefused
from ..staff.watch_dashboard import WINDOWS, dashboard
from ..staff.watch_followup import STEP_NAMES, FollowupState, StepKind, followup, followups
from ..staff.watch_supervise import supervise
from ..staff.watch_trail import trail
from ..staff.web import address, check_csrf, form, need, page, pl, see_other

router = APIRouter(prefix="/staff/watch", include_in_schema=False)
_REFERENCE = re.compile(r"^[A-Z0-9]{6,32}$")
_APPLICATION_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
OWN_ACTS = {"claim", "approve", "reject", "ask_more"}  # what makes a case a reviewer's own


@router.get("")
def watch_dashboard(request: Request) -> HTMLResponse:
    s = need(request, Act.SUPERVISE)
    p = pl(request)
    return page("watch_dashboard.html", session=s, d=dashboard(p), windows=WINDOWS,
                urged={u["reference"]: u for u in p.store.supervisions()})  # the latest 督办 of each case


@router.get("/followups")
def followup_list(request: Request) -> HTMLResponse:
    s = need(request, Act.SUPERVISE)
    rows = followups(pl(request))
    return page("watch_followups.html", session=s, rows=rows, kinds=STEP_NAMES,
                overdue=sum(f.overdue for f in rows), open=sum(f.state != FollowupState.CLOSED for f in rows))


@router.post("/followups/{application_id}/steps")
async def followup_step(request: Request, application_id: str) -> Response:
    s = need(request, Act.SUPERVISE)
    fields = await form(request, {"csrf": 100, "kind": 10, "text": 1000}, ("kind", "text"))
    check_csrf(s, fields.get("csrf", ""))
    p = pl(request)
    f = followup(p, application_id) if _APPLICATION_ID.match(application_id) else None
    if f is None:
        raise StaffRefused(404, ErrorCode.NOT_FOUND, "没有这个差评回访。", "No such follow-up of a bad rating.")
    try:
        kind = StepKind(fields["kind"])
    except ValueError:
        raise StaffRefused(422, ErrorCode.STAFF_FORM_INVALID, "表单无效：未知的回访步骤",
                           "Invalid form: unknown follow-up step") from None
    if f.state == FollowupState.CLOSED:
        raise StaffRefused(409, ErrorCode.FOLLOWUP_CLOSED, "该差评回访已办结，不能再添加记录。",
                           "This follow-up's outcome is recorded: nothing more can be added.")
    text = fields["text"].strip()
    p.store.add_followup_step({"application_id": application_id, "at": p.config.now_iso(), "actor": s.username,
                               "kind": kind.value, "text": text})
    accounts.record(p, s.username, s.role, "followup_" + kind.value, f.reference, address(request), text=text)
    return see_other("/staff/watch/followups")


@router.get("/{reference}")
def case_trail(request: Request, reference: str) -> HTMLResponse:
    s = need(request, Act.VIEW_TRAIL)
    p = pl(request)
    row = p.store.find_by_reference(reference) if _REFERENCE.match(reference) else None
    if row is None:
        raise StaffRefused(404, ErrorCode.NOT_FOUND, "没有这个办件。", "No such application.")
    if s.role != Role.SUPERVISOR.value and not any(
            a["actor"] == s.username and a["action"] in OWN_ACTS for a in p.store.staff_actions(reference, 1000)):
        raise StaffRefused(403, ErrorCode.STAFF_NOT_YOUR_CASE, "审核员只能查看本人领取或审核过的办件的监察记录。",
                           "A reviewer sees the trail only of cases he claimed or decided himself.")
    entries, check = trail(p, row)
    accounts.record(p, s.username, s.role, "view_trail", reference, address(request))
    return page("watch_trail.html", session=s, row=row, entries=entries, check=check)


@router.post("/{reference}/supervise")
async def urge(request: Request, reference: str) -> Response:
    s = need(request, Act.SUPERVISE)
    fields = await form(request, {"csrf": 100, "note": 500})
    check_csrf(s, fields.get("csrf", ""))
    p = pl(request)
    row = p.store.find_by_reference(reference) if _REFERENCE.match(reference) else None
    if row is None:
        raise StaffRefused(404, ErrorCode.NOT_FOUND, "没有这个办件。", "No such application.")
    note = fields.get("note", "").strip()
    done = supervise(p, s, row, note)
    accounts.record(p, s.username, s.role, "supervise", reference, address(request), reviewer=done.reviewer,
                    channel=done.channel.value, note=note)
    return see_other("/staff/watch")


__all__ = ["router"]
