"""我的办件 (issue 18): the citizen lays the ID card (the same reader, armed while this screen shows, never a
typed ID number); the card read opens a citizen session at the platform, and inside it the platform lists
the card holder's applications from every kiosk, newest first. Tapping one shows its timeline (the
platform's events, the courier's steps and the issued result among them). The list is the platform's alone:
while it is unreachable the screen says the list needs the network. 返回 from a detail goes back to the list;
from the list, home (which ends the session: the citizen session is closed, the list wiped).

A detail whose ``result_available`` is true has a print button: the signed result document is fetched
inside the same citizen session and printed on the A4 printer (``result_print``), with the receipt's fault
handling; the application itself is never touched by a print fault."""
from __future__ import annotations

import logging
from typing import Any

from devices.base import DeviceEvent, EventKind

from ...errors import KioskErrorCode, notice_for_kiosk
from ...identity import mask_name, masked
from ...platform.reachability import Reachability
from ...platform.services import LinkError
from ..events import JourneyEventKind
from ..plan import Step
from ..ports import Context
from ..session import MineState, ResultPrint, Session
from ..table import Trigger
from .base import StepHandler
from .citizen_link import ENDED, file_citizen, in_citizen_session
from .result_print import ResultPrinter

log = logging.getLogger(__name__)
READER = "idcard"


def _offline(ctx: Context) -> bool:
    return ctx.services is None or getattr(ctx.services, "mine", None) is None \
        or (ctx.link is not None and ctx.link.state == Reachability.OFFLINE)


class MineStep(StepHandler):
    step = Step.MINE
    watches = (READER,)

    def __init__(self) -> None:
        self.results = ResultPrinter()

    def can_print(self, ctx: Context) -> bool:
        """The detail shows the print button: its result is issued and this kiosk has an A4 printer."""
        return bool(ctx.session.mine.detail.get("result_available")) and self.results.printer(ctx) is not None

    def print_result(self, ctx: Context) -> bool:
        """打印结果文书 on a detail whose result is issued (again after a fault, not while one prints)."""
        ctx.touch()
        session = ctx.session
        mine = session.mine
        if ctx.step != self.step or mine.state != MineState.DETAIL or not mine.detail.get("result_available"):
            return False
        return self.results.start(ctx, session, mine.detail["reference"])

    def enter(self, ctx: Context) -> None:
        self._set(ctx, MineState.OFFLINE if _offline(ctx) else MineState.CARD)
        reader = ctx.devices.get(READER)
        if reader is not None and hasattr(reader, "arm"):
            reader.arm()

    def leave(self, ctx: Context) -> None:
        reader = ctx.devices.get(READER)
        if reader is not None and hasattr(reader, "disarm"):
            reader.disarm()

    def open(self, ctx: Context) -> None:
        """The home tile 我的办件."""
        ctx.fire(Trigger.MINE)

    def refuses_back(self, ctx: Context) -> bool:
        """返回 on a detail is back to the list, not home."""
        mine = ctx.session.mine
        if mine.state == MineState.DETAIL:
            if ctx.session.result_print.running:
                return True  # the document is on its way: the screen stays until it is out (or failed)
            mine.detail = {}
            ctx.session.result_print = ResultPrint()
            self._set(ctx, MineState.LIST)
            return True
        return False

    def link_changed(self, ctx: Context) -> None:
        """Offline before a card was read: the screen says so; back online, it asks for the card again."""
        mine = ctx.session.mine
        if mine.state == MineState.CARD and _offline(ctx):
            self._set(ctx, MineState.OFFLINE)
        elif mine.state == MineState.OFFLINE and not _offline(ctx):
            ctx.clear_notice(self.owner)
            self._set(ctx, MineState.CARD)

    # ----- the card ---------------------------------------------------------------------------------------
    def on_device_event(self, ctx: Context, event: DeviceEvent) -> None:
        if event.kind == EventKind.CARD_READ:
            self.card_read(ctx, event.data)
        elif event.kind == EventKind.CARD_PLACED:
            ctx.touch()

    def card_read(self, ctx: Context, card: Any) -> None:
        ctx.touch()
        session = ctx.session
        if ctx.step != self.step or session.card is not None or session.mine.state != MineState.CARD:
            return  # a second read of the same card while the list is asked for
        if card.expired():
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.CARD_EXPIRED), self.owner)
            ctx.audit("card_refused", card=masked(card), why="expired")
            return
        if session.card_stale:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.CARD_LEFT_BEHIND), self.owner)
            ctx.audit("card_refused", card=masked(card), why="left_behind")
            return
        session.card = card
        session.mine.holder = mask_name(card.name)
        ctx.audit("mine_card", card=masked(card))
        ctx.clear_notice(self.owner)
        self._set(ctx, MineState.LOADING)
        ctx.set_busy(True)
        ctx.run(self._open, ctx, session, card.id_number)

    def _open(self, ctx: Context, session: Session, id_number: str) -> None:
        """Executor: the citizen session, then the first page."""
        try:
            citizen = ctx.services.citizens.open(id_number)
            why = getattr(ctx.services.citizens, "last_failure", "")
            if citizen and not file_citizen(ctx, session, citizen):
                return  # the session ended while it was opened: closed now, not left to expire
            if session is not ctx.session:
                return
            if not citizen:
                code = KioskErrorCode.LOOKUP_THROTTLED if why == "throttled" else \
                    KioskErrorCode.MINE_NEEDS_NETWORK if _offline(ctx) else KioskErrorCode.MINE_CARD_FAILED
                self._fail(ctx, session, LinkError(code, "no citizen session"))
                return
            self._page(ctx, session, 1)
        finally:
            ctx.set_busy(False)

    # ----- the list and a detail --------------------------------------------------------------------------
    def more(self, ctx: Context) -> None:
        """更多: the next page, added under what shows."""
        ctx.touch()
        mine = ctx.session.mine
        if ctx.step == self.step and mine.state == MineState.LIST and mine.more and not ctx.busy:
            ctx.set_busy(True)
            ctx.run(self._more, ctx, ctx.session)

    def _more(self, ctx: Context, session: Session) -> None:
        try:
            self._page(ctx, session, session.mine.page + 1)
        finally:
            ctx.set_busy(False)

    def _page(self, ctx: Context, session: Session, page: int) -> None:
        try:
            got = in_citizen_session(ctx, session, lambda citizen: ctx.services.mine.list(citizen, page))
        except LinkError as exc:
            self._fail(ctx, session, exc)
            return
        if got is ENDED or session is not ctx.session:  # the citizen has gone: nothing of it for the next one
            return
        mine = session.mine
        known = {i["reference"] for i in mine.items}
        mine.items += [i.model_dump(mode="json") for i in got.items if i.reference not in known]
        mine.total, mine.page, mine.more = got.total, got.page, got.more
        ctx.audit("mine_list", page=page, shown=len(mine.items), total=got.total)
        self._set(ctx, MineState.LIST)

    def show(self, ctx: Context, reference: str) -> None:
        """An application of the list tapped: its timeline."""
        ctx.touch()
        mine = ctx.session.mine
        if ctx.step != self.step or mine.state != MineState.LIST or ctx.busy \
                or reference not in {i["reference"] for i in mine.items}:
            return
        ctx.set_busy(True)
        ctx.run(self._show, ctx, ctx.session, reference)

    def _show(self, ctx: Context, session: Session, reference: str) -> None:
        try:
            detail = in_citizen_session(ctx, session, lambda citizen: ctx.services.mine.detail(reference, citizen))
        except LinkError as exc:
            ctx.set_busy(False)
            if session is ctx.session:
                ctx.set_notice(notice_for_kiosk(exc.code), self.owner)
            return
        ctx.set_busy(False)
        if detail is ENDED or session is not ctx.session or session.mine.state != MineState.LIST:
            return
        st = detail
        listed = next(i for i in session.mine.items if i["reference"] == reference)
        session.mine.detail = {"reference": st.reference, "item_code": st.item_code, "status": st.status,
                               "timeline": [e.model_dump(mode="json") for e in st.timeline],
                               "reasons": [r.model_dump() for r in st.decision.reasons],
                               "waybill_no": st.waybill_no or "", "waybill_status": listed.get("waybill_status") or "",
                               "result_available": bool(listed.get("result_available"))}
        ctx.audit("mine_detail", reference=st.reference, status=st.status)
        ctx.clear_notice(self.owner)
        self._set(ctx, MineState.DETAIL)

    # ----- helpers ----------------------------------------------------------------------------------------
    def _fail(self, ctx: Context, session: Session, exc: LinkError) -> None:
        if session is not ctx.session:
            return
        log.warning("我的办件: %s", exc)
        ctx.audit("mine_failed", code=int(exc.code))
        if exc.code == KioskErrorCode.MINE_NEEDS_NETWORK:  # the screen itself says it, with the code
            self._set(ctx, MineState.OFFLINE)
            return
        self._set(ctx, MineState.FAILED)
        ctx.set_notice(notice_for_kiosk(exc.code), self.owner)

    @staticmethod
    def _set(ctx: Context, state: MineState) -> None:
        ctx.session.mine.state = state
        ctx.emit(JourneyEventKind.UPDATE)
