"""Navigation: the one table of which trigger moves the journey from which step to which.

A target is a step, or ``PLAN_NEXT`` / ``PLAN_BACK``: the neighbour along the item's plan (the plan is the
item's own list of steps, ``plan.plan_steps``). A trigger that has no row for the current step does
nothing: a late tap or a stale event cannot move the journey somewhere it should not be.
"""
from __future__ import annotations

from enum import StrEnum

from .plan import PERSONAL, Step


class Trigger(StrEnum):
    WAKE = "wake"  # the attract loop is tapped
    CATALOG = "catalog"  # 我要办事
    STATUS = "status"  # 进度查询
    MINE = "mine"  # 我的办件
    CHOOSE = "choose"  # an item is chosen: its guide
    NEXT = "next"  # the current step is complete
    BACK = "back"  # 返回
    DECIDED = "decided"  # the submission has an outcome (or will be sent later)
    PRINT = "print"  # on to the receipt
    FINISH = "finish"  # 完成
    CANCEL = "cancel"  # 退出办理: the session ends, home
    TIMEOUT = "timeout"  # nobody there: the session ends, attract loop


class Along(StrEnum):
    PLAN_NEXT = "plan_next"
    PLAN_BACK = "plan_back"


Target = Step | Along
S = Step
ENTRY = frozenset({S.ATTRACT, S.HOME, S.CATALOG, S.GUIDE, S.STATUS})  # no application under way
# Past the review the application is the platform's: no going back, no cancelling while it is stored.
NO_BACK = frozenset({S.SUBMIT, S.RESULT, S.RECEIPT, S.END})
PLANNED = frozenset(set(Step) - {S.ATTRACT, S.HOME, S.CATALOG, S.STATUS, S.MINE})
ANY = frozenset(Step)

# (trigger, from these steps, to) — the first row that matches wins.
TABLE: list[tuple[Trigger, frozenset[Step], Target]] = [
    (Trigger.WAKE, frozenset({S.ATTRACT}), S.HOME),
    (Trigger.CATALOG, frozenset({S.ATTRACT, S.HOME, S.CATALOG}), S.CATALOG),
    (Trigger.STATUS, frozenset({S.ATTRACT, S.HOME, S.STATUS}), S.STATUS),
    (Trigger.MINE, frozenset({S.ATTRACT, S.HOME}), S.MINE),
    (Trigger.CHOOSE, ENTRY, S.GUIDE),
    (Trigger.NEXT, PLANNED - NO_BACK, Along.PLAN_NEXT),  # the review: on to PAYMENT (a fee) or SUBMIT
    (Trigger.BACK, frozenset({S.CATALOG, S.STATUS, S.MINE}), S.HOME),
    (Trigger.BACK, frozenset({S.GUIDE}), S.CATALOG),
    (Trigger.BACK, PLANNED - NO_BACK - {S.GUIDE}, Along.PLAN_BACK),
    (Trigger.DECIDED, frozenset({S.SUBMIT}), S.RESULT),
    (Trigger.PRINT, frozenset({S.RESULT}), S.RECEIPT),
    (Trigger.FINISH, frozenset({S.RESULT, S.RECEIPT}), S.END),
    (Trigger.FINISH, frozenset({S.END}), S.HOME),
    (Trigger.CANCEL, ANY - {S.SUBMIT}, S.HOME),
    (Trigger.TIMEOUT, ANY - {S.ATTRACT}, S.ATTRACT),
]

# Triggers that end the citizen's session (everything personal wiped) on their way.
ENDS_SESSION = frozenset({Trigger.CANCEL, Trigger.TIMEOUT})


def resolve(trigger: Trigger, step: Step, plan: list[Step]) -> Step | None:
    """Where ``trigger`` leads from ``step`` with ``plan``; None when it leads nowhere from there."""
    for t, sources, target in TABLE:
        if t != trigger or step not in sources:
            continue
        if target == Along.PLAN_NEXT:
            if step not in plan:
                return None
            i = plan.index(step)
            return plan[i + 1] if i + 1 < len(plan) else None
        if target == Along.PLAN_BACK:
            if step not in plan:
                return None
            i = plan.index(step)
            return plan[i - 1] if i > 0 else Step.CATALOG
        return target  # type: ignore[return-value]
    return None


def ends_session(trigger: Trigger, step: Step, target: Step) -> bool:
    """Leaving for home or the attract loop from a step with personal data ends the session too."""
    return trigger in ENDS_SESSION or (target in (Step.HOME, Step.ATTRACT) and step in PERSONAL)
