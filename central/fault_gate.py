"""A switchable network fault in front of the embedded platform (demo mode): the tester's "platform state".

The kiosk talks to the gate's port; the gate forwards each connection to the platform, or does what a bad
network or a failing platform does, as ``mode`` says at the moment bytes arrive from the kiosk:

  online   bytes pass both ways
  offline  the connection is reset (the kiosk sees the platform unreachable; a pooled connection too)
  slow     each request waits ``slow_delay_s`` before it is forwarded (a congested link)
  errors   every request is answered ``503 Service Unavailable`` with a JSON error body, then closed

The mode applies to pooled keep-alive connections as well as new ones, so a switch takes effect on the
kiosk's next request. Pure sockets and threads: the gate knows nothing of HTTP but how to say 503.
"""
from __future__ import annotations

import enum
import logging
import select
import socket
import struct
import threading
import time

log = logging.getLogger(__name__)


class PlatformMode(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"
    SLOW = "slow"
    ERRORS = "errors"


_BODY = b'{"code": "unavailable", "message": "service unavailable (simulated by the demo)"}'
UNAVAILABLE = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(_BODY)).encode() + b"\r\nConnection: close\r\n\r\n" + _BODY)


class FaultGate:
    """Listens on ``host``:free port and forwards to ``target`` (host, port); ``url`` once started."""

    def __init__(self, target: tuple[str, int], host: str = "127.0.0.1", *, slow_delay_s: float = 3.0) -> None:
        self.target = target
        self.mode = PlatformMode.ONLINE
        self.slow_delay_s = slow_delay_s
        self.requests = 0  # chunks seen from the kiosk (a test's evidence that traffic went through)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, 0))
        self._sock.listen(128)
        self.host, self.port = self._sock.getsockname()[:2]
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def set_mode(self, mode: PlatformMode | str) -> None:
        self.mode = PlatformMode(mode)
        log.info("demo platform gate: %s", self.mode.value)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._accept, name="platform-gate", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        if self._thread is not None:
            self._thread.join(2)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            _no_delay(client)
            threading.Thread(target=self._serve, args=(client,), name="platform-gate-conn", daemon=True).start()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        """Close with RST, as an unreachable peer's firewall or a dropped link does."""
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        sock.close()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            while not self._stopped.is_set():
                readable, _, _ = select.select([client] + ([upstream] if upstream else []), [], [], 0.5)
                if client in readable:
                    data = client.recv(65536)
                    if not data:
                        return
                    self.requests += 1
                    mode = self.mode
                    if mode is PlatformMode.OFFLINE:
                        self._reset(client)
                        return
                    if mode is PlatformMode.ERRORS:
                        client.sendall(UNAVAILABLE)
                        return
                    if mode is PlatformMode.SLOW:
                        time.sleep(self.slow_delay_s)
                    if upstream is None:
                        upstream = socket.create_connection(self.target, timeout=5)
                        _no_delay(upstream)
                    upstream.sendall(data)
                if upstream is not None and upstream in readable:
                    data = upstream.recv(65536)
                    if not data:
                        return
                    client.sendall(data)
        except OSError as exc:
            log.debug("platform gate connection ended: %s", exc)
        finally:
            for s in (client, upstream):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass


def _no_delay(sock: socket.socket) -> None:
    """Forward each chunk at once (TCP_NODELAY), as the kiosk's HTTP client and the platform's server do. With
    Nagle's algorithm on the gate, the second chunk of a request or a response (headers and body are written
    apart) waited for the peer's delayed ACK: ~40 ms each way, so every call to the demo platform took 50-100 ms
    instead of a few (issue 22: the card -> form change waited on two of them)."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass
