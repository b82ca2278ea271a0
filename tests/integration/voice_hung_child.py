"""Run by test_voice_hung_daemon.py in a process of its own, with SPEECHD_ADDRESS pointing at a daemon that
answers the kiosk's probe and then never answers again: the screen's event loop must keep running while the
voice asks for sentences, and the process must end. Prints what it saw as one JSON line."""
from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from ui.voice import Voice

RUN_S = 3.0
MAX_S = 45.0
TICK_MS = 50


def main() -> int:
    app = QGuiApplication(["voice_hung_child"])
    began = time.monotonic()
    voice = Voice("speechd")
    seen = {"ticks": 0, "said": 0}

    def tick() -> None:
        seen["ticks"] += 1
        if seen["ticks"] % 5 == 0:  # a sentence every quarter second, as a busy journey would ask
            voice.say(f"第{seen['ticks']}句", "zh_CN")
            seen["said"] += 1

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(TICK_MS)
    # At least RUN_S, and on until the voice has given up on the silent daemon once (a loaded machine took
    # longer than 3 s to reach it: the test then saw no connection at all; two whole test runs at load 6-7 saw
    # none within 20 s either), 45 s at most.
    def maybe_quit() -> None:
        ran = time.monotonic() - began
        if ran >= MAX_S or (ran >= RUN_S and voice.stuck_kills >= 1):
            app.quit()

    check = QTimer()
    check.timeout.connect(maybe_quit)
    check.start(100)
    app.exec()
    timer.stop()
    check.stop()
    voice.close(0.5)
    print(json.dumps({"ticks": seen["ticks"], "asked": seen["said"], "started": voice.started,
                      "stuck_kills": voice.stuck_kills, "ran_s": time.monotonic() - began}))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
