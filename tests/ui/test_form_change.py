"""Issue 22: identify -> form, the slowest screen change, kept light. What is checked is the mechanism, not a
timing: the reading screen is never freed before the form replaces it (freed first, it was drawn once more
as "lay your card" and repainted in the form's way), the platform is asked off the GUI thread, and a form
card builds only the parts its field's type shows."""
from __future__ import annotations

import threading

from tests.ui.test_card_reading_shown import to_identify
from tests.ui.test_ui_journey import at


def test_the_form_replaces_the_busy_reading_screen_and_the_platform_is_asked_off_the_gui_thread(qtbot, make_kiosk):
    k = make_kiosk()
    to_identify(qtbot, k)
    seen: list[tuple[str, bool]] = []  # the view-model's (step, busy) at each change the screen is drawn from
    k.vm.stepChanged.connect(lambda: seen.append((k.vm.step, k.vm.busy)))
    k.vm.busyChanged.connect(lambda: seen.append((k.vm.step, k.vm.busy)))
    asked_on: list[str] = []
    services = k.journey.services
    for obj, name in ((services.citizens, "open"), (services.sharing, "fetch")):
        def on_thread(*args, _call=getattr(obj, name), **kwargs):
            asked_on.append(threading.current_thread().name)
            return _call(*args, **kwargs)
        setattr(obj, name, on_thread)

    k.hw["idcard"].place_card("graduate")
    qtbot.waitUntil(at(k, "form"), timeout=10000)

    assert ("identify", True) in seen  # the reading state was shown ...
    reading = seen.index(("identify", True))
    assert ("identify", False) not in seen[reading:], seen  # ... and never freed on the reading screen
    assert seen[seen.index(("form", False)) - 1] == ("identify", True), seen  # the form came straight after
    assert len(asked_on) == 2 and threading.main_thread().name not in asked_on, asked_on


def test_a_form_card_builds_only_the_parts_of_its_fields_type(qtbot, make_kiosk):
    from tests.ui.test_ui_journey import drive_to_form

    k = make_kiosk()
    drive_to_form(qtbot, k)
    # proof_type is a choice: its chips are there; no field of this form is a tick box, so none is built
    assert k.ui.find_prefix("form.choice.proof_type.")
    for name in ("name", "from_month", "to_month", "proof_type"):
        assert k.ui.find(f"form.check.{name}", visible=False) is None
    assert k.ui.find("form.field.from_month") is not None

