"""提交: the package goes into the outbox (durably, before anything else), then to the platform.

``confirm`` (确认提交 on the review) is the action: it moves on (to the payment when there is a fee); the
package is stored when this screen shows (``enter``), with the paid order's id. The
platform's answer reaches the journey by one path, the outbox's notification (``on_record``); if none
comes within ``platform.submit_wait_s`` the citizen is told it will be sent later (``tick``).
"""
from __future__ import annotations

import errno
import logging
import threading

from ...errors import KioskErrorCode, notice_for_kiosk
from ...orders import SUBMITTED
from ...outbox import OutboxState, Record
from ..package import build_package
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from .base import StepHandler

log = logging.getLogger(__name__)
DECIDED = (OutboxState.DELIVERED, OutboxState.REJECTED)


class SubmitStep(StepHandler):
    step = Step.SUBMIT

    def __init__(self) -> None:
        self._decide = threading.Lock()  # the outbox's thread and the timer may decide at the same moment

    def _take_decision(self, session: Session) -> bool:
        with self._decide:
            out = session.outcome
            if out.decided:
                return False
            out.decided = True
            out.submit_deadline = None
            return True

    def enter(self, ctx: Context) -> None:
        """The package is stored once the screen shows (from the review, or at once once paid)."""
        session = ctx.session
        session.outcome.decided = False
        ctx.set_busy(True)
        # Built once the screen (its progress) is on screen: the package's CPU work (reportlab, pure Python)
        # would otherwise hold the GIL while the GUI thread paints the screen's first frame (issue 22).
        ctx.run_when_shown(self._store, ctx, session)

    def confirm(self, ctx: Context) -> bool:
        """On the review: 确认提交 (on to the payment when there is a fee, else straight to this step)."""
        if ctx.step != Step.REVIEW:
            return False
        ctx.fire(Trigger.NEXT)
        return ctx.step in (self.step, Step.PAYMENT)

    def _store(self, ctx: Context, session: Session) -> None:
        try:
            manifest, files = build_package(session, ctx.settings.kiosk_id, ctx.lang)
            record = ctx.outbox.enqueue(session.application_id, manifest.item_code,
                                        manifest.model_dump(mode="json"), files)
        except OSError as exc:
            code = KioskErrorCode.DISK_FULL if exc.errno == errno.ENOSPC else KioskErrorCode.PACKAGE_FAILED
            log.exception("storing the application failed")
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(code, level="error"), self.owner)
            return
        except Exception:
            log.exception("building the application failed")
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.PACKAGE_FAILED, level="error"), self.owner)
            return
        out = session.outcome
        if not out.decided:
            # The citizen's wait starts when the package is stored (before the local number shows).
            out.submit_deadline = ctx.clock() + ctx.settings.platform.submit_wait_s
            out.local_number = record.local_number
        if session.payment.order_id:  # the paid order is the application's now (the platform reconciles it)
            ctx.outbox.orders.settled(session.payment.order_id, SUBMITTED)
        ctx.audit("stored", local_number=record.local_number)
        ctx.outbox.kick()

    def on_record(self, ctx: Context, record: Record) -> None:
        """The outbox changed a record (its worker thread): this session's, decided, while we wait."""
        session = ctx.session
        if record.id != session.application_id or record.state not in DECIDED or ctx.step != self.step:
            return
        if not self._take_decision(session):
            return
        out = session.outcome
        out.local_number = record.local_number
        if record.state == OutboxState.DELIVERED:
            out.reference = record.reference
            out.status = record.platform_status
            out.delivered = True
            decision = record.result.get("decision") or {}
            out.decision_reasons = list(decision.get("reasons") or [])
            out.sms = bool(record.result.get("sms"))  # only then may the screen promise an SMS
        else:
            out.status = "rejected"
        ctx.audit("submitted", status=out.status, reference=out.reference)
        ctx.set_busy(False)
        ctx.fire(Trigger.DECIDED)
        if out.status == "rejected":
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.SUBMIT_REJECTED, level="error"), "result")

    def tick(self, ctx: Context, now: float) -> bool:
        session = ctx.session
        out = session.outcome
        if out.decided or out.submit_deadline is None or now < out.submit_deadline:
            return True  # no idle timeout while the package is stored and sent
        if not self._take_decision(session):
            return True
        out.status = "queued"
        ctx.audit("submit_queued", local_number=out.local_number)
        ctx.set_busy(False)
        ctx.fire(Trigger.DECIDED)
        ctx.set_notice(notice_for_kiosk(KioskErrorCode.SUBMIT_QUEUED, level="info"), "result")
        return True
