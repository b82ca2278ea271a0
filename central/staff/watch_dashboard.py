"""The supervisor's 电子监察 dashboard (issue 21, Deliver 3): counts per item and per kiosk over today, 7 and 30
days, the average handling time in working days, and the overdue cases.

Handling time runs from receipt to the first decision on the timeline (``approved`` or ``rejected``), counted
on the calendar of config/workdays.toml (``WorkCalendar.working_days_between``: a case decided on the day it
arrived took 0 working days). Cases received in the last 30 days are counted; older ones are not on the page.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..context import Platform
from .queue import QueueRow, Urgency, calendar, queue, received_day

WINDOWS = (1, 7, 30)  # days: today, the last 7, the last 30 (today included)
DECIDED = ("approved", "rejected")


@dataclass
class CountRow:
    key: str  # item code or kiosk id
    name: str
    counts: list[int]  # one per window in WINDOWS


@dataclass
class Dashboard:
    today: dt.date
    by_item: list[CountRow] = field(default_factory=list)
    by_kiosk: list[CountRow] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    decided: int = 0
    average_days: float | None = None  # working days, received -> decided; None when nothing was decided
    overdue: list[QueueRow] = field(default_factory=list)


def _decided_on(p: Platform, reference: str) -> dt.date | None:
    for e in p.store.events(reference):
        if e["status"] in DECIDED:
            return received_day(e["at"])
    return None


def _rows(counters: list[Counter], names: dict[str, str]) -> list[CountRow]:
    keys = sorted(counters[-1], key=lambda k: (-counters[-1][k], k))
    return [CountRow(k, names.get(k, k), [c[k] for c in counters]) for k in keys]


def dashboard(p: Platform) -> Dashboard:
    today = p.config.now().date()
    cal = calendar(p)
    apps: list[tuple[int, dict[str, Any]]] = []
    for back in range(WINDOWS[-1]):
        day = today - dt.timedelta(days=back)
        apps += [(back, a) for a in p.store.applications_on(day.isoformat())]
    by_item = [Counter() for _ in WINDOWS]
    by_kiosk = [Counter() for _ in WINDOWS]
    for back, a in apps:
        for i, w in enumerate(WINDOWS):
            if back < w:
                by_item[i][a["item_code"]] += 1
                by_kiosk[i][a["kiosk_id"]] += 1
    spans = []
    for _, a in apps:
        decided = _decided_on(p, a["reference"]) if a["status"] not in ("received", "under_review") else None
        if decided is not None:
            spans.append(cal.working_days_between(received_day(a["received_at"]), decided))
    names = {code: item.name.zh for code, item in p.by_code.items()}
    return Dashboard(today=today, by_item=_rows(by_item, names), by_kiosk=_rows(by_kiosk, {}),
                     totals=[sum(c.values()) for c in by_item], decided=len(spans),
                     average_days=round(sum(spans) / len(spans), 1) if spans else None,
                     overdue=[r for r in queue(p) if r.urgency == Urgency.OVERDUE])
