"""The voice process: ``python -m ui.voice_server ENGINE`` speaks what the kiosk sends it (ui/voice.py).

Protocol, one JSON object per line. In on stdin: {"op": "say", "text", "lang", "interrupt", "slow"},
{"op": "quit"}. Out on stdout: {"ev": "started", "ok", "why"} once, {"ev": "state", "state", "error",
"voice"} on each change of the engine's state, {"ev": "done"} after each sentence was handed to the engine
(the kiosk counts what is still in flight: a voice that stops taking sentences is stuck, and is killed).
The process ends when stdin closes (the kiosk went away) or on "quit". Nothing it hears is logged: the
sentences can hold a citizen's reference or amount.
"""
from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from .voice_engine import Speaker


class _Stdin(QObject):
    """Reads stdin in a thread (os.read releases the GIL) and hands each line to the Qt loop."""

    line = Signal(str)
    closed = Signal()

    def start(self) -> None:
        threading.Thread(target=self._read, name="voice-stdin", daemon=True).start()

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = os.read(0, 65536)
            if not chunk:
                self.closed.emit()
                return
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                self.line.emit(raw.decode("utf-8", "replace"))


def _send(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


class _Server(QObject):
    """Lives in the process's main thread: lines from the stdin thread arrive here queued."""

    def __init__(self, app: QCoreApplication, speaker: Speaker) -> None:
        super().__init__()
        self._app, self._speaker = app, speaker

    @Slot(str)
    def heard(self, raw: str) -> None:
        try:
            msg = json.loads(raw)
        except ValueError:
            return
        if not isinstance(msg, dict):
            return
        if msg.get("op") == "say":
            self._speaker.utter(str(msg.get("text", "")), str(msg.get("lang", "zh_CN")),
                                bool(msg.get("interrupt")), bool(msg.get("slow")))
        elif msg.get("op") == "quit":
            self._speaker.finish()
            self._app.quit()

    @Slot()
    def gone(self) -> None:
        self._app.quit()


def main(argv: list[str]) -> int:
    engine = argv[0] if argv else "speechd"
    app = QCoreApplication(["kiosk-voice"])
    speaker = Speaker()
    speaker.started.connect(lambda ok, why: _send({"ev": "started", "ok": ok, "why": why}))
    speaker.stateChanged.connect(lambda st, err, voice: _send({"ev": "state", "state": st, "error": err,
                                                               "voice": voice}))
    speaker.done.connect(lambda: _send({"ev": "done"}))
    server = _Server(app, speaker)
    stdin = _Stdin()
    stdin.line.connect(server.heard)
    stdin.closed.connect(server.gone)
    stdin.start()
    speaker.start(engine)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
