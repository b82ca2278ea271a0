"""Voice prompts (EN 301 549 closed functionality): the screen's instruction is spoken on every step.

Qt TextToSpeech with the speechd engine (speech-dispatcher + espeak-ng, Mandarin voice cmn) where it
works; silent and fine where it does not (no daemon, no audio device): the failure is logged once and the
kiosk carries on. Tests use Qt's "mock" engine and check what the kiosk asked to say.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QLocale
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.platform.catalog_schema import Text

log = logging.getLogger(__name__)

PROMPTS: dict[str, Text] = {
    "home": Text(zh="您好，请选择要办理的业务", en="Hello, please choose what you would like to do"),
    "catalog": Text(zh="请选择办理事项", en="Please choose a service"),
    "guide": Text(zh="请阅读办事指南，然后点击开始办理", en="Please read the guide, then tap Start"),
    "identify": Text(zh="请将身份证放在屏幕下方的感应区", en="Please place your ID card on the reader below the screen"),
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
    "end": Text(zh="感谢使用，请取走您的身份证、回执和高拍仪下的材料",
                en="Thank you. Please take your ID card, your receipt and your papers"),
}


class Voice:
    def __init__(self, engine: str = "speechd", enabled: bool = True) -> None:
        self.enabled = enabled
        self.said: list[str] = []  # what the kiosk asked to say (tests, and the technician's log)
        self._tts: QTextToSpeech | None = None
        self._warned = False
        if enabled and engine in QTextToSpeech.availableEngines():
            self._tts = QTextToSpeech(engine)
        elif enabled:
            log.warning("voice prompts off: text-to-speech engine %r is not available", engine)

    @property
    def working(self) -> bool:
        return self._tts is not None and self._tts.state() != QTextToSpeech.State.Error

    def say(self, text: str, lang: str = "zh_CN", slow: bool = False) -> None:
        if not self.enabled or not text:
            return
        self.said.append(text)
        tts = self._tts
        if tts is None:
            return
        if tts.state() == QTextToSpeech.State.Error:
            if not self._warned:
                self._warned = True
                log.warning("voice prompts silent: %s (install speech-dispatcher and espeak-ng, check audio)",
                            tts.errorString())
            return
        tts.stop()
        tts.setLocale(QLocale(lang))
        tts.setRate(-0.25 if slow else 0.0)
        tts.say(text)

    def prompt(self, step: str, lang: str, slow: bool = False) -> None:
        text = PROMPTS.get(step)
        if text is not None:
            self.say(text.get(lang), lang, slow)
