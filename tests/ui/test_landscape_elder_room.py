"""Landscape elder screens give their content room (the 21.5" sweep of session 16).

Stacked under the step bar, an elder-size title and prompt and over the actions, the content of the guide, the
review and the result had 7-55 mm of a 21.5" landscape screen: the result showed a slit of the card holding the
number its prompt tells the citizen to keep, the review three of its rows. Their heading and actions now stand
beside the content (ScreenPage.headingBeside), and the layout checker flags a scrolling area that scrolls but
shows less than layout_check.MIN_VIEW_MM."""
from __future__ import annotations

import pytest

from kiosk import screen
from tests.ui.test_ui_journey import ITEM, at, fill_form
from ui import layout_check


def whole_in_view(k, name: str) -> bool:
    item = k.ui.get(name)
    rect = layout_check._scene_rect(item)
    return layout_check._inside(rect, layout_check._visible_area(item, layout_check.screen_rect(k.ui)))


@pytest.mark.parametrize("diagonal", ["15.6", "21.5"])
def test_landscape_elder_guide_review_and_result_show_their_content(qtbot, make_kiosk, diagonal):
    k = make_kiosk(ui={"elder_mode": True, "orientation": "landscape"},
                   screen={"diagonal_in": screen.PROFILES_IN[diagonal]},
                   idle={"print_after_s": 60.0})
    k.app.window.show()
    qtbot.waitExposed(k.app.window)
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap(k.ui.scroll_to(f"catalog.item.{ITEM}", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    qtbot.waitUntil(lambda: not layout_check.cramped_problems(k.ui) and whole_in_view(k, "guide.start"))
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))
    k.hw["idcard"].place_card("graduate")
    qtbot.waitUntil(at(k, "form"), timeout=10000)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    assert layout_check.cramped_problems(k.ui) == []
    k.ui.tap("review.confirm")
    qtbot.waitUntil(at(k, "result"), timeout=90000)
    assert layout_check.cramped_problems(k.ui) == []
    # the number to keep is seen whole without a swipe
    qtbot.waitUntil(lambda: whole_in_view(k, "result.number"))
