"""The journey's background work: capturing pages, submitting the package, printing the receipt.

Each task runs on the journey's executor or on a device thread and reports back through the journey's
events; none blocks the caller, none holds the journey's lock while waiting for a device.
"""
from __future__ import annotations

import errno
import logging
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from devices.errors import DeviceError, DeviceErrorCode

from .autocapture import AutoCaptureSettings, AutoState, AutoStatus, LiveFrame, LivePreview
from .errors import KioskErrorCode, notice_for_device, notice_for_kiosk
from .materials import CaptureProblem, process_still
from .outbox import OutboxState, Record
from .package import build_package
from .receipt import PrintJournal, print_once, receipt_bytes
from .steps import Step

if TYPE_CHECKING:
    from .journey import Journey

log = logging.getLogger(__name__)

CAPTURE_NOTICES = {
    "no_page": KioskErrorCode.CAPTURE_NO_PAGE, "blur": KioskErrorCode.CAPTURE_BLUR,
    "cut_off": KioskErrorCode.CAPTURE_CUT_OFF, "too_small": KioskErrorCode.CAPTURE_TOO_SMALL,
    "glare": KioskErrorCode.CAPTURE_GLARE,
}


class JourneyWork:
    def __init__(self, journey: "Journey") -> None:
        self.j = journey
        self._decided = False
        self._journal: PrintJournal | None = None
        self.live: LivePreview | None = None          # the materials screen's preview (auto-capture)
        self._live_shown: tuple | None = None
        self._capture_lock = threading.Lock()         # a tap and an automatic capture at the same moment

    def journal(self) -> PrintJournal:
        """Which receipts printed, kept under the data dir: no second receipt after a retry or restart."""
        if self._journal is None:
            self._journal = PrintJournal(self.j.settings.path("printer") / "journal.jsonl")
        return self._journal

    # ----- capture ------------------------------------------------------------------------------
    def capture(self, *, auto: bool = False) -> bool:
        """Take a still of the page under the camera (拍摄, or ``auto`` from the live preview); True when
        a capture started."""
        j = self.j
        material = j.current_material()
        camera = j.devices.get("camera")
        if material is None:
            return False
        if camera is None:
            j.set_notice(notice_for_device(None, DeviceErrorCode.CAMERA_NOT_FOUND, device="camera"))
            return False
        if j.session.page_count(material.id) >= material.max_pages:
            if not auto:
                j.set_notice(notice_for_kiosk(KioskErrorCode.MATERIAL_MISSING, material.name.zh,
                                              material.name.en, level="info"))
            return False
        with self._capture_lock:
            if j.busy:
                return False
            j.set_busy(True)
        if not auto and self.live is not None:
            self.live.manual()  # the page lying there now must not be captured a second time by itself
        session = j.session
        flat = bool(getattr(camera, "flat_pages", False))   # a scanner's still is the page itself
        if getattr(camera, "batch_pages", False):            # a feeder: every page lying in it, at one tap
            pending = camera.capture_pages(material.max_pages - j.session.page_count(material.id))
        else:
            pending = camera.capture()
        quiet = bool(getattr(camera, "blank_backs_expected", False))
        pending.add_done_callback(lambda fut: j.executor.submit(self._process, fut, material, session, flat, quiet))
        return True

    def _process(self, fut: Future, material: Any, session: Any, flat: bool = False, quiet: bool = False) -> None:
        ok = False
        try:
            ok = self._process_still(fut, material, session, flat, quiet)
        finally:
            if self.live is not None:
                self.live.captured(ok)

    def _process_still(self, fut: Future, material: Any, session: Any, flat: bool = False, quiet: bool = False
                       ) -> bool:
        """Process what the camera or scanner returned (one still, or a feeder's pages). ``quiet``: blank
        pages among good ones are duplex backs, left out without a word."""
        j = self.j
        refused: CaptureProblem | None = None
        try:
            result = fut.result()
            pages = []
            for image in result if isinstance(result, list) else [result]:
                try:
                    pages.append(process_still(image, material.capture, flat=flat))
                except CaptureProblem as exc:   # a blank sheet in a feeder's stack: the others still count
                    refused = refused or exc
            if not pages:
                raise refused or CaptureProblem(("no_page",))
        except DeviceError as exc:
            j.set_notice(notice_for_device(exc, device="camera"))
            return False
        except CaptureProblem as exc:
            j.set_notice(notice_for_kiosk(_refusal_code(exc.problems, flat)))
            j.audit("capture_refused", material=material.id, problems=list(exc.problems))
            return False
        except Exception:
            log.exception("capture failed")
            j.set_notice(notice_for_device(None, DeviceErrorCode.CAMERA_FRAME_FAILED, device="camera"))
            return False
        finally:
            j.set_busy(False)
        if session is not j.session:  # the session ended while we worked: drop the pages
            for page in pages:
                page.wipe()
            return False
        session.pages.setdefault(material.id, []).extend(pages)
        j.audit("page_captured", material=material.id, pages=session.page_count(material.id), added=len(pages))
        if refused is not None and not (quiet and set(refused.problems) == {"no_page"}):  # not a duplex back
            # The good pages are kept; say what was wrong with the one left out.
            j.audit("capture_refused", material=material.id, problems=list(refused.problems))
            j.set_notice(notice_for_kiosk(_refusal_code(refused.problems, flat)))
        else:
            j.set_notice(None)
        j.emit_update()
        return True

    # ----- live preview and automatic capture ---------------------------------------------------
    def start_live(self) -> None:
        """The materials screen shows: follow the camera's preview, capture a steady good page by itself.
        A scanner has no preview to follow: the screen is told auto-capture is off (拍摄 scans)."""
        j = self.j
        camera = j.devices.get("camera")
        if camera is not None and not getattr(camera, "live_preview", True):
            if self.live is not None:
                self.live.stop(timeout_s=0)
            self._live_shown = None
            self._emit_live(AutoStatus(AutoState.OFF))
            return
        if self.live is None:
            options = j.settings.devices.camera.options
            self.live = LivePreview(lambda: j.devices.get("camera"), on_frame=self._live_frame,
                                    on_fire=self._auto_fire, settings=AutoCaptureSettings.from_options(options))
        self._live_shown = None
        self.live.start()

    def stop_live(self) -> None:
        if self.live is not None:
            self.live.stop(timeout_s=0)  # called under the journey's lock: a late frame checks the step itself
        self._live_shown = None
        self._emit_live(None)

    def close(self) -> None:
        """Shutting down: wait for the preview thread to end."""
        if self.live is not None:
            self.live.stop(timeout_s=2.0)

    def live_frame(self) -> LiveFrame | None:
        """The newest analysed preview frame (the screen draws its outline), None when not running."""
        return self.live.latest() if self.live is not None and self.live.running else None

    def _auto_allowed(self) -> bool:
        j = self.j
        m = j.current_material()
        return j.step == Step.MATERIALS and m is not None and j.session.page_count(m.id) < m.max_pages

    def _live_frame(self, frame: LiveFrame) -> None:
        """Preview thread: tell the screen when what it should say changes (not at every frame)."""
        live = self.live
        if live is None or self.j.step != Step.MATERIALS:
            return
        allowed = self._auto_allowed()
        if live.auto.enabled != (allowed and live.auto.settings.enabled):
            live.set_enabled(allowed)
        st = frame.status
        shown = (st.state, st.problem, round(st.progress * 10))
        if shown != self._live_shown:
            self._live_shown = shown
            self._emit_live(st)

    def _emit_live(self, status: Any) -> None:
        from .journey import JourneyEventKind  # noqa: PLC0415 - journey imports this module

        self.j.emit(JourneyEventKind.LIVE, status)

    def _auto_fire(self) -> None:
        """Preview thread: the page has been steady and good long enough."""
        live = self.live
        if live is None:
            return
        if not self._auto_allowed() or not self.capture(auto=True):
            live.captured(False)   # busy or full: try again after a pause
            return
        self.j.touch()             # laying pages is activity: no idle countdown meanwhile
        self.j.audit("auto_capture")

    # ----- submit -------------------------------------------------------------------------------
    def submit(self) -> None:
        self._decided = False
        self.j.set_busy(True)
        self.j.executor.submit(self._store)

    def _store(self) -> None:
        j = self.j
        session = j.session
        try:
            manifest, files = build_package(session, j.settings.kiosk_id)
            record = j.outbox.enqueue(session.application_id, manifest.item_code,
                                      manifest.model_dump(mode="json"), files)
        except OSError as exc:
            code = KioskErrorCode.DISK_FULL if exc.errno == errno.ENOSPC else KioskErrorCode.PACKAGE_FAILED
            log.exception("storing the application failed")
            j.set_busy(False)
            j.set_notice(notice_for_kiosk(code, level="error"))
            return
        except Exception:
            log.exception("building the application failed")
            j.set_busy(False)
            j.set_notice(notice_for_kiosk(KioskErrorCode.PACKAGE_FAILED, level="error"))
            return
        j.arm_submit_deadline()  # before the local number shows: the citizen's wait starts when it is stored
        session.outcome.local_number = record.local_number
        j.audit("stored", local_number=record.local_number)
        j.outbox.kick()
        current = j.outbox.get(record.id)
        if current is not None and current.state in (OutboxState.DELIVERED, OutboxState.REJECTED):
            self.submitted(current)

    def submitted(self, record: Record) -> None:
        j = self.j
        if self._decided or j.step != Step.SUBMIT:
            return
        self._decided = True
        out = j.session.outcome
        out.local_number = record.local_number
        if record.state == OutboxState.DELIVERED:
            out.reference = record.reference
            out.status = record.platform_status
            out.delivered = True
            decision = record.result.get("decision") or {}
            out.decision_reasons = list(decision.get("reasons") or [])
        else:
            out.status = "rejected"
            j.set_notice(notice_for_kiosk(KioskErrorCode.SUBMIT_REJECTED, level="error"))
        j.audit("submitted", status=out.status, reference=out.reference)
        j.set_busy(False)
        j.goto(Step.RESULT)

    def submit_timed_out(self) -> None:
        j = self.j
        if self._decided:
            return
        self._decided = True
        j.session.outcome.status = "queued"
        j.audit("submit_queued", local_number=j.session.outcome.local_number)
        j.set_busy(False)
        j.goto(Step.RESULT)
        j.set_notice(notice_for_kiosk(KioskErrorCode.SUBMIT_QUEUED, level="info"))

    # ----- status query -------------------------------------------------------------------------
    def query_status(self, reference: str) -> None:
        self.j.set_busy(True)
        self.j.executor.submit(self._query_status, reference)

    def _query_status(self, reference: str) -> None:
        from .platform.client import PlatformError  # noqa: PLC0415

        j = self.j
        try:
            resp = j.platform.status(reference)
        except PlatformError as exc:
            code = KioskErrorCode.STATUS_NOT_FOUND if exc.status == 404 else KioskErrorCode.PLATFORM_UNREACHABLE
            j.status_result = {}
            j.set_notice(notice_for_kiosk(code))
            return
        finally:
            j.set_busy(False)
        item = j.catalog.get(resp.item_code)
        j.status_result = {"reference": resp.reference, "status": resp.status, "item": item,
                           "timeline": [e.model_dump(mode="json") for e in resp.timeline],
                           "reasons": [r.model_dump() for r in resp.decision.reasons]}
        j.audit("status_query", reference=reference, status=resp.status)
        j.set_notice(None)
        j.emit_update()

    # ----- receipt ------------------------------------------------------------------------------
    def print_receipt(self) -> None:
        j = self.j
        printer = j.devices.get("printer")
        app_id = j.session.application_id
        record = j.outbox.get(app_id)
        item = j.session.item
        if printer is None or record is None or item is None:
            j.set_notice(notice_for_kiosk(KioskErrorCode.RECEIPT_NOT_PRINTED, level="error"))
            return
        j.set_busy(True)
        j.executor.submit(self._print, printer, record, item)

    def _print(self, printer: Any, record: Record, item: Any) -> None:
        j = self.j
        try:
            manifest = j.outbox.package(record.id).manifest

            def build(reprint: bool) -> bytes:
                return receipt_bytes(record, manifest, item, kiosk_id=j.settings.kiosk_id,
                                     kiosk_location=j.settings.kiosk_location,
                                     tracking_url=j.settings.platform.tracking_url,
                                     profile=str(printer.options.get("profile", "80mm")), reprint=reprint)
            fut = print_once(printer, self.journal(), f"receipt-{record.id}", build)
        except Exception:
            log.exception("building the receipt failed")
            j.set_busy(False)
            j.set_notice(notice_for_kiosk(KioskErrorCode.RECEIPT_NOT_PRINTED, level="error"))
            return
        fut.add_done_callback(self._printed)

    def _printed(self, fut: Future) -> None:
        j = self.j
        j.set_busy(False)
        out = j.session.outcome
        try:
            result = fut.result()
        except DeviceError as exc:
            out.print_error = exc.code
            j.set_notice(notice_for_device(exc, device="printer"))
            j.audit("print_failed", code=exc.code)
            j.emit_update()  # the receipt screen's retry button follows the outcome
            return
        if result.ok:
            out.printed = True
            out.print_error = None
            j.set_notice(None)
            j.audit("printed", duplicate=result.duplicate)
        else:
            out.print_error = result.error_code
            j.set_notice(notice_for_device(DeviceError(result.error_code or DeviceErrorCode.PRINTER_OFFLINE),
                                           device="printer"))
            j.audit("print_failed", code=result.error_code)
        j.emit_update()


def _refusal_code(problems: tuple[str, ...], flat: bool) -> KioskErrorCode:
    """The notice for a page that could not be used: the first problem the citizen can act on."""
    code = next((CAPTURE_NOTICES[p] for p in problems if p in CAPTURE_NOTICES), KioskErrorCode.CAPTURE_NO_PAGE)
    if flat:   # a scanner: not "lay it under the camera", not "hold still"
        return {KioskErrorCode.CAPTURE_NO_PAGE: KioskErrorCode.CAPTURE_BLANK_SCAN,
                KioskErrorCode.CAPTURE_BLUR: KioskErrorCode.CAPTURE_BLURRED_SCAN}.get(code, code)
    return code
