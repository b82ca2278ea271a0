"""The face step's view-model (``face`` in QML) and its live preview (``image://face/N``), issue 19.

Journey events reach it through a queued signal (they come from the face preview thread); only on the GUI
thread do the properties QML reads change. The instruction is the sentence the voice says
(kiosk.face.words), so the screen and the voice never disagree. The preview is the face camera's newest
frame, mirrored like a looking glass, drawn from memory: nothing of it is written anywhere.
"""
from __future__ import annotations

from typing import Any, Callable

import cv2
from PySide6.QtCore import Property, QObject, QSize, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

from kiosk.face.words import instruction
from kiosk.journey import JourneyEvent, JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.journey.steps.face import instruction_key

from .preview import to_qimage


_LIVE = ("looking", "challenge", "checking")  # the phases a try runs in, its instructions coming quickly


class FaceViewModel(QObject):
    changed = Signal()
    _event = Signal(object)  # cross-thread hop for JourneyEvent

    def __init__(self, journey: Any, lang: Callable[[], str]) -> None:
        super().__init__()
        self.journey = journey
        self._lang = lang
        self._key = ""  # the instruction on screen, as the step said it (kiosk.face.words key)
        self._event.connect(self._on_event)
        journey.subscribe(self._event.emit)

    def _on_event(self, event: JourneyEvent) -> None:
        if event.kind == JourneyEventKind.FACE:
            # Each instruction the step says is shown in its turn, from the event's own copy: a challenge done
            # quickly (a blink) is still on screen when the queued event arrives, not skipped for the next one.
            self._key = str(event.data)
        elif self._face().phase.value not in _LIVE:
            self._key = instruction_key(self._face())  # consent, failed, referral, passed: as it stands
        if event.step == Step.FACE or event.kind == JourneyEventKind.STEP:
            self.changed.emit()

    def _face(self) -> Any:
        return self.journey.session.face

    @Property(str, notify=changed)
    def phase(self) -> str:
        return self._face().phase.value

    @Property(str, notify=changed)
    def challenge(self) -> str:
        return self._face().challenge

    @Property(str, notify=changed)
    def instructionKey(self) -> str:  # noqa: N802 - QML name
        return self._key

    @Property(str, notify=changed)
    def instruction(self) -> str:
        return instruction(self._key, self._lang())

    @Property(int, notify=changed)
    def code(self) -> int:
        return int(self._face().code)

    @Property(int, notify=changed)
    def tries(self) -> int:
        return int(self._face().tries)

    @Property(int, notify=changed)
    def triesLeft(self) -> int:  # noqa: N802 - QML name
        return max(0, self.journey.settings.face.max_tries - self._face().tries)

    @Property(bool, notify=changed)
    def live(self) -> bool:
        return self.phase in _LIVE

    def relang(self) -> None:
        self.changed.emit()

    @Slot(bool)
    def consent(self, agreed: bool) -> None:
        self.journey.face_consent(agreed)

    @Slot()
    def retry(self) -> None:
        self.journey.face_action("retry")

    @Slot()
    def toCounter(self) -> None:  # noqa: N802 - QML name
        self.journey.face_action("to_counter")

    @Slot()
    def proceed(self) -> None:
        self.journey.face_action("proceed")


class FacePreviewProvider(QQuickImageProvider):
    """``image://face/N``: the face camera's newest frame, mirrored; a dark frame while there is none."""

    def __init__(self, devices: Any, camera_name: str) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self.devices = devices
        self.camera_name = camera_name

    def requestImage(self, image_id: str, size: QSize, requested: QSize) -> QImage:  # noqa: N802 - Qt API
        camera = self.devices.get(self.camera_name)
        preview = camera.latest() if camera is not None and hasattr(camera, "latest") else None
        if preview is None:
            img = QImage(4, 3, QImage.Format.Format_RGB888)
            img.fill(0x202020)
        else:
            img = to_qimage(cv2.flip(preview.image, 1))
        if size is not None:
            size.setWidth(img.width())
            size.setHeight(img.height())
        return img
