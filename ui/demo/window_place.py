"""Where the demo window opens: on its screen's available geometry, or where the tester last left it.

The last size and place are kept in ``$XDG_STATE_HOME/kiosk/demo-window.json`` (``~/.local/state`` when
unset): a tester's preference, never in the repository or the kiosk's data dir. A saved place that no
longer lies on any screen (a laptop taken off its dock) is not used; a saved size larger than the screen
is cut to it. Positions are Qt's device-independent pixels, so a HiDPI screen (devicePixelRatio 2) gets
the same layout at twice the pixels.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QWindow

log = logging.getLogger(__name__)

MIN_SIZE = (640, 400)  # smaller than this, neither the scene nor the panel can be read


def state_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kiosk" / "demo-window.json"


def load_saved() -> QRect | None:
    try:
        d = json.loads(state_path().read_text(encoding="utf-8"))
        rect = QRect(int(d["x"]), int(d["y"]), int(d["width"]), int(d["height"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return rect if rect.width() >= MIN_SIZE[0] and rect.height() >= MIN_SIZE[1] else None


def save(window: QWindow) -> None:
    """Remember the window's frame geometry (its outer edge, title bar included)."""
    g = window.framePosition(), window.size()
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"x": g[0].x(), "y": g[0].y(), "width": g[1].width(),
                                    "height": g[1].height()}), encoding="utf-8")
    except OSError as exc:
        log.warning("could not remember the demo window's place in %s: %s", path, exc)


def target_geometry(window: QWindow) -> QRect:
    """The frame geometry to open at: the saved one if it lies on a screen, else the available geometry of
    the window's screen (the one under the mouse, when there are several)."""
    saved = load_saved()
    if saved is not None:
        for screen in QGuiApplication.screens():
            avail = screen.availableGeometry()
            if avail.contains(saved.center()):
                return QRect(saved.topLeft(), saved.size().boundedTo(avail.size())).intersected(avail)
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def place(window: QWindow) -> None:
    """Open the window at ``target_geometry``: frame and all inside it (the frame margins are known once the
    window manager has decorated the window; without one they are zero)."""
    frame = target_geometry(window)
    m = window.frameMargins()
    window.setMinimumSize(QSize(*MIN_SIZE))
    window.resize(max(MIN_SIZE[0], frame.width() - m.left() - m.right()),
                  max(MIN_SIZE[1], frame.height() - m.top() - m.bottom()))
    window.setFramePosition(frame.topLeft())
