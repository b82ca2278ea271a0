"""拍摄材料: pages under the document camera (or in the document scanner), one material after another.

The camera's live preview captures a steady good page by itself (``kiosk.capture.auto``); 拍摄 takes one
at once. Stills are processed on the executor; a page is filed under the material that was current when it
was taken, and only if the session that took it is still the current one.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from typing import Any

from devices.base import Capability
from devices.errors import DeviceError, DeviceErrorCode

from ...capture.auto import AutoCaptureSettings, AutoState, AutoStatus
from ...capture.bed import BedStore
from ...capture.bed_watch import BedWatch
from ...capture.leftover_doubt import record_doubt
from ...capture.live import LiveFrame, LivePreview
from ...capture.pages import CaptureProblem, process_still
from ...errors import KioskErrorCode, notice_for_device, notice_for_kiosk
from ...platform.catalog_schema import Material
from ..auto import AutoKind
from ..events import JourneyEventKind
from ..plan import Step, scannable
from ..ports import Context, Devices
from ..session import Session
from ..table import Trigger
from .base import StepHandler
from .scanner_bed import ScannerBed

log = logging.getLogger(__name__)
LEFTOVER = "materials:leftover"  # the owner of the "take the page left there away" notice

CAPTURE_NOTICES = {
    "no_page": KioskErrorCode.CAPTURE_NO_PAGE, "blur": KioskErrorCode.CAPTURE_BLUR,
    "cut_off": KioskErrorCode.CAPTURE_CUT_OFF, "too_small": KioskErrorCode.CAPTURE_TOO_SMALL,
    "glare": KioskErrorCode.CAPTURE_GLARE,
}


def document_device(devices: Devices) -> Any:
    """What takes the materials' pages: the document scanner where one is configured, else the camera."""
    return devices.get("scanner") or devices.get("camera")


def is_scanner(device: Any) -> bool:
    """A scanner has no preview to follow: its still is the page itself (拍摄 reads 扫描)."""
    return device is not None and not device.supports(Capability.LIVE_PREVIEW)


def capture_list(session: Session) -> list[Material]:
    """The materials the citizen lays down: after data sharing, those it did not supply."""
    item = session.item
    if item is None:
        return []
    plan = session.material_plan
    return list(plan.to_capture) if plan is not None else scannable(item)


def page_at(session: Session, material_id: str, index: int) -> Any:
    """A captured page of the session (its thumbnail on the screen), None when there is none."""
    pages = session.pages.get(material_id, [])
    return pages[index] if 0 <= index < len(pages) else None


def expected_pages(m: Material) -> int:
    """The pages after which a material counts as complete (本材料已齐): its minimum, at least one."""
    return max(1, m.min_pages)


def current_material(session: Session) -> Material | None:
    ms = capture_list(session)
    return ms[session.material_index] if 0 <= session.material_index < len(ms) else None


class MaterialsStep(StepHandler):
    step = Step.MATERIALS
    watches = ("camera", "scanner")

    def __init__(self) -> None:
        self.live: LivePreview | None = None  # the preview thread, kept across sessions (one camera)
        self._ctx: Context | None = None
        self._live_shown: tuple | None = None
        self._doubts_told = 0   # the preview's leftover doubts already recorded for the technician
        self._capture_lock = threading.Lock()  # a tap and an automatic capture at the same moment
        self.scanner_bed = ScannerBed()  # paper left in the scanner's feeder by the previous citizen

    # ----- enter / leave ------------------------------------------------------------------------
    def enter(self, ctx: Context) -> None:
        """Always the first material: the index is reset before the screen is built from it."""
        ctx.session.material_index = 0
        self._ctx = ctx
        device = document_device(ctx.devices)
        self._live_shown = None
        if device is not None and is_scanner(device):
            if self.live is not None:
                self.live.stop(timeout_s=0)
            ctx.emit(JourneyEventKind.LIVE, AutoStatus(AutoState.OFF))
            self.scanner_bed.check(ctx, device)  # paper lying in the feeder now was left by the previous citizen
            return
        if self.live is None:
            options = ctx.settings.devices.camera.options
            self.live = LivePreview(lambda: ctx.devices.get("camera"), on_frame=self._live_frame,
                                    on_fire=self._auto_fire, settings=AutoCaptureSettings.from_options(options))
            self._doubts_told = 0
        if self.live.bed_watch is None:
            self.live.bed_watch = BedWatch(ctx.settings.data_dir)   # tells the technician when it no longer fits
        if not ctx.session.bed_cleared:
            self.live.expect_empty_bed()  # a page lying there now was left by the previous citizen
        self.live.bed = BedStore(ctx.settings.data_dir).load()   # learned in the console; may change any time
        self.live.start()

    def leave(self, ctx: Context) -> None:
        if self.live is not None:
            self.live.stop(timeout_s=0)  # a late frame checks the step itself
        self._live_shown = None
        ctx.emit(JourneyEventKind.LIVE, None)

    def session_ended(self) -> None:
        self.scanner_bed.session_ended()

    def tick(self, ctx: Context, now: float) -> bool:
        """The scanner's feeder is asked again while the previous citizen's paper lies in it."""
        self.scanner_bed.tick(ctx, document_device(ctx.devices), now)
        return False

    def close(self) -> None:
        """Shutting down: wait for the preview thread to end."""
        if self.live is not None:
            self.live.stop(timeout_s=2.0)

    def live_frame(self) -> LiveFrame | None:
        """The newest analysed preview frame (the screen draws its outline), None when not running."""
        return self.live.latest() if self.live is not None and self.live.running else None

    # ----- actions ------------------------------------------------------------------------------
    def remove_page(self, ctx: Context, index: int, *, retake: bool = False) -> bool:
        """删除 a page of the current material (its bytes wiped); ``retake`` (重拍): the next page captured
        takes its place, so a multi-page material keeps its order."""
        m = current_material(ctx.session)
        pages = ctx.session.pages.get(m.id, []) if m is not None and ctx.step == self.step else []
        if not 0 <= index < len(pages):
            return False
        pages.pop(index).wipe()
        ctx.session.retake_index = index if retake else None
        ctx.audit("page_retake" if retake else "page_removed", material=m.id, page=index + 1)
        return True

    def hold_live(self) -> None:
        """A page is about to be deleted or retaken: the page lying there now is the one refused, so it is not
        captured again by itself (called off the journey's lock: the preview thread takes its own, then that)."""
        if self.live is not None and self.live.running:
            self.live.manual()

    def done(self, ctx: Context) -> bool:
        """下一项: the current material has its pages (or is optional); the next one, or the next step."""
        session = ctx.session
        m = current_material(session)
        if m is None or ctx.step != self.step:
            return False
        if m.required and session.page_count(m.id) < m.min_pages:
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.MATERIAL_MISSING, m.name.zh, m.name.en), self.owner)
            return False
        ctx.clear_notice(self.owner)
        session.retake_index = None
        if session.material_index + 1 < len(capture_list(session)):
            session.material_index += 1
            ctx.emit(JourneyEventKind.UPDATE)
        else:
            ctx.fire(Trigger.NEXT)
        return True

    def capture(self, ctx: Context, *, auto: bool = False) -> bool:
        """Take a still (拍摄, or ``auto`` from the live preview); True when a capture started."""
        session = ctx.session
        material = current_material(session)
        device = document_device(ctx.devices)
        if material is None or ctx.step != self.step:
            return False
        if device is None:
            ctx.set_notice(notice_for_device(None, DeviceErrorCode.CAMERA_NOT_FOUND, device="camera"),
                           "device:camera")
            return False
        if session.page_count(material.id) >= material.max_pages:
            if not auto:
                ctx.set_notice(notice_for_kiosk(KioskErrorCode.MATERIAL_MISSING, material.name.zh,
                                                material.name.en, level="info"), self.owner)
            return False
        if self.live is not None and self.live.running and (self.live.leftover or self.live.doubting):
            doubt = not self.live.leftover   # what lies there unchanged is never taken: an empty bed, or not theirs
            ctx.set_notice(notice_for_kiosk(KioskErrorCode.LEFTOVER_DOUBTED if doubt else
                                            KioskErrorCode.PAGE_LEFT_BEHIND, level="info" if doubt else "warning"),
                           LEFTOVER)
            return False
        if is_scanner(device) and not self.scanner_bed.check(ctx, device, then=lambda: self.capture(ctx, auto=auto)):
            return False  # the feeder held the previous citizen's paper (or is being asked): nothing scanned
        with self._capture_lock:
            if ctx.busy:
                return False
            ctx.set_busy(True)
        # 拍摄 while the preview sees something it cannot outline: keep the whole picture if the still has no
        # confident outline either (never a crop to a bag or the desk).
        whole = not auto and self.live is not None and self.live.unsure
        if not auto and self.live is not None:
            self.live.manual()  # the page lying there now must not be captured a second time by itself
        flat = device.supports(Capability.FLAT_PAGES)  # a scanner's still is the page itself
        if device.supports(Capability.BATCH):  # a feeder: every page lying in it, at one tap
            pending = device.capture_pages(material.max_pages - session.page_count(material.id))
        else:
            pending = device.capture()
        quiet = device.supports(Capability.BLANK_BACKS)  # duplex: blank backs are expected
        pending.add_done_callback(lambda fut: ctx.run(self._process, ctx, fut, material, session, flat, quiet,
                                                      whole))
        return True

    # ----- processing (executor) ----------------------------------------------------------------
    def _process(self, ctx: Context, fut: Future, material: Material, session: Session, flat: bool,
                 quiet: bool, whole: bool = False) -> None:
        ok = False
        try:
            ok = self.file_pages(ctx, fut, material, session, flat=flat, quiet=quiet, whole=whole)
        finally:
            if self.live is not None:
                self.live.captured(ok)

    def file_pages(self, ctx: Context, fut: Future, material: Material, session: Session, *, flat: bool = False,
                   quiet: bool = False, whole: bool = False) -> bool:
        """Process what the camera or scanner returned (one still, or a feeder's pages) and file the pages.
        ``quiet``: blank pages among good ones are duplex backs, left out without a word. ``whole``: a still
        with no confident outline is kept whole (captured by hand while the preview was unsure)."""
        refused: CaptureProblem | None = None
        try:
            result = fut.result()
            pages = []
            for image in result if isinstance(result, list) else [result]:
                try:
                    bed = None if flat or self.live is None else self.live.bed
                    pages.append(process_still(image, material.capture, flat=flat, whole=whole, bed=bed))
                except CaptureProblem as exc:  # a blank sheet in a feeder's stack: the others still count
                    refused = refused or exc
            if not pages:
                raise refused or CaptureProblem(("no_page",))
        except DeviceError as exc:
            ctx.set_notice(notice_for_device(exc, device="camera"), self.owner)
            return False
        except CaptureProblem as exc:
            ctx.set_notice(notice_for_kiosk(refusal_code(exc.problems, flat)), self.owner)
            ctx.audit("capture_refused", material=material.id, problems=list(exc.problems))
            return False
        except Exception:
            log.exception("capture failed")
            ctx.set_notice(notice_for_device(None, DeviceErrorCode.CAMERA_FRAME_FAILED, device="camera"),
                           self.owner)
            return False
        finally:
            ctx.set_busy(False)
        if session is not ctx.session:  # the session ended while we worked: drop the pages
            for page in pages:
                page.wipe()
            return False
        filed = session.pages.setdefault(material.id, [])
        at = session.retake_index
        if at is not None and 0 <= at <= len(filed):  # 重拍: the new page where the old one was
            filed[at:at] = pages
        else:
            filed.extend(pages)
        session.retake_index = None
        ctx.audit("page_captured", material=material.id, pages=session.page_count(material.id), added=len(pages),
                  **({"whole_frame": True} if any(p.whole for p in pages) else {}))
        if refused is not None and not (quiet and set(refused.problems) == {"no_page"}):  # not a duplex back
            # The good pages are kept; say what was wrong with the one left out.
            ctx.audit("capture_refused", material=material.id, problems=list(refused.problems))
            ctx.set_notice(notice_for_kiosk(refusal_code(refused.problems, flat)), self.owner)
        else:
            ctx.clear_notice(self.owner)
        ctx.emit(JourneyEventKind.UPDATE)
        self._arm_next(ctx, material, session)
        return True

    def _arm_next(self, ctx: Context, material: Material, session: Session) -> None:
        """The material has its expected pages: on to the next one after a short countdown that a tap
        cancels (to add a page), so nobody has to tap 下一项 / 完成拍摄 (issue 17)."""
        if current_material(session) is not material or session.page_count(material.id) < expected_pages(material):
            return
        index = session.material_index

        def move_on() -> None:
            # Still complete (a page removed as the countdown was armed leaves it to the citizen).
            if ctx.session is session and session.material_index == index \
                    and session.page_count(material.id) >= expected_pages(material):
                self.done(ctx)
        ctx.auto(self.step, AutoKind.NEXT_MATERIAL, ctx.settings.idle.material_done_s, move_on)

    # ----- live preview (preview thread) --------------------------------------------------------
    def _auto_allowed(self, ctx: Context) -> bool:
        m = current_material(ctx.session)
        return ctx.step == self.step and m is not None and ctx.session.page_count(m.id) < m.max_pages

    def _live_frame(self, frame: LiveFrame) -> None:
        """Tell the screen when what it should say changes (not at every frame)."""
        live, ctx = self.live, self._ctx
        if live is None or ctx is None or ctx.step != self.step:
            return
        allowed = self._auto_allowed(ctx)
        if live.auto.enabled != (allowed and live.auto.settings.enabled):
            live.set_enabled(allowed)
        st = frame.status
        if st.problem in ("leftover", "leftover_doubt"):
            if self._live_shown is None or self._live_shown[1] != st.problem:
                doubt = st.problem == "leftover_doubt"
                ctx.set_notice(notice_for_kiosk(KioskErrorCode.LEFTOVER_DOUBTED if doubt else
                                                KioskErrorCode.PAGE_LEFT_BEHIND, level="info" if doubt else "warning"),
                               LEFTOVER)
            if live.auto.doubted > self._doubts_told:   # once per visit: for the technician (monitor, code 2164)
                self._doubts_told = live.auto.doubted
                record_doubt(ctx.settings.data_dir, live.bed.learned_at if live.bed is not None else None)
                ctx.audit("leftover_doubted")
        elif not ctx.session.bed_cleared:
            ctx.session.bed_cleared = True  # seen empty: from now on a page laid is this citizen's
            ctx.clear_notice(LEFTOVER)
        shown = (st.state, st.problem, round(st.progress * 10))
        if shown != self._live_shown:
            if st.problem == "unsure":  # for the technician: how often pages cannot be outlined
                log.info("live preview: something lies under the camera with no confident page outline; "
                         "the citizen is asked to capture it whole by hand")
            self._live_shown = shown
            ctx.emit(JourneyEventKind.LIVE, st)

    def _auto_fire(self) -> None:
        """The page has been steady and good long enough."""
        live, ctx = self.live, self._ctx
        if live is None or ctx is None:
            return
        if not self._auto_allowed(ctx):
            live.captured(False)  # full: try again after a pause
            return
        # Laying pages is activity: no idle countdown meanwhile. Touched BEFORE the capture starts: the still
        # may be processed on the executor before this thread runs again, and a touch after it would withdraw
        # the countdown to the next material that the filed page has just armed (the page stayed on screen).
        ctx.touch()
        if not self.capture(ctx, auto=True):
            live.captured(False)  # busy: try again after a pause
            return
        ctx.audit("auto_capture")


def refusal_code(problems: tuple[str, ...], flat: bool) -> KioskErrorCode:
    """The notice for a page that could not be used: the first problem the citizen can act on."""
    code = next((CAPTURE_NOTICES[p] for p in problems if p in CAPTURE_NOTICES), KioskErrorCode.CAPTURE_NO_PAGE)
    if flat:  # a scanner: not "lay it under the camera", not "hold still"
        return {KioskErrorCode.CAPTURE_NO_PAGE: KioskErrorCode.CAPTURE_BLANK_SCAN,
                KioskErrorCode.CAPTURE_BLUR: KioskErrorCode.CAPTURE_BLURRED_SCAN}.get(code, code)
    return code
