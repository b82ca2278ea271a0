"""The materials screen when a page said to be left on the camera bed lies there untouched (a bed whose own
edges detection outlines looks exactly like it to the kiosk).

Protects: first "take it away" and 拍摄 refused; once it has lain untouched for the camera's
auto_leftover_doubt_s, the live message and the notice say what to do in either case (take a page away, or lay
your own), in Chinese and in English, and the notice is said aloud; what lies there unchanged is still never
captured (拍摄 repeats the notice), and the citizen's own page laid is captured by itself. On a 15.6"
landscape elder screen the live bar gives way to the preview while the notice says it (it was cut off under a
scroll cue). Waits on conditions, never sleeps.
"""
from __future__ import annotations

import pytest

from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.journey.plan import Step
from tests.ui.test_ui_materials import MATERIAL, drive_to_materials
from tests.ui.test_ui_notice_room import SMALL
from tests.ui.test_ui_materials_unsure import shots
from ui import layout_check

ZH = "台面上如有旧材料请取走；如没有，请直接放您的材料"
EN = "Take away any page left on the bed, or just lay your own"


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["portrait", "15in-landscape-elder"])
def test_a_page_left_there_untouched_stops_blocking_and_the_screen_says_what_to_do(qtbot, make_kiosk, tmp_path,
                                                                                   layout):
    screen = {"ui": {"orientation": "landscape", "elder_mode": True}, "screen": SMALL} if layout != "portrait" else {}
    k = make_kiosk(devices={"camera": {"options": {"auto_leftover_doubt_s": 4.0}}},
                   idle={"material_done_s": 60.0}, **screen)
    cam = k.hw["camera"]
    cam.put_page("text")                                     # left by someone before
    drive_to_materials(qtbot, k)
    live_text = lambda: k.ui.find("materials.live", visible=False).property("text")  # noqa: E731
    short = layout != "portrait"   # the notice says it: the live bar gives way to the preview

    def says(live: str, code: KioskErrorCode, lang: str = "zh") -> bool:
        wanted = notice_for_kiosk(code).text.get(lang)
        bar_shown = k.ui.find("materials.liveBar") is not None
        return live_text() == ("" if short else live) and bar_shown != short \
            and k.ui.find("notice") is not None and k.vm.notice.get("text") == wanted

    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "leftover", timeout=10000)
    qtbot.waitUntil(lambda: says("高拍仪下有之前留下的材料，请先取走", KioskErrorCode.PAGE_LEFT_BEHIND))
    k.ui.grab().save(str(shots(tmp_path) / f"materials-leftover-{layout}-zh_CN.png"))
    assert layout_check.problems(k.ui) == []
    # 拍摄 is refused while it is taken for a page left there. The screenshot and the layout check above can take
    # longer than the wait on a loaded machine: then it is already doubted, and 拍摄 is refused there too.
    k.ui.tap("materials.capture")
    assert k.journey.notice is not None
    assert k.journey.notice.code in (KioskErrorCode.PAGE_LEFT_BEHIND, KioskErrorCode.LEFTOVER_DOUBTED)
    assert k.journey.session.page_count(MATERIAL) == 0 and cam.stills == 0
    qtbot.waitUntil(lambda: k.vm.live.get("problem") == "leftover_doubt", timeout=15000)
    qtbot.waitUntil(lambda: says(ZH, KioskErrorCode.LEFTOVER_DOUBTED))
    notice = k.journey.notice
    qtbot.waitUntil(lambda: notice.text.zh in k.app.voice.said)
    assert k.journey.session.page_count(MATERIAL) == 0 and cam.stills == 0
    k.ui.grab().save(str(shots(tmp_path) / f"materials-leftover-doubt-{layout}-zh_CN.png"))
    assert layout_check.problems(k.ui) == []
    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: says(EN, KioskErrorCode.LEFTOVER_DOUBTED, "en"))
    k.ui.grab().save(str(shots(tmp_path) / f"materials-leftover-doubt-{layout}-en_US.png"))
    assert layout_check.problems(k.ui) == []
    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: says(ZH, KioskErrorCode.LEFTOVER_DOUBTED))

    k.ui.tap("materials.capture")                            # what lies there unchanged: still not taken
    assert not k.journey.busy and cam.stills == 0             # (a capture started sets busy at once)
    assert k.journey.notice is not None and k.journey.notice.code == KioskErrorCode.LEFTOVER_DOUBTED
    cam.put_page("form")                                     # the citizen's own page: captured by itself
    qtbot.waitUntil(lambda: k.journey.session.page_count(MATERIAL) == 1 and not k.vm.busy, timeout=20000)
    assert k.journey.steps[Step.MATERIALS].live.auto.doubted == 1
