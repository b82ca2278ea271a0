"""我的办件 (issue 18, deliver 3): a card holder's applications from every kiosk, listed at a kiosk inside the
citizen session its card read opened (``GET /citizen-sessions/{session_id}/applications``, signed like every
kiosk endpoint). Only that session's ID number's applications, newest first, a page at a time; a session of
another kiosk, a closed or expired one is refused (403, ``ErrorCode.MINE_SESSION``), a page larger than
``MAX_PER_PAGE`` too (422, ``ErrorCode.MINE_PAGE``). The detail of one is the status read that already exists
(``GET /applications/{reference}?session=...``), whose timeline has the courier's steps."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_PER_PAGE = 10  # one screen's worth at a kiosk
MAX_PER_PAGE = 50  # a page is bounded: the list is read by a person, never dumped


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MyApplication(_M):
    """One application as the list shows it: what, which number, when, where it stands. No personal data
    beyond what the card holder already knows (no reasons, no address: the detail has the timeline)."""

    reference: str
    item_code: str
    received_at: str  # ISO 8601 with offset
    status: str = Field(max_length=32)  # received | under_review | approved | rejected | completed | ... (schema.Status)
    updated_at: str = ""  # the last timeline entry's time
    waybill_status: str | None = None  # express delivery: created | picked_up | in_transit | delivered | returned
    # The platform holds an issued result (a licence or certificate PDF, ``central/results``) for this case,
    # which the kiosk may fetch inside the citizen session and print (the print button is a later step).
    result_available: bool = False


class MyApplications(_M):
    items: list[MyApplication] = Field(default_factory=list)
    total: int = 0  # all of the card holder's applications, every page
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def more(self) -> bool:
        return self.page * self.per_page < self.total
