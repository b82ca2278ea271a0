"""What the kiosk says for each journey event (issue 17, item 5): the step, errors as the screen shows them,
the amount, the countdown, the actual outcome (秒批 approved is not "received"), in both languages."""
from __future__ import annotations

from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.journey.events import JourneyEvent
from kiosk.journey.events import JourneyEventKind as K
from kiosk.journey.plan import Step
from kiosk.journey.session import Session
from kiosk.speech.utterance import Recall, utterance


def say(event, session=None, lang="zh_CN", recall=None):
    u, recall = utterance(event, session or Session(), lang, recall)
    return (u.text if u else None), recall


def step(s, session, lang="zh_CN"):
    return say(JourneyEvent(K.STEP, s, s), session, lang)[0]


def test_each_step_says_its_instruction_and_interrupts_what_was_being_said():
    u, _ = utterance(JourneyEvent(K.STEP, Step.IDENTIFY, Step.IDENTIFY), Session(), "zh_CN")
    assert u.text == "请将身份证放在屏幕下方的感应区" and u.interrupt
    assert step(Step.IDENTIFY, Session(), "en_US") == "Please place your ID card on the reader below the screen"


def test_an_instant_approval_is_said_as_approved_with_the_number_digit_by_digit():
    s = Session()
    s.outcome.status, s.outcome.reference = "approved", "SZ2026120500001"
    assert step(Step.RESULT, s) == "已审批通过。受理编号 S Z 二 零 二 六 一 二 零 五 零 零 零 零 一"
    said = step(Step.RESULT, s, "en_US")
    assert said.startswith("Your application is approved. Your acceptance number is S Z two zero two six")
    assert "受理" not in said


def test_a_received_application_is_not_said_to_be_approved():
    s = Session()
    s.outcome.status, s.outcome.reference = "received", "SZ1"
    said = step(Step.RESULT, s)
    assert said.startswith("申请已受理，工作人员将审核") and "审批通过" not in said


def test_a_queued_application_gives_the_kiosk_number():
    s = Session()
    s.outcome.status, s.outcome.local_number = "queued", "K0107"
    assert step(Step.RESULT, s) == "申请已保存，联网后将自动提交。本机编号 K 零 一 零 七"


def test_the_payment_amount_is_said_once_when_the_code_is_on_screen():
    s = Session()
    assert step(Step.PAYMENT, s) == "请用手机扫码缴费"
    recall = Recall()
    s.payment.order_id, s.payment.amount_fen, s.payment.status = "o1", 1000, "pending"
    text, recall = say(JourneyEvent(K.UPDATE, Step.PAYMENT), s, recall=recall)
    assert text == "应缴金额十元，请用手机扫码支付"
    assert say(JourneyEvent(K.UPDATE, Step.PAYMENT), s, recall=recall)[0] is None  # not again per update
    assert say(JourneyEvent(K.UPDATE, Step.PAYMENT), s, "en_US")[0] == ("The amount is 10 yuan. Please scan the "
                                                                       "code with your phone to pay")


def test_the_countdown_is_said_when_it_appears_then_at_ten_and_five_seconds():
    recall = Recall()
    heard = []
    for left in range(20, 0, -1):
        text, recall = say(JourneyEvent(K.COUNTDOWN, Step.FORM, left), recall=recall)
        if text:
            heard.append(text)
    assert heard == ["为保护您的信息，还有20秒将结束办理。如需继续，请点击屏幕", "还有10秒", "还有5秒"]
    text, recall = say(JourneyEvent(K.COUNTDOWN, Step.FORM, None), recall=recall)  # withdrawn by a tap
    assert text is None
    text, _ = say(JourneyEvent(K.COUNTDOWN, Step.FORM, 20), recall=recall)
    assert text.startswith("为保护您的信息")  # a new countdown is announced again
    assert say(JourneyEvent(K.COUNTDOWN, Step.FORM, 10), lang="en_US",
               recall=Recall(countdown=11))[0] == "10 seconds left"


def test_the_countdown_on_the_catalogue_says_it_goes_home_not_that_a_session_ends():
    """Nothing personal is on the catalogue or a guide: the warning promises no wipe there, only the way home."""
    for s in (Step.CATALOG, Step.GUIDE):
        assert say(JourneyEvent(K.COUNTDOWN, s, 20))[0] == "还有20秒将返回首页。如需继续，请点击屏幕"
        assert say(JourneyEvent(K.COUNTDOWN, s, 20), lang="en_US")[0] == (
            "Returning to the home screen in 20 seconds. Tap the screen to continue")
    assert say(JourneyEvent(K.COUNTDOWN, Step.FORM, 20))[0].startswith("为保护您的信息")


def test_an_error_notice_is_said_as_the_screen_shows_it_with_the_amount_in_words_and_no_code():
    notice = notice_for_kiosk(KioskErrorCode.PAYMENT_DONE, "10.00", level="info")
    text, _ = say(JourneyEvent(K.NOTICE, Step.PAYMENT, notice))
    assert text == "支付成功（十元），正在提交申请"
    err = notice_for_kiosk(KioskErrorCode.SIGNATURE_EMPTY, level="error")
    text, _ = say(JourneyEvent(K.NOTICE, Step.SIGN, err), lang="en_US")
    assert text == err.text.en and "2010" not in text
    assert say(JourneyEvent(K.NOTICE, Step.SIGN, None))[0] is None  # a cleared notice says nothing


def test_every_step_a_citizen_acts_on_has_its_spoken_instruction():
    """A blind citizen hears what each screen asks (issue 17, item 5); the attract loop speaks nothing, so
    the kiosk is not talking to an empty hall."""
    from kiosk.journey.plan import Step
    from kiosk.speech import PROMPTS

    missing = [s.value for s in Step if s.value not in PROMPTS and s is not Step.ATTRACT]
    assert not missing, missing
    assert PROMPTS["mine"].zh.startswith("请将身份证") and "applications" in PROMPTS["mine"].en
