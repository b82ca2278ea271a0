"""Every request a step sends inside the citizen's platform session goes through ``in_citizen_session``.

The session's end closes the citizen session at the platform (``Journey._close_citizen``) under the ended
session's ``Session.link``; a request takes the same link from its "is this still the journey's session" check
until the platform has answered. So a request either goes out while the citizen is still here and is answered
inside their live session (the close waits for it), or does not go out at all: the platform never sees a
request of this kiosk in a citizen session the kiosk itself has just closed, and never has to refuse it (the
soak's 2171 on the result document; the same race in 我的办件, 进度查询 and data sharing). The platform's own
check stays as strict as it is. The caller still drops an answer that arrives after the session ended
(``session is not ctx.session``): nothing of it is shown to the next citizen.
"""
from __future__ import annotations

from typing import Callable, Final, TypeVar

from ..ports import Context
from ..session import Session

T = TypeVar("T")


class _Ended:
    """The citizen's session ended before the request went out: nothing was sent."""

    def __repr__(self) -> str:
        return "ENDED"


ENDED: Final = _Ended()


def in_citizen_session(ctx: Context, session: Session, request: Callable[[str], T]) -> T | _Ended:
    """``request(session.citizen_session)`` while ``session`` is the journey's, holding its link until answered;
    ``ENDED`` (and nothing sent) once the citizen has gone. The request's exceptions pass through."""
    with session.link:
        if session is not ctx.session:
            return ENDED
        return request(session.citizen_session)


def close_after_requests(session: Session, close: Callable[[str], None], citizen: str) -> None:
    """Close ``citizen`` (``session``'s citizen session) at the platform once no request in it is on the wire:
    the journey's executor at the session's end (``Journey._close_citizen``), or a step that lets a card go."""
    with session.link:
        close(citizen)


def file_citizen(ctx: Context, session: Session, citizen: str, card: object = None) -> bool:
    """File ``citizen`` (a citizen session the platform has just opened for ``session``, for ``card`` when given)
    in ``session``; if the session ended, or that card was let go, while it was being opened, close it at the
    platform now instead: it is nobody's, and it is not left to expire there."""
    if session.file_citizen(citizen, card):
        return True
    ctx.services.citizens.close(citizen)  # type: ignore[union-attr]
    return False
