"""The demo's platform state (central.fault_gate): what the kiosk meets when the panel says online, offline,
slow or errors, on a real socket in front of the embedded platform."""
from __future__ import annotations

import time

import pytest
import requests

from central.fault_gate import FaultGate
from central.server import EmbeddedPlatform
from kiosk.platform.schema import API_PREFIX

HEALTH = API_PREFIX + "/health"


@pytest.fixture
def gate(tmp_path):
    platform = EmbeddedPlatform(tmp_path / "central")
    platform.start()
    g = FaultGate((platform.host, platform.port), slow_delay_s=0.5)
    g.start()
    yield g
    g.stop()
    platform.stop()


def test_online_forwards_to_the_platform(gate):
    assert requests.get(gate.url + HEALTH, timeout=5).status_code == 200


def test_offline_resets_new_and_pooled_connections(gate):
    session = requests.Session()
    assert session.get(gate.url + HEALTH, timeout=5).status_code == 200  # a pooled keep-alive connection
    gate.set_mode("offline")
    with pytest.raises(requests.ConnectionError):
        session.get(gate.url + HEALTH, timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.get(gate.url + HEALTH, timeout=5)
    gate.set_mode("online")
    assert requests.get(gate.url + HEALTH, timeout=5).status_code == 200


def test_errors_answer_503_with_a_json_body(gate):
    gate.set_mode("errors")
    resp = requests.get(gate.url + HEALTH, timeout=5)
    assert resp.status_code == 503 and resp.json()["code"] == "unavailable"


def test_slow_delays_each_request_by_the_setting(gate):
    gate.set_mode("slow")
    t0 = time.monotonic()
    assert requests.get(gate.url + HEALTH, timeout=5).status_code == 200
    assert time.monotonic() - t0 >= 0.5


def test_the_gate_forwards_each_chunk_at_once_without_nagle(monkeypatch):
    """Issue 22: headers and body are written apart by the kiosk's client and by the platform; with Nagle's
    algorithm on the gate's sockets the second part waited for the peer's delayed ACK (~40 ms each way, every
    demo platform call 50-100 ms). Both of the gate's sockets, towards the kiosk and towards the platform,
    forward at once (TCP_NODELAY)."""
    import socket
    import threading

    import central.fault_gate as fg

    upstream = socket.create_server(("127.0.0.1", 0))
    seen: list[int] = []
    real = fg._no_delay

    def recording(sock):
        real(sock)
        seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(fg, "_no_delay", recording)

    def echo_once():
        conn, _ = upstream.accept()
        with conn:
            conn.sendall(conn.recv(100))

    threading.Thread(target=echo_once, daemon=True).start()
    gate = FaultGate(upstream.getsockname()[:2])
    gate.start()
    try:
        with socket.create_connection((gate.host, gate.port), timeout=5) as kiosk:
            kiosk.sendall(b"ping")
            assert kiosk.recv(100) == b"ping"
        assert len(seen) == 2 and all(seen)  # the kiosk's side and the platform's side
    finally:
        gate.stop()
        upstream.close()
