"""Voice prompts (EN 301 549 closed functionality): what the kiosk says, through Qt's text-to-speech.

What is said comes from kiosk.speech (no Qt): the step's instruction, errors as the screen shows them,
amounts in words, numbers digit by digit, the countdown, the actual outcome. This module speaks it with
Qt TextToSpeech, engine speechd (speech-dispatcher -> its espeak-ng output module -> PulseAudio): a new
step interrupts what is being said, anything else is queued after it. The engine lives in a process of its
own (ui/voice_server.py): a speech-dispatcher that hangs silences the voice, never the screen. Where speech cannot work (no engine,
no daemon, no audio device) the failure is logged once and the kiosk carries on; ``kiosk doctor`` says why
(ui/voice_check.py). Tests use Qt's "mock" engine and check ``said``; tests/integration records the real path.

``speak(text)`` is the API for other screens (form errors): the text is said after what is being said.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QProcess, QProcessEnvironment, QTimer, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.speech import PROMPTS, speakable, speechd
from kiosk.speech.utterance import Recall, Utterance, step_utterance, utterance

from .voice_engine import Speaker, find_voice

log = logging.getLogger(__name__)

__all__ = ["PROMPTS", "Voice", "find_voice"]

ROOT = Path(__file__).resolve().parents[1]  # the voice process imports ui.voice_server from here
SAID_KEPT = 200
STUCK_AFTER = 8  # sentences sent to the voice process and not yet taken: it is stuck in the engine
RETRY_S = 60  # a voice that could not start, ended or hung is tried again after this
# A voice process that has not said whether its engine started is only called stuck this long after its launch:
# its Python and Qt imports took more than the 2 s of 8 sentences on a loaded machine, and a voice still starting
# was killed as hung (and the technician told the engine did not answer) before it ever reached the engine.
START_GRACE_S = 10.0
REPEAT_S = 3.0  # the same sentence asked for twice within this (a notice and its field error) is said once


class Voice(QObject):
    _heard = Signal(object)  # a journey event, hopped to the GUI thread
    ready = Signal(bool)  # the engine started (True) or cannot speak (False)
    stateChanged = Signal(int)  # the engine's QTextToSpeech.State value, as the voice reports it

    def __init__(self, engine: str = "speechd", enabled: bool = True) -> None:
        super().__init__()
        self.enabled = enabled
        self.said: list[str] = []  # what the kiosk asked to say (tests, and the technician's log)
        self._last: tuple[str, float] = ("", 0.0)
        self._recall = Recall()
        self._journey: Any = None
        self._session: Callable[[], Any] = lambda: None
        self._lang: Callable[[], str] = lambda: "zh_CN"
        self._slow: Callable[[], bool] = lambda: False
        # What the engine last reported: started is None until it has started (or failed to).
        self.started: bool | None = None
        self.state = QTextToSpeech.State.Ready
        self.error = ""
        self.voice_name = ""
        self.stuck_kills = 0  # voice processes killed because they stopped taking sentences
        self._engine = engine
        self._in_flight = 0
        self._closing = False
        self._proc: QProcess | None = None
        self._launched_at = time.monotonic()
        self._local: Speaker | None = None
        self._buf = b""
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(int(RETRY_S * 1000))
        self._retry.timeout.connect(self._launch)
        self._heard.connect(self._on_event)
        if enabled:
            self._launch()

    def _launch(self) -> None:
        self.started, self.state, self._in_flight, self._buf = None, QTextToSpeech.State.Ready, 0, b""
        self._launched_at = time.monotonic()
        if self._engine == "mock":  # Qt's mock engine cannot hang: it runs here (UI tests)
            speaker = Speaker()
            speaker.setParent(self)
            speaker.started.connect(self._on_started)
            speaker.stateChanged.connect(self._on_state)
            speaker.done.connect(self._on_done)
            self._local = speaker
            speaker.start(self._engine)
            return
        proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), env.value("PYTHONPATH", "")])))
        proc.setProcessEnvironment(env)
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        proc.readyReadStandardOutput.connect(self._read)
        proc.finished.connect(self._ended)
        self._proc = proc
        proc.start(sys.executable, ["-m", "ui.voice_server", self._engine])

    def _read(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._buf += bytes(proc.readAllStandardOutput().data())
        while b"\n" in self._buf:
            raw, self._buf = self._buf.split(b"\n", 1)
            try:
                msg = json.loads(raw)
            except ValueError:
                continue
            ev = msg.get("ev") if isinstance(msg, dict) else None
            if ev == "started":
                self._on_started(bool(msg.get("ok")), str(msg.get("why", "")))
            elif ev == "state":
                self._on_state(int(msg.get("state", 0)), str(msg.get("error", "")), str(msg.get("voice", "")))
            elif ev == "done":
                self._on_done()

    def _ended(self, code: int, _status: Any) -> None:
        if self._closing or self.sender() is not self._proc:
            return
        self._proc = None
        self.started = False
        log.warning("voice prompts off: the voice process ended (exit code %s); trying again in %d s",
                    code, RETRY_S)
        self._retry.start()

    @Slot(bool, str)
    def _on_started(self, ok: bool, why: str) -> None:
        self.started = ok
        if ok and why:
            log.warning("voice prompts on: %s", why)
        if not ok:
            self.error = why
            log.warning("voice prompts off: %s; run `kiosk doctor` (speech-dispatcher, its espeak-ng module, "
                        "audio output); trying again in %d s", why, RETRY_S)
            if self._proc is not None:
                self._retry.start()
        self.ready.emit(ok)

    @Slot(int, str, str)
    def _on_state(self, state: int, error: str, voice_name: str) -> None:
        self.state = QTextToSpeech.State(state)
        self.voice_name = voice_name
        if self.state == QTextToSpeech.State.Error and error != self.error:
            self.error = error
            log.warning("voice prompts silent: %s (run `kiosk doctor`: speech-dispatcher, its espeak-ng "
                        "module, audio output)", error)
        self.stateChanged.emit(state)

    @Slot()
    def _on_done(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.waitForFinished(500)
            proc.deleteLater()

    def close(self, timeout_s: float = 1.0) -> None:
        """Stop speaking and end the voice process (killed if it does not end within ``timeout_s``)."""
        self._closing = True
        self._retry.stop()
        if self._local is not None:
            self._local.finish()
        proc = self._proc
        if proc is not None and proc.state() != QProcess.ProcessState.NotRunning:
            proc.write(b'{"op": "quit"}\n')
            proc.closeWriteChannel()
            if not proc.waitForFinished(int(timeout_s * 1000)):
                log.warning("voice process did not end within %g s: killed", timeout_s)
                self._kill()

    def wait_started(self, timeout_s: float) -> bool | None:
        """Run the event loop until the engine has started or failed (for tools and tests)."""
        if self.started is None and (self._proc is not None or self._local is not None):
            loop = QEventLoop()
            self.ready.connect(loop.quit)
            QTimer.singleShot(int(timeout_s * 1000), loop.quit)
            loop.exec()
            self.ready.disconnect(loop.quit)
        return self.started

    @property
    def working(self) -> bool:
        return bool(self.started) and self.state != QTextToSpeech.State.Error

    @property
    def speaking(self) -> bool:
        return self.state == QTextToSpeech.State.Speaking

    @property
    def stuck(self) -> bool:
        """The voice has not taken the last sentences: the engine hangs (the screen goes on). While the voice
        process has not yet said whether its engine started, only once ``START_GRACE_S`` have passed (an engine
        that blocks as it starts, on a daemon that stopped answering, is still found)."""
        if self._in_flight < STUCK_AFTER:
            return False
        return self.started is not None or time.monotonic() - self._launched_at >= START_GRACE_S

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
        if self.started is False or self.state == QTextToSpeech.State.Error:
            return  # cannot speak: what was to be said is kept in ``said``, nothing is queued for later
        if self.stuck:
            # The engine hangs (speech-dispatcher stopped answering): the voice process is killed, and a fresh
            # one is tried later; the screen never waited for it.
            cause = speechd.audio_cause(speechd.socket_path()) if self._engine == "speechd" else ""
            log.warning("voice prompts silent: the speech engine has not answered the last %d sentences "
                        "(%s); the voice restarts in %d s; run `kiosk doctor`", self._in_flight,
                        cause or "speech-dispatcher hangs?", RETRY_S)
            self.stuck_kills += 1
            self._kill()
            self.started = False
            self._retry.start()
            return
        self._in_flight += 1
        if self._local is not None:
            self._local.utter(u.text, u.lang, u.interrupt, slow)
        elif self._proc is not None:
            line = json.dumps({"op": "say", "text": u.text, "lang": u.lang, "interrupt": u.interrupt,
                               "slow": slow}, ensure_ascii=False)
            self._proc.write(line.encode() + b"\n")

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
