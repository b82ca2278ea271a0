"""进度查询: the citizen types the acceptance number or scans the receipt's QR code; the platform answers
through the status service (never the raw client)."""
from __future__ import annotations

import re

from ...errors import KioskErrorCode, notice_for_kiosk
from ...platform.services import LinkError
from .. import forms
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from .base import StepHandler

STATUS_REF = re.compile(r"^[A-Z]{2}[0-9]{8,20}$")  # platform references: SZ + date + sequence


class StatusStep(StepHandler):
    step = Step.STATUS

    def enter(self, ctx: Context) -> None:
        ctx.session.status_result = {}

    def open(self, ctx: Context) -> None:
        if ctx.step == self.step:
            ctx.session.status_result = {}
            ctx.emit(JourneyEventKind.UPDATE)
        else:
            ctx.fire(Trigger.STATUS)

    def query(self, ctx: Context, reference: str) -> bool:
        ref = forms.clean(reference).upper()[:32]
        if not STATUS_REF.match(ref):
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.STATUS_BAD_NUMBER), self.owner)
            return False
        if ctx.services is None:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PLATFORM_UNREACHABLE), self.owner)
            return False
        if ctx.step != self.step:
            ctx.fire(Trigger.STATUS)
            if ctx.step != self.step:
                return False
        ctx.set_busy(True)
        ctx.run(self._query, ctx, ctx.session, ref)
        return True

    def _query(self, ctx: Context, session: Session, reference: str) -> None:
        try:
            resp = ctx.services.status.lookup(reference)
        except LinkError as exc:
            session.status_result = {}
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(exc.code), self.owner)
            return
        ctx.set_busy(False)
        if session is not ctx.session:
            return
        session.status_result = {"reference": resp.reference, "status": resp.status,
                                 "item": ctx.catalog.get(resp.item_code),
                                 "timeline": [e.model_dump(mode="json") for e in resp.timeline],
                                 "reasons": [r.model_dump() for r in resp.decision.reasons]}
        ctx.audit("status_query", reference=reference, status=resp.status)
        ctx.clear_notice(self.owner)
        ctx.emit(JourneyEventKind.UPDATE)
