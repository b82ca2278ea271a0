"""A speech-dispatcher that hangs silences the voice, never the screen (CI, stop 25: the autopilot under Xvfb
froze after the guide while Qt's speechd engine waited for a daemon that had stopped answering).

The voice runs in a process of its own, which the kiosk kills when it stops taking sentences. The fake
daemon here answers the kiosk's own probe (so the probe cannot save the day) and then accepts
every connection and never answers: exactly what libspeechd, under Qt's engine, waits on for ever."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("voice_hung_child.py")


class HungDaemon:
    """SSIP on a unix socket: the first connection (the probe) gets real answers, the rest get silence."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(16)
        self.connections: list[socket.socket] = []
        self.lines_heard: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        first = True
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            if first:
                first = False
                threading.Thread(target=self._answer_probe, args=(conn,), daemon=True).start()
            else:
                threading.Thread(target=self._swallow, args=(conn,), daemon=True).start()

    def _answer_probe(self, conn: socket.socket) -> None:
        answers = {b"SET": b"208 OK CLIENT NAME SET\r\n", b"LIST": b"250-espeak-ng\r\n250 OK MODULE LIST SENT\r\n"}
        buf = b""
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\r\n" in buf:
                line, buf = buf.split(b"\r\n", 1)
                conn.sendall(answers.get(line.split(b" ", 1)[0], b"300 ERR\r\n"))

    def _swallow(self, conn: socket.socket) -> None:
        while True:
            try:
                data = conn.recv(4096)
            except OSError:
                return
            if not data:
                return
            self.lines_heard.append(data)

    def close(self) -> None:
        self.sock.close()
        for c in self.connections:
            c.close()


@pytest.mark.skipif("speechd" not in QTextToSpeech.availableEngines(), reason="Qt has no speechd plugin here")
def test_a_speech_daemon_that_stops_answering_does_not_freeze_the_screen(tmp_path):
    daemon = HungDaemon(tmp_path / "speechd.sock")
    try:
        env = dict(os.environ, SPEECHD_ADDRESS=f"unix_socket:{daemon.path}", QT_QPA_PLATFORM="offscreen",
                   PYTHONPATH=str(ROOT), SPEECHD_NO_AUTOSPAWN="1")
        proc = subprocess.run([sys.executable, str(CHILD)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
    finally:
        daemon.close()
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    # Qt's engine really went to the daemon and is waiting on it (else this test proves nothing) ...
    assert len(daemon.connections) >= 2 and daemon.lines_heard, \
        ("Qt's speechd engine never connected", seen, proc.stderr[-3000:])
    assert seen["started"] is not True
    # ... while the screen's loop ticked all along (3 s at 50 ms: ~60 ticks) and asked for its sentences.
    assert seen["ticks"] >= 40, seen
    assert seen["asked"] >= 8 and seen["stuck_kills"] >= 1, seen
    # The technician's log says why the voice went silent, and that it will be tried again.
    assert "voice prompts silent: the speech engine has not answered" in proc.stderr
    assert "the voice restarts in" in proc.stderr
