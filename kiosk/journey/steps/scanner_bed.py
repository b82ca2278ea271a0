"""A page left in the document scanner by the previous citizen never reaches the next application (issue 15,
item 7, for the scanner what ``LivePreview.expect_empty_bed`` is for the camera).

A scanner with a paper sensor (``Capability.PAGE_SENSOR``: SANE's page-loaded) is asked, when the materials
step first shows in a session, whether paper lies in it. Paper there then is not this citizen's: the screen
asks for it to be taken away (``SCANNER_PAGE_LEFT_BEHIND``), 扫描 scans nothing, and the sensor is asked
again every ``POLL_S`` until the feeder is seen empty; from then on (``session.bed_cleared``) paper laid in
it is this citizen's. A scanner without a sensor cannot tell: nothing changes for it.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any, Callable

from devices.base import Capability

from ...errors import KioskErrorCode, notice_for_kiosk
from ..events import JourneyEventKind
from ..ports import Context
from ..session import Session

log = logging.getLogger(__name__)
OWNER = "materials:scanner-leftover"
POLL_S = 1.0


def has_sensor(device: Any) -> bool:
    return device is not None and device.supports(Capability.PAGE_SENSOR)


class ScannerBed:
    """The scanner's feeder at the start of a session: empty, or the previous citizen's paper."""

    def __init__(self) -> None:
        self._asking = False
        self._next = 0.0
        self._then: Callable[[], Any] | None = None  # what was asked for while the sensor was being read
        self.leftover = False  # paper lay in the feeder when this session's materials step began

    def session_ended(self) -> None:
        self._asking, self._next, self._then, self.leftover = False, 0.0, None, False

    def check(self, ctx: Context, device: Any, then: Callable[[], Any] | None = None) -> bool:
        """True when the feeder is known to be this citizen's (or cannot be known); else asks the sensor and,
        once it reads empty, runs ``then`` (e.g. the scan that was asked for)."""
        session = ctx.session
        if session.bed_cleared or not has_sensor(device):
            return True
        if then is not None:
            self._then = then
        if not self._asking:
            self._asking = True
            self._next = ctx.clock() + POLL_S
            device.page_loaded().add_done_callback(lambda fut: ctx.run(self._answer, ctx, session, fut))
        return False

    def tick(self, ctx: Context, device: Any, now: float) -> None:
        """Until the feeder has been seen empty in this session (the leftover notice showing, or a scanner that
        was still opening when the step began): ask again every ``POLL_S``."""
        if not ctx.session.bed_cleared and now >= self._next:
            self.check(ctx, device)

    def _answer(self, ctx: Context, session: Session, fut: Future) -> None:
        self._asking = False
        if session is not ctx.session:
            return
        try:
            loaded = bool(fut.result())
        except Exception as exc:  # noqa: BLE001 - the sensor could not be read: ask again at the next tick
            log.warning("scanner: the page-loaded sensor could not be read (%s)", exc)
            return
        if loaded:
            self._then = None  # the scan asked for is not done: the page there is not this citizen's
            if not self.leftover:
                ctx.audit("scanner_page_left_behind")
            self.leftover = True
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.SCANNER_PAGE_LEFT_BEHIND), OWNER)
            return
        session.bed_cleared = True  # seen empty: from now on paper laid in the feeder is this citizen's
        if self.leftover:
            ctx.audit("scanner_page_taken_away")
            ctx.clear_notice(OWNER)
        self.leftover = False
        ctx.emit(JourneyEventKind.UPDATE)
        then, self._then = self._then, None
        if then is not None:
            then()
