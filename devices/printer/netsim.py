"""The simulated printer behind a real transport: a TCP server on port 9100 (``socket://``) or a
pseudo-terminal (a serial or USB character device path), so the driver's real socket and device-file code
runs against it. Tests use both; a technician can run one to try a network printer configuration.
"""
from __future__ import annotations

import logging
import os
import select
import socket
import threading
import tty

from ..transport import parse_url
from .sim import PrinterSimulator

log = logging.getLogger(__name__)


class _Reply:
    """What the simulator calls ``port.feed(bytes)`` on to answer: here, the socket or the pty."""

    def __init__(self, send) -> None:
        self.send = send

    def feed(self, data: bytes) -> None:
        self.send(data)


class PrinterServer:
    """A printer that plays on TCP ``host:port`` (port 0: any free port; see ``url``)."""

    def __init__(self, hw: PrinterSimulator | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.hw = hw or PrinterSimulator(parse_url("sim://printer?name=tcp"))
        self._sock = socket.create_server((host, port))
        self._sock.settimeout(0.2)
        self.host, self.port = self._sock.getsockname()[:2]
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, name="printer-tcp", daemon=True)

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self.port}"

    def __enter__(self) -> "PrinterServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for c in list(self._conns):
            c.close()
        self._sock.close()

    def drop_connections(self) -> None:
        """Pull the network cable: every open connection is closed."""
        for c in list(self._conns):
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._client, args=(conn,), name="printer-tcp-conn", daemon=True).start()

    def _client(self, conn: socket.socket) -> None:
        reply = _Reply(conn.sendall)
        with conn:
            while not self._stop.is_set():
                ready, _, _ = select.select([conn], [], [], 0.2)
                if not ready:
                    continue
                try:
                    data = conn.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                try:
                    self.hw.handle(reply, data)
                except OSError:  # the host hung up before our answer went out
                    break
        if conn in self._conns:
            self._conns.remove(conn)


class PrinterPty:
    """A printer on a pseudo-terminal: ``url`` is ``file:///dev/pts/N``, a character device like usblp's."""

    def __init__(self, hw: PrinterSimulator | None = None) -> None:
        self.hw = hw or PrinterSimulator(parse_url("sim://printer?name=pty"))
        self._master, slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self._slave = slave  # held open so the pty stays up between the driver's reconnects
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="printer-pty", daemon=True)

    @property
    def url(self) -> str:
        return f"file://{self.path}"

    def __enter__(self) -> "PrinterPty":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        os.close(self._master)
        os.close(self._slave)

    def _serve(self) -> None:
        reply = _Reply(lambda data: os.write(self._master, data))
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if data:
                self.hw.handle(reply, data)
