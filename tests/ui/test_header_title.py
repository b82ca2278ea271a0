"""The header's title on a small screen in elder English (issue 17): a long item name is shown whole."""
from __future__ import annotations

import pytest

from kiosk import screen
from tests.ui.test_ui_journey import at
from ui import layout_check
from ui.autopilot_driver import prop

GANGAO = "910000002000"  # "Endorsement on the Exit-Entry Permit for Hong Kong and Macao ...": the longest names


@pytest.mark.slow
def test_a_long_item_name_wraps_under_the_stacked_header_buttons_instead_of_being_cut(qtbot, make_kiosk):
    """15.6" portrait, elder, English: the buttons take two rows and the title its own line under them; the
    item's English name was elided there on every screen of the journey ("Endorsement on the Exit-Entry
    Pe…"). It now wraps (three lines here) at the smallest legible size, whole."""
    k = make_kiosk(ui={"elder_mode": True, "lang": "en_US"}, screen={"diagonal_in": screen.PROFILES_IN["15.6"]})
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    # the search field's English hint was cut there too ('Search: e.g. "criminal" or "wf…')
    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [])
    k.vm.chooseItem(GANGAO)
    qtbot.waitUntil(at(k, "guide"))
    qtbot.waitUntil(lambda: k.ui.find("header.title") is not None)  # once the header has stacked
    title = k.ui.get("header.title")
    qtbot.waitUntil(lambda: prop(title, "text") == k.vm.guide["name"])
    assert len(k.vm.guide["name"]) > 40  # long enough to need more than one line
    qtbot.waitUntil(lambda: not prop(title, "truncated") and prop(title, "lineCount") >= 2)
    assert prop(title, "font").pixelSize() * 0.733 >= 7.2 * k.vm.pxPerMm - 0.5  # still elder text (>= 7.2 mm)
    assert [p for p in layout_check.problems(k.ui) if p.item == "header.title"] == []
