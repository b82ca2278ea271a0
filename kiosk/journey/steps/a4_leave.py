"""返回首页 on the goodbye while a page of the citizen's is on its way to the A4 printer (the result document, the
A4 receipt). A real hall wants two things: no document of this citizen comes out later into the tray for the
next person, and no page is torn out of the printer half printed. So:

- what has not started printing is taken back: never sent (the fetch or the build still running), or cancelled
  while it waits in the print server's queue (``A4Printer.withdraw``). The session ends at once and the home
  screen says it was cancelled, nothing came out, and where to get it (我的办件 prints the result again);
- what is printing is waited for: the goodbye says 正在打印，请取走您的文书 with no countdown and no button, and
  the session ends once the page is out (or failed), within the printer's job timeout (a bound of its own
  here too, should the printer never answer).

Every job is sent (``send``) and taken back under the session's ``filing`` lock, with ``leaving`` and the
session's end: a job is either at the printer when the citizen asks to leave (then withdrawn or waited for)
or never sent. The technician's log and the audit trail name the kinds and counts, never the reference."""
from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import replace
from typing import Any, Callable

from devices.errors import DeviceError, DeviceErrorCode

from ...errors import KioskErrorCode, Notice, notice_for_kiosk
from ...platform.catalog_schema import Text
from ..ports import Context
from ..session import Session

log = logging.getLogger(__name__)
A4 = "a4"
RESULT, RECEIPT = "result", "receipt"
DECIDING, PRINTING = "deciding", "printing"  # Session.leaving
MARGIN_S = 30.0  # past the printer's own job timeout, the goodbye leaves anyway (a printer that never answers)


def send(session: Session, a4: Any, data: bytes, title: str, kind: str) -> Future | None:
    """``a4.print_pdf(data, title)`` unless the citizen has asked to leave (or the session ended): None then,
    and nothing is sent. The job is known to the goodbye until its Future ends."""
    with session.filing:
        if session.leaving or session.ended:
            session.a4_withdrawn.add(kind)
            log.info("a4: the %s was not sent: its citizen has left the goodbye", kind)
            return None
        fut = a4.print_pdf(data, title)
        session.a4_jobs[title] = kind
    fut.add_done_callback(lambda f: _over(session, title, kind, f))  # before the caller's: it reads a4_withdrawn
    return fut


def _over(session: Session, title: str, kind: str, fut: Future) -> None:
    with session.filing:
        session.a4_jobs.pop(title, None)
        exc = fut.exception()
        if isinstance(exc, DeviceError) and exc.code == DeviceErrorCode.A4_JOB_WITHDRAWN:
            session.a4_withdrawn.add(kind)


def withdrawn_notice(session: Session) -> Notice | None:
    """What the home screen says when the citizen's A4 work was taken back (None: nothing was)."""
    if RESULT in session.a4_withdrawn:
        return notice_for_kiosk(KioskErrorCode.RESULT_WITHDRAWN, level="info")
    if RECEIPT in session.a4_withdrawn:
        return notice_for_kiosk(KioskErrorCode.A4_RECEIPT_WITHDRAWN, level="info")
    return None


def ask_to_leave(ctx: Context, session: Session, busy: Callable[[Session], bool],
                 decided: Callable[[Context, Session], None]) -> bool:
    """返回首页 with A4 work on its way (``busy``): mark the session leaving, take back what is not printing.
    False: nothing on its way, leave now. True: the goodbye stays until ``decided`` says (it is called once
    the printer has answered every withdrawal) and the work ends."""
    a4 = ctx.devices.get(A4)
    with session.filing:
        if session.leaving:
            return True  # asked already: the page is being decided or comes out
        if not busy(session):
            return False
        session.leaving = DECIDING
        timeout = float(getattr(getattr(a4, "target", None), "job_timeout_s", 180.0))
        session.leave_by = ctx.clock() + timeout + MARGIN_S
        titles = dict(session.a4_jobs)
        if session.result_print.running and RESULT not in titles.values():
            session.a4_withdrawn.add(RESULT)  # still fetched: it will not be sent (``send``)
        if session.outcome.a4_receipt == "printing" and RECEIPT not in titles.values():
            session.a4_withdrawn.add(RECEIPT)  # still built: it will not be sent
    log.info("goodbye: 返回首页 with A4 work on its way (%s at the printer, %s not sent)",
             ", ".join(sorted(titles.values())) or "none", ", ".join(sorted(session.a4_withdrawn)) or "none")
    ctx.audit("a4_leave_asked", at_printer=sorted(titles.values()), not_sent=sorted(session.a4_withdrawn))
    if not titles or a4 is None or not hasattr(a4, "withdraw"):
        if titles:  # a printer that cannot take a job back: what it holds is waited for
            with session.filing:
                session.leaving = PRINTING
        decided(ctx, session)
        return True
    ctx.set_busy(True)  # a moment (one job poll): the printer says whether the pages have started
    answers = {kind: a4.withdraw(title) for title, kind in titles.items()}
    pending = set(answers)

    def answered(kind: str, fut: Future) -> None:
        taken = not fut.exception() and bool(fut.result())
        log.info("goodbye: the %s %s", kind, "was taken back before printing" if taken
                 else "is printing: the goodbye waits for it")
        ctx.audit("a4_withdrawn" if taken else "a4_waited", kind=kind)
        with session.filing:
            pending.discard(kind)
            last = not pending
            if last and session.leaving == DECIDING and not all(
                    not a.exception() and a.result() for a in answers.values()):
                session.leaving = PRINTING
        if last:
            decided(ctx, session)
    for kind, fut in answers.items():
        fut.add_done_callback(lambda f, k=kind: answered(k, f))
    return True


def take_back_at_end(a4: Any, session: Session, audit: Callable[..., None],
                     tell: Callable[[Notice], None]) -> None:
    """The session ended some other way than 返回首页 on the goodbye (退出办理, a fault, a timeout) with A4 work
    of its citizen at the printer: what has not started is taken back, as the goodbye would (nobody is there to
    take it, the next citizen would be) and ``tell`` gets the home screen's notice of it; a page already printing
comes out (tearing it helps nobody), logged."""
    with session.filing:
        titles = {} if session.leaving else dict(session.a4_jobs)  # the goodbye decided these already
    if not titles or a4 is None or not hasattr(a4, "withdraw"):
        return

    def answered(kind: str, fut: Future) -> None:
        taken = not fut.exception() and bool(fut.result())
        log.info("session end: the %s %s", kind, "was taken back before printing" if taken
                 else "was already printing: it comes out")
        audit("a4_withdrawn" if taken else "a4_left_printing", kind=kind, at="session_end")
        if taken:  # the home screen says so (a citizen who tapped 退出办理 may be waiting at the tray)
            tell(notice_for_kiosk(KioskErrorCode.RESULT_WITHDRAWN if kind == RESULT
                                  else KioskErrorCode.A4_RECEIPT_WITHDRAWN, level="info"))
    for title, kind in titles.items():
        a4.withdraw(title).add_done_callback(lambda f, k=kind: answered(k, f))



def after_reminder(current: Notice | None, current_owner: str, notice: Notice) -> Notice:
    """The taken-back notice as shown: after the session end's "take your card and papers" reminder when that
    still shows (the same citizen is leaving: the card reminder must not give way to news of a page), else as
    it is."""
    if current is None or current_owner != "session_end":
        return notice
    return replace(notice, text=Text(zh=f"{current.text.zh}。{notice.text.zh}",
                                     en=f"{current.text.en}. {notice.text.en}"))
