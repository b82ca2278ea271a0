"""Issue 22 item 4 (screens): the identify screen while the ID card on the reader is read. The card lies
still on the reader, a drawn progress indicator shows (it must show in a still: a style's spinner drew
nothing in offscreen grabs), and the page says, in its own panel that covers nothing, what is happening
("正在读取身份证信息，请稍候") and what to do ("请不要移开身份证"), in Chinese and English, standard and elder
mode, portrait and landscape. The state ends when the card is lifted or its read fails."""
from __future__ import annotations

import os

import numpy as np
import pytest

from devices.base import DeviceError, EventKind
from devices.errors import DeviceErrorCode
from kiosk import screen
from tests.ui.test_card_reading_shown import to_identify
from ui import layout_check
from ui.autopilot_driver import prop

VARIANTS = {"zh-portrait": {}, "zh-landscape": {"orientation": "landscape"},
            "elder": {"elder_mode": True}, "en": {"lang": "en_US"},
            # the smallest page the kiosk has: 15.6" landscape, elder English (the drawing shrinks, the panel
            # sets its sentences a size smaller)
            "small-elder-en-landscape": {"orientation": "landscape", "elder_mode": True, "lang": "en_US",
                                         "screen": 15.6}}
SAID = {"zh_CN": ("正在读取身份证信息，请稍候", "请不要移开身份证"),
        "en_US": ("Reading your ID card, please wait", "Please keep the card on the reader")}
PANEL = ("identify.reading.progress", "identify.reading.text", "identify.reading.keep")


def shot(k, name: str) -> None:
    if os.environ.get("KIOSK_SCREENSHOTS"):
        k.ui.grab().save(os.path.join(os.environ["KIOSK_SCREENSHOTS"], name))


def reading(k) -> bool:
    return k.vm.busy and k.ui.find("identify.reading") is not None


def card_found(k) -> None:
    """The reader finds a card (its read not yet answered): what the driver raises before it reads."""
    k.comp.runtime.devices.get("idcard").emit(EventKind.CARD_PLACED)


def ink(k, name: str, rgb: tuple[int, int, int]) -> float:
    """The share of ``name``'s pixels, as grabbed from the window, within a few levels of ``rgb``."""
    image = k.ui.window.grabWindow()
    rect = layout_check._scene_rect(k.ui.get(name))
    dpr = image.devicePixelRatio()
    crop = image.copy(round(rect.x() * dpr), round(rect.y() * dpr), round(rect.width() * dpr),
                      round(rect.height() * dpr)).convertToFormat(image.Format.Format_RGB888)
    w, h, stride = crop.width(), crop.height(), crop.bytesPerLine()
    px = np.frombuffer(crop.constBits(), np.uint8, count=stride * h).reshape(h, stride)[:, :w * 3].reshape(h, w, 3)
    return float((np.abs(px.astype(int) - np.array(rgb)).max(axis=2) <= 24).mean())


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_reading_state_says_both_sentences_over_a_drawn_indicator_and_covers_nothing(qtbot, make_kiosk,
                                                                                       variant):
    ui = dict(VARIANTS[variant])
    inches = ui.pop("screen", None)
    # the reading state stays while the test looks at it (it ends by itself after card_read_wait_s, 8 s: the
    # checks below take seconds on a loaded machine)
    k = make_kiosk(ui=ui, idle={"card_read_wait_s": 120},
                   **({"screen": {"diagonal_in": screen.PROFILES_IN[str(inches)]}} if inches else {}))
    to_identify(qtbot, k)
    assert k.ui.find("identify.reading") is None  # nothing said before a card
    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [])
    shot(k, f"identify-{variant}.png")
    # before a card the drawing shows the card at least at an ID card's real width (85.6 mm), on the smallest
    # page too: 15.6" landscape elder English drew it about 10 mm wide under a two-line prompt and the button
    assert k.ui.get("identify.card").width() >= 85.6 * k.vm.pxPerMm
    art_before = (k.ui.get("identify.art").height(), k.ui.get("identify.art").width())
    card_found(k)
    qtbot.waitUntil(lambda: reading(k), timeout=10000)
    lang = ui.get("lang", "zh_CN")
    assert tuple(prop(k.ui.get(n), "text") for n in PANEL[1:]) == SAID[lang]
    # the window's overlay holds taps but draws neither its veil, its spinner nor a second copy of the text
    assert k.ui.find("busy") is not None and k.ui.find("busy.text") is None
    assert k.ui.find("identify.trouble") is None  # no button that would do nothing
    # (landscape: the drawing glides aside for the panel in 0.3 s; the checks below look at where it stops)
    art = k.ui.get("identify.art")
    qtbot.waitUntil(lambda: art.x() == prop(art, "placedX"), timeout=2000)
    # nothing cut or off the page, in this variant's language and sizes
    assert layout_check.settled_problems(k.ui) == []
    card = k.ui.get("identify.card")
    y = card.y()
    qtbot.wait(300)  # (the drop animation moved the card by about 10 px per frame)
    assert card.y() == y  # lying still on the reader
    reader = k.ui.get("identify.reader")
    assert card.y() < reader.y() < card.y() + card.height()  # on it, not above it
    # the drawing stays where it was: the panel's room was kept for it (the card laid, nothing jumps), but
    # on a short page, where the prompt and the button make room for the panel
    if not prop(prop(k.ui.get("page"), "item"), "short"):
        assert (art.height(), art.width()) == art_before
    else:
        assert k.ui.find("page.prompt") is None
    # the panel and the drawing apart, and the panel's lines apart from each other and the heading
    others = ["identify.card", "identify.reader", "page.title", "page.prompt", "header.title", "notice"]
    assert layout_check.overlaps(k.ui, ["identify.reading"], others) == []
    assert layout_check.overlaps(k.ui, list(PANEL)) == []
    # the indicator is drawn: its filled dots are in the window's pixels (the theme's primary blue)
    primary = (0x00, 0x3A, 0x8C) if ui.get("elder_mode") else (0x0B, 0x4E, 0xA2)
    assert ink(k, "identify.reading.progress", primary) > 0.1
    shot(k, f"reading-{variant}.png")


def test_the_reading_state_ends_when_the_card_is_lifted_and_when_its_read_fails(qtbot, make_kiosk):
    k = make_kiosk(idle={"card_read_wait_s": 120})  # it ends by the lift and the failure, not by its own 8 s
    to_identify(qtbot, k)
    card_found(k)
    qtbot.waitUntil(lambda: reading(k), timeout=10000)
    k.comp.runtime.devices.get("idcard").emit(EventKind.CARD_REMOVED)
    qtbot.waitUntil(lambda: k.ui.find("identify.reading") is None and not k.vm.busy, timeout=10000)
    assert k.ui.find("identify.trouble") is not None and k.ui.find("busy") is None
    card_found(k)
    qtbot.waitUntil(lambda: reading(k), timeout=10000)
    k.comp.runtime.devices.get("idcard").emit(EventKind.CARD_ERROR,
                                              DeviceError(DeviceErrorCode.IDCARD_READ_FAILED, "rf"))
    qtbot.waitUntil(lambda: k.ui.find("identify.reading") is None and not k.vm.busy, timeout=10000)
    assert k.vm.step == "identify" and k.vm.notice  # the failure is said in the notice bar
