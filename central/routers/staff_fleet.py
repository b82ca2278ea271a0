"""The fleet monitor for technicians (issue 21, Deliver 4): every kiosk's last heartbeat, devices, supplies,
outbox backlog, version and alerts, and the kiosks' calls for help, which a technician acknowledges here.

The acknowledgement is the help store's (the same as ``kiosk central help ack``): the kiosk polls
``GET /help/{id}`` and shows that someone is coming, with the technician's name. The page reloads itself
every ``StaffSettings.fleet_refresh_s`` seconds with a meta refresh (no script: the staff CSP stays as is)."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiosk.platform.schema import HELP_ID, ErrorCode

from ..staff import accounts
from ..staff.accounts import Act, StaffRefused, may
from ..staff.fleet import fleet, step_name
from ..staff.web import address, check_csrf, form, need, page, pl, see_other

router = APIRouter(prefix="/staff/fleet", include_in_schema=False)
_HELP_ID = re.compile(HELP_ID)


@router.get("")
def fleet_page(request: Request) -> HTMLResponse:
    s = need(request, Act.VIEW_FLEET)
    p = pl(request)
    return page("fleet_monitor.html", session=s, fleet=fleet(p), now=p.config.now_iso(),
                refresh_s=p.config.staff.fleet_refresh_s, can_ack=may(s.role, Act.ACK_HELP),
                acked=request.query_params.get("acked", "")[:64], step_name=step_name)


@router.post("/help/{help_id}/ack")
async def ack(request: Request, help_id: str) -> Response:
    s = need(request, Act.ACK_HELP)
    check_csrf(s, (await form(request, {"csrf": 100})).get("csrf", ""))
    p = pl(request)
    known = p.store.help_request(help_id) if _HELP_ID.match(help_id) else None
    if known is None:
        raise StaffRefused(404, ErrorCode.FLEET_NO_HELP, "没有这个求助呼叫。", "No such call for help.")
    by = (s.display_name or s.username)[:64]
    row = p.store.ack_help(help_id, p.config.now_iso(), by)
    assert row is not None
    if row["acknowledged_by"] == by and known["status"] == "open":  # a second click changes nothing
        accounts.record(p, s.username, s.role, "help_ack", help_id, address(request), kiosk_id=row["kiosk_id"])
    return see_other(f"/staff/fleet?acked={help_id}")
