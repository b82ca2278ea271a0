"""Voice prompts (EN 301 549 closed functionality): what the kiosk says, through Qt's text-to-speech.

What is said comes from kiosk.speech (no Qt): the step's instruction, errors as the screen shows them,
amounts in words, numbers digit by digit, the countdown, the actual outcome. This module speaks it with
Qt TextToSpeech, engine speechd (speech-dispatcher -> its espeak-ng output module -> PulseAudio): a new
step interrupts what is being said, anything else is queued after it. Where speech cannot work (no engine,
no daemon, no audio device) the failure is logged once and the kiosk carries on; ``kiosk doctor`` says why
(ui/voice_check.py). Tests use Qt's "mock" engine and check ``said``; tests/integration records the real path.

``speak(text)`` is the API for other screens (form errors): the text is said after what is being said.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QLocale, QObject, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.speech import PROMPTS, speakable, speechd
from kiosk.speech.utterance import Recall, Utterance, step_utterance, utterance

log = logging.getLogger(__name__)

__all__ = ["PROMPTS", "Voice"]

SAID_KEPT = 200
REPEAT_S = 3.0  # the same sentence asked for twice within this (a notice and its field error) is said once


# espeak-ng names Mandarin "cmn", which QLocale does not know: Qt's speechd engine files its voices under the
# "C" locale, so setLocale(zh_CN) finds nothing and the first voice of that group (Bishnupriya Manipuri)
# would read Chinese. The voice is chosen by name where the locale does not find it.
VOICE_NAMES = {"zh": ("Chinese (Mandarin, latin as English)", "Chinese (Mandarin", "Mandarin", "Chinese"),
               "en": ("English (America)", "English (Great Britain)", "English")}


def find_voice(tts: QTextToSpeech, lang: str) -> Any:
    """The engine's voice for ``lang`` ("zh_CN", "en_US"): by locale, else by name; None when it has none."""
    key = "en" if lang.startswith("en") else "zh"
    wanted = QLocale(lang)
    tts.setLocale(wanted)
    if tts.locale().language() == wanted.language() and tts.availableVoices():
        return _by_name(tts.availableVoices(), key) or tts.voice()
    for locale in tts.availableLocales():
        if locale.language() not in (QLocale.Language.C, QLocale.Language.AnyLanguage, wanted.language()):
            continue
        tts.setLocale(locale)
        found = _by_name(tts.availableVoices(), key)
        if found is not None:
            return found
    return None


def _by_name(voices: list, key: str) -> Any:
    """The first voice named as VOICE_NAMES prefers (espeak-ng's variants, "name+variant", last)."""
    for name in VOICE_NAMES[key]:
        for v in voices:
            if v.name().startswith(name) and "+" not in v.name():
                return v
    return None


class Voice(QObject):
    _heard = Signal(object)  # a journey event, hopped to the GUI thread

    def __init__(self, engine: str = "speechd", enabled: bool = True) -> None:
        super().__init__()
        self.enabled = enabled
        self.said: list[str] = []  # what the kiosk asked to say (tests, and the technician's log)
        self._tts: QTextToSpeech | None = None
        self._warned = False
        self._last: tuple[str, float] = ("", 0.0)
        self._recall = Recall()
        self._voice_for: dict[str, Any] = {}  # "zh"/"en" -> QVoice (None: the engine's default), found once
        self._journey: Any = None
        self._session: Callable[[], Any] = lambda: None
        self._lang: Callable[[], str] = lambda: "zh_CN"
        self._slow: Callable[[], bool] = lambda: False
        hung = speechd.probe() if enabled and engine == "speechd" else None
        if hung is not None and hung.state == speechd.SpeechdState.HUNG:
            # Qt's speechd engine would block this thread for good in its constructor: silent, not frozen.
            log.warning("voice prompts off: speech-dispatcher at %s does not answer (%s); run `kiosk doctor`",
                        hung.socket, hung.detail)
        elif enabled and engine in QTextToSpeech.availableEngines():
            self._tts = QTextToSpeech(engine, self)
        elif enabled:
            log.warning("voice prompts off: text-to-speech engine %r is not available", engine)
        self._heard.connect(self._on_event)

    @property
    def working(self) -> bool:
        return self._tts is not None and self._tts.state() != QTextToSpeech.State.Error

    @property
    def speaking(self) -> bool:
        return self._tts is not None and self._tts.state() == QTextToSpeech.State.Speaking

    @property
    def engine(self) -> QTextToSpeech | None:
        return self._tts

    def attach(self, journey: Any, lang: Callable[[], str], slow: Callable[[], bool]) -> None:
        """Speak the journey's events (any thread) in the screen's current language, slower in elder mode."""
        self._journey = journey
        self._session = lambda: journey.session
        self._lang, self._slow = lang, slow
        journey.subscribe(self._heard.emit)

    def _on_event(self, event: Any) -> None:
        session = self._session()
        if session is None:
            return
        said, self._recall = utterance(event, session, self._lang(), self._recall)
        if said is not None:
            self.utter(said, self._slow())

    def utter(self, u: Utterance, slow: bool = False) -> None:
        if not self.enabled or not u.text:
            return
        now = time.monotonic()
        if not u.interrupt and self._last[0] == u.text and now - self._last[1] < REPEAT_S:
            return
        self._last = (u.text, now)
        self.said.append(u.text)
        if len(self.said) > SAID_KEPT:  # a kiosk runs for months: keep the recent ones
            del self.said[: len(self.said) - SAID_KEPT]
        tts = self._tts
        if tts is None:
            return
        if tts.state() == QTextToSpeech.State.Error:
            if not self._warned:
                self._warned = True
                log.warning("voice prompts silent: %s (run `kiosk doctor`: speech-dispatcher, its espeak-ng "
                            "module, audio output)", tts.errorString())
            return
        speaking = tts.state() == QTextToSpeech.State.Speaking
        if u.interrupt and speaking:
            tts.stop()
        self._choose_voice(tts, u.lang)
        tts.setRate(-0.25 if slow else 0.0)
        if u.interrupt or not speaking:
            tts.say(u.text)
        else:
            tts.enqueue(u.text)

    def _choose_voice(self, tts: QTextToSpeech, lang: str) -> None:
        key = "en" if lang.startswith("en") else "zh"
        if key not in self._voice_for:
            self._voice_for[key] = find_voice(tts, lang)
        voice = self._voice_for[key]
        if voice is not None and tts.voice() != voice:
            tts.setVoice(voice)

    def say(self, text: str, lang: str = "zh_CN", slow: bool = False) -> None:
        """Say ``text`` now, interrupting what is being said."""
        self.utter(Utterance(text, lang, interrupt=True), slow)

    @Slot(str)
    @Slot(str, str)
    def speak(self, text: str, lang: str | None = None) -> None:
        """Say a sentence the screen shows (a form error, say) after what is being said; amounts and long
        numbers are read as a listener needs them. ``lang`` defaults to the screen's language."""
        lang = lang or self._lang()
        self.utter(Utterance(speakable(text, lang), lang), self._slow())

    @Slot()
    def restate(self) -> None:
        """Say the current step's instruction again (the language changed)."""
        if self._journey is not None:
            lang = self._lang()
            self.utter(Utterance(step_utterance(self._journey.step, self._journey.session, lang), lang, True),
                       self._slow())

    def prompt(self, step: str, lang: str, slow: bool = False) -> None:
        text = PROMPTS.get(step)
        if text is not None:
            self.say(text.get(lang), lang, slow)
