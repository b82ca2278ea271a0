"""The review queue and one case as the workbench shows them: due dates in working days, flags, claims.

The queue is today's manual-review data (applications ``received`` or ``under_review``, the same as
``GET /api/v1/admin/reviews``), each with its 承诺时限 (the item's ``time_limit.promised_days``, working days)
(``review_days`` for a 秒批 item sent to a person) counted on the calendar of config/workdays.toml, sorted by due date, the most urgent first."""
from __future__ import annotations

import datetime as dt
import enum
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.platform.catalog_schema import FieldType
from kiosk.platform.schema import Decision, Manifest

from ..context import Platform
from .workdays import WorkCalendar

WAITING = ("received", "under_review")


class Urgency(str, enum.Enum):
    OVERDUE = "overdue"  # 已超期: past the due date
    DUE_SOON = "due_soon"  # 即将到期: due today or within StaffSettings.due_soon_working_days
    ON_TIME = "on_time"


@functools.lru_cache(maxsize=4)
def _calendar(path: Path, mtime: float) -> WorkCalendar:
    return WorkCalendar.load(path)


def calendar(p: Platform) -> WorkCalendar:
    path = p.config.staff.workdays_file
    return _calendar(path, path.stat().st_mtime)


@dataclass
class QueueRow:
    reference: str
    item_code: str
    item_name: str
    kiosk_id: str
    received_at: str
    status: str
    promised_days: int
    due: dt.date
    working_days_left: int  # negative: working days overdue
    urgency: Urgency
    provisional: bool  # the due date's year has no State Council notice in the calendar
    reasons: list[Any]
    claimed_by: str = ""
    claim_until: str = ""
    asked_more: bool = False
    urged_by: str = ""  # 督办: the supervisor who last urged this case (central/staff/watch_supervise.py)


def received_day(received_at: str) -> dt.date:
    return dt.datetime.fromisoformat(received_at).date()  # the platform's own local (CST) timestamp


def limit_days(item: Any) -> int:
    """The case's 承诺时限 in working days: a 秒批 item sent to a person has its own (``review_days``)."""
    if item is None:
        return 0
    t = item.time_limit
    return t.review_days if item.instant and t.review_days is not None else t.promised_days


def row_of(p: Platform, app: dict[str, Any], today: dt.date, claims: dict[str, dict]) -> QueueRow:
    cal = calendar(p)
    item = p.by_code.get(app["item_code"])
    promised = limit_days(item)
    due = cal.due_date(received_day(app["received_at"]), promised)
    left = cal.working_days_between(today, due)
    urgency = (Urgency.OVERDUE if today > due else
               Urgency.DUE_SOON if left <= p.config.staff.due_soon_working_days else Urgency.ON_TIME)
    claim = claims.get(app["reference"])
    asked = any(a["action"] == "ask_more" for a in p.store.staff_actions(app["reference"], 50))
    urged = p.store.supervisions(app["reference"])
    return QueueRow(reference=app["reference"], item_code=app["item_code"],
                    item_name=item.name.zh if item else app["item_code"], kiosk_id=app["kiosk_id"],
                    received_at=app["received_at"], status=app["status"], promised_days=promised, due=due,
                    working_days_left=left, urgency=urgency, provisional=cal.is_provisional(due),
                    reasons=Decision.model_validate(app["decision"]).reasons,
                    claimed_by=claim["username"] if claim else "",
                    claim_until=(dt.datetime.fromtimestamp(claim["expires_at"], p.config.now().tzinfo)
                                 .strftime("%H:%M") if claim else ""),
                    asked_more=asked, urged_by=urged[-1]["supervisor"] if urged else "")


def queue(p: Platform) -> list[QueueRow]:
    today = p.config.now().date()
    claims = p.store.review_claims(p.config.clock())
    rows = [row_of(p, a, today, claims) for a in p.store.by_status(list(WAITING))]
    return sorted(rows, key=lambda r: (r.due, r.received_at, r.reference))


def mask_id(number: str) -> str:
    return number[:6] + "*" * max(0, len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)


@dataclass
class FieldView:
    label: str
    label_en: str
    value: str


@dataclass
class MaterialView:
    name: str
    name_en: str
    source: str
    file: str | None
    pages: int
    images: list[str] = field(default_factory=list)  # URLs of the rendered pages
    error: str = ""  # why the pages cannot be shown


def case_view(p: Platform, app: dict[str, Any]) -> dict[str, Any]:
    """What the case page shows: applicant (ID masked), form with labels, materials, signature, reasons."""
    m = Manifest.model_validate(app["manifest"])
    item = p.by_code.get(app["item_code"])
    fields = []
    labels = {f.name: f for f in item.form} if item else {}
    for name, value in m.form.items():
        f = labels.get(name)
        shown = value
        if f is not None and f.choices:
            shown = next((c.label.zh for c in f.choices if c.value == value), value)
        if (f is not None and f.type == FieldType.ID_NUMBER) or (m.applicant and value == m.applicant.id_number):
            shown = mask_id(value)  # the page shows no full ID number; the card was checked at the kiosk
        fields.append(FieldView(f.label.zh if f else name, f.label.en if f else name, shown))
    names = {mat.id: mat for mat in item.materials} if item else {}
    materials = []
    for ref in m.materials:
        mat = names.get(ref.id)
        materials.append(MaterialView(mat.name.zh if mat else ref.id, mat.name.en if mat else ref.id, ref.source,
                                      ref.file, ref.pages))
    applicant = None
    if m.applicant is not None:
        applicant = {"name": m.applicant.name, "id_masked": mask_id(m.applicant.id_number)}
    return {"manifest": m, "item": item, "fields": fields, "materials": materials, "applicant": applicant,
            "decision": Decision.model_validate(app["decision"]), "delivery": m.delivery.method}
