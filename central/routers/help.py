"""呼叫帮助 (issue 15): a kiosk files a citizen's call for help (signed, idempotent by ``help_id``) and polls it;
staff list the open calls and acknowledge them (admin token; ``kiosk central help list|ack``) until the
staff pages exist. A call is kept until acknowledged. A kiosk sees only its own calls."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from kiosk.platform.schema import HELP_ID, ErrorResponse, HelpAck, HelpRequest, HelpStatus

from ..auth import admin, kiosk_id
from ..context import Platform, platform
from ..errors import not_found

router = APIRouter(prefix="/help", tags=["help"])
admin_router = APIRouter(prefix="/admin/help", tags=["admin"], dependencies=[Depends(admin)])
HelpId = Annotated[str, Path(pattern=HELP_ID)]
_ERR = {401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}


@router.post("", response_model=HelpStatus, responses=_ERR, summary="File a citizen's call for help (idempotent)")
def request_help(body: HelpRequest, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> HelpStatus:
    known = p.store.help_request(body.help_id)
    if known is not None and known["kiosk_id"] != kid:
        raise not_found(f"help request {body.help_id}")  # another kiosk's id: not this kiosk's to see
    kiosk = p.store.kiosk(kid) or {}
    row = p.store.add_help({"help_id": body.help_id, "kiosk_id": kid, "location": kiosk.get("location") or "",
                            "step": body.step, "item_code": body.item_code, "requested_at": p.config.now_iso(),
                            "status": "open"})
    return HelpStatus(**row)


@router.get("/{help_id}", response_model=HelpStatus, responses=_ERR, summary="Has staff acknowledged the call?")
def help_status(help_id: HelpId, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> HelpStatus:
    row = p.store.help_request(help_id)
    if row is None or row["kiosk_id"] != kid:
        raise not_found(f"help request {help_id}")
    return HelpStatus(**row)


@admin_router.get("", response_model=list[HelpStatus], responses=_ERR, summary="Calls for help (open ones first)")
def list_help(p: Platform = Depends(platform), all_: bool = Query(False, alias="all")) -> list[HelpStatus]:
    return [HelpStatus(**r) for r in p.store.help_requests(open_only=not all_)]


@admin_router.post("/{help_id}/ack", response_model=HelpStatus, responses=_ERR,
                   summary="Staff acknowledge a call (the kiosk shows it at its next poll)")
def ack_help(help_id: HelpId, body: HelpAck, p: Platform = Depends(platform)) -> HelpStatus:
    row = p.store.ack_help(help_id, p.config.now_iso(), body.by)
    if row is None:
        raise not_found(f"help request {help_id}")
    return HelpStatus(**row)
