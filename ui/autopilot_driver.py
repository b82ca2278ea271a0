"""Driving the real QML UI like a finger does: find an item by objectName, bring it into view, tap it,
drag on it, type into the focused field, and grab screenshots. Used by the autopilot and the UI tests."""
from __future__ import annotations

import ctypes
import sys

import time
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QKeyEvent
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest
from shiboken6 import isValid

SETTLE_S = 3.0  # a control below the window's edge this long after a layout change is a layout fault


class NotFound(LookupError):
    pass


def iter_items(root: QQuickItem):
    stack = [root]
    while stack:
        item = stack.pop()
        # An item QML is destroying at this moment (a screen being replaced) can come back from childItems()
        # wrapped as something else (seen: a QMetaObject, whose objectName() raises): it is not a control.
        if not isinstance(item, QQuickItem):
            continue
        yield item
        stack.extend(reversed(item.childItems()))


def prop(item: QQuickItem, name: str) -> Any:
    """``item.property(name)``, or None when the item has no such property, without asking Qt for it: asking
    for a missing property hands back a None whose reference PySide6 does not count, and the thousands of
    such calls a long autopilot run makes ended in "Fatal Python error: none_dealloc"."""
    return item.property(name) if item.metaObject().indexOfProperty(name) >= 0 else None


def _parent_item_leaks_none() -> bool:
    """Whether this PySide6 hands back a parentless item's None without counting its reference (6.12 does:
    each such call takes one reference from None, and a long autopilot run walking item trees up to the
    root ended in "Fatal Python error: none_dealloc" or a crash soon after)."""
    probe = QQuickItem()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.parentItem()
    leaked = before - sys.getrefcount(None)
    # the probe's own lost references are given back, so the answer costs nothing
    for _ in range(max(0, leaked)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return leaked >= 60


_LEAKS_NONE: bool | None = None


def parent_item(item: QQuickItem) -> QQuickItem | None:
    """``item.parentItem()``, giving None back the reference PySide6 forgets when there is no parent."""
    global _LEAKS_NONE
    parent = item.parentItem()
    if parent is None:
        if _LEAKS_NONE is None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))  # this call's own loss, before the probe
            _LEAKS_NONE = _parent_item_leaks_none()
            if not _LEAKS_NONE:
                ctypes.pythonapi.Py_DecRef(ctypes.py_object(None))
        elif _LEAKS_NONE:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return parent


def _effectively_visible(item: QQuickItem) -> bool:
    while item is not None:
        if not item.isVisible() or item.opacity() <= 0.0:
            return False
        item = parent_item(item)
    return True


class UiDriver:
    def __init__(self, window: QQuickWindow, activity: Callable[[], None] | None = None) -> None:
        self.window = window
        # A finger's swipe begins with a press, which the kiosk counts as activity (ui.app's TouchFilter);
        # swipe_up moves a list directly, so it tells the kiosk itself. Without it a long scroll through the
        # catalogue on a loaded machine outlasted the elder idle timeout (300 s): the session ended under the
        # driver and the list it held was deleted (a CI run at load 15: "QQuickItem already deleted").
        self.activity = activity
        self.taps = 0
        self.tapped: list[str] = []  # what was touched, in order (the autopilot's line lists it per journey)
        self.keys = 0

    # ----- finding ------------------------------------------------------------------------------
    def find(self, name: str, *, visible: bool = True) -> QQuickItem | None:
        for item in iter_items(self.window.contentItem()):
            if item.objectName() == name and (not visible or _effectively_visible(item)):
                return item
        return None

    def find_prefix(self, prefix: str) -> list[QQuickItem]:
        return [i for i in iter_items(self.window.contentItem())
                if i.objectName().startswith(prefix) and _effectively_visible(i)]

    def get(self, name: str) -> QQuickItem:
        item = self.find(name)
        if item is None:
            raise NotFound(name)
        return item

    # ----- geometry -----------------------------------------------------------------------------
    def center(self, item: QQuickItem) -> QPoint:
        # Rows, columns and layouts place their children at the next polish: a state change a moment ago
        # (a button shown beside this one) may not have moved it yet. Bring the positions up to date first.
        node: QQuickItem | None = item
        chain = []
        while node is not None:
            chain.append(node)
            node = parent_item(node)
        for node in reversed(chain):
            node.ensurePolished()
        # A finger presses the part of the item that shows: inside every clipping parent (a list's row taller
        # than the list, half scrolled out, has its middle above the list: seen tapping the header instead)
        a = item.mapToScene(QPointF(0, 0))
        b = item.mapToScene(QPointF(item.width(), item.height()))
        rect = QRectF(a, b).normalized()
        for node in chain[1:]:
            if node.clip():
                rect = rect.intersected(QRectF(node.mapToScene(QPointF(0, 0)),
                                               node.mapToScene(QPointF(node.width(), node.height()))).normalized())
        p = rect.center() if not rect.isEmpty() else item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        return QPoint(round(p.x()), round(p.y()))

    def ensure_visible(self, item: QQuickItem) -> None:
        """Scroll the enclosing Flickable/ListView so the item is inside it (what a swipe would do)."""
        parent = parent_item(item)
        while parent is not None and prop(parent, "contentY") is None:
            parent = parent_item(parent)
        if parent is None:
            return
        top = item.mapToItem(parent, QPointF(0, 0)).y()
        bottom = top + item.height()
        view_h = parent.height()
        content_y = float(parent.property("contentY"))
        if top < 0:
            parent.setProperty("contentY", content_y + top)
        elif bottom > view_h:
            parent.setProperty("contentY", content_y + (bottom - view_h))

    # ----- input --------------------------------------------------------------------------------
    def tap(self, target: str | QQuickItem) -> None:
        item = self.get(target) if isinstance(target, str) else target
        if not item.isVisible() or not item.isEnabled():
            # A finger cannot press what is hidden or greyed out; a test that tries has raced the UI.
            raise LookupError(f"{item.objectName() or target} is not shown or not enabled")
        self.tapped.append(item.objectName() or type(item).__name__)  # before the tap: it may delete the item
        self.ensure_visible(item)
        QTest.mouseClick(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         self._on_screen(item, target))
        self.taps += 1

    def _on_screen(self, item: QQuickItem, target: str | QQuickItem) -> QPoint:
        """The item's centre once it is inside the window. A page that has just changed its layout (the keyboard
        closing, a column moving beside the fields) may still hold a control below the window's edge for a
        frame or two: a citizen waits for it to settle, so does the driver (a CI run tapped at y=1242 in a
        1080-high window). Still outside after SETTLE_S: a layout fault, said as such."""
        deadline = time.monotonic() + SETTLE_S
        while True:
            point = self.center(item)
            if 0 <= point.x() < self.window.width() and 0 <= point.y() < self.window.height():
                return point
            if time.monotonic() > deadline:
                raise LookupError(f"{item.objectName() or target} is off the screen at ({point.x()}, {point.y()}) "
                                  f"in a {self.window.width()}x{self.window.height()} window")
            loop = QEventLoop()  # one frame's worth of events (layout, polish), then look again
            QTimer.singleShot(20, loop.quit)
            loop.exec()
            # a list of rows of different heights re-estimates the rows it builds and moves the row meanwhile
            # (15.6" landscape elder, offline: every row taller by its reason): swipe to it again, as a finger would
            self.ensure_visible(item)

    def drag(self, target: str | QQuickItem, points: list[tuple[float, float]]) -> None:
        """A stroke through ``points`` given as fractions (0..1) of the item's size."""
        item = self.get(target) if isinstance(target, str) else target
        scene = [item.mapToScene(QPointF(fx * item.width(), fy * item.height())) for fx, fy in points]
        pts = [QPoint(round(p.x()), round(p.y())) for p in scene]
        QTest.mousePress(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[0])
        for p in pts[1:]:
            QTest.mouseMove(self.window, p)
        QTest.mouseRelease(self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pts[-1])

    @staticmethod
    def y_bounds(view: QQuickItem) -> tuple[float, float]:
        """The contentY of a Flickable/ListView at its top and at its end, as a finger's drag is bounded. A
        ListView whose rows differ in height estimates the rows it has not built yet and moves its origin
        (originY) as it builds them: the end is originY + contentHeight - height, not contentHeight - height
        (15.6" portrait elder English: originY 2848 px, so a swipe bounded at contentHeight stopped 2848 px
        short and the last three catalogue items were never reached)."""
        origin = float(prop(view, "originY") or 0.0)
        top = origin - float(prop(view, "topMargin") or 0.0)
        end = origin + float(view.property("contentHeight")) - view.height() + float(prop(view, "bottomMargin") or 0.0)
        return top, max(top, end)

    def swipe_up(self, view: QQuickItem, fraction: float = 0.6) -> None:
        """Move a list's content up by a fraction of its height, as a finger's swipe does."""
        _, end = self.y_bounds(view)
        content_y = float(view.property("contentY"))
        if self.activity is not None:
            self.activity()
        view.setProperty("contentY", min(end, content_y + view.height() * fraction))

    def scroll_to(self, name: str, view_name: str, max_swipes: int = 400) -> QQuickItem:
        """Swipe a list from its top until the row ``name`` exists (lists create rows lazily) and is in view, or
        the list's end is reached (a swipe that moves nothing, twice: a list of tall rows, 29 catalogue items of
        381 px offline in 15.6" elder, took more than the 60 swipes allowed before)."""
        view = self.get(view_name)
        view.setProperty("contentY", self.y_bounds(view)[0])
        still = 0
        for _ in range(max_swipes):
            QCoreApplication.processEvents()  # let the list lay out the rows now in view
            if not isValid(view):
                # The screen went under the driver (the session ended, or the screen was built again): look
                # from a new list's top, or say plainly that the list is gone (NotFound, not "already deleted")
                view = self.get(view_name)
                view.setProperty("contentY", self.y_bounds(view)[0])
                still = 0
                continue
            item = self.find(name)
            if item is not None:
                # A row just built may still grow as its text is laid out (seen: 90 px, then 600): look again
                # once it has, so the whole row is in view. A row that went meanwhile (the list's model was
                # renewed: the catalogue's availability changed as the platform link came up) is looked for
                # again from where the list now is.
                for _ in range(3):
                    self.ensure_visible(item)
                    QCoreApplication.processEvents()
                    item = self.find(name)
                    if item is None:
                        break
                else:
                    return item
                continue
            before = float(view.property("contentY"))
            self.swipe_up(view)
            QCoreApplication.processEvents()
            if not isValid(view):
                continue   # built again during the swipe: the check at the loop's top finds the new list
            still = still + 1 if abs(float(view.property("contentY")) - before) < 0.5 else 0
            if still >= 2:
                break
        raise NotFound(f"{name} in {view_name}")

    def type_text(self, text: str) -> None:
        """Key events carrying each character, as a hardware keyboard sends them (QTest.keyClicks is QWidget-only
        in PySide6). Chinese arrives as committed text, like the pinyin keyboard's output."""
        for ch in text:
            key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QGuiApplication.sendEvent(self.window, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
        self.keys += len(text)

    def clear_field(self, item: QQuickItem) -> None:
        item.setProperty("text", "")

    # ----- looking ------------------------------------------------------------------------------
    def grab(self, crop_to: str | None = "kioskScreen") -> QImage:
        image = self.window.grabWindow()
        if crop_to:
            item = self.find(crop_to)
            # (a scene whose scale is not yet bound to the window's size, just after show(), has a negative
            # scale: cropping to it gave an empty image and the screenshot was silently not saved)
            if item is not None and item.scale() > 0:
                s = float(item.scale())
                dpr = image.devicePixelRatio()
                origin = item.mapToScene(QPointF(0, 0))  # letterboxed in the demo window
                image = image.copy(round(origin.x() * dpr), round(origin.y() * dpr),
                                   round(item.width() * s * dpr), round(item.height() * s * dpr))
        return image

    def property_of(self, name: str, prop_name: str) -> Any:
        item = self.find(name)
        return None if item is None else prop(item, prop_name)
