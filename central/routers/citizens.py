"""Citizen sessions: opened by a kiosk when it reads an ID card, closed when the citizen's session ends."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from kiosk.platform.schema import CitizenSession, CitizenSessionOpen, ErrorResponse

from ..auth import kiosk_id
from ..citizens import close_session, open_session
from ..context import Platform, platform

router = APIRouter(prefix="/citizen-sessions", tags=["citizen sessions"])
SESSION_ID = Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


@router.post("", response_model=CitizenSession, responses={429: {"model": ErrorResponse}},
             summary="Open a citizen session for the ID card just read (rate-limited per kiosk)")
def open_(body: CitizenSessionOpen, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> CitizenSession:
    return open_session(p, kid, body)


@router.post("/{session_id}/close", summary="Close a citizen session (idempotent; another kiosk's is left alone)")
def close(session_id: Annotated[str, SESSION_ID], p: Platform = Depends(platform),
          kid: str = Depends(kiosk_id)) -> dict[str, bool]:
    return {"closed": close_session(p, kid, session_id)}
