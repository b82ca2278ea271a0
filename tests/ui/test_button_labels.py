"""A button's words stay inside the button: an elder English label that wraps to two lines on a narrow button
("Trouble with the card?" on the identify screen, 21.5" portrait elder) ran 8 px past both edges; the button
now grows to its label (the layout checker's label check found it in the face item's sweep)."""
from __future__ import annotations

from tests.ui.test_ui_journey import at
from ui import layout_check


def test_a_wrapped_elder_english_label_keeps_inside_its_button(qtbot, make_kiosk):
    k = make_kiosk(ui={"elder_mode": True, "lang": "en_US"})
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    k.vm.chooseItem("312000218000")
    qtbot.waitUntil(at(k, "guide"))
    k.vm.startItem()
    qtbot.waitUntil(at(k, "identify"))
    qtbot.waitUntil(lambda: k.ui.find("identify.trouble") is not None)
    qtbot.waitUntil(lambda: [p for p in layout_check.label_problems(k.ui)] == [], timeout=3000)
