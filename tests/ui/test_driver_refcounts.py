"""The autopilot's UI driver walks item trees up to the root thousands of times per journey. PySide6 6.12 hands
back a parentless item's None without counting the reference, so each walk took one reference from None and a
long showroom run (`make demo`: the autopilot with the layout checker, 70 journeys) died with "Fatal Python
error: none_dealloc"/"bool_dealloc". The driver's walks must leave None's count where it was."""
from __future__ import annotations

import sys

from PySide6.QtQuick import QQuickItem

from ui import layout_check
from ui.autopilot_driver import _effectively_visible, parent_item


def _tree() -> tuple[QQuickItem, QQuickItem]:
    root = QQuickItem()
    mid = QQuickItem(root)
    mid.setParentItem(root)
    leaf = QQuickItem(mid)
    leaf.setParentItem(mid)
    return root, leaf


def test_walking_up_to_the_root_takes_no_reference_from_none(qapp):
    root, leaf = _tree()
    parent_item(leaf)  # the first call probes this PySide6 once
    before = sys.getrefcount(None)
    for _ in range(5000):
        _effectively_visible(leaf)
        layout_check._scroller(leaf)
        assert parent_item(root) is None
    # without the compensation this drops by 15000 (one per walk that reaches the root)
    assert abs(sys.getrefcount(None) - before) < 50


def test_parent_item_returns_the_parent(qapp):
    root, leaf = _tree()
    assert parent_item(parent_item(leaf)) is root
