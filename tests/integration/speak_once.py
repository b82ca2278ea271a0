"""Run by test_voice_recorded.py in a process of its own (its environment: the test's PulseAudio server and
runtime dir): the kiosk's Voice, with Qt's speechd engine, hears a journey event and says its utterance;
exits when the engine has finished speaking. Argument: the screen's language (zh_CN, en_US). Prints the text said and the seconds the engine spoke."""
from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.journey.events import JourneyEvent, JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.journey.session import Session
from ui.voice import Voice


class OneResult:
    """The journey as the voice sees it: a 秒批 approval on the result screen."""

    def __init__(self) -> None:
        self.session = Session()
        self.session.outcome.status = "approved"
        self.session.outcome.reference = "SZ2026120500001"
        self.step = Step.RESULT
        self.listeners: list = []

    def subscribe(self, fn) -> None:
        self.listeners.append(fn)


def main() -> int:
    app = QGuiApplication(["speak_once"])
    voice = Voice("speechd")
    if not voice.wait_started(30.0) or not voice.working:
        print(json.dumps({"error": f"no speechd engine: {voice.error}"}))
        return 3
    journey = OneResult()
    lang = sys.argv[1] if len(sys.argv) > 1 else "zh_CN"
    voice.attach(journey, lambda: lang, lambda: False)
    seen: dict[str, float] = {}

    def state(value: int) -> None:
        s = QTextToSpeech.State(value)
        if s == QTextToSpeech.State.Speaking:
            seen.setdefault("start", time.monotonic())
        elif s in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error) and "start" in seen:
            seen["end"] = time.monotonic()
            app.quit()

    voice.stateChanged.connect(state)
    for fn in journey.listeners:
        fn(JourneyEvent(JourneyEventKind.STEP, Step.RESULT, Step.RESULT))
    QTimer.singleShot(60000, app.quit)
    app.exec()
    print(json.dumps({"said": voice.said, "spoke_s": seen.get("end", 0) - seen.get("start", 0),
                      "error": voice.error, "voice": voice.voice_name}, ensure_ascii=False))
    voice.close()
    return 0 if "end" in seen else 4


if __name__ == "__main__":
    sys.exit(main())
