"""The Qt Quick application: fonts, Qt Virtual Keyboard (pinyin), the QML engine, full screen.

``KioskApp`` owns the QGuiApplication and the engine for one run; ``ui.cli`` builds the runtime (devices,
outbox, journey, and in demo mode the embedded platform) and hands it in, or (``kiosk run``) hands in how to
build it: then the start-up has two phases (issue 22). Phase 1 shows the attract screen with a stand-in
view-model (ui/models/boot_vm.py) and imports nothing of the core; after its first frame, phase 2 builds the
runtime on a worker thread (numpy, OpenCV, requests, the devices, the camera) and binds the real view-models
on the GUI thread. A tap on the attract screen meanwhile shows the busy state at once and is replayed.

Nothing heavy is imported at module level: this module is on the path to the first frame.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kiosk.ops import sdnotify

from .qml_cache import use_cache_dir

if TYPE_CHECKING:
    from kiosk.runtime import Runtime

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"
CJK_FAMILY = "Noto Sans CJK SC"

# A start-up whose runtime could not be built (kiosk error 2220) shows its notice this long, then the process
# exits and systemd starts it again (ms): with status 1, or the error's own ``exit_status`` (a wrong setting: 2).
BOOT_FAILED_EXIT_MS = 10_000

# How long a thread holding the GIL may keep it while another waits (s; Python's default is 0.005). The GUI
# thread crosses into Python for every property QML reads: while a worker builds an application package
# (reportlab, pure Python) each crossing waited up to the whole interval, and the submit screen's first frame
# came up to 235 ms after the tap (issue 22). At 1 ms the GUI thread gets the GIL back 5x sooner.
GUI_SWITCH_INTERVAL_S = 0.001

# Work a step starts "once its screen is shown" (kiosk.journey: ``when_shown``) starts at the latest this long
# after it was asked for, when no frame comes (a hidden or minimised window) (s).
WHEN_SHOWN_MAX_S = 0.25

# Known harmless start-up noise (qt-kiosk-notes.md), silenced by category. Qt's messages are not routed
# into Python: a Python message handler is called from Qt's QML loader thread and deadlocks against the
# GUI thread holding the GIL during engine.load(). They go to stderr (the journal, under systemd).
QT_LOGGING_RULES = "qt.multimedia.symbolsresolver=false;qt.qml.propertyCache.append=false"


def prepare_environment(data_dir: Path) -> Path:
    """Env vars Qt reads at start-up. The keyboard's pinyin user dictionary lives under XDG_CONFIG_HOME:
    point it into the data dir so ``wipe_keyboard_memory`` can remove what citizens typed."""
    qt_home = data_dir / "qt"
    qt_home.mkdir(parents=True, exist_ok=True)
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ["XDG_CONFIG_HOME"] = str(qt_home / "config")
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    os.environ.setdefault("QT_LOGGING_RULES", QT_LOGGING_RULES)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
    use_cache_dir()  # one QML byte-code cache for every way the kiosk starts, filled by `make setup`
    return qt_home


def wipe_keyboard_memory(qt_home: Path) -> None:
    """Forget words the keyboard learned from citizens (its pinyin user dictionary)."""
    shutil.rmtree(qt_home / "config" / "qtvirtualkeyboard", ignore_errors=True)


class _LazyLevers:
    """The demo panel's levers on the embedded platform, made on first use: the platform may be built after
    the first frame (ui.cli.Composition ``defer_platform``), and the panel needs them only when pressed."""

    def __init__(self, platform: Any) -> None:
        self._platform = platform
        self._levers: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._levers is None:
            from central.demo_levers import DemoLevers  # noqa: PLC0415

            self._levers = DemoLevers(self._platform.app.state.platform)
        return getattr(self._levers, name)


class _Once:
    """A call made at most once, whichever of its callers (a frame, a fallback timer) comes first."""

    def __init__(self, fn: Callable[[], None]) -> None:
        self._fn = fn
        self._lock = threading.Lock()
        self.done = False

    def __call__(self) -> None:
        with self._lock:
            if self.done:
                return
            self.done = True
        self._fn()


class KioskApp:
    def __init__(self, runtime: Runtime | None = None, *, settings: Any = None,
                 build: Callable[[], Any] | None = None, argv: list[str] | None = None, gate: Any = None,
                 platform: Any = None, on_first_frame: Callable[[], None] | None = None,
                 on_ready: Callable[[Any], None] | None = None) -> None:
        """``runtime``: bound before the QML loads (the tests, the autopilot). Without it, the two-phase start-up
        (``kiosk run``): ``settings`` for phase 1 (what the window reads: kiosk.settings_boot.BootSettings, or a
        full Settings; ``self.settings`` is the runtime's full settings once built), and ``build``, called on a
        worker thread after the first frame, returns what owns the runtime (``ui.cli.Composition``: ``.runtime``,
        ``.gate``, ``.platform``; kept as ``built``); ``on_ready(built)`` is called on the GUI thread once the
        kiosk answers taps.
        ``gate``: the demo's switchable fault in front of the embedded platform (ui.cli.Composition.gate);
        ``platform``: that embedded platform (central.server.EmbeddedPlatform), for the demo's scenarios;
        ``on_first_frame``: called on the GUI thread once the window's first frame is on screen (deferred
        start-up work: the embedded platform)."""
        from PySide6.QtCore import QLoggingCategory, QTimer  # noqa: PLC0415
        from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication  # noqa: PLC0415
        from PySide6.QtQml import QQmlApplicationEngine  # noqa: PLC0415
        from PySide6.QtQuick import QQuickWindow  # noqa: F401, PLC0415 - gives rootObjects() its real type

        from kiosk.screen import resolve  # noqa: PLC0415

        from .i18n import Translations  # noqa: PLC0415
        from .models.boot_vm import BootMaintenance, BootPhase, BootViewModel, BuildBridge, FrameRelay  # noqa: PLC0415

        if runtime is None and (settings is None or build is None):
            raise TypeError("KioskApp needs a runtime, or settings and build")
        settings = runtime.settings if runtime is not None else settings
        self.settings = settings
        self.runtime = runtime
        self.built: Any = None  # what ``build`` returned (two-phase start-up)
        self.phase = BootPhase.SHOWING
        self.vm: Any = None
        self.sim: Any = None
        self.maint: Any = None
        self.maintenance: Any = None
        self.face: Any = None
        self.voice: Any = None
        self.boot: BootViewModel | None = None
        self._build = build
        self._on_ready = on_ready
        self._builder: threading.Thread | None = None
        self._shown_lock = threading.Lock()
        self._waiting_shown: list[tuple[str, Any, Any]] = []  # (step, _Once, its fallback timer)
        self._shown_connected = False
        self._frames = FrameRelay(self._frame_shown)  # created here, on the GUI thread
        self.qt_home = prepare_environment(settings.data_dir)
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
        self.app = QGuiApplication.instance() or QGuiApplication(argv or ["kiosk"])
        QLoggingCategory.setFilterRules(QT_LOGGING_RULES.replace(";", "\n"))
        if CJK_FAMILY not in QFontDatabase.families():
            log.error("font %r is missing: Chinese would show as boxes; install fonts-noto-cjk", CJK_FAMILY)
        self.app.setFont(QFont(CJK_FAMILY, 14))
        self.translator = Translations(self.qt_home / "i18n", settings.ui.lang)
        self.screen = resolve(orientation=settings.ui.orientation, diagonal_in=settings.screen.diagonal_in,
                              px_per_mm=settings.screen.px_per_mm, source=settings.screen.source)
        log.info("screen: %s", self.screen.describe())
        self.engine = QQmlApplicationEngine()
        if runtime is not None:
            self._bind(runtime, gate, platform)
        else:
            self.boot = BootViewModel(lang=settings.ui.lang, orientation=settings.ui.orientation,
                                      demo=settings.ui.simulator_panel, elder=settings.ui.elder_mode,
                                      px_per_mm=self.screen.px_per_mm)
            self._boot_maint = BootMaintenance()
            ctx = self.engine.rootContext()
            ctx.setContextProperty("maint", self._boot_maint)
            ctx.setContextProperty("kiosk", self.boot)
            self._bridge = BuildBridge(self._attach, self._failed)
        self.engine.load(QML_DIR / "Main.qml")
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError("the QML UI failed to load (see the log)")
        self.window = roots[0]
        self._fitted = False
        if settings.ui.fullscreen:
            self.window.showFullScreen()
        elif settings.ui.fit_window:
            from .demo import window_place  # noqa: PLC0415

            window_place.place(self.window)  # the screen's available geometry, or where the tester left it
            self._fitted = True
        self.first_frame_shown = False
        self._on_first_frame = on_first_frame
        self._first = FrameRelay(self._first_frame)  # on the GUI thread, whichever thread renders
        self.window.frameSwapped.connect(self._first.swapped)
        # systemd's watchdog is fed from the GUI thread: a hung event loop stops the pings and gets restarted.
        self.watchdog = QTimer()
        interval_s = sdnotify.watchdog_interval_s()
        if interval_s:
            self.watchdog.setInterval(max(100, int(interval_s * 1000)))
            self.watchdog.timeout.connect(sdnotify.watchdog)
            self.watchdog.start()
        if runtime is not None:
            self._ready()

    def _bind(self, runtime: Runtime, gate: Any, platform: Any) -> None:
        """The view-models over the runtime, published to QML (``kiosk`` last: its change rebinds the window)."""
        from kiosk.journey.steps.materials import page_at  # noqa: PLC0415
        from kiosk.maintenance.console import RESTART_EXIT_CODE, Maintenance  # noqa: PLC0415
        from kiosk.printing.receipt import printed_receipt_png  # noqa: PLC0415

        from .demo.sim_panel import SimPanelModel  # noqa: PLC0415
        from .models.kiosk_vm import KioskViewModel  # noqa: PLC0415
        from .models.maintenance_vm import MaintenanceViewModel  # noqa: PLC0415
        from .models.preview import PagesProvider, PreviewProvider  # noqa: PLC0415
        from .models.qr_image import PaymentQrProvider  # noqa: PLC0415
        from .models.receipt_image import ReceiptImageProvider  # noqa: PLC0415
        from .voice import Voice  # noqa: PLC0415

        self.runtime = runtime
        settings = self.settings = runtime.settings  # the full settings (phase 1 may have had the boot ones)
        journey = runtime.journey
        self.vm = KioskViewModel(journey, lang=settings.ui.lang, orientation=settings.ui.orientation,
                                 demo=settings.ui.simulator_panel, translator=self.translator,
                                 px_per_mm=self.screen.px_per_mm)
        urls = {name: getattr(settings.devices, name).url for name in ("idcard", "printer", "camera", "barcode", "a4")}
        face_dev = getattr(settings.devices, settings.face.camera, None)
        if face_dev is not None and face_dev.enabled:
            urls["face"] = face_dev.url  # the face camera the demo panel's 人脸摄像头 group drives
        levers = None
        if platform is not None and settings.ui.simulator_panel:
            levers = _LazyLevers(platform)
        self.sim = SimPanelModel(urls, journey, gate, levers, payment_expires_s=settings.ui.demo_payment_expires_s)
        self.maintenance = Maintenance(runtime)
        self.maintenance.on_restart = lambda: self.quit(RESTART_EXIT_CODE)
        self.maint = MaintenanceViewModel(self.maintenance)
        self.vm.engine = self.engine
        self.engine.addImageProvider("preview", PreviewProvider(runtime.devices, journey.live_frame))
        self.engine.addImageProvider("pages", PagesProvider(lambda m, i: page_at(journey.session, m, i)))
        self.engine.addImageProvider("payqr", PaymentQrProvider(journey))
        # Drawn from the printed ESC/POS (~90 ms of Pillow): the receipt screen loads it asynchronously, on Qt's
        # image thread, so its first frame does not wait for the paper's picture (bench_ui result->receipt).
        self.receipt_images = ReceiptImageProvider(
            lambda: printed_receipt_png(journey.print_journal(), journey.session.application_id))
        self.engine.addImageProvider("receipt", self.receipt_images)
        ctx = self.engine.rootContext()
        ctx.setContextProperty("sim", self.sim)
        ctx.setContextProperty("maint", self.maint)
        self.face = self._face_screen(runtime, journey)  # 人证核验 (issue 19): ``face`` and image://face
        # Speaks the journey's events; QML screens may call voice.speak(text) for other sentences they show.
        self.voice = Voice(settings.ui.voice_engine, enabled=settings.ui.voice)
        self.voice.attach(journey, lambda: self.vm.lang, lambda: self.vm.elder)
        self.vm.langChanged.connect(self.voice.restate)  # the new language is heard at once
        # A form error is heard as well as shown under its field: a citizen who cannot read it still learns it.
        self.vm.formErrorShown.connect(lambda text: self.voice.say(text, self.vm.lang, slow=self.vm.elder))
        ctx.setContextProperty("voice", self.voice)
        ctx.setContextProperty("kiosk", self.vm)

    def _ready(self) -> None:
        """The runtime is bound: touches count as activity, the journey is watched, systemd hears READY."""
        from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: PLC0415

        from .models.boot_vm import BootPhase  # noqa: PLC0415

        assert self.runtime is not None
        journey = self.runtime.journey

        class TouchFilter(QObject):
            """Every press and key on the window counts as activity (the on-screen keyboard included), once the
            press has reached what the finger saw: counted before, it withdrew the idle warning under the finger
            and the press went to what lay beneath (继续浏览 on the catalogue chose the item under the button)."""

            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt API
                if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
                    QTimer.singleShot(0, journey.touch)
                return False

        self._filter = TouchFilter()
        self.window.installEventFilter(self._filter)
        journey.subscribe(self._on_journey)
        journey.when_shown = self._when_shown
        self.phase = BootPhase.READY
        sdnotify.ready(f"serving as {self.settings.kiosk_id}")

    # ----- work that waits for its screen's first frame ----------------------------------------
    def _when_shown(self, step: Any, go: Callable[[], None]) -> None:
        """Call ``go`` after the first frame that shows ``step`` (any thread may ask; see WHEN_SHOWN_MAX_S)."""
        once = _Once(go)
        timer = threading.Timer(WHEN_SHOWN_MAX_S, once)
        timer.daemon = True
        with self._shown_lock:
            self._waiting_shown.append((step.value, once, timer))
            if not self._shown_connected:  # to a GUI-thread object: never a Python call on the render thread
                self.window.frameSwapped.connect(self._frames.swapped)
                self._shown_connected = True
        timer.start()

    def _frame_shown(self) -> None:
        """A frame was swapped: work waiting for a step now on screen goes (connected only while some waits)."""
        shown = self.vm.step if self.vm is not None else ""
        with self._shown_lock:
            due = [w for w in self._waiting_shown if w[0] == shown or w[1].done]
            self._waiting_shown = [w for w in self._waiting_shown if w not in due]
            if not self._waiting_shown and self._shown_connected:
                self.window.frameSwapped.disconnect(self._frames.swapped)
                self._shown_connected = False
        for _, once, timer in due:
            timer.cancel()
            once()

    # ----- the two-phase start-up (no runtime given) -------------------------------------------
    def _build_off_gui(self) -> None:
        """Phase 2's heavy half, on a worker thread; the result crosses to the GUI thread by a queued signal."""
        assert self._build is not None
        try:
            built = self._build()
        except Exception as exc:  # noqa: BLE001 - any failure to build is reported (2220), never swallowed
            # An error that says what is wrong itself (a setting: its file and key) needs no traceback.
            log.error("the kiosk could not be built", exc_info=not hasattr(exc, "exit_status"))
            self._bridge.failed.emit(exc)
            return
        self.built = built
        self._bridge.built.emit(built)

    def _attach(self, built: Any) -> None:
        """Phase 2's GUI half: the real view-models replace the stand-ins; a tap kept meanwhile is replayed."""
        if getattr(self, "_closed", False):
            return  # the kiosk was closed while it was being built; its owner closes ``built``
        self._bind(built.runtime, built.gate, built.platform)
        self._ready()
        log.info("kiosk ready")
        assert self.boot is not None
        pending, self.boot.pending = self.boot.pending, None
        if pending is not None:
            getattr(self.vm, pending)()
        if self._on_ready is not None:
            self._on_ready(built)

    def _failed(self, exc: BaseException) -> None:
        """The runtime could not be built: the notice on screen (2220), then exit 1 or the error's ``exit_status``
        (a wrong setting: 2), and systemd starts the kiosk again."""
        from PySide6.QtCore import QTimer  # noqa: PLC0415

        from kiosk.errors import KioskErrorCode, notice_for_kiosk  # noqa: PLC0415

        from .models.boot_vm import BootPhase  # noqa: PLC0415

        self.phase = BootPhase.FAILED
        notice = notice_for_kiosk(KioskErrorCode.BOOT_FAILED, level="error")
        log.error("[%d] the kiosk could not start: %s", int(KioskErrorCode.BOOT_FAILED), exc)
        assert self.boot is not None
        self.boot.show_notice({"code": notice.code, "text": notice.text.get(self.boot.lang), "level": notice.level,
                               "field": ""})
        self._exit_timer = QTimer()
        self._exit_timer.setSingleShot(True)
        status = getattr(exc, "exit_status", 1)
        self._exit_timer.timeout.connect(lambda: self.quit(status))
        self._exit_timer.start(BOOT_FAILED_EXIT_MS)

    def wait_built(self) -> None:
        """Block until phase 2's worker is done (closing while it builds)."""
        if self._builder is not None:
            self._builder.join()

    def _first_frame(self) -> None:
        if self.first_frame_shown:
            return
        self.first_frame_shown = True
        self.window.frameSwapped.disconnect(self._first.swapped)
        if self._build is not None and self.runtime is None:
            self._builder = threading.Thread(target=self._build_off_gui, name="kiosk-build", daemon=True)
            self._builder.start()
        if self._on_first_frame is not None:
            from PySide6.QtCore import QTimer  # noqa: PLC0415

            # After the swap returns: never inside the render pass that emitted the signal.
            QTimer.singleShot(0, self._on_first_frame)

    def _face_screen(self, runtime: Runtime, journey: Any) -> Any:
        """The face step's view-model and live preview (ui/models/face_vm.py), in the screen's language."""
        from .models.face_vm import FacePreviewProvider, FaceViewModel  # noqa: PLC0415

        face = FaceViewModel(journey, lambda: self.vm.lang)
        self.vm.langChanged.connect(face.relang)
        self.engine.addImageProvider("face", FacePreviewProvider(runtime.devices, runtime.settings.face.camera))
        self.engine.rootContext().setContextProperty("face", face)
        return face

    def _on_journey(self, event: Any) -> None:
        from kiosk.journey import JourneyEventKind  # noqa: PLC0415
        from kiosk.journey.plan import Step  # noqa: PLC0415

        if event.kind == JourneyEventKind.STEP and event.data == Step.ATTRACT:
            wipe_keyboard_memory(self.qt_home)

    def exec(self) -> int:
        code = int(self.app.exec())
        sdnotify.stopping()
        self.close()
        return code

    def close(self) -> None:
        """Destroy the QML scene before the view-models it binds to (else QML reads them as null)."""
        from PySide6.QtCore import QCoreApplication, QEvent  # noqa: PLC0415

        if getattr(self, "_closed", False):
            return  # closed already (a test that closes the demo window to see its place remembered)
        self._closed = True
        if self._fitted:
            from .demo import window_place  # noqa: PLC0415

            window_place.save(self.window)
            self._fitted = False
        self.translator.close()
        voice = getattr(self, "voice", None)
        if voice is not None:
            voice.close()  # its thread ends with the kiosk (one stuck in the engine is left behind)
        self.watchdog.stop()
        if getattr(self, "_exit_timer", None) is not None:
            self._exit_timer.stop()
        self.wait_built()  # a build still running finishes first; its owner closes what it built
        with self._shown_lock:  # work still waiting for its screen goes now: the runtime then waits for it
            waiting, self._waiting_shown = self._waiting_shown, []
        for _, once, timer in waiting:
            timer.cancel()
            once()
        if self.maint is not None:
            self.maint.stop()
        if self.maintenance is not None:
            self.maintenance.close()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def quit(self, code: int = 0) -> None:
        """End the event loop; ``exec`` returns ``code`` (RESTART_EXIT_CODE: systemd starts the kiosk again)."""
        self.app.exit(code)
