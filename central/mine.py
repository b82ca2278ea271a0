"""我的办件 at the platform (issue 18): a card holder's applications, from every kiosk, for the kiosk whose
card read opened the citizen session. Only that session's holder's applications are listed; the session
must be the asking kiosk's own, open and unexpired (another kiosk's raises the ``foreign_session`` alarm, as
every session use does). Every listing is recorded (masked) and counts against the kiosk's and the
session's look-up budget, like a status read."""
from __future__ import annotations

from kiosk.platform.mine_schema import MAX_PER_PAGE, MyApplication, MyApplications
from kiosk.platform.schema import ErrorCode

from .citizens import admit, id_hash, live_session, record
from .context import Platform
from .errors import ApiError
from .store.base import Row

MAX_PAGE = 1000  # MAX_PER_PAGE x MAX_PAGE applications of one person is far beyond any real one


def list_for_session(p: Platform, kiosk_id: str, session_id: str, page: int, per_page: int) -> MyApplications:
    if per_page < 1 or per_page > MAX_PER_PAGE or page < 1 or page > MAX_PAGE:
        raise ApiError(422, ErrorCode.MINE_PAGE, f"page 1..{MAX_PAGE}, per_page 1..{MAX_PER_PAGE}")
    admit(p, kiosk_id, "mine", "-", session_id=session_id)
    row = live_session(p, kiosk_id, session_id)
    if row is None:
        record(p, kiosk_id, "mine", "-", "refused: no live session of this kiosk", session_id=session_id)
        raise ApiError(403, ErrorCode.MINE_SESSION, "我的办件 needs an open citizen session of this kiosk "
                       "(opened when the card is read); this one is unknown, closed, expired or not this kiosk's")
    holder = row["id_hash"]
    p.store.index_applicants(id_hash)
    total = p.store.count_applications_of(holder)
    rows = p.store.applications_of(holder, per_page, (page - 1) * per_page)
    record(p, kiosk_id, "mine", row["id_masked"], f"ok: {len(rows)} of {total}", session_id=session_id)
    return MyApplications(items=[_item(p, r) for r in rows], total=total, page=page, per_page=per_page)


def _item(p: Platform, row: Row) -> MyApplication:
    events = p.store.events(row["reference"])
    waybill = p.store.waybill_for(row["reference"])
    return MyApplication(reference=row["reference"], item_code=row["item_code"], received_at=row["received_at"],
                         status=row["status"], updated_at=events[-1]["at"] if events else row["received_at"],
                         waybill_status=waybill["status"] if waybill else None,
                         result_available=result_available(p, row))


def result_available(p: Platform, row: Row) -> bool:
    """Whether the platform holds an issued result (licence, certificate PDF: ``central/results``) that the
    kiosk may fetch inside the citizen session and print."""
    return p.store.result_for(row["reference"]) is not None
