"""呼叫帮助 in the journey (issue 15): the call, what the screen says of it, and asking after it.

Not a step: help is on every screen. The machine owns one ``HelpHandler``; the call itself is the citizen's
(``session.help``), so a reset takes it off the screen: the next citizen sees nothing of it. The call itself
is not dropped: the platform keeps a call it holds until staff acknowledge it, and a call the platform did not
take yet (unreachable when it was made) stays in the handler's queue, sent again at every poll until the
platform holds it, whatever session is on the screen by then.
"""
from __future__ import annotations

import logging

from ..errors import KioskErrorCode, notice_for_kiosk
from ..help import HelpCall, HelpDesk, new_call
from .ports import Context

log = logging.getLogger(__name__)
OWNER = "help"


class HelpHandler:
    def __init__(self, desk: HelpDesk) -> None:
        self.desk = desk
        self._next_poll = 0.0
        self._polling = False
        self._unheld: list[HelpCall] = []  # calls the platform does not hold yet, of any session (sent again)

    def call(self, ctx: Context) -> None:
        """呼叫帮助 pressed: one call per session until it is acknowledged (pressing again re-shows it)."""
        session = ctx.session
        call = session.help
        if call is None or call.acknowledged:
            item = session.item
            call = session.help = new_call(ctx.step.value, item.code if item is not None else "")
            ctx.audit("help_requested", help_id=call.help_id)
            log.warning("a citizen asked for help at step %s (call %s)", ctx.step.value, call.help_id)
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.HELP_REQUESTED, self.desk.phone, level="info"), OWNER)
            self._unheld.append(call)  # until the platform holds it, even if the session ends first
            ctx.run(self._raise, ctx, call)
        else:
            self._show(ctx, call)

    def _raise(self, ctx: Context, call: HelpCall) -> None:
        """Executor: the local alarm and the platform, both; then the screen says what happened."""
        call.alarmed = self.desk.alarm(call)
        self.desk.send(call)
        ctx.audit("help_sent", help_id=call.help_id, held=call.held, alarmed=call.alarmed)
        self._next_poll = ctx.clock() + self.desk.settings.help.poll_s
        if ctx.session.help is call:
            self._show(ctx, call)

    def _show(self, ctx: Context, call: HelpCall) -> None:
        phone = self.desk.phone
        if call.acknowledged:
            notice = notice_for_kiosk(KioskErrorCode.HELP_ACKNOWLEDGED, level="info")
        elif call.reached:
            notice = notice_for_kiosk(KioskErrorCode.HELP_RECEIVED, phone, level="info")
        else:
            notice = notice_for_kiosk(KioskErrorCode.HELP_NOT_SENT, phone)
        ctx.set_notice(notice, OWNER)

    @property
    def unheld(self) -> list[HelpCall]:
        """Calls the platform does not hold yet (the current session's and earlier ones)."""
        self._unheld = [c for c in self._unheld if not c.held]
        return list(self._unheld)

    def tick(self, ctx: Context, now: float) -> None:
        """Every few seconds while a call is open: sent again until held, then asked whether acknowledged.
        Calls of earlier sessions that the platform did not take are sent again too (off the screen)."""
        call = ctx.session.help
        current = call is not None and not call.acknowledged
        earlier = [c for c in self.unheld if c is not call]
        if not (current or earlier) or self._polling or now < self._next_poll:
            return
        self._polling = True
        self._next_poll = now + self.desk.settings.help.poll_s
        ctx.run(self._poll, ctx, call if current else None, earlier)

    def _poll(self, ctx: Context, call: HelpCall | None, earlier: list[HelpCall] | None = None) -> None:
        try:
            for old in earlier or []:  # a previous citizen's call: filed now, never shown to this citizen
                if self.desk.send(old):
                    ctx.audit("help_sent", help_id=old.help_id, held=True, alarmed=old.alarmed, late=True)
            if call is None:
                return
            was_held = call.held
            self.desk.poll(call)
            if ctx.session.help is call and (call.acknowledged or call.held != was_held):
                if call.acknowledged:
                    ctx.audit("help_acknowledged", help_id=call.help_id)
                self._show(ctx, call)
        finally:
            self._polling = False
