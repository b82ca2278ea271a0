"""The app tells systemd it is ready and feeds the watchdog from the GUI thread's timer."""
from __future__ import annotations

import socket

import pytest


@pytest.mark.slow
def test_ready_then_watchdog_pings_while_the_event_loop_turns(qtbot, make_kiosk, tmp_path, monkeypatch):
    path = str(tmp_path / "notify.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", "400000")  # pings every 0.2 s
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    got: list[bytes] = []

    def receive():
        try:
            while True:
                got.append(server.recv(256))
        except BlockingIOError:
            pass
        return got
    try:
        k = make_kiosk()
        assert k.app.watchdog.isActive() and k.app.watchdog.interval() == 200
        qtbot.waitUntil(lambda: receive().count(b"WATCHDOG=1") >= 3, timeout=5000)
        assert got[0].startswith(b"READY=1\nSTATUS=serving")
    finally:
        server.close()
