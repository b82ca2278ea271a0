"""What a citizen would find wrong with the screen shown, checked on the live scene (the autopilot's eyes).

- A control (an item named ``screen.control``) that lies outside the kiosk's screen, or outside the part
  of the page that shows, and cannot be scrolled into view: the citizen cannot press it.
- Text that is cut: ``truncated`` (elided) or wider/taller than its box. Not an elision a screen chose, which
  says so (``shortenedOnPurpose``) and shows the whole elsewhere (a catalogue row's department on a narrow elder
  row: the item's guide names it in full).
- A control of the page that shows under the notice bar (the bar is drawn over it: the citizen can neither
  read it nor press it).
- A scrolling area that must be swiped (its content is taller than it) but shows less than MIN_VIEW_MM of the
  kiosk's glass: the citizen reads a slit (the 21.5" landscape elder result screen once showed 7 mm of the card
  holding the number its prompt says to keep).
- A QR code on screen that does not decode from the pixels a phone would see (cut off, squeezed, hidden):
  it is decoded from a grab of the window, not read from the model.

Each problem is one line naming the item, so a failed autopilot run says what to fix.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEventLoop, QPointF, QRectF, QTimer
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem

from .autopilot_driver import SETTLE_S, UiDriver, _effectively_visible, parent_item, prop

SLACK_PX = 1.5  # layout rounding
MIN_VIEW_MM = 35.0  # least height of a scrolling area that scrolls: two lines of elder text and the swipe cue


@dataclass(frozen=True)
class Problem:
    kind: str  # off_screen | clipped_text | qr_unreadable | overlap | covered
    item: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.item} ({self.detail})"


def _scene_rect(item: QQuickItem) -> QRectF:
    p = item.mapToScene(QPointF(0, 0))
    q = item.mapToScene(QPointF(item.width(), item.height()))
    return QRectF(p, q).normalized()


def _scroller(item: QQuickItem) -> QQuickItem | None:
    """The nearest Flickable/ListView around ``item`` (it scrolls what it holds into view)."""
    parent = parent_item(item)
    while parent is not None and prop(parent, "contentY") is None:
        parent = parent_item(parent)
    return parent


def _visible_area(item: QQuickItem, screen: QRectF) -> QRectF:
    """The part of the scene where ``item`` can show: the screen cut by every clipping ancestor."""
    area = QRectF(screen)
    parent = parent_item(item)
    while parent is not None:
        if parent.clip():
            area = area.intersected(_scene_rect(parent))
        parent = parent_item(parent)
    return area


def _inside(inner: QRectF, outer: QRectF) -> bool:
    return (inner.left() >= outer.left() - SLACK_PX and inner.top() >= outer.top() - SLACK_PX
            and inner.right() <= outer.right() + SLACK_PX and inner.bottom() <= outer.bottom() + SLACK_PX)


def _label(item: QQuickItem) -> str:
    name = item.objectName()
    if name:
        return name
    text = prop(item, "text")
    return f"text {str(text)[:30]!r}" if text else type(item).__name__


def screen_rect(ui: UiDriver) -> QRectF:
    screen = ui.find("kioskScreen")
    if screen is None:
        return QRectF(0, 0, ui.window.width(), ui.window.height())
    s = float(screen.scale())
    origin = screen.mapToScene(QPointF(0, 0))  # the demo window letterboxes the scene: it need not start at 0,0
    return QRectF(origin.x(), origin.y(), screen.width() * s, screen.height() * s)


def _screen_items(ui: UiDriver):
    """Everything on the kiosk's screen: not the demo's simulator panel beside it, and not the on-screen
    keyboard (Qt's own, parked below the screen while it is closed)."""
    stack = [ui.find("kioskScreen") or ui.window.contentItem()]
    while stack:
        item = stack.pop()
        # an item QML is destroying (the screen rebuilt for another language) can come back from childItems()
        # wrapped as a QMetaObject: it is not on the screen any more
        if not isinstance(item, QQuickItem):
            continue
        if "InputPanel" in item.metaObject().className():
            continue
        yield item
        stack.extend(reversed(item.childItems()))


def control_problems(ui: UiDriver) -> list[Problem]:
    screen = screen_rect(ui)
    out = []
    for item in _screen_items(ui):
        name = item.objectName()
        if "." not in name or not _effectively_visible(item) or item.width() <= 0 or item.height() <= 0:
            continue
        rect, scroller = _scene_rect(item), _scroller(item)
        if scroller is not None:
            # Reachable by scrolling: its list shows on the screen, and the control fits in what shows.
            view = _visible_area(scroller, screen).intersected(_scene_rect(scroller))
            if view.isEmpty() or view.height() < 20:
                out.append(Problem("off_screen", name, "its scrolling area does not show on the screen"))
            elif name.endswith("qr") and rect.height() > view.height() + SLACK_PX:
                out.append(Problem("off_screen", name, f"{rect.height():.0f} px tall in a {view.height():.0f} px "
                                                       "scrolling area: never seen whole"))
            continue
        area = _visible_area(item, screen)
        if not _inside(rect, area):
            out.append(Problem("off_screen", name, f"at {rect.x():.0f},{rect.y():.0f} {rect.width():.0f}x"
                                                   f"{rect.height():.0f}, visible area {area.width():.0f}x"
                                                   f"{area.height():.0f}"))
    return out


def text_problems(ui: UiDriver) -> list[Problem]:
    screen = screen_rect(ui)
    out = []
    for item in _screen_items(ui):
        if prop(item, "truncated") is None or not _effectively_visible(item):
            continue
        text = str(prop(item, "text") or "")
        if not text.strip() or item.width() <= 0:
            continue
        rect, area = _scene_rect(item), _visible_area(item, screen)
        if _scroller(item) is None:  # not in a list: what a clipping page cuts off is lost for good
            if not _inside(rect, area):
                out.append(Problem("clipped_text", _label(item), "cut off by the edge of the page"))
                continue
        elif _scrolls_up_and_down_only(_scroller(item)) and not area.isEmpty() and (
                rect.left() < area.left() - SLACK_PX or rect.right() > area.right() + SLACK_PX) and (
                rect.bottom() > area.top() and rect.top() < area.bottom()):
            # in a list that scrolls up and down: what runs past its side is never seen (a review value 0.6 of
            # the page wide beside a wide label, in a narrow column)
            out.append(Problem("clipped_text", _label(item), "runs past the side of its list"))
            continue
        if prop(item, "truncated") and prop(item, "shortenedOnPurpose") is not True:
            out.append(Problem("clipped_text", _label(item), "elided"))
            continue
        cw, ch = float(prop(item, "contentWidth") or 0), float(prop(item, "contentHeight") or 0)
        if cw > item.width() + SLACK_PX + 0.02 * item.width():
            out.append(Problem("clipped_text", _label(item), f"{cw:.0f} px of text in a {item.width():.0f} px box"))
        elif item.height() > 0 and ch > item.height() + SLACK_PX + 0.25 * item.height():
            out.append(Problem("clipped_text", _label(item), f"{ch:.0f} px of text in a {item.height():.0f} px box"))
    return out


def _scrolls_up_and_down_only(scroller: QQuickItem) -> bool:
    """A list whose content is no wider than itself (a row of chips that scrolls sideways is not)."""
    return float(prop(scroller, "contentWidth") or 0) <= scroller.width() + SLACK_PX


def label_problems(ui: UiDriver) -> list[Problem]:
    """A button's words inside the button: a label that wraps to more lines than the button is tall spills
    over its edge (English "I do not agree" on a landscape elder consent button), though no box clips it."""
    out = []
    for item in _screen_items(ui):
        name = item.objectName()
        if "." not in name or "BigButton" not in item.metaObject().className() or not _effectively_visible(item):
            continue
        box = _scene_rect(item)
        stack = list(item.childItems())
        while stack:
            child = stack.pop()
            if not isinstance(child, QQuickItem):  # being destroyed (see _screen_items)
                continue
            stack.extend(child.childItems())
            if prop(child, "truncated") is None or not child.isVisible() or not str(prop(child, "text") or ""):
                continue
            r = _scene_rect(child)
            ch = float(prop(child, "contentHeight") or 0)
            top = r.center().y() - ch / 2 if child.height() <= 0 else r.top()
            bottom = max(r.bottom(), top + ch)
            # a line's box includes its leading: a few pixels past the edge are white space, not ink
            slack = max(SLACK_PX, 0.06 * box.height())
            if top < box.top() - slack or bottom > box.bottom() + slack:
                out.append(Problem("clipped_text", name, f"its label ({ch:.0f} px of text) spills over the "
                                                         f"{box.height():.0f} px button"))
                break
    return out


def _as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return buf[:, :w].copy()


def qr_codes(ui: UiDriver) -> dict[str, list[str]]:
    """Every QR code item on screen (objectName ending in ``qr``) decoded from the window's pixels."""
    from devices.barcode.decode import decode  # noqa: PLC0415 - zxing/zbar only when someone looks

    found: dict[str, list[str]] = {}
    items = [i for i in _screen_items(ui)
             if i.objectName().endswith("qr") and _effectively_visible(i) and i.width() > 0]
    if not items:
        return found
    for item in items:
        ui.ensure_visible(item)
    shot = ui.window.grabWindow()
    dpr = shot.devicePixelRatio()
    screen = screen_rect(ui)
    for item in items:
        rect = _scene_rect(item).intersected(_visible_area(item, screen))
        if rect.isEmpty():
            found[item.objectName()] = []
            continue
        pad = 0.08 * max(rect.width(), rect.height())  # the quiet zone around the code, as a phone sees it
        crop = shot.copy(round((rect.x() - pad) * dpr), round((rect.y() - pad) * dpr),
                         round((rect.width() + 2 * pad) * dpr), round((rect.height() + 2 * pad) * dpr))
        found[item.objectName()] = [b.text for b in decode(_as_array(crop), formats=["QRCode"])]
    return found


def covered_problems(ui: UiDriver) -> list[Problem]:
    """Controls of the page that show (in their clipped area) where the notice bar is drawn over them."""
    bar, page = ui.find("notice"), ui.find("page")
    if bar is None or page is None or not _effectively_visible(bar) or bar.height() <= 0:
        return []
    screen, over = screen_rect(ui), _scene_rect(bar)
    out = []
    stack = list(page.childItems())
    while stack:
        item = stack.pop()
        if not isinstance(item, QQuickItem) or not _effectively_visible(item):
            continue
        stack.extend(item.childItems())
        name = item.objectName()
        if "." not in name or item.width() <= 0 or item.height() <= 0:
            continue
        shows = _scene_rect(item).intersected(_visible_area(item, screen))
        if shows.contains(over):
            continue  # a touch area the bar lies within (the attract screen's touch anywhere): pressed around it
        cross = shows.intersected(over)
        if cross.width() > SLACK_PX and cross.height() > SLACK_PX:
            out.append(Problem("covered", name, f"{cross.width():.0f}x{cross.height():.0f} px under the notice bar"))
    return out


def _px_per_mm(ui: UiDriver) -> float | None:
    """Scene px per millimetre of the kiosk's glass (the screen's px/mm times the scene's scale)."""
    from PySide6.QtQml import QQmlEngine  # noqa: PLC0415

    screen = ui.find("kioskScreen")
    ctx = QQmlEngine.contextForObject(screen) if screen is not None else None
    kiosk = ctx.contextProperty("kiosk") if ctx is not None else None
    mm = kiosk.property("pxPerMm") if kiosk is not None else None
    return float(mm) * float(screen.scale()) if mm else None


def cramped_problems(ui: UiDriver) -> list[Problem]:
    """Scrolling areas that scroll but show less than MIN_VIEW_MM (a slit to read through)."""
    per_mm = _px_per_mm(ui)
    if per_mm is None or ui.find("page") is None:
        return []
    screen, out = screen_rect(ui), []
    stack = list(ui.get("page").childItems())
    while stack:
        item = stack.pop()
        if not isinstance(item, QQuickItem) or not _effectively_visible(item):
            continue
        stack.extend(item.childItems())
        if prop(item, "contentY") is None or item.height() <= 0:
            continue
        if float(prop(item, "contentHeight") or 0) <= item.height() + SLACK_PX:
            continue  # all of it shows
        view = _visible_area(item, screen).intersected(_scene_rect(item))
        if 0 < view.height() < MIN_VIEW_MM * per_mm:
            first = next((c.objectName() for c in iter_named(item)), "")
            out.append(Problem("cramped", _label(item) if item.objectName() else f"scroll area of {first or '?'}",
                               f"shows {view.height() / per_mm:.0f} mm of {float(prop(item, 'contentHeight')) / per_mm * float(ui.find('kioskScreen').scale()):.0f} mm"))
    return out


def heading_problems(ui: UiDriver) -> list[Problem]:
    """The page's actions drawn over its title or prompt (a column too short for both: the heading beside the
    content on a 15.6" landscape elder English materials screen put 拍摄 over the prompt's last lines)."""
    page = ui.find("page")
    item = prop(page, "item") if page is not None else None
    if item is None:
        return []
    texts = [(n, _scene_rect(t)) for n in ("page.title", "page.prompt")
             if (t := ui.find(n)) is not None and t.height() > 0 and str(prop(t, "text") or "")]
    out = []
    for child in item.childItems():
        if not isinstance(child, QQuickItem) or "Grid" not in child.metaObject().className() or \
                prop(child, "shareWidth") is None:
            continue
        for button in child.childItems():
            if not _effectively_visible(button) or button.width() <= 0:
                continue
            rect = _scene_rect(button)
            for name, text in texts:
                cross = rect.intersected(text)
                if cross.width() > SLACK_PX and cross.height() > SLACK_PX:
                    out.append(Problem("overlap", f"{_label(button)} / {name}",
                                       f"{cross.width():.0f}x{cross.height():.0f} px of the heading under the action"))
    return out


def iter_named(item: QQuickItem):
    stack = list(item.childItems())
    while stack:
        c = stack.pop(0)
        if not isinstance(c, QQuickItem):
            continue
        if "." in c.objectName():
            yield c
        stack.extend(c.childItems())


def qr_problems(ui: UiDriver) -> list[Problem]:
    return [Problem("qr_unreadable", name, "no QR code decodes from the screen's pixels")
            for name, texts in qr_codes(ui).items() if not texts]


def problems(ui: UiDriver) -> list[Problem]:
    return (control_problems(ui) + text_problems(ui) + label_problems(ui) + covered_problems(ui)
            + cramped_problems(ui) + heading_problems(ui) + qr_problems(ui))


def settled_problems(ui: UiDriver, settle_s: float = SETTLE_S) -> list[Problem]:
    """The problems still there once the screen has settled: a page caught in the middle of a layout change
    (the form opening with its keyboard: 下一步 moving beside the field, seen at x 1136-1970 of a 1920 px
    screen on a loaded machine) is looked at again, frame by frame, for up to ``settle_s``, as a citizen's
    eye waits for the screen to stop moving. What is still wrong then is reported."""
    found = problems(ui)
    deadline = time.monotonic() + settle_s
    while found and time.monotonic() < deadline:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        found = problems(ui)
    return found



def overlaps(ui: UiDriver, names: list[str], against: list[str] | None = None) -> list[Problem]:
    """Pairs of named items, as shown, whose boxes cross (a sentence drawn over a drawing): each of ``names``
    with each other one, or, given ``against``, each of ``names`` with each of ``against`` (parts of one
    drawing may lie on each other). An item not shown is skipped."""
    def shown(which: list[str]) -> list[tuple[str, QRectF]]:
        return [(n, _scene_rect(i)) for n in which if (i := ui.find(n)) is not None and i.width() > 0]

    first = shown(names)
    pairs = ([(a, b) for k, a in enumerate(first) for b in first[k + 1:]] if against is None
             else [(a, b) for a in first for b in shown(against) if a[0] != b[0]])
    out = []
    for (name_a, ra), (name_b, rb) in pairs:
        cross = ra.intersected(rb)
        if cross.width() > SLACK_PX and cross.height() > SLACK_PX:
            out.append(Problem("overlap", f"{name_a} / {name_b}",
                               f"{cross.width():.0f}x{cross.height():.0f} px in common"))
    return out
