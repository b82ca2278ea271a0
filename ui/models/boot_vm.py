"""The attract screen's view-model while the kiosk is still being built (phase 1 of the two-phase start-up).

``kiosk run`` shows the attract screen before it builds the runtime (devices, outbox, platform client, camera,
the journey: numpy, OpenCV and requests come with them). Until then ``BootViewModel`` stands in for
``KioskViewModel`` as QML's ``kiosk``: it has the properties the window and the attract screen read, in the
same types, and a tap on the attract screen answers at once with the busy state and is kept: when the real
view-model takes over (``ui.app.KioskApp``) the kept tap is replayed on it, so no tap is lost.

Imports nothing of the kiosk's core: importing this module must stay as cheap as the window itself.
"""
from __future__ import annotations

import logging
from enum import Enum
from typing import Any, Callable

from PySide6.QtCore import Property, QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class BootPhase(Enum):
    """Where the two-phase start-up stands."""
    SHOWING = "showing"    # the attract screen is on screen; the runtime is being built off the GUI thread
    READY = "ready"        # the real view-models are bound; taps go to the journey
    FAILED = "failed"      # the runtime could not be built (kiosk error 2220): the kiosk exits to be restarted


# The attract screen's taps (ui/qml/screens/attract.qml) that are kept and replayed on the real view-model.
KEPT_TAPS = ("wake", "openServices")


class BootViewModel(QObject):
    """``kiosk`` in QML until the runtime is built; see the module's docstring."""

    stepChanged = Signal()
    dataChanged = Signal()
    countdownChanged = Signal()
    noticeChanged = Signal()
    busyChanged = Signal()
    langChanged = Signal()
    elderChanged = Signal()
    orientationChanged = Signal()
    screenChanged = Signal()

    def __init__(self, *, lang: str, orientation: str, demo: bool, elder: bool, px_per_mm: float) -> None:
        super().__init__()
        self._lang = lang
        self._orientation = orientation
        self._demo = demo
        self._elder = elder
        self._px_per_mm = px_per_mm
        self._busy = False
        self._notice: dict[str, Any] = {}
        self.pending: str | None = None  # the first kept tap, replayed once the kiosk is ready

    # ----- what the window, its components and the attract screen read -------------------------
    @Property(bool, constant=True)
    def ready(self) -> bool:
        """False: the demo panel and the technicians' console wait for the real view-models."""
        return False

    @Property(str, notify=stepChanged)
    def step(self) -> str:
        return "attract"

    @Property(str, notify=langChanged)
    def lang(self) -> str:
        return self._lang

    @Property(bool, notify=elderChanged)
    def elder(self) -> bool:
        return self._elder

    @Property(str, notify=orientationChanged)
    def orientation(self) -> str:
        return self._orientation

    @Property(float, notify=screenChanged)
    def pxPerMm(self) -> float:  # noqa: N802 - QML name
        return self._px_per_mm

    @Property(bool, constant=True)
    def demo(self) -> bool:
        return self._demo

    @Property(int, notify=countdownChanged)
    def countdown(self) -> int:
        return -1

    @Property("QVariantMap", notify=noticeChanged)
    def notice(self) -> dict:
        return self._notice

    @Property(bool, notify=busyChanged)
    def busy(self) -> bool:
        return self._busy

    @Property("QVariantMap", notify=dataChanged)
    def guide(self) -> dict:
        return {}

    # ----- taps -----------------------------------------------------------------------------------
    def _keep(self, name: str) -> None:
        """A tap before the kiosk is ready: the busy state now (a visible answer within a frame), the tap later."""
        if self.pending is None:
            self.pending = name
            log.info("tap %s kept until the kiosk is ready", name)
        if not self._busy:
            self._busy = True
            self.busyChanged.emit()

    @Slot()
    def wake(self) -> None:
        self._keep("wake")

    @Slot()
    def openServices(self) -> None:  # noqa: N802 - QML name
        self._keep("openServices")

    @Slot()
    def touch(self) -> None:
        pass  # no idle timer runs before the journey exists

    def show_notice(self, notice: dict[str, Any]) -> None:
        """A notice on the attract screen (the start-up failed: ``KioskErrorCode.BOOT_FAILED``)."""
        self._notice = dict(notice)
        self._busy = False
        self.noticeChanged.emit()
        self.busyChanged.emit()


class BootMaintenance(QObject):
    """``maint`` in QML until the runtime is built: the console cannot open before there is a kiosk to look at."""

    activeChanged = Signal()

    @Property(bool, notify=activeChanged)
    def active(self) -> bool:
        return False


class BuildBridge(QObject):
    """Carries phase 2's result from the worker thread that built the runtime to the GUI thread (queued)."""

    built = Signal(object)
    failed = Signal(object)

    def __init__(self, on_built: Callable[[Any], None], on_failed: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_built, self._on_failed = on_built, on_failed
        self.built.connect(self._built, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _built(self, built: Any) -> None:
        self._on_built(built)

    @Slot(object)
    def _failed(self, exc: Any) -> None:
        self._on_failed(exc)


class FrameRelay(QObject):
    """Hands a window's ``frameSwapped`` to the GUI thread. Under a real X server Qt Quick renders on its own
    thread and emits ``frameSwapped`` there; a Python slot called on that thread needs the GIL while the GUI
    thread may hold it waiting for the render thread: the demo under Xvfb hung in the tap on 确认提交 (a CI
    run). This object lives on the GUI thread, so Qt queues the signal to it."""

    def __init__(self, on_swapped: Callable[[], None]) -> None:
        super().__init__()
        self._on_swapped = on_swapped

    @Slot()
    def swapped(self) -> None:
        self._on_swapped()

