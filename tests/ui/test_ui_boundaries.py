"""Session boundaries on the real screens with the simulated reader (issue 15, item 7): a card left on the
reader does not reach the next citizen; resets ask for the card and the papers, on screen and by voice."""
from __future__ import annotations

from tests.ui.test_ui_journey import at, drive_to_form

TAKE = "请取走您的身份证和高拍仪下的材料"


def test_a_card_left_on_the_reader_is_not_the_next_citizens_and_the_reset_says_take_it(qtbot, make_kiosk):
    k = make_kiosk(ui={"voice": True, "voice_engine": "mock"})
    drive_to_form(qtbot, k)  # citizen A's card read, and left lying on the reader
    k.journey.cancel()
    qtbot.waitUntil(lambda: k.vm.step == "home" and k.vm.notice.get("code") == 2062)
    assert k.vm.notice["text"] == TAKE and TAKE in k.app.voice.said
    # Citizen B: the card still lying there is read when the reader is armed, and refused.
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap(k.ui.scroll_to("catalog.item.920000008000", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    k.ui.tap("guide.start")
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2060, timeout=10000)
    assert k.vm.step == "identify" and k.journey.session.card is None
    # Lifted and laid again: now it is this citizen's.
    k.hw["idcard"].remove_card()
    qtbot.waitUntil(lambda: not k.journey.session.card_stale)  # the reader saw it lifted
    k.hw["idcard"].place_card("graduate")
    qtbot.waitUntil(at(k, "form"), timeout=10000)


def test_back_from_the_form_reads_the_card_again(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k)
    steps, reads = [], []
    k.journey.subscribe(lambda e: steps.append(str(e.data)) if e.kind == "step" else None)
    k.journey.devices.subscribe(lambda e: reads.append(e) if e.kind == "card_read" else None)
    k.ui.tap("header.back")
    # The card lying there is read again (the reader was armed anew), and on to the form.
    qtbot.waitUntil(lambda: steps[-2:] == ["identify", "form"] and at(k, "form")(), timeout=10000)
    assert reads and k.journey.session.card is not None


def test_the_end_screen_promises_the_wipe_as_what_will_happen(qtbot, make_kiosk):
    from devices.idcard.synthetic import IDENTITIES
    from kiosk.capture.pages import Page

    k = make_kiosk()
    k.journey.session.card = IDENTITIES["graduate"]  # a journey that read a card and took a page
    k.journey.session.pages["m"] = [Page(bytearray(b"x"), "image/jpeg", 1, 1)]
    k.journey._go(k.journey.step.__class__("end"))
    qtbot.waitUntil(lambda: k.vm.step == "end" and k.ui.find("page") is not None)
    text = k.ui.get("end.page").property("prompt")
    assert "将从本机清除" in text and "已从本机清除" not in text
    assert "身份证" in text and "高拍仪下的材料" in text  # only what this journey used (see test_things_to_take)


def test_the_form_masks_the_id_number_and_labels_it_by_card_type(qtbot, make_kiosk):
    k = make_kiosk()
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap(k.ui.scroll_to("catalog.item.920000008000", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))
    k.hw["idcard"].place_card("foreign_2023")
    qtbot.waitUntil(at(k, "form"), timeout=10000)
    full = k.journey.session.card.id_number
    shown = k.ui.get("form.field.id_number").property("text")
    assert shown and full not in shown and shown[-4:] == full[-4:]
    assert k.journey.session.form["id_number"] == full  # the package keeps the number
    labels = [f["label"] for f in k.vm.formFields if f["name"] == "id_number"]
    assert labels == ["永久居留身份证号码"]


def test_home_in_the_middle_of_an_application_asks_before_discarding(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k)
    k.ui.tap("header.home")
    qtbot.waitUntil(lambda: k.ui.find("confirmHome") is not None)
    assert k.vm.step == "form" and k.journey.session.card is not None  # nothing discarded yet
    k.ui.tap("confirmHome.stay")
    qtbot.waitUntil(lambda: k.ui.find("confirmHome") is None)
    assert k.vm.step == "form"
    k.ui.tap("header.home")
    qtbot.waitUntil(lambda: k.ui.find("confirmHome") is not None)
    k.ui.tap("confirmHome.leave")
    qtbot.waitUntil(at(k, "home"))
    assert k.journey.session.card is None and k.ui.find("confirmHome") is None
