"""好差评 follow-ups (国办发〔2019〕51号; issue 21, Deliver 3): every 不满意 or 非常不满意 rating is a case to
follow up within 15 working days of the rating: a return call to the citizen (回访), the rectification (整改)
and the recorded outcome (办结). Each step is kept with the staff actor (``followup_steps``); the follow-up's
state is derived from its steps, and one without its outcome past the due date is overdue."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from kiosk.platform.rating_schema import LEVEL_ZH, RatingLevel

from ..context import Platform
from .queue import calendar, received_day

FOLLOWUP_WORKING_DAYS = 15  # 国办发〔2019〕51号: 差评 verified and rectified within 15 working days
BAD = (RatingLevel.UNSATISFIED.value, RatingLevel.VERY_UNSATISFIED.value)


class StepKind(str, enum.Enum):
    CALL = "call"  # 回访: the citizen was called back
    RECTIFY = "rectify"  # 整改: what was put right
    OUTCOME = "outcome"  # 办结: the recorded outcome; closes the follow-up


STEP_NAMES = {StepKind.CALL: "回访 return call", StepKind.RECTIFY: "整改 rectification",
              StepKind.OUTCOME: "办结 outcome recorded"}


class FollowupState(str, enum.Enum):
    OPEN = "open"  # 待回访: nothing done yet
    IN_HAND = "in_hand"  # 处理中: called back or rectifying
    CLOSED = "closed"  # 已办结: outcome recorded


@dataclass
class Followup:
    application_id: str
    reference: str
    item_code: str
    kiosk_id: str
    level: str
    level_zh: str
    rated_at: str
    due: dt.date
    state: FollowupState
    overdue: bool
    steps: list[dict[str, Any]] = field(default_factory=list)


def followups(p: Platform) -> list[Followup]:
    """Every bad rating's follow-up, the open ones first by due date, then the closed ones."""
    cal = calendar(p)
    today = p.config.now().date()
    steps: dict[str, list[dict[str, Any]]] = {}
    for st in p.store.followup_steps():
        steps.setdefault(st["application_id"], []).append(st)
    out = []
    for r in p.store.ratings(1000):
        if r["level"] not in BAD:
            continue
        mine = steps.get(r["application_id"], [])
        kinds = {st["kind"] for st in mine}
        state = (FollowupState.CLOSED if StepKind.OUTCOME.value in kinds else
                 FollowupState.IN_HAND if kinds else FollowupState.OPEN)
        due = cal.due_date(received_day(r["rated_at"]), FOLLOWUP_WORKING_DAYS)
        out.append(Followup(r["application_id"], r["reference"], r["item_code"], r["kiosk_id"], r["level"],
                            LEVEL_ZH[RatingLevel(r["level"])], r["rated_at"], due, state,
                            state != FollowupState.CLOSED and today > due, mine))
    return sorted(out, key=lambda f: (f.state == FollowupState.CLOSED, f.due, f.rated_at))


def followup(p: Platform, application_id: str) -> Followup | None:
    return next((f for f in followups(p) if f.application_id == application_id), None)
