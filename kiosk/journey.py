"""The citizen's session as an explicit state machine; knows nothing of Qt or of any screen.

The UI calls the action methods (``choose_item``, ``set_field``, ``capture_page``, ``confirm`` ...) and
renders what ``JourneyEvent``s announce; device events arrive through ``on_device_event`` on device
threads. Blocking work (building PDFs, waiting for the printer) runs on an executor and reports back with
events, so no action blocks its caller. The journey never blocks on a device while holding its lock.

Idle handling: ``tick()`` is called a few times a second. On a step holding personal data, the countdown
warning starts ``idle.warning_s`` before the timeout; at the timeout the session is wiped and the kiosk
returns to the attract loop. Any touch (``touch()``) restarts the count.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable

from devices.base import DeviceEvent, DeviceState, EventKind
from devices.errors import DeviceError, DeviceErrorCode

from . import forms
from .catalog import Catalog
from .errors import KioskErrorCode, Notice, notice_for_device, notice_for_kiosk
from .identity import masked
from .journey_delivery import DeliveryActions
from .journey_home import HomeActions
from .journey_link import LinkWork
from .journey_work import JourneyWork
from .outbox import Outbox, OutboxState, Record
from .platform.catalog_schema import Material
from .session import Session
from .settings import Settings
from .steps import PERSONAL, Step, plan_steps, scannable

log = logging.getLogger(__name__)



class JourneyEventKind(StrEnum):
    STEP = "step"  # the step changed; data = Step
    UPDATE = "update"  # session data changed (pages, outcome, card ...)
    FIELD = "field"  # one form field or delivery detail changed; data = its name (the screen keeps its layout)
    COUNTDOWN = "countdown"  # data = seconds left, or None when the warning is withdrawn
    NOTICE = "notice"  # data = Notice (a message for the citizen) or None to clear it
    BUSY = "busy"  # data = bool: a background task runs (capture, submit, print)
    LIVE = "live"  # data = kiosk.autocapture.AutoStatus of the materials preview, or None when it stops


@dataclass(frozen=True)
class JourneyEvent:
    kind: JourneyEventKind
    step: Step
    data: Any = None


Listener = Callable[[JourneyEvent], None]


class Journey(HomeActions, DeliveryActions):
    def __init__(self, settings: Settings, catalog: Catalog, devices: Any, outbox: Outbox, *,
                 executor: Executor | None = None, clock: Callable[[], float] = time.monotonic,
                 audit: Callable[[str, dict[str, Any]], None] | None = None, platform: Any = None) -> None:
        self.settings = settings
        self.platform = platform  # the platform client: status queries (None: offline tools and tests)
        self.services: Any = None  # kiosk.services.LinkServices: data sharing, payment, delivery (set by runtime)
        self.status_result: dict[str, Any] = {}
        self.catalog = catalog
        self.devices = devices
        self.outbox = outbox
        self.clock = clock
        self.executor = executor or ThreadPoolExecutor(max_workers=2, thread_name_prefix="journey")
        self._audit = audit or (lambda event, data: None)
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self.step = Step.ATTRACT
        self.session = Session()
        self.plan: list[Step] = []
        self.material_index = 0
        self.elder = settings.ui.elder_mode
        self.notice: Notice | None = None
        self.busy = False
        self._last_touch = clock()
        self._countdown: int | None = None
        self._submit_deadline: float | None = None
        self._end_at: float | None = None
        self.work = JourneyWork(self)
        self.link = LinkWork(self)
        devices.subscribe(self.on_device_event)
        outbox.subscribe(self._on_outbox)

    # ----- observers ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, kind: JourneyEventKind, data: Any = None) -> None:
        event = JourneyEvent(kind, self.step, data)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("journey listener failed on %s", kind)

    def audit(self, event: str, **data: Any) -> None:
        self._audit(event, dict(data, session=self.session.token, step=self.step.value))

    # ----- navigation ---------------------------------------------------------------------------
    def _go(self, step: Step) -> None:
        with self._lock:
            previous = self.step
            if previous == step:
                return
            self._leave(previous)
            self.step = step
            self._last_touch = self.clock()
            self._set_countdown(None)
            self.set_notice(None)
            log.info("journey: %s -> %s", previous.value, step.value)
        self.audit("step", to=step.value)
        self.emit(JourneyEventKind.STEP, step)
        self._enter(step)

    def _leave(self, step: Step) -> None:
        if step == Step.IDENTIFY:
            self._reader_call("disarm")
        elif step == Step.PAYMENT:
            self.link.stop_payment()
        elif step == Step.MATERIALS:
            self.work.stop_live()

    def _enter(self, step: Step) -> None:
        if step == Step.IDENTIFY:
            self._reader_call("arm")
            reader = self.devices.get("idcard")
            if reader is not None and reader.state not in (DeviceState.IDLE, DeviceState.BUSY):
                self.set_notice(notice_for_device(reader.last_error, DeviceErrorCode.TRANSPORT_OPEN_FAILED))
        elif step == Step.MATERIALS:
            self.material_index = 0
            self.work.start_live()
        elif step == Step.DELIVERY:
            self._prefill_delivery()
        elif step == Step.PAYMENT:
            self.link.start_payment()
        elif step == Step.SUBMIT:
            self.work.submit()
        elif step == Step.RECEIPT:
            self.work.print_receipt()
        elif step == Step.END:
            self._end_at = self.clock() + 8.0

    def _reader_call(self, method: str) -> None:
        reader = self.devices.get("idcard")
        if reader is not None and hasattr(reader, method):
            getattr(reader, method)()

    def next_step(self) -> None:
        """Advance along the item's plan."""
        with self._lock:
            if self.step not in self.plan:
                return
            i = self.plan.index(self.step)
            target = self.plan[min(i + 1, len(self.plan) - 1)]
        self._go(target)

    def back(self) -> None:
        """One step back where going back makes sense (not after submitting)."""
        with self._lock:
            self.touch()
            if self.step in (Step.CATALOG, Step.STATUS):
                target = Step.HOME
            elif self.step == Step.GUIDE:
                target = Step.CATALOG
            elif self.step in self.plan and self.step not in (Step.SUBMIT, Step.RESULT, Step.RECEIPT, Step.END):
                i = self.plan.index(self.step)
                target = self.plan[i - 1] if i > 0 else Step.CATALOG
            else:
                return
        self._go(target)

    def goto(self, step: Step) -> None:
        self._go(step)

    def emit_update(self) -> None:
        self.emit(JourneyEventKind.UPDATE)

    def emit_field(self, name: str) -> None:
        """One form field or delivery detail changed (the screen keeps its layout)."""
        self.emit(JourneyEventKind.FIELD, name)

    def arm_submit_deadline(self) -> None:
        self._submit_deadline = self.clock() + self.settings.platform.submit_wait_s

    def set_notice(self, notice: Notice | None) -> None:
        self.notice = notice
        self.emit(JourneyEventKind.NOTICE, notice)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.emit(JourneyEventKind.BUSY, busy)

    # ----- citizen actions ----------------------------------------------------------------------
    def touch(self) -> None:
        """Any touch or key press: restarts the idle count and withdraws a countdown warning."""
        self._last_touch = self.clock()
        if self._countdown is not None:
            self._set_countdown(None)

    def wake(self) -> None:
        """Attract loop tapped: go home."""
        self.touch()
        if self.step == Step.ATTRACT:
            self._go(Step.HOME)

    def open_catalog(self) -> None:
        self.touch()
        if self.step in (Step.HOME, Step.ATTRACT, Step.CATALOG):
            self._go(Step.CATALOG)

    def choose_item(self, code: str) -> None:
        self.touch()
        item = self.catalog.get(code)
        if item is None:
            self.set_notice(notice_for_kiosk(KioskErrorCode.UNKNOWN_ITEM, code))
            return
        with self._lock:
            self.session.wipe()
            self.session = Session(item=item)
            self.session.delivery.method = item.delivery[0].value  # the item's first way is the default
            self.plan = plan_steps(item)
        self.audit("item", code=code)
        self._go(Step.GUIDE)

    def start_item(self) -> None:
        """On the guide: 开始办理."""
        self.touch()
        if self.step == Step.GUIDE:
            self.next_step()

    def cancel(self) -> None:
        """退出办理: wipe and go home (from any step that can be left)."""
        self.touch()
        if self.step in (Step.SUBMIT,):
            return
        self.audit("cancel")
        self.end_session(Step.HOME)

    # identify ---------------------------------------------------------------------------------
    def on_device_event(self, event: DeviceEvent) -> None:
        if event.kind == EventKind.CARD_READ and self.step == Step.IDENTIFY:
            self._card_read(event.data)
        elif event.kind == EventKind.CARD_ERROR and self.step == Step.IDENTIFY:
            self.set_notice(notice_for_device(event.data))
        elif event.kind == EventKind.CARD_PLACED and self.step == Step.IDENTIFY:
            self.touch()
        elif event.kind == EventKind.STATE_CHANGED:
            self._device_state(event)
        elif event.kind == EventKind.BARCODE_READ:
            self.touch()

    def _device_state(self, event: DeviceEvent) -> None:
        health = event.data
        relevant = {Step.IDENTIFY: "idcard", Step.MATERIALS: "camera"}.get(self.step)
        if relevant != event.device:
            return
        if health.ok:
            if self.notice is not None and self.notice.device == event.device:
                self.set_notice(None)
        elif health.error_code:
            self.set_notice(notice_for_device(DeviceError(health.error_code, health.error_detail),
                                              device=event.device))

    def _card_read(self, card: Any) -> None:
        self.touch()
        if card.expired():
            self.set_notice(notice_for_kiosk(KioskErrorCode.CARD_EXPIRED))
            self.audit("card_refused", card=masked(card), why="expired")
            return
        with self._lock:
            if self.session.item is None or self.session.card is not None:
                return
            self.session.card = card
        self.audit("card_read", card=masked(card))
        self.set_busy(True)
        self.executor.submit(self.link.fetch_shared, self.session, card)

    def replan(self) -> None:
        """The item's steps again, now that data sharing says which materials are still to capture."""
        item = self.session.item
        plan = self.session.material_plan
        if item is not None:
            self.plan = plan_steps(item, plan.to_capture if plan is not None else None)
            self.emit(JourneyEventKind.UPDATE)

    # form -------------------------------------------------------------------------------------
    def set_field(self, name: str, value: str) -> None:
        self.touch()
        with self._lock:
            item = self.session.item
            f = item.field(name) if item else None
            if f is None or not f.editable:
                return
            self.session.form[name] = forms.clean(value)[:f.max_length]
        self.emit_field(name)

    def submit_form(self) -> list[forms.FieldError]:
        self.touch()
        item = self.session.item
        if item is None or self.step != Step.FORM:
            return []
        errors = forms.validate(item, self.session.form)
        if errors:
            self.set_notice(Notice(code=int(KioskErrorCode.FORM_INVALID), text=errors[0].message, level="warning",
                                   field=errors[0].field))
            return errors
        self.next_step()
        return []

    # materials --------------------------------------------------------------------------------
    def capture_list(self) -> list[Material]:
        """The materials the citizen lays under the camera: after data sharing, those it did not supply."""
        item = self.session.item
        if item is None:
            return []
        plan = self.session.material_plan
        return list(plan.to_capture) if plan is not None else scannable(item)

    def current_material(self) -> Material | None:
        ms = self.capture_list()
        return ms[self.material_index] if 0 <= self.material_index < len(ms) else None

    def capture_page(self) -> None:
        self.touch()
        if self.step == Step.MATERIALS and not self.busy:
            self.work.capture()

    def remove_page(self, index: int) -> None:
        self.touch()
        m = self.current_material()
        if m is None:
            return
        with self._lock:
            pages = self.session.pages.get(m.id, [])
            if 0 <= index < len(pages):
                pages.pop(index).wipe()
        self.emit(JourneyEventKind.UPDATE)

    def material_done(self) -> None:
        """下一项: the current material has its pages (or is optional); move on."""
        self.touch()
        m = self.current_material()
        if m is None:
            return
        if m.required and self.session.page_count(m.id) < m.min_pages:
            self.set_notice(notice_for_kiosk(KioskErrorCode.MATERIAL_MISSING, m.name.zh, m.name.en))
            return
        self.set_notice(None)
        if self.item_materials_left():
            self.material_index += 1
            self.emit(JourneyEventKind.UPDATE)
        else:
            self.next_step()

    def item_materials_left(self) -> bool:
        return self.material_index + 1 < len(self.capture_list())

    # sign -------------------------------------------------------------------------------------
    def sign(self, strokes: list[list[tuple[float, float]]], width: int, height: int) -> bool:
        self.touch()
        from .signature import SignatureError, render_png  # noqa: PLC0415 - OpenCV only when signing

        try:
            png = render_png(strokes, width, height)
        except SignatureError:
            self.set_notice(notice_for_kiosk(KioskErrorCode.SIGNATURE_EMPTY))
            return False
        with self._lock:
            self.session.signature = bytearray(png)
        self.audit("signed")
        self.next_step()
        return True

    # review, submit, result, receipt ----------------------------------------------------------
    def confirm(self) -> None:
        """On the review: 确认提交."""
        self.touch()
        if self.step == Step.REVIEW:
            self.next_step()

    def _on_outbox(self, record: Record) -> None:
        if record.id == self.session.application_id and self.step == Step.SUBMIT:
            if record.state in (OutboxState.DELIVERED, OutboxState.REJECTED):
                self.work.submitted(record)

    def proceed(self) -> None:
        """On the result screen: on to the receipt."""
        self.touch()
        if self.step == Step.RESULT:
            self.next_step()

    def pay_again(self) -> None:
        """A new QR code after the old one expired or the payment failed."""
        self.touch()
        if self.step == Step.PAYMENT and not self.busy and self.session.payment.status != "paid":
            self.link.start_payment()

    def print_again(self) -> None:
        self.touch()
        if self.step == Step.RECEIPT and not self.busy:
            self.work.print_receipt()

    def finish(self) -> None:
        """完成 / 返回首页 at the end of a journey."""
        self.touch()
        if self.step in (Step.RESULT, Step.RECEIPT):
            self._go(Step.END)
        elif self.step == Step.END:
            self.end_session(Step.HOME)

    # ----- session end and idle -----------------------------------------------------------------
    def end_session(self, target: Step = Step.ATTRACT) -> None:
        """Wipe everything personal, release the devices, go to ``target``."""
        with self._lock:
            self.session.wipe()
            self.session = Session()
            self.plan = []
            self._submit_deadline = None
            self._end_at = None
        self.audit("session_end", to=target.value)
        self._go(target)
        self.emit(JourneyEventKind.UPDATE)

    def set_elder(self, on: bool) -> None:
        self.touch()
        self.elder = on
        self.emit(JourneyEventKind.UPDATE)

    def idle_timeout_s(self) -> float:
        return self.settings.idle.elder_timeout_s if self.elder else self.settings.idle.timeout_s

    def _set_countdown(self, value: int | None) -> None:
        if value != self._countdown:
            self._countdown = value
            self.emit(JourneyEventKind.COUNTDOWN, value)

    @property
    def countdown(self) -> int | None:
        return self._countdown

    def tick(self) -> None:
        now = self.clock()
        step = self.step
        if self._submit_deadline is not None and now >= self._submit_deadline and step == Step.SUBMIT:
            self._submit_deadline = None
            self.work.submit_timed_out()
            return
        if step == Step.END and self._end_at is not None and now >= self._end_at:
            self.end_session(Step.ATTRACT)
            return
        if step == Step.ATTRACT or self.busy or step == Step.SUBMIT:
            return
        idle = now - self._last_touch
        if step not in PERSONAL:
            if idle >= self.settings.idle.attract_after_s:
                self.end_session(Step.ATTRACT)
            return
        timeout = self.idle_timeout_s()
        left = timeout - idle
        if left <= 0:
            self.audit("idle_timeout")
            self.end_session(Step.ATTRACT)
        elif left <= self.settings.idle.warning_s:
            self._set_countdown(int(left + 0.999))
