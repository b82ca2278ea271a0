"""The citizen's session as an explicit state machine; knows nothing of Qt or of any screen.

The machine holds the lock, the listeners, the idle timers and the current step; it moves only through the
transition table (``table.TABLE``) and hands each step a narrow context (``context.MachineContext``, the
``ports.Context`` protocol), never itself.
The steps (``steps/``) own their state and actions. The UI calls the action methods below (``choose_item``,
``set_field``, ``capture_page``, ``confirm`` ...) and renders what ``JourneyEvent``s announce; device
events arrive through ``on_device_event`` on device threads, the outbox's through ``_on_outbox``. Blocking
work runs on the executor and reports back with events: no action blocks its caller.

Idle handling: ``tick()`` runs a few times a second on the machine's own timer thread (``start()``), so a
headless kiosk times out like one with a screen. On a step holding personal data the countdown warning
starts ``idle.warning_s`` before the timeout; at the timeout the session is wiped and the kiosk returns to
the attract loop. Any touch restarts the count (the count and its verdict: ``idle.py``).
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, Callable

from devices.base import DeviceEvent, EventKind
from devices.errors import DeviceError
from devices.observers import Observers

from ..catalog import Catalog
from ..errors import KioskErrorCode, Notice, notice_for_device, notice_for_kiosk
from ..help import HelpDesk
from ..outbox import Record
from ..periodic import Periodic
from ..platform.catalog_schema import Item
from ..settings import Settings
from . import forms
from .auto import AutoMoves
from .context import MachineContext
from .events import JourneyEvent, JourneyEventKind, Listener
from .helpcall import HelpHandler
from .idle import IdleCount, IdleVerdict
from .plan import PERSONAL, READING, Step, plan_steps
from .ports import AuditFn, Clock, Devices, Link, OutboxPort, Services
from .session import Session
from .steps import (AttractStep, CatalogStep, DeliveryStep, EndStep, FaceStep, FormStep, GuideStep, HomeStep, IdentifyStep,
                    MaterialsStep, MineStep, PaymentStep, ReceiptStep, ResultStep, ReviewStep, SignStep, StatusStep,
                    StepHandler, SubmitStep)
from .steps import a4_leave, a4_receipt, rating
from .steps.citizen_link import close_after_requests
from .steps.result_print import a4_ready
from .table import Trigger, ends_session, resolve
from .views import JourneyViews

log = logging.getLogger(__name__)
TICK_S = 0.25


class Journey(JourneyViews):
    def __init__(self, settings: Settings, catalog: Catalog, devices: Devices, outbox: OutboxPort, *,
                 services: Services | None = None, executor: Executor | None = None,
                 clock: Clock = time.monotonic, audit: AuditFn | None = None,
                 help_desk: HelpDesk | None = None, link: Link | None = None,
                 face: Callable[[], Any] | None = None) -> None:  # face: opens kiosk.face.wiring's kit, lazily
        self.settings = settings
        self.lang = settings.ui.lang  # the screen's language (the view-model keeps it): the application's
        self.catalog = catalog
        self.devices = devices
        self.outbox = outbox
        self.services = services  # data sharing, payment, status (None: offline tools and some tests)
        self.link = link  # the platform's reachability: items that need it are not started while it is down
        self.clock = clock
        self.executor = executor or ThreadPoolExecutor(max_workers=2, thread_name_prefix="journey")
        # ``when_shown(step, go)``: call ``go`` once ``step``'s screen is on screen (the touch UI sets it: its
        # first frame). Headless (tests, tools): at once. Steps use it through ``ctx.run_when_shown``.
        self.when_shown: Callable[[Step, Callable[[], None]], None] = lambda step, go: go()
        self._audit = audit or (lambda event, data: None)
        self._lock = threading.RLock()
        self._events: Observers[JourneyEvent] = Observers("journey")
        self.step = Step.ATTRACT
        self.session = Session()
        self.elder = settings.ui.elder_mode
        self.notice: Notice | None = None
        self._notice_owner = ""
        self.busy = False
        self._idle = IdleCount(lambda: self.settings.idle, clock(),
                               lambda v: self._emit(JourneyEventKind.COUNTDOWN, v))  # the idle count (``idle.py``)
        self.auto = AutoMoves(self._lock, lambda: self.clock(), lambda v: self._emit(JourneyEventKind.AUTO, v),
                              self.audit)  # the move this screen makes by itself
        self._ticker = Periodic("journey-tick", TICK_S, self.tick)
        end = EndStep()
        receipt = ReceiptStep(end.a4_done)  # the result step's A4 document gates the receipt screen's goodbye
        self.steps: dict[Step, StepHandler] = {h.step: h for h in (
            AttractStep(), HomeStep(), CatalogStep(), GuideStep(), IdentifyStep(), FaceStep(face), FormStep(),
            MaterialsStep(),
            SignStep(), PaymentStep(), DeliveryStep(), ReviewStep(), SubmitStep(), ResultStep(receipt.result_printed),
            receipt, StatusStep(), MineStep(), end)}
        self._ctx = MachineContext(self)
        self.help = HelpHandler(help_desk or HelpDesk(settings))  # 呼叫帮助: on every screen, not a step
        devices.subscribe(self.on_device_event)
        outbox.subscribe(self._on_outbox)
        if link is not None:
            link.subscribe(self._on_link)

    def _h(self, step: Step) -> Any:
        return self.steps[step]

    # ----- lifetime -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start the idle timer (the UI no longer has to tick the journey)."""
        self._ticker.start()

    def close(self) -> None:
        """Shutting down: the timer stops, the preview thread ends."""
        self._ticker.stop()
        self._h(Step.MATERIALS).close()
        self._h(Step.FACE).close()

    # ----- observers ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self._events.subscribe(listener)

    def _emit(self, kind: JourneyEventKind, data: Any = None) -> None:
        self._events.notify(JourneyEvent(kind, self.step, data))

    def audit(self, event: str, **data: Any) -> None:
        self._audit(event, dict(data, session=self.session.token, step=self.step.value))

    # ----- navigation: only through the table ---------------------------------------------------
    def _fire(self, trigger: Trigger) -> None:
        with self._lock:
            source = self.step
            target = resolve(trigger, source, self.session.plan)
            if target is None:
                return
            wipe = ends_session(trigger, source, target)
        if wipe:
            self.end_session(target)
        else:
            self._go(target)

    def _go(self, target: Step) -> None:
        with self._lock:
            previous = self.step
            if previous == target:
                return
            self._h(previous).leave(self._ctx)
            self.step = target
            self._idle.restart(self.clock())
            self.auto.drop()  # a countdown belongs to the screen that armed it
            self._set_notice(None, "")
            log.info("journey: %s -> %s", previous.value, target.value)
            self._h(target).enter(self._ctx)  # its state is ready before any screen is built from it
        self.audit("step", to=target.value)
        self._emit(JourneyEventKind.STEP, target)

    def _new_session(self, item: Item | None) -> None:
        """The one place where per-citizen state is reset: everything of the last citizen is wiped."""
        with self._lock:
            self._settle_session()
            ending = self.session
            citizen = ending.end()  # an open answering from now on is closed by its opener (Session.file_citizen)
            # A card still lying on the reader when a new citizen's session begins was the last citizen's:
            # refused until lifted and laid again. Choosing another item in the same visit keeps the verdict.
            if item is None:  # the session ends: whatever lies on the reader now is this citizen's
                stale = bool(getattr(self.devices.get("idcard"), "card_present", False))
            else:  # an item chosen: the same visit, the verdict carries over
                stale = self.session.card_stale
            self.session.wipe()
            for handler in self.steps.values():
                handler.session_ended()
            self.session = Session(item=item, card_stale=stale)
            if item is not None:
                # 本机打印 is offered only while this kiosk's A4 printer works, judged now, before the start
                self.session.offered = item.deliveries(self_print=a4_ready(self.devices))
                self.session.delivery.method = self.session.offered[0].value  # the first way offered is the default
                self.session.plan = plan_steps(item, offered=self.session.offered)
            if citizen and self.services is not None:
                # Closed at the platform off the lock (a slow platform must not hold the journey); a close
                # that fails leaves a session that expires there on its own. Sent once the new session is in
                # place and after any request still on the wire in it (``Session.link``): such a request saw its
                # session current and must be answered inside it, not refused as a closed session's.
                self.executor.submit(self._close_citizen, ending, citizen)

    def _tell_taken_back(self, notice: Notice) -> None:
        """The printer took back an ended session's page: said on the home screen while nobody new is in."""
        if self.session.card is None and self.step in (Step.HOME, Step.ATTRACT):
            self._set_notice(notice, "a4_leave")

    def _close_citizen(self, ending: Session, citizen: str) -> None:
        """Executor: close the ended session's citizen session at the platform, after its requests in flight."""
        close_after_requests(ending, self.services.citizens.close, citizen)

    def _settle_session(self) -> None:
        """Before the wipe: each step settles what must outlive the session (an open payment order)."""
        for handler in self.steps.values():
            handler.session_ending(self._ctx)

    def _replan(self) -> None:
        """The item's steps again, now that data sharing says which materials are still to capture."""
        item, mp = self.session.item, self.session.material_plan
        if item is not None:
            self.session.plan = plan_steps(item, mp.to_capture if mp is not None else None, self.session.offered or None)
            self._emit(JourneyEventKind.UPDATE)

    def end_session(self, target: Step = Step.ATTRACT) -> None:
        """Wipe everything personal, release the devices, go to ``target``; the citizen is asked to take
        the card and the papers (the screen's notice; the voice says it too)."""
        with self._lock:
            s = self.session
            leftovers = s.card is not None or s.page_count() > 0 \
                or bool(getattr(self.devices.get("idcard"), "card_present", False))
            self._new_session(None)
            self._set_busy(False)
        self.audit("session_end", to=target.value)
        self._go(target)
        if leftovers:
            self._set_notice(notice_for_kiosk(KioskErrorCode.TAKE_YOUR_THINGS, level="info"), "session_end")
        # the citizen is gone: their A4 pages not yet printing are taken back (said on the home screen)
        a4_leave.take_back_at_end(self.devices.get("a4"), s, self.audit, self._tell_taken_back)
        self._emit(JourneyEventKind.UPDATE)

    # ----- notices: each has an owner ------------------------------------------------------------
    def _set_notice(self, notice: Notice | None, owner: str) -> None:
        if notice is not None and owner == "a4_leave":  # never in place of the card reminder: after it
            notice = a4_leave.after_reminder(self.notice, self._notice_owner, notice)
        self.notice, self._notice_owner = notice, owner if notice is not None else ""
        self._emit(JourneyEventKind.NOTICE, notice)

    def _clear_notice(self, owner: str) -> None:
        if self.notice is not None and self._notice_owner == owner:
            self._set_notice(None, "")

    def _set_busy(self, busy: bool, announce: bool = True) -> None:
        """``announce=False``: the caller emits BUSY itself, after a step change that must read it already."""
        if busy != self.busy:
            self.busy = busy
            # a capture or a read that outlasts the idle timeout must not end the session the moment it is done
            (self._idle.pause if busy else self._idle.resume)(self.clock())
            if announce:
                self._emit(JourneyEventKind.BUSY, busy)

    # ----- citizen actions ----------------------------------------------------------------------
    def touch(self) -> None:
        """Any touch or key press: restarts the idle count, withdraws a countdown and a cancellable auto move."""
        self._idle.restart(self.clock())
        self.auto.touched()

    def wake(self) -> None:
        self.touch()
        self._fire(Trigger.WAKE)

    def open_catalog(self) -> None:
        self.touch()
        self._fire(Trigger.CATALOG)

    def choose_item(self, code: str) -> None:
        self.touch()
        if self.step in PERSONAL:
            return  # an application is under way: 退出办理 first
        self._h(Step.CATALOG).choose(self._ctx, code)

    def start_item(self) -> bool:
        """On the guide: 开始办理; refused (with a notice) for an item that needs the platform while it is
        unreachable."""
        self.touch()
        if self.step == Step.GUIDE:
            return bool(self._h(Step.GUIDE).start(self._ctx))
        return False

    def back(self) -> None:
        self.touch()
        if not self._back_refused():
            self._fire(Trigger.BACK)

    def _back_refused(self) -> bool:
        """The step refuses 返回 (paid: the application goes on to SUBMIT) and has said why."""
        return bool(self._h(self.step).refuses_back(self._ctx))

    def cancel(self) -> None:
        """退出办理: wipe and go home (not while the package is being stored)."""
        self.touch()
        if self.step != Step.SUBMIT:
            self.audit("cancel")
        self._fire(Trigger.CANCEL)

    def finish(self) -> None:
        """完成 / 返回首页 at the end of a journey."""
        self.touch()
        if self.step == Step.END and self._h(Step.END).holds_home(self._ctx):
            self.auto.drop()  # no countdown while the citizen's page is taken back or comes out
            self._emit(JourneyEventKind.AUTO, None)
            self._emit(JourneyEventKind.UPDATE)
            return
        self._fire(Trigger.FINISH)

    def set_field(self, name: str, value: str) -> None:
        self.touch()
        with self._lock:
            changed = self._h(Step.FORM).set_field(self._ctx, name, value)
        if changed:
            self._emit(JourneyEventKind.FIELD, name)

    def submit_form(self) -> list[forms.FieldError]:
        self.touch()
        return self._h(Step.FORM).submit(self._ctx)

    def capture_page(self) -> None:
        self.touch()
        if self.step == Step.MATERIALS and not self.busy:
            self._h(Step.MATERIALS).capture(self._ctx)

    def remove_page(self, index: int, *, retake: bool = False) -> None:
        """删除 (or 重拍: the next capture takes its place) a page of the current material."""
        self.touch()
        self._h(Step.MATERIALS).hold_live()  # before the page goes, off the lock (the preview takes it)
        with self._lock:
            removed = self._h(Step.MATERIALS).remove_page(self._ctx, index, retake=retake)
        if removed:
            self._emit(JourneyEventKind.UPDATE)

    def material_done(self) -> None:
        """下一项."""
        self.touch()
        self._h(Step.MATERIALS).done(self._ctx)

    def sign(self, strokes: list[list[tuple[float, float]]], width: int, height: int) -> bool:
        self.touch()
        return self._h(Step.SIGN).sign(self._ctx, strokes, width, height)

    def face_consent(self, agreed: bool) -> None:  # 人脸识别授权: 同意 starts the check, 不同意 the counter
        self.touch()
        self._h(Step.FACE).consent(self._ctx, agreed)

    def face_action(self, action: str) -> None:  # 再试一次 retry, 去人工窗口 to_counter, 下一步 proceed
        self.touch()
        if action in ("retry", "to_counter", "proceed"):
            getattr(self._h(Step.FACE), action)(self._ctx)

    def pay_again(self) -> None:
        self.touch()
        self._h(Step.PAYMENT).pay_again(self._ctx)

    def simulate_pay(self) -> None:
        """Demo mode's simulator panel: the citizen's phone pays the order on screen."""
        self._h(Step.PAYMENT).simulate_pay(self._ctx)

    def choose_delivery(self, method: str, **details: str) -> None:
        self.touch()
        self._h(Step.DELIVERY).choose(self._ctx, method, details)
        self._emit(JourneyEventKind.FIELD, "delivery")

    def delivery_done(self) -> None:
        self.touch()
        self._h(Step.DELIVERY).done(self._ctx)

    def confirm(self) -> None:
        """On the review: 确认提交 (stores the package and sends it)."""
        self.touch()
        self._h(Step.SUBMIT).confirm(self._ctx)

    def proceed(self) -> None:
        """On the result screen: on to the receipt, which prints."""
        self.touch()
        self._h(Step.RECEIPT).proceed(self._ctx)

    def can_rate(self) -> bool:  # the goodbye offers 好差评 (``steps/rating.py``)
        return rating.can_rate(self._ctx)

    def rate(self, level: str) -> bool:
        """好差评 on the goodbye screen: one optional tap, once per case."""
        self.touch()
        return rating.rate(self._ctx, level)

    def print_again(self) -> None:
        self.touch()
        self._h(Step.RECEIPT).print_again(self._ctx)

    def can_print_receipt_a4(self) -> bool:
        return self.step == Step.RECEIPT and a4_receipt.can_print(self._ctx)

    def print_receipt_a4(self) -> bool:
        """A4 打印回执 on the receipt screen (an A4 printer at this kiosk)."""
        self.touch()
        return self._h(Step.RECEIPT).print_a4(self._ctx)

    def open_status(self) -> None:
        """进度查询: type the acceptance number or scan the receipt's QR code."""
        self.touch()
        self._h(Step.STATUS).open(self._ctx)

    def query_status(self, reference: str) -> None:
        self.touch()
        self._h(Step.STATUS).query(self._ctx, reference)

    def open_mine(self) -> None:
        """我的办件: lay the ID card, then the card holder's applications (``steps/mine.py``)."""
        self.touch()
        self._h(Step.MINE).open(self._ctx)

    def mine_show(self, reference: str) -> None:
        self._h(Step.MINE).show(self._ctx, reference)

    def mine_more(self) -> None:
        self._h(Step.MINE).more(self._ctx)

    def mine_print(self) -> bool:
        """打印 on a 我的办件 detail whose result is issued: the signed PDF on the A4 printer."""
        return self._h(Step.MINE).print_result(self._ctx)

    def mine_can_print(self) -> bool:
        return self._h(Step.MINE).can_print(self._ctx)

    def set_elder(self, on: bool) -> None:
        self.touch()
        self.elder = on
        self._emit(JourneyEventKind.UPDATE)

    def call_help(self) -> None:
        """呼叫帮助: the platform (kept until acknowledged) and the local alarm are told; the screen says what
        reached whom, the location's phone number, and when staff acknowledge (``helpcall``)."""
        self.touch()
        self.help.call(self._ctx)

    def on_payload(self, payload: Any) -> None:
        """A code scanned at the scanner or under the camera (``kiosk.payloads.Payload``; untrusted input)."""
        from ..payloads import PayloadKind  # noqa: PLC0415 - payloads imports the catalogue's GS1 rules

        self.touch()
        self.audit("scanned", **payload.summary())
        step = self.step
        if payload.kind == PayloadKind.RECEIPT and step in (Step.ATTRACT, Step.HOME, Step.STATUS):
            self.open_status()
            self.query_status(payload.token or payload.reference)
        elif payload.kind == PayloadKind.BILL and step in (Step.ATTRACT, Step.HOME, Step.CATALOG, Step.FORM):
            item = self.session.item
            if item is None or item.code != payload.item_code:
                if step == Step.FORM:
                    return  # a bill for another utility while filling a form: not this journey's business
                self.choose_item(payload.item_code)
                self.start_item()
            if self.step == Step.FORM:
                self.set_field("account_no", payload.account_no)
        elif payload.kind == PayloadKind.TEXT and step in (Step.HOME, Step.STATUS):
            self._set_notice(notice_for_kiosk(KioskErrorCode.SCANNED_TEXT, payload.display_text()[:80],
                                              level="info"), "scan")

    # ----- events from below --------------------------------------------------------------------
    def on_device_event(self, event: DeviceEvent) -> None:
        if event.kind in (EventKind.CARD_PLACED, EventKind.CARD_REMOVED) and event.device == "idcard":
            self.session.card_stale = False  # lifted or laid during this session: the card is this citizen's
        if event.kind == EventKind.STATE_CHANGED:
            self._device_state(event)
        elif event.kind == EventKind.BARCODE_READ:
            self.touch()
        else:
            self._h(self.step).on_device_event(self._ctx, event)

    def _device_state(self, event: DeviceEvent) -> None:
        """A device this screen needs changed health: its notice shows, and goes when it is well again."""
        if event.device not in self._h(self.step).watches:
            return
        health, owner = event.data, f"device:{event.device}"
        if health.ok:
            self._clear_notice(owner)
        elif health.error_code:
            self._set_notice(notice_for_device(DeviceError(health.error_code, health.error_detail),
                                               device=event.device), owner)

    def _on_link(self, state: Any) -> None:
        """The platform's reachability changed (any thread): the screens say what can be done now."""
        self._h(self.step).link_changed(self._ctx)
        self._emit(JourneyEventKind.LINK, state)

    def _on_outbox(self, record: Record) -> None:
        if self.step == Step.SUBMIT:
            self._h(Step.SUBMIT).on_record(self._ctx, record)

    # ----- idle (``idle.py``) ------------------------------------------------------------------
    def idle_timeout_s(self) -> float:
        return self._idle.timeout_s(self.elder)

    def tick(self) -> None:
        """The machine's timer thread (or a test with a fake clock): step deadlines, then the idle count."""
        now = self.clock()
        step = self.step
        self.help.tick(self._ctx, now)
        if self.auto.tick(step, now) or self._h(step).tick(self._ctx, now) or step == Step.ATTRACT or self.busy:
            return
        verdict = self._idle.verdict(now, personal=step in PERSONAL, elder=self.elder, reading=step in READING)
        if verdict == IdleVerdict.TIMEOUT:
            self.audit("idle_timeout")
        if verdict != IdleVerdict.WAIT:
            self._fire(Trigger.TIMEOUT)
