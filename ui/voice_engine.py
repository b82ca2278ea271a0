"""The speech engine's side of the voice: Qt's QTextToSpeech, driven by sentences, reporting its state.

Qt's speechd engine talks to speech-dispatcher through libspeechd, synchronously and holding Python's GIL:
its constructor, ``say`` and ``stop`` wait for the daemon's answer. A daemon that accepts and never answers
(seen here: one autospawned under a display server that had just started, or one stuck unloading its
espeak-ng module) froze the whole kiosk in the middle of a journey (CI, stop 25: the autopilot under Xvfb
stopped after the guide). A thread cannot help (the GIL stays taken), so a real engine runs in a process of
its own (ui/voice_server.py, driven by ui/voice.py): a stuck voice is killed and started again, and the
screen never waits for it. Qt's "mock" engine, which cannot hang, runs in the kiosk's process (UI tests).
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLocale, QObject, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.speech import speechd

log = logging.getLogger(__name__)

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


class Speaker(QObject):
    """Owns the QTextToSpeech: in the voice process (ui/voice_server.py), or in the kiosk for the mock engine."""

    started = Signal(bool, str)  # the engine is up; else why not (said once, for the technician's log)
    stateChanged = Signal(int, str, str)  # QTextToSpeech.State value, error string, the voice's name
    done = Signal()  # one request handled (the screen counts what is still in flight)

    def __init__(self) -> None:
        super().__init__()
        self._tts: QTextToSpeech | None = None
        self._voice_for: dict[str, Any] = {}

    @Slot(str)
    def start(self, engine: str) -> None:
        recovered = ""
        if engine == "speechd":
            found = speechd.probe()
            if found.state == speechd.SpeechdState.HUNG:
                # Qt's speechd engine would block in its constructor for good: a wedged daemon of our own is
                # stopped (a fresh one spawns); one that stays, or is not ours: no engine, say why.
                recovered = speechd.stop_hung(found)
                if speechd.probe().state == speechd.SpeechdState.HUNG:
                    self.started.emit(False, f"speech-dispatcher at {found.socket} does not answer "
                                             f"({found.detail})" + (f"; {recovered}" if recovered else ""))
                    return
        if engine not in QTextToSpeech.availableEngines():
            self.started.emit(False, f"text-to-speech engine {engine!r} is not available")
            return
        self._tts = QTextToSpeech(engine, self)
        self._tts.stateChanged.connect(self._state)
        if self._tts.state() == QTextToSpeech.State.Error:
            self.started.emit(False, self._tts.errorString() or "the engine reports an error")
            return
        self.started.emit(True, recovered)  # the technician is told a daemon was stopped

    def _state(self, state: Any) -> None:
        tts = self._tts
        if tts is not None:
            self.stateChanged.emit(int(state.value), tts.errorString(), tts.voice().name())

    @Slot(str, str, bool, bool)
    def utter(self, text: str, lang: str, interrupt: bool, slow: bool) -> None:
        try:
            tts = self._tts
            if tts is None or tts.state() == QTextToSpeech.State.Error:
                return
            speaking = tts.state() == QTextToSpeech.State.Speaking
            if interrupt and speaking:
                tts.stop()
            self._choose_voice(tts, lang)
            tts.setRate(-0.25 if slow else 0.0)
            if interrupt or not speaking:
                tts.say(text)
            else:
                tts.enqueue(text)
        finally:
            self.done.emit()

    def _choose_voice(self, tts: QTextToSpeech, lang: str) -> None:
        key = "en" if lang.startswith("en") else "zh"
        if key not in self._voice_for:
            self._voice_for[key] = find_voice(tts, lang)
        voice = self._voice_for[key]
        if voice is not None and tts.voice() != voice:
            tts.setVoice(voice)

    @Slot()
    def finish(self) -> None:
        """Stop speaking (the kiosk is closing)."""
        if self._tts is not None:
            self._tts.stop()
