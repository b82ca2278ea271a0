"""好差评 (国办发〔2019〕51号, issue 17): on the goodbye screen, after the receipt, the citizen may rate the service
with one tap in five levels, once per case. Skipping costs nothing: the goodbye returns by itself either way.

The rating goes to the platform at once (one try, ``RatingService``); one that does not arrive — offline, or the
application still waiting in the outbox, so the platform has no case to rate — is dropped and the screen says
so (``RATING_NOT_SENT``): it is not queued, a rating is not worth keeping anything of the citizen's longer.
"""
from __future__ import annotations

import logging

from ...errors import KioskErrorCode, notice_for_kiosk
from ...platform.rating_schema import LEVEL_ZH, RatingLevel
from ..bill import is_bill
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import Session

log = logging.getLogger(__name__)
OWNER = "rating"

_LEVEL_EN = {RatingLevel.VERY_SATISFIED: "very satisfied", RatingLevel.SATISFIED: "satisfied",
             RatingLevel.BASIC: "fairly satisfied", RatingLevel.UNSATISFIED: "dissatisfied",
             RatingLevel.VERY_UNSATISFIED: "very dissatisfied"}


def can_rate(ctx: Context) -> bool:
    """An application this kiosk stored (a bill is a payment, not a case), not rated yet, on the goodbye."""
    s = ctx.session
    return (ctx.step == Step.END and s.item is not None and not is_bill(s.item) and not s.outcome.rating
            and ctx.outbox.get(s.application_id) is not None)


def rate(ctx: Context, level: str) -> bool:
    """One tap: the level is sent on the executor; the screen shows sending, then the outcome."""
    try:
        chosen = RatingLevel(level)
    except ValueError:
        return False
    if not can_rate(ctx) or ctx.services is None:
        return False
    session = ctx.session
    session.outcome.rating, session.outcome.rating_state = chosen.value, "sending"
    ctx.audit("rating", level=chosen.value)
    ctx.emit(JourneyEventKind.UPDATE)
    ctx.run(_send, ctx, session, chosen)
    return True


def _send(ctx: Context, session: Session, level: RatingLevel) -> None:
    try:
        outcome = ctx.services.ratings.rate(session.application_id, level.value).value  # type: ignore[union-attr]
    except Exception:  # never let a rating disturb the goodbye
        log.exception("rating failed")
        outcome = "not_sent"
    session.outcome.rating_state = outcome
    ctx.audit("rating_" + outcome, level=level.value)
    if session is not ctx.session or ctx.step != Step.END:
        return  # the goodbye is over: nobody to tell
    if outcome == "sent":
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.RATING_THANKS, LEVEL_ZH[level], _LEVEL_EN[level],
                                        level="info"), OWNER)
    elif outcome == "already":
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.RATING_ALREADY, level="info"), OWNER)
    else:
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.RATING_NOT_SENT, level="info"), OWNER)
    ctx.emit(JourneyEventKind.UPDATE)
