"""电子监察 in the staff pages (issue 21, Deliver 3): a case's whole trail with the kiosk chain's check, and the
supervisor's dashboard. Read-only pages: each view of a trail goes to the staff audit with the actor.

A supervisor sees every case; a reviewer only the trail of a case he claimed or decided himself (4240), so the
trail page cannot be used to read other reviewers' cases."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kiosk.platform.schema import ErrorCode

from ..staff import accounts
from ..staff.accounts import Act, Role, StaffRefused
from ..staff.watch_dashboard import WINDOWS, dashboard
from ..staff.watch_trail import trail
from ..staff.web import address, need, page, pl

router = APIRouter(prefix="/staff/watch", include_in_schema=False)
_REFERENCE = re.compile(r"^[A-Z0-9]{6,32}$")
OWN_ACTS = {"claim", "approve", "reject", "ask_more"}  # what makes a case a reviewer's own


@router.get("")
def watch_dashboard(request: Request) -> HTMLResponse:
    s = need(request, Act.SUPERVISE)
    return page("watch_dashboard.html", session=s, d=dashboard(pl(request)), windows=WINDOWS)


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


__all__ = ["router"]
