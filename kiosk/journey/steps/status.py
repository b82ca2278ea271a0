"""进度查询: the citizen scans the receipt's QR code (it carries the tracking token), or reads the ID card
(a citizen session at the platform) and types the acceptance number; the platform answers through the
status service (never the raw client). A typed number without a card is answered only where it was
submitted (the platform's ownership rule, docs/security.md)."""
from __future__ import annotations

import re
from typing import Any

from devices.base import DeviceEvent, EventKind

from ...errors import KioskErrorCode, notice_for_kiosk
from ...identity import masked
from ...platform.services import LinkError
from .. import forms
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from .base import StepHandler
from .citizen_link import ENDED, file_citizen, in_citizen_session

STATUS_REF = re.compile(r"^[A-Z]{2}[0-9]{8,20}$")  # platform references: SZ + date + sequence
LOCAL_NUMBER = re.compile(r"^[A-Z0-9_.-]{1,64}-[0-9]{8}-[0-9]{4,6}$")  # an offline receipt's 本机编号 (outbox)
TRACKING_TOKEN = re.compile(r"^[A-Z2-7]{26}$")  # the receipt QR's token (kiosk.payloads)
READER = "idcard"


class StatusStep(StepHandler):
    step = Step.STATUS

    def enter(self, ctx: Context) -> None:
        ctx.session.status_result = {}
        reader = ctx.devices.get(READER)
        if reader is not None and hasattr(reader, "arm"):
            reader.arm()  # a card read opens a citizen session: 进度查询 at any kiosk

    def leave(self, ctx: Context) -> None:
        reader = ctx.devices.get(READER)
        if reader is not None and hasattr(reader, "disarm"):
            reader.disarm()

    def on_device_event(self, ctx: Context, event: DeviceEvent) -> None:
        if event.kind == EventKind.CARD_READ:
            self.card_read(ctx, event.data)

    def card_read(self, ctx: Context, card: Any) -> None:
        ctx.touch()
        session = ctx.session
        if ctx.services is None or card.expired() or session.citizen_session:
            return
        ctx.audit("status_card", card=masked(card))
        ctx.run(self._open, ctx, session, card.id_number)

    def _open(self, ctx: Context, session: Session, id_number: str) -> None:
        citizen = ctx.services.citizens.open(id_number)
        why = getattr(ctx.services.citizens, "last_failure", "")
        if not citizen:
            if session is ctx.session:  # a citizen who has gone is told nothing, and the next one neither
                # (throttled: the platform answered, so "cannot be reached" would be untrue)
                ctx.set_notice(notice_for_kiosk(KioskErrorCode.LOOKUP_THROTTLED if why == "throttled"
                                                else KioskErrorCode.PLATFORM_UNREACHABLE), self.owner)
            return
        if not file_citizen(ctx, session, citizen):  # the session ended while it was opened: closed now
            return
        ctx.emit(JourneyEventKind.UPDATE)

    def open(self, ctx: Context) -> None:
        if ctx.step == self.step:
            ctx.session.status_result = {}
            ctx.emit(JourneyEventKind.UPDATE)
        else:
            ctx.fire(Trigger.STATUS)

    def query(self, ctx: Context, reference: str) -> bool:
        ref = forms.clean(reference).upper()[:80]
        local = bool(LOCAL_NUMBER.match(ref))
        if not (STATUS_REF.match(ref) or TRACKING_TOKEN.match(ref) or local):
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.STATUS_BAD_NUMBER), self.owner)
            return False
        if local and not ctx.session.citizen_session:  # a guessable sequence: only with the applicant's card
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.STATUS_LOCAL_NEEDS_CARD), self.owner)
            return False
        if ctx.services is None:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PLATFORM_UNREACHABLE), self.owner)
            return False
        if ctx.step != self.step:
            ctx.fire(Trigger.STATUS)
            if ctx.step != self.step:
                return False
        ctx.session.status_result = {}  # the last answer goes now: never shown under a new query
        ctx.emit(JourneyEventKind.UPDATE)
        ctx.set_busy(True)
        ctx.run(self._query, ctx, ctx.session, ref)
        return True

    def _query(self, ctx: Context, session: Session, reference: str) -> None:
        try:
            resp = in_citizen_session(ctx, session,
                                      lambda citizen: ctx.services.status.lookup(reference, session_id=citizen or None))
        except LinkError as exc:
            session.status_result = {}
            ctx.set_busy(False)
            if session is ctx.session:  # a citizen who has gone is told nothing, and the next one neither
                ctx.set_notice(notice_for_kiosk(exc.code), self.owner)
            return
        ctx.set_busy(False)
        if resp is ENDED or session is not ctx.session:
            return
        session.status_result = {"reference": resp.reference, "status": resp.status,
                                 "item": ctx.catalog.get(resp.item_code),
                                 "timeline": [e.model_dump(mode="json") for e in resp.timeline],
                                 "reasons": [r.model_dump() for r in resp.decision.reasons]}
        ctx.audit("status_query", reference=resp.reference, status=resp.status)
        ctx.clear_notice(self.owner)
        ctx.emit(JourneyEventKind.UPDATE)
