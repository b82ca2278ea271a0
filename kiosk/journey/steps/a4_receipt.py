"""A4 打印回执 (issue 18): the acceptance receipt as an A4 page (``kiosk.documents.acceptance``), printed on
the A4 printer when the citizen asks for it on the receipt screen. Built from the stored package, like the
80 mm receipt, on the journey's executor; the printer works on its own thread. A fault is said with the
printer's own words; the 80 mm receipt and the application are untouched by it."""
from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any

from devices.errors import DeviceError, DeviceErrorCode, error_info

from ...errors import KioskErrorCode, Notice, notice_for_kiosk
from ...printing.receipt import receipt_data
from ..events import JourneyEventKind
from ..ports import Context
from ..session import Outcome, Session
from . import a4_leave

log = logging.getLogger(__name__)
A4 = "a4"
PRINTING, PRINTED, FAILED = "printing", "printed", "failed"


def a4_receipt_notice(out: Outcome) -> Notice | None:
    """The sentence for an A4 receipt that did not print (2175), naming the printer's fault."""
    if out.a4_receipt != FAILED:
        return None
    info = error_info(out.a4_receipt_error or DeviceErrorCode.A4_FAULT)
    return notice_for_kiosk(KioskErrorCode.A4_RECEIPT_NOT_PRINTED, info.zh, info.en[:1].lower() + info.en[1:])


def a4_busy(session: Session) -> bool:
    """A page of this citizen's is on its way to the A4 printer: the result document or the A4 receipt (each
    ends, printed or failed, within the printer's job timeout)."""
    return session.result_print.running or session.outcome.a4_receipt == PRINTING


def can_print(ctx: Context) -> bool:
    """An application's receipt screen on a kiosk with an A4 printer, nothing on its way to it now."""
    s = ctx.session
    return ctx.devices.get(A4) is not None and s.outcome.a4_receipt != PRINTING \
        and ctx.outbox.get(s.application_id) is not None and (s.item is None or s.item.kind != "bill_payment")


def start(ctx: Context, session: Session, on_done: Any = None) -> bool:
    """Build and print it (executor, then the printer's thread); ``on_done(ctx, session)`` when it ends."""
    if not can_print(ctx):
        return False
    session.outcome.a4_receipt, session.outcome.a4_receipt_error = PRINTING, 0
    ctx.audit("a4_receipt_asked")
    ctx.emit(JourneyEventKind.UPDATE)
    ctx.run(_print, ctx, session, ctx.devices.get(A4), on_done)
    return True


def _print(ctx: Context, session: Session, a4: Any, on_done: Any) -> None:
    try:
        record = ctx.outbox.get(session.application_id)
        manifest = ctx.outbox.package(record.id).manifest  # type: ignore[union-attr]
        s = ctx.settings
        data = receipt_data(record, manifest, session.item, kiosk_id=s.kiosk_id,  # type: ignore[arg-type]
                            kiosk_location=s.kiosk_location, tracking_url=s.platform.tracking_url,
                            result_print=session.result_print.state.value)
        from ...documents.acceptance import acceptance_pdf  # noqa: PLC0415 - reportlab: not at start-up

        fut = a4_leave.send(session, a4, acceptance_pdf(data), f"acceptance-{record.id}", a4_leave.RECEIPT)
        if fut is None:  # 返回首页 on the goodbye while it was built: nothing is sent (a4_leave)
            raise DeviceError(DeviceErrorCode.A4_JOB_WITHDRAWN, "the citizen left before it was sent")
    except DeviceError as exc:
        fut = Future()
        fut.set_exception(exc)
    except Exception:
        log.exception("building the A4 receipt failed")
        fut = Future()
        fut.set_exception(DeviceError(DeviceErrorCode.A4_FAULT, "the A4 receipt could not be built"))
    fut.add_done_callback(lambda f: _printed(ctx, session, f, on_done))


def _printed(ctx: Context, session: Session, fut: Future, on_done: Any) -> None:
    out = session.outcome
    try:
        job = fut.result()
    except Exception as exc:
        out.a4_receipt = FAILED
        out.a4_receipt_error = int(exc.code) if isinstance(exc, DeviceError) else int(DeviceErrorCode.A4_FAULT)
        ctx.audit("a4_receipt_failed", code=out.a4_receipt_error)
    else:
        out.a4_receipt = PRINTED
        ctx.audit("a4_receipt_printed", pages=job.pages)
    if session is ctx.session:
        ctx.emit(JourneyEventKind.UPDATE)
    if on_done is not None:
        on_done(ctx, session)
