"""The utterance for each journey event: what the kiosk says, in the citizen's language.

A pure function of the event, the session and what was said before (``Recall``): the step's instruction on
every step; the amount once the payment code is on screen; the countdown when it appears and at
``COUNTDOWN_MARKS``; every notice the screen shows (errors included), as it shows it; on the result screen
the actual outcome (秒批 approved is not "received") and the number to keep, digit by digit.
ui/voice.py speaks what it returns through Qt's text-to-speech.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import Notice
from ..face.words import instruction
from ..journey.events import JourneyEvent, JourneyEventKind
from ..journey.plan import PERSONAL, Step
from ..journey.steps.result_print import result_notice
from ..platform.catalog_schema import Text
from .words import digits, speakable, yuan

PROMPTS: dict[str, Text] = {
    "home": Text(zh="您好，请选择要办理的业务", en="Hello, please choose what you would like to do"),
    "catalog": Text(zh="请选择办理事项", en="Please choose a service"),
    "guide": Text(zh="请阅读办事指南，然后点击开始办理", en="Please read the guide, then tap Start"),
    "identify": Text(zh="请将身份证放在屏幕下方的感应区", en="Please place your ID card on the reader below the screen"),
    "face": Text(zh="本事项需要核验本人，请阅读人脸识别授权说明", en="This item needs to confirm it is you: please read "
                 "the face check consent"),
    "form": Text(zh="请核对并填写信息", en="Please check and complete your details"),
    "materials": Text(zh="请将材料正面朝上，平放在高拍仪下方", en="Please lay the page face up under the camera"),
    "sign": Text(zh="请在屏幕上签名", en="Please sign on the screen"),
    "payment": Text(zh="请用手机扫码缴费", en="Please scan the code with your phone to pay"),
    "delivery": Text(zh="请选择结果送达方式", en="Please choose how the result reaches you"),
    "review": Text(zh="请确认申请信息", en="Please check your application"),
    "submit": Text(zh="正在提交，请稍候", en="Submitting, please wait"),
    "result": Text(zh="申请已受理", en="Your application has been accepted"),
    "receipt": Text(zh="请取走回执", en="Please take your receipt"),
    "status": Text(zh="请扫描回执二维码，或输入受理编号", en="Scan the QR code on your receipt, or type its number"),
    "mine": Text(zh="请将身份证放在感应区，查看您的办件", en="Place your ID card on the reader to see your applications"),
    "end": Text(zh="感谢使用，请取走您的身份证、回执和高拍仪下的材料",
                en="Thank you. Please take your ID card, your receipt and your papers"),
}

# The outcome as the result screen states it (kiosk.platform statuses; "queued": saved, sent later).
OUTCOMES: dict[str, Text] = {
    "approved": Text(zh="已审批通过", en="Your application is approved"),
    "received": Text(zh="申请已受理，工作人员将审核", en="Your application is received; staff will review it"),
    "under_review": Text(zh="申请已受理，工作人员将审核", en="Your application is received; staff will review it"),
    "rejected": Text(zh="申请未能受理", en="Your application was not accepted"),
    "queued": Text(zh="申请已保存，联网后将自动提交", en="Your application is saved and will be sent when the "
                                                  "network is back"),
}
REFERENCE = Text(zh="受理编号", en="Your acceptance number is")
LOCAL_NUMBER = Text(zh="本机编号", en="Your kiosk number is")
AMOUNT = Text(zh="应缴金额{0}，请用手机扫码支付", en="The amount is {0}. Please scan the code with your phone to pay")
COUNTDOWN_FIRST = Text(zh="为保护您的信息，还有{0}秒将结束办理。如需继续，请点击屏幕",
                       en="To protect your information, this session ends in {0} seconds. Tap the screen to continue")
# On a step a citizen reads with nothing personal on it (the catalogue, a guide) the countdown only goes home
COUNTDOWN_FIRST_READING = Text(zh="还有{0}秒将返回首页。如需继续，请点击屏幕",
                               en="Returning to the home screen in {0} seconds. Tap the screen to continue")
COUNTDOWN_LEFT = Text(zh="还有{0}秒", en="{0} seconds left")
COUNTDOWN_MARKS = (10, 5)  # after the first warning, the seconds left are said again at these marks
# The materials screen's live message when something lies under the camera but its edges cannot be found
# (kiosk.capture.auto "unsure"): said once, as the screen shows it (ui/qml/screens/materials.qml).
UNSURE = Text(zh="看不清材料的边缘。请把材料放平，或直接按「拍摄」拍下整个画面。",
              en="Can't see the page's edges. Lay it flat, or press Capture to take the whole picture.")


@dataclass(frozen=True)
class Utterance:
    text: str
    lang: str
    interrupt: bool = False  # a new step: stop what is being said; otherwise it is said after it


@dataclass(frozen=True)
class Recall:
    """What was said before, where the next utterance depends on it."""

    countdown: int | None = None  # the seconds last announced while the countdown shows
    order_id: str = ""  # the payment order whose amount was said
    unsure: bool = False  # the materials screen's "cannot see the edges" was said (again once a page is found)


def _en(lang: str) -> bool:
    return lang.startswith("en")


def outcome_utterance(session: Any, lang: str) -> str:
    """The result screen: the decision actually taken, then the number to keep, digit by digit."""
    o = session.outcome
    said = OUTCOMES.get(o.status, PROMPTS["result"]).get(lang)
    parts = [said]
    if o.status == "rejected":
        parts += [r.get("en" if _en(lang) else "zh", "") for r in o.decision_reasons]
    if o.reference:
        parts.append(f"{REFERENCE.get(lang)} {digits(o.reference, lang)}")
    elif o.local_number:
        parts.append(f"{LOCAL_NUMBER.get(lang)} {digits(o.local_number, lang)}")
    sep = ". " if _en(lang) else "。"
    return sep.join(p for p in parts if p)


def step_utterance(step: Step | str, session: Any, lang: str) -> str:
    step = str(step)
    if step == Step.RESULT:
        return outcome_utterance(session, lang)
    prompt = PROMPTS.get(step)
    if prompt is None:
        return ""
    if step == Step.PAYMENT and session.payment.order_id and session.payment.amount_fen > 0:
        return AMOUNT.get(lang).format(yuan(session.payment.amount_fen, lang))
    return prompt.get(lang)


def countdown_utterance(seconds: int | None, previous: int | None, lang: str, personal: bool = True) -> str:
    """The warning when it appears (seconds, and that a tap continues); then the seconds left at the marks.
    ``personal``: the step holds personal data, so the end wipes the session; else it only goes home."""
    if seconds is None or seconds < 0:
        return ""
    if previous is None or seconds > previous:
        return (COUNTDOWN_FIRST if personal else COUNTDOWN_FIRST_READING).get(lang).format(seconds)
    if seconds in COUNTDOWN_MARKS and seconds != previous:
        return COUNTDOWN_LEFT.get(lang).format(seconds)
    return ""


def notice_utterance(notice: Notice | None, lang: str) -> str:
    """The notice's text as the screen shows it, amounts and long numbers made speakable; never its code."""
    if notice is None:
        return ""
    return speakable(notice.text.get(lang), lang)


# The A4 result document (issue 18), said as ui/models/result_present.py shows it; a fault says its notice.
RESULT_PRINTING = Text(zh="正在打印结果文书，请稍候", en="Printing your result document, please wait")
RESULT_PRINTED = Text(zh="结果文书已打印，共 {0} 页，请从 A4 出纸口取走",
                      en="Your result document is printed, {0} page{1}: take it from the A4 tray")


def result_print_utterance(rp: Any, lang: str) -> str:
    """The result document's state as the screen's line says it: printing, printed, or the fault's notice
    (which says where to get it instead); nothing while it is fetched or when there is nothing to print."""
    if rp is None:
        return ""
    state = getattr(rp.state, "value", rp.state)
    if state == "printing":
        return RESULT_PRINTING.get(lang)
    if state == "printed":
        return RESULT_PRINTED.get(lang).format(rp.pages, "" if rp.pages == 1 else "s")
    return notice_utterance(result_notice(rp), lang)


def utterance(event: JourneyEvent, session: Any, lang: str, recall: Recall | None = None
              ) -> tuple[Utterance | None, Recall]:
    """What to say for ``event`` (None: nothing), and what to remember for the next event."""
    recall = recall or Recall()
    kind = event.kind
    text = ""
    interrupt = False
    if kind == JourneyEventKind.STEP:
        text = step_utterance(event.data if event.data is not None else event.step, session, lang)
        interrupt = True
        recall = Recall(countdown=None, order_id=session.payment.order_id if text and event.step == Step.PAYMENT
                        else "")
    elif kind == JourneyEventKind.COUNTDOWN:
        seconds = None if event.data is None else int(event.data)
        text = countdown_utterance(seconds, recall.countdown, lang, personal=event.step in PERSONAL)
        if seconds is None or text:
            recall = replace(recall, countdown=seconds)
    elif kind == JourneyEventKind.NOTICE:
        text = notice_utterance(event.data, lang)
    elif kind == JourneyEventKind.FACE and event.data != "consent":  # the step's prompt says the consent
        text = instruction(str(event.data), lang)  # the instruction now on the face screen
        interrupt = True  # a new challenge: what was being said is stale
    elif kind == JourneyEventKind.LIVE and event.data is not None:
        unsure = getattr(event.data, "problem", None) == "unsure"
        if unsure and not recall.unsure:
            text = UNSURE.get(lang)
        if unsure or str(getattr(event.data, "state", "")) not in ("no_page", "off"):  # a page seen: re-armed
            recall = replace(recall, unsure=unsure)
    elif kind == JourneyEventKind.RESULT_PRINT:
        text = result_print_utterance(event.data, lang)
    elif kind == JourneyEventKind.UPDATE and event.step == Step.PAYMENT:
        p = session.payment
        if p.order_id and p.order_id != recall.order_id and p.amount_fen > 0 and p.status == "pending":
            text = AMOUNT.get(lang).format(yuan(p.amount_fen, lang))
            recall = replace(recall, order_id=p.order_id)
    return (Utterance(text, lang, interrupt) if text else None), recall
