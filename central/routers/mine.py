"""我的办件 (issue 18): a card holder's applications for the kiosk holding their citizen session (signed)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from kiosk.platform.mine_schema import DEFAULT_PER_PAGE, MyApplications
from kiosk.platform.schema import ErrorResponse

from ..auth import kiosk_id
from ..context import Platform, platform
from ..mine import list_for_session

router = APIRouter(prefix="/citizen-sessions", tags=["citizen sessions"])
_ERR = {403: {"model": ErrorResponse}, 422: {"model": ErrorResponse}, 429: {"model": ErrorResponse}}


@router.get("/{session_id}/applications", response_model=MyApplications, responses=_ERR,
            summary="我的办件: the session's card holder's applications from every kiosk, newest first, a page at a "
                    "time (only inside this kiosk's own open session)")
def my_applications(session_id: Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
                    page: Annotated[int, Query(ge=-(2 ** 31), le=2 ** 31)] = 1,
                    per_page: Annotated[int, Query(ge=-(2 ** 31), le=2 ** 31)] = DEFAULT_PER_PAGE,
                    p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> MyApplications:
    # The bounds are checked by list_for_session, so a page out of range gets its own code (4191).
    return list_for_session(p, kid, session_id, page, per_page)
