"""The A4 result document's lines are spoken (issue 18): printing, printed (with its pages), and a fault as the
screen's notice says it (where to get the result instead), in zh and en; a fetch in progress says nothing."""
from __future__ import annotations

from devices.errors import DeviceErrorCode
from kiosk.errors import KioskErrorCode
from kiosk.journey.events import JourneyEvent
from kiosk.journey.events import JourneyEventKind as K
from kiosk.journey.plan import Step
from kiosk.journey.session import ResultPrint, ResultPrintState, Session
from kiosk.speech.utterance import utterance

REF = "SZ2026120500042"


def say(rp, lang="zh_CN"):
    u, _ = utterance(JourneyEvent(K.RESULT_PRINT, Step.RECEIPT, rp), Session(), lang)
    return u.text if u else None


def test_printing_is_said_and_waits_politely_without_interrupting():
    u, _ = utterance(JourneyEvent(K.RESULT_PRINT, Step.RESULT, ResultPrint(ResultPrintState.PRINTING, REF)),
                     Session(), "zh_CN")
    assert u.text == "正在打印结果文书，请稍候" and not u.interrupt
    assert say(ResultPrint(ResultPrintState.PRINTING, REF), "en_US") == "Printing your result document, please wait"


def test_printed_says_the_pages_and_the_tray():
    assert say(ResultPrint(ResultPrintState.PRINTED, REF, pages=2)) == "结果文书已打印，共 2 页，请从 A4 出纸口取走"
    assert say(ResultPrint(ResultPrintState.PRINTED, REF, pages=1), "en_US") == \
        "Your result document is printed, 1 page: take it from the A4 tray"


def test_a_fault_is_said_as_its_notice_names_it_never_its_code():
    rp = ResultPrint(ResultPrintState.FAILED, REF, code=KioskErrorCode.RESULT_NOT_PRINTED,
                     device_code=int(DeviceErrorCode.A4_PAPER_OUT))
    zh, en = say(rp), say(rp, "en_US")
    assert zh.startswith("结果文书未能打印") and "我的办件" in zh and "2173" not in zh
    assert en and "2173" not in en and en != zh


def test_a_fetch_in_progress_and_nothing_to_print_say_nothing():
    assert say(ResultPrint(ResultPrintState.FETCHING, REF)) is None
    assert say(ResultPrint(ResultPrintState.NONE, REF)) is None
    assert say(None) is None
