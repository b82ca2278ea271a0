"""What a citizen does from the home screen without starting an application: 进度查询 (typed or scanned
receipt), 呼叫帮助, and acting on scanned codes. A mixin of ``Journey``: it uses the journey's state and
navigation, and keeps journey.py to the application steps."""
from __future__ import annotations

import logging
import re
from typing import Any

from . import forms
from .errors import KioskErrorCode, notice_for_kiosk
from .steps import Step

log = logging.getLogger(__name__)

STATUS_REF = re.compile(r"^[A-Z]{2}[0-9]{8,20}$")  # platform references: SZ + date + sequence


class HomeActions:
    def open_status(self) -> None:
        """进度查询: type the acceptance number or scan the receipt's QR code."""
        self.touch()
        if self.step in (Step.HOME, Step.ATTRACT, Step.STATUS):
            self.status_result = {}
            self.goto(Step.STATUS)
            self.emit_update()

    def query_status(self, reference: str) -> None:
        self.touch()
        ref = forms.clean(reference).upper()[:32]
        if not STATUS_REF.match(ref):
            self.set_notice(notice_for_kiosk(KioskErrorCode.STATUS_BAD_NUMBER))
            return
        if self.platform is None:
            self.set_notice(notice_for_kiosk(KioskErrorCode.PLATFORM_UNREACHABLE))
            return
        if self.step != Step.STATUS:
            self.goto(Step.STATUS)
        self.work.query_status(ref)

    def on_payload(self, payload: Any) -> None:
        """A code scanned at the scanner or under the camera (``kiosk.payloads.Payload``; untrusted input)."""
        from .payloads import PayloadKind  # noqa: PLC0415

        self.touch()
        self.audit("scanned", **payload.summary())
        if payload.kind == PayloadKind.RECEIPT and self.step in (Step.ATTRACT, Step.HOME, Step.STATUS):
            self.open_status()
            self.query_status(payload.reference)
        elif payload.kind == PayloadKind.BILL and self.step in (Step.ATTRACT, Step.HOME, Step.CATALOG, Step.FORM):
            item = self.session.item
            if item is None or item.code != payload.item_code:
                if self.step == Step.FORM:
                    return  # a bill for another utility while filling a form: not this journey's business
                self.choose_item(payload.item_code)
                self.start_item()
            if self.step == Step.FORM:
                self.set_field("account_no", payload.account_no)
        elif payload.kind == PayloadKind.TEXT and self.step in (Step.HOME, Step.STATUS):
            self.set_notice(notice_for_kiosk(KioskErrorCode.SCANNED_TEXT, payload.display_text()[:80], level="info"))

    def call_help(self) -> None:
        """呼叫帮助: staff are alerted (audit trail and heartbeat); the citizen is told someone is coming."""
        self.touch()
        self.audit("help_requested")
        log.warning("a citizen asked for help at step %s", self.step.value)
        self.set_notice(notice_for_kiosk(KioskErrorCode.HELP_REQUESTED, level="info"))
