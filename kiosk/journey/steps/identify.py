"""读取身份证: the reader is armed while this screen shows; a card read opens a citizen session at the
platform and, inside it, asks data sharing (减材料), whose answer prefills the form and decides which
materials are still to lay under the camera. No session (offline, refused): the card's data alone.

The screen answers a card when the reader finds it (CARD_PLACED), not when it has read it: a real reader
takes most of a second over the text and the photo, and the platform is asked after that. The busy state
(the screen's 正在读取 and its spinner) shows from the placement until the form, and goes when the read
fails, the card is lifted, or nothing came after ``idle.card_read_wait_s`` (issue 22: every action
answered within 100 ms)."""
from __future__ import annotations

import logging
from typing import Any

from devices.base import DeviceEvent, DeviceState, EventKind
from devices.errors import DeviceErrorCode

from ...errors import KioskErrorCode, notice_for_device, notice_for_kiosk
from ...identity import masked
from ...platform.services import SharedData, plan_materials
from .. import forms
from ..plan import Step
from ..ports import Context
from ..session import Session
from ..table import Trigger
from .base import StepHandler
from .citizen_link import ENDED, close_after_requests, file_citizen, in_citizen_session

log = logging.getLogger(__name__)
READER = "idcard"


class IdentifyStep(StepHandler):
    step = Step.IDENTIFY
    watches = (READER,)

    def __init__(self) -> None:
        self._reading_since: float | None = None  # a card placed, its read not yet answered (clock seconds)

    def enter(self, ctx: Context) -> None:
        self._reading_since = None
        if ctx.session.card is not None:
            self._forget_card(ctx)  # 返回 from the form: the card is read again (it may be another one)
        reader = ctx.devices.get(READER)
        if reader is None:
            ctx.set_notice(notice_for_device(None, DeviceErrorCode.TRANSPORT_OPEN_FAILED, device=READER),
                           f"device:{READER}")
            return
        if hasattr(reader, "arm"):
            reader.arm()
        if reader.state not in (DeviceState.IDLE, DeviceState.BUSY):
            # Owned by the device: cleared when its health is good again (the machine watches it).
            ctx.set_notice(notice_for_device(reader.last_error, DeviceErrorCode.TRANSPORT_OPEN_FAILED,
                                             device=READER), f"device:{READER}")

    def leave(self, ctx: Context) -> None:
        self._reading_since = None
        if ctx.session.card is not None and ctx.session.material_plan is None:
            # 返回 while the card's data is still asked for: the citizen has let this read go (its late answer
            # is dropped, its citizen session closed); the screen is free again
            self._forget_card(ctx)
            ctx.set_busy(False)
        reader = ctx.devices.get(READER)
        if reader is not None and hasattr(reader, "disarm"):
            reader.disarm()

    def on_device_event(self, ctx: Context, event: DeviceEvent) -> None:
        if event.kind == EventKind.CARD_READ:
            self.card_read(ctx, event.data)
        elif event.kind == EventKind.CARD_ERROR:
            self._read_over(ctx)
            ctx.set_notice(notice_for_device(event.data, device=READER), self.owner)
        elif event.kind == EventKind.CARD_PLACED:
            ctx.touch()
            self._reading(ctx)
        elif event.kind == EventKind.CARD_REMOVED:
            self._read_over(ctx)  # lifted before it was read: nothing is being read any more

    def tick(self, ctx: Context, now: float) -> bool:
        """A read that never answered (the reader failed mid-read, its notice shows) frees the screen."""
        since = self._reading_since
        if since is not None and now - since >= ctx.settings.idle.card_read_wait_s:
            self._read_over(ctx)
        return False

    def _reading(self, ctx: Context) -> None:
        """A card found on the reader while this screen waits for one: the screen shows it is being read."""
        session = ctx.session
        if ctx.step != self.step or session.item is None or session.card is not None or session.card_stale:
            return
        self._reading_since = ctx.clock()
        ctx.set_busy(True)

    def _read_over(self, ctx: Context) -> None:
        """The placed card's read ended without a citizen's data to fetch: the screen is free again."""
        if self._reading_since is None:
            return
        self._reading_since = None
        if ctx.session.card is None:  # a card read and being shared keeps the busy state until the form
            ctx.set_busy(False)

    def card_read(self, ctx: Context, card: Any) -> None:
        ctx.touch()
        self._reading_since = None  # answered: refused below frees the screen, accepted stays busy to the form
        if card.expired():
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.CARD_EXPIRED), self.owner)
            ctx.audit("card_refused", card=masked(card), why="expired")
            if ctx.session.card is None:  # (not while another card's data is being fetched)
                ctx.set_busy(False)
            return
        session = ctx.session
        if session.item is None or session.card is not None or ctx.step != self.step:
            return  # a second read of the same card while sharing is asked: nothing new
        item = session.item
        if card.card_type.value not in item.accepted_cards:
            advice = item.refused_cards_advice
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.CARD_TYPE_NOT_ACCEPTED,
                                            advice.zh if advice else "请到窗口咨询办理",
                                            advice.en if advice else "please ask at a service counter"), self.owner)
            ctx.audit("card_refused", card=masked(card), why="card_type", card_type=card.card_type.value)
            ctx.set_busy(False)
            return
        if session.card_stale:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.CARD_LEFT_BEHIND), self.owner)
            ctx.audit("card_refused", card=masked(card), why="left_behind")
            ctx.set_busy(False)
            return
        session.card = card
        ctx.audit("card_read", card=masked(card))
        ctx.clear_notice(self.owner)
        ctx.set_busy(True)
        ctx.run(self._share, ctx, session, card)

    def _share(self, ctx: Context, session: Session, card: Any) -> None:
        """Executor: what the government holds for the citizen; never strands them on this screen. An answer
        for a card that is no longer the session's (返回 on this screen, another card read since, the citizen
        gone) is dropped: nothing of it is filed, prefilled, planned or said."""
        item = session.item
        try:
            if ctx.services is None:
                shared = SharedData.offline("no platform link")
            else:
                citizen = ctx.services.citizens.open(card.id_number)
                if citizen and not file_citizen(ctx, session, citizen, card):
                    self._dropped(ctx, "open")  # closed at once: the card was let go while it was opened
                    return
                # sent only while this card's citizen session is still the session's (let go: nothing asked)
                shared = in_citizen_session(ctx, session, lambda sid: ctx.services.sharing.fetch(
                    card.id_number, item, session_id=sid) if sid == citizen else ENDED) \
                    if citizen else SharedData.offline("no citizen session")
        except Exception:
            log.exception("data sharing failed")
            shared = SharedData.offline("error")
        if shared is ENDED or session is not ctx.session or session.card is not card or item is None:
            self._dropped(ctx, "sharing")  # the session ended or the card was let go while we asked
            return
        session.shared = dict(shared.values)
        session.material_plan = plan_materials(item, shared)
        session.form = forms.prefill(item, card, session.shared)
        ctx.audit("shared_data", online=shared.online, values=len(shared.values),
                  held=[m.id for m, _ in session.material_plan.held])
        ctx.replan()
        # Freed as the form comes, in one change (Context.advance): no frame of the reading screen without its
        # 正在读取 panel before the form, and no form built veiled.
        if ctx.step == self.step:
            ctx.advance(Trigger.NEXT)
        else:
            ctx.set_busy(False)
        if not shared.online:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.SHARING_UNAVAILABLE, level="info"), "sharing")

    @staticmethod
    def _dropped(ctx: Context, what: str) -> None:
        """A card's data-sharing answer (or its citizen session's open) came after the card was let go: the
        screen, the busy state and the next card's read are left as they are; the technician's log says so."""
        log.info("identify: the %s answer came after its card was let go: dropped", what)
        ctx.audit("shared_dropped", what=what)

    @staticmethod
    def _forget_card(ctx: Context) -> None:
        """A card read is let go (back on this screen, or 返回 while its data is asked): it and what it brought
        go; an answer still on its way for it is dropped (``_share``); the next read starts afresh."""
        session = ctx.session
        citizen = session.let_go_card()
        if citizen and ctx.services is not None:  # after a data-sharing request still on the wire in it
            ctx.run(close_after_requests, session, ctx.services.citizens.close, citizen)
        session.shared.clear()
        session.material_plan = None
        session.form.clear()
        ctx.audit("card_forgotten")
