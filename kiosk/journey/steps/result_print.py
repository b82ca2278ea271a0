"""结果文书打印 (issue 18): an approved application's signed result document, fetched from the platform
inside the applicant's citizen session and printed on the A4 printer (the runtime's ``a4`` device).

Not a step of its own: the result step starts it for a 秒批 approval (the certificate comes out while the
citizen reads the outcome and the receipt prints; the receipt screen moves on only once it is out) and 我的办件 for an application whose result is issued. Like the receipt, the
device call runs off the caller's thread (the journey's executor, then the printer's own thread), and every
outcome leaves an audit record. A print fault never touches the application: the platform holds the result,
so the screen says where to get it instead (我的办件 at any kiosk, the receipt's tracking QR). While the
platform answers "not issued yet" (4172) the fetch is asked again for ``platform.result_wait_s``; past it
the screen says issuing is slow and points to 我的办件. The PDF is never written to disk here and is dropped
once the printer has it; a session that ended meanwhile prints nothing (the next citizen's tray stays empty).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import replace
from concurrent.futures import Future
from typing import Any

from devices.base import DeviceState
from devices.errors import DeviceError, DeviceErrorCode, error_info

from ...errors import KioskErrorCode, Notice, notice_for_kiosk
from ...platform.services import LinkError
from ..events import JourneyEventKind
from ..ports import Context
from ..session import ResultPrint, ResultPrintState, Session
from . import a4_leave
from .citizen_link import ENDED, in_citizen_session

log = logging.getLogger(__name__)
A4 = "a4"  # the runtime's device name for the A4 printer


def job_title(reference: str) -> str:
    """The A4 job's title: the kind of document and the platform's number (never the holder's name)."""
    return f"result-{reference}"


def result_notice(rp: ResultPrint) -> Notice | None:
    """The sentence for a result document that did not come out (2170-2174), naming the printer's fault
    (with its device code) when there was one; None while it is on its way or printed."""
    if rp.state not in (ResultPrintState.NOT_ISSUED, ResultPrintState.FAILED) or not rp.code:
        return None
    code = KioskErrorCode(rp.code)
    if code == KioskErrorCode.RESULT_NOT_PRINTED:
        info = error_info(rp.device_code or DeviceErrorCode.A4_FAULT)  # the code itself: audit trail and log
        return notice_for_kiosk(code, info.zh, info.en[:1].lower() + info.en[1:], level="error")
    return notice_for_kiosk(code, level="warning")


FAULTED = frozenset({DeviceState.OFFLINE, DeviceState.ERROR})  # still opening counts as there: it prints when up


def a4_ready(devices: Any) -> bool:
    """This kiosk has an A4 printer configured and it is not faulted or unreachable now: a result printed here
    (本机打印) may be promised."""
    a4 = devices.get(A4)
    return a4 is not None and a4.state not in FAULTED


def approved_now(ctx: Context) -> bool:
    """The submission's answer is a 秒批 approval with a platform number, and this kiosk has an A4 printer."""
    session = ctx.session
    out = session.outcome
    return out.status == "approved" and bool(out.reference) and ctx.devices.get(A4) is not None \
        and session.result_print.state == ResultPrintState.NONE


class ResultPrinter:
    """Fetch + print of one result document at a time per session; ``on_done(ctx, session)`` runs when it
    ends either way (printed, not issued, refused, printer fault)."""

    def __init__(self) -> None:
        self._wake = threading.Event()  # set only to cut a wait short (tests); the waits are bounded anyway

    @staticmethod
    def printer(ctx: Context) -> Any:
        return ctx.devices.get(A4)

    def start(self, ctx: Context, session: Session, reference: str, on_done: Any = None) -> bool:
        """Begin fetching and printing ``reference``'s result; False when it cannot start (the state says why)."""
        if session.result_print.running or not reference:
            return False
        a4 = self.printer(ctx)
        results = getattr(ctx.services, "results", None) if ctx.services is not None else None
        if a4 is None:
            self._end(ctx, session, ResultPrint(ResultPrintState.FAILED, reference,
                                                code=KioskErrorCode.RESULT_NO_PRINTER), on_done)
            return False
        if results is None or not session.citizen_session:
            self._end(ctx, session, ResultPrint(ResultPrintState.FAILED, reference,
                                                code=KioskErrorCode.RESULT_NEEDS_NETWORK), on_done)
            return False
        session.result_print = ResultPrint(ResultPrintState.FETCHING, reference)
        ctx.audit("result_fetch", reference=reference)
        ctx.emit(JourneyEventKind.UPDATE)
        ctx.run(self._fetch, ctx, session, results, a4, reference, on_done)
        return True

    # ----- the journey's executor --------------------------------------------------------------------
    def _fetch(self, ctx: Context, session: Session, results: Any, a4: Any, reference: str, on_done: Any) -> None:
        ps = ctx.settings.platform
        started = ctx.clock()
        deadline = started + ps.result_wait_s
        while True:
            # Each request goes out only while the session is the journey's and is answered inside it
            # (citizen_link): the session's end closes the citizen session after the answer, never under it.
            try:
                pdf = in_citizen_session(ctx, session, lambda citizen: results.pdf(reference, citizen))
                if pdf is ENDED:  # the citizen left before the fetch ran, or while it waited
                    self._dropped(ctx, reference)
                    return
                break
            except LinkError as exc:
                failed: LinkError | None = exc
            except Exception:
                log.exception("fetching the result %s failed", reference)
                failed = None
            if failed is None:
                self._end(ctx, session, ResultPrint(ResultPrintState.FAILED, reference,
                                                    code=KioskErrorCode.RESULT_REFUSED), on_done)
                return
            if failed.code == KioskErrorCode.RESULT_NOT_ISSUED:
                if session is not ctx.session:  # gone while it was being issued: nobody to tell, no more asking
                    self._dropped(ctx, reference)
                    return
                left = deadline - ctx.clock()
                if left > 0:
                    self._wake.wait(min(ps.result_poll_s, left))  # the platform is still issuing it
                    continue
            log.warning("result %s not fetched: %s", reference, failed)
            state = ResultPrintState.NOT_ISSUED if failed.code == KioskErrorCode.RESULT_NOT_ISSUED \
                else ResultPrintState.FAILED
            self._end(ctx, session, ResultPrint(state, reference, code=int(failed.code),
                                                fetch_s=ctx.clock() - started), on_done)
            return
        if session is not ctx.session:  # the citizen has gone: nothing comes out for the next one
            self._dropped(ctx, reference)
            return
        rp = session.result_print
        rp.fetch_s = ctx.clock() - started
        rp.state = ResultPrintState.PRINTING
        ctx.audit("result_fetched", reference=reference, bytes=len(pdf), seconds=round(rp.fetch_s, 3))
        ctx.emit(JourneyEventKind.UPDATE)
        ctx.emit(JourneyEventKind.RESULT_PRINT, replace(rp))  # spoken (kiosk.speech): printing, please wait
        try:
            fut = a4_leave.send(session, a4, pdf, job_title(reference), a4_leave.RESULT)
        except DeviceError as exc:
            fut = Future()
            fut.set_exception(exc)
        del pdf
        if fut is None:  # 返回首页 on the goodbye while it was fetched: nothing is sent (a4_leave)
            self._end(ctx, session, ResultPrint(ResultPrintState.FAILED, reference,
                                                code=KioskErrorCode.RESULT_NOT_PRINTED,
                                                device_code=int(DeviceErrorCode.A4_JOB_WITHDRAWN),
                                                fetch_s=rp.fetch_s), on_done)
            return
        fut.add_done_callback(lambda f: self._printed(ctx, session, reference, started, f, on_done))

    # ----- the printer's thread ----------------------------------------------------------------------
    def _printed(self, ctx: Context, session: Session, reference: str, started: float, fut: Future,
                 on_done: Any) -> None:
        rp = session.result_print
        try:
            job = fut.result()
        except DeviceError as exc:
            self._end(ctx, session, ResultPrint(ResultPrintState.FAILED, reference,
                                                code=KioskErrorCode.RESULT_NOT_PRINTED, device_code=int(exc.code),
                                                fetch_s=rp.fetch_s), on_done)
            return
        except Exception:
            log.exception("printing the result %s failed", reference)
            self._end(ctx, session, ResultPrint(ResultPrintState.FAILED, reference,
                                                code=KioskErrorCode.RESULT_NOT_PRINTED,
                                                device_code=int(DeviceErrorCode.A4_FAULT), fetch_s=rp.fetch_s),
                      on_done)
            return
        self._end(ctx, session, ResultPrint(ResultPrintState.PRINTED, reference, pages=int(job.pages) * int(job.copies),
                                            fetch_s=rp.fetch_s, print_s=float(job.seconds),
                                            total_s=ctx.clock() - started), on_done)

    @staticmethod
    def _dropped(ctx: Context, reference: str) -> None:
        """The citizen's session ended before the document was in hand: nothing prints, nothing is refused."""
        ctx.audit("result_dropped", reference=reference)

    @staticmethod
    def _end(ctx: Context, session: Session, rp: ResultPrint, on_done: Any) -> None:
        session.result_print = rp
        if rp.state == ResultPrintState.PRINTED:
            ctx.audit("result_printed", reference=rp.reference, pages=rp.pages, fetch_s=round(rp.fetch_s, 3),
                      print_s=round(rp.print_s, 3))
        else:
            ctx.audit("result_not_printed", reference=rp.reference, state=rp.state.value, code=rp.code,
                      device_code=rp.device_code or None)
        if session is ctx.session:
            ctx.emit(JourneyEventKind.UPDATE)
            ctx.emit(JourneyEventKind.RESULT_PRINT, rp)  # spoken: printed (take it), or where to get it instead
        if on_done is not None:
            on_done(ctx, session)
