"""打印回执: the receipt is printed from the stored package (platform number when known, local number
otherwise). The receipt screen is reached only from the result (``Trigger.PRINT``: 打印回执, or the result's
own countdown) and prints as it shows, without a tap (issue 17); a receipt is never printed twice for one
application (the print journal), not after a retry, not after a restart. Once printed, the screen moves on
to the goodbye by itself after ``idle.receipt_done_s`` (完成 at once).

A 秒批 approval's result document prints on the A4 printer meanwhile (started on the result screen,
``result_print``, issue 18): this screen moves on only once both have come out (or failed, saying where to
get the result instead)."""
from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any

from devices.errors import DeviceError, DeviceErrorCode

from ...errors import KioskErrorCode, notice_for_device, notice_for_kiosk
from ...outbox import Record
from ...printing.bill_slip import bill_slip_bytes
from ...printing.receipt import PrintJournal, print_once, receipt_bytes, receipt_job_id
from ..auto import AutoKind
from ..bill import is_bill, slip_fields
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from . import a4_receipt
from .base import StepHandler

log = logging.getLogger(__name__)


class ReceiptStep(StepHandler):
    step = Step.RECEIPT

    def __init__(self, on_a4_done_elsewhere: Any = None) -> None:
        self._journal: PrintJournal | None = None
        self._elsewhere = on_a4_done_elsewhere  # the goodbye's hook when the citizen left this screen first

    def journal(self, ctx: Context) -> PrintJournal:
        """Which receipts printed, kept under the data dir."""
        if self._journal is None:
            self._journal = PrintJournal(ctx.settings.path("printer") / "journal.jsonl")
        return self._journal

    def enter(self, ctx: Context) -> None:
        self.print(ctx)  # the table leads here only from the result (or a bill's payment): print, no tap

    def result_printed(self, ctx: Context, session: Session) -> None:
        """A4 work (the result document started on the result screen, or the A4 receipt) is out, or failed:
        the goodbye may come."""
        if ctx.step == self.step:
            self._finish_when_done(ctx, session)
        elif self._elsewhere is not None:
            self._elsewhere(ctx, session)

    def _finish_when_done(self, ctx: Context, session: Session) -> None:
        """The goodbye comes by itself once the receipt has printed and no result document is on its way."""
        if ctx.session is session and session.outcome.printed and not self._a4_busy(session):
            ctx.auto(self.step, AutoKind.FINISH, ctx.settings.idle.receipt_done_s,
                     lambda: self._finish(ctx, session), cancellable=False)

    @staticmethod
    def _a4_busy(session: Session) -> bool:
        return a4_receipt.a4_busy(session)

    def _finish(self, ctx: Context, session: Session) -> None:
        """The countdown ran out: on to the goodbye, unless a page asked for is still coming out of the A4
        printer (its end arms the countdown again)."""
        if not self._a4_busy(session):
            ctx.fire(Trigger.FINISH)

    def session_ended(self) -> None:
        if self._journal is not None:
            self._journal.forget_sent()  # the receipt screen's copy of the printed bytes

    def proceed(self, ctx: Context) -> bool:
        """On the result screen: 打印回执 now (on to the receipt, which prints as it shows)."""
        if ctx.step != Step.RESULT:
            return False
        ctx.fire(Trigger.PRINT)
        return ctx.step == self.step

    def print_a4(self, ctx: Context) -> bool:
        """A4 打印回执: the same receipt as an A4 page, when the citizen asks (``a4_receipt``)."""
        return ctx.step == self.step and a4_receipt.start(ctx, ctx.session, on_done=self.result_printed)

    def print_again(self, ctx: Context) -> bool:
        if ctx.step != self.step or ctx.busy:
            return False
        return self.print(ctx)

    def print(self, ctx: Context) -> bool:
        session = ctx.session
        printer = ctx.devices.get("printer")
        if is_bill(session.item) and printer is not None:
            ctx.set_busy(True)
            ctx.run(self._print_slip, ctx, session, printer)
            return True
        record = ctx.outbox.get(session.application_id)
        item = session.item
        if printer is None or record is None or item is None:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.RECEIPT_NOT_PRINTED, level="error"), self.owner)
            return False
        ctx.set_busy(True)
        ctx.run(self._print, ctx, session, printer, record, item)
        return True

    def _print(self, ctx: Context, session: Session, printer: Any, record: Record, item: Any) -> None:
        try:
            manifest = ctx.outbox.package(record.id).manifest
            s = ctx.settings

            def build(reprint: bool) -> bytes:
                return receipt_bytes(record, manifest, item, kiosk_id=s.kiosk_id, kiosk_location=s.kiosk_location,
                                     tracking_url=s.platform.tracking_url,
                                     profile=str(printer.options.get("profile", "80mm")), reprint=reprint,
                                     result_print=session.result_print.state.value)
            fut = print_once(printer, self.journal(ctx), f"receipt-{record.id}", build)
        except Exception:
            log.exception("building the receipt failed")
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.RECEIPT_NOT_PRINTED, level="error"), self.owner)
            return
        fut.add_done_callback(lambda f: self._printed(ctx, session, f))

    def _print_slip(self, ctx: Context, session: Session, printer: Any) -> None:
        """A bill's payment slip, once (the same journal job id as a receipt: the screen shows its paper)."""
        try:
            fields = slip_fields(session, ctx.settings)
            profile = str(printer.options.get("profile", "80mm"))
            fut = print_once(printer, self.journal(ctx), receipt_job_id(session.application_id),
                             lambda reprint: bill_slip_bytes(fields, profile=profile, reprint=reprint))
        except Exception:
            log.exception("building the payment slip failed")
            ctx.set_busy(False)
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.SLIP_NOT_PRINTED, level="error"), self.owner)
            return
        fut.add_done_callback(lambda f: self._printed(ctx, session, f))

    def _printed(self, ctx: Context, session: Session, fut: Future) -> None:
        ctx.set_busy(False)
        out = session.outcome
        try:
            result = fut.result()
        except DeviceError as exc:
            out.print_error = exc.code
            ctx.set_notice(notice_for_device(exc, device="printer"), self.owner)
            ctx.audit("print_failed", code=exc.code)
            ctx.emit(JourneyEventKind.UPDATE)  # the receipt screen's retry button follows the outcome
            return
        if result.ok:
            out.printed = True
            out.print_error = None
            ctx.clear_notice(self.owner)
            ctx.audit("printed", duplicate=result.duplicate)
            self._finish_when_done(ctx, session)
        else:
            out.print_error = result.error_code
            ctx.set_notice(notice_for_device(DeviceError(result.error_code or DeviceErrorCode.PRINTER_OFFLINE),
                                             device="printer"), self.owner)
            ctx.audit("print_failed", code=result.error_code)
        ctx.emit(JourneyEventKind.UPDATE)
