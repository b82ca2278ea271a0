"""The SAM simulator on a real wire: a TCP port or a pseudo-terminal, for programs outside this process.

``SamServer`` runs one ``SamSimulator`` (the same object ``sim://idcard`` uses, so the knobs are the same)
behind a listening TCP socket and/or a pty whose slave path a serial driver opens like a USB-serial reader
(``serial:///dev/pts/N?baudrate=115200``; an optional symlink gives it a fixed name, as a udev rule does for
real readers). One thread multiplexes everything with ``selectors``.

``pace_baud`` makes requests and replies take their real wire time (10 bits per byte), since a pty and
loopback TCP move bytes at memory speed; benchmarks and timing tests use it.

Unplug (``hw.unplug()``, or the ``unplug`` control line) drops every connection: TCP clients are closed and
new ones refused, the pty master is closed (the driver's next read fails with EIO, as when a USB-serial
adapter is pulled) and its symlink removed; plug opens a fresh pty and points the symlink at it.

``control(line)`` interprets the text commands the CLI takes on stdin and on its ``--control`` port.
"""
from __future__ import annotations

import logging
import os
import selectors
import socket
import threading
import time
import tty
from collections import deque
from contextlib import suppress
from typing import Any

from . import protocol as p
from .cardfile import CardFileError, load_card_file
from .sim import FAULTS, SamSimulator
from .synthetic import IDENTITIES

log = logging.getLogger(__name__)

PACE_CHUNK = 16  # bytes written at a time when pacing: 1.4 ms at 115200


class _Conn:
    """One byte pipe to a host: a TCP connection or the pty master. ``feed`` is what the simulator calls."""

    def __init__(self, server: "SamServer", fd: int, sock: socket.socket | None = None) -> None:
        self.server, self.fd, self.sock = server, fd, sock

    def feed(self, data: bytes) -> None:
        self.server._send(self, data)

    def recv(self) -> bytes:
        return self.sock.recv(4096) if self.sock else os.read(self.fd, 4096)

    def write(self, data: bytes) -> None:
        if self.sock:
            self.sock.sendall(data)
        else:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]

    def close(self) -> None:
        try:
            self.sock.close() if self.sock else os.close(self.fd)
        except OSError:
            pass


class SamServer:
    def __init__(self, hw: SamSimulator, *, pace_baud: int | None = None) -> None:
        self.hw = hw
        self.pace_baud = pace_baud
        self.bytes_in = 0
        self.bytes_out = 0
        self.received: deque[tuple[float, bytes]] = deque(maxlen=10_000)  # (when, bytes): for timing figures
        self.sent: deque[tuple[float, int]] = deque(maxlen=10_000)  # (when it started, how many bytes)
        self._sel = selectors.DefaultSelector()
        self._listener: socket.socket | None = None
        self._conns: list[_Conn] = []
        self._pty: _Conn | None = None
        self._pty_keeper: int | None = None  # our own slave fd: the master never sees EIO between opens
        self._pty_wanted = False
        self.pty_link: str | None = None
        self.pty_path: str | None = None
        self._unplugged = False
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._sel.register(self._wake_r, selectors.EVENT_READ, None)
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()

    # ----- endpoints ----------------------------------------------------------------------------
    def listen_tcp(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen for TCP clients; returns the port (0 picks a free one)."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        s.listen(4)
        s.setblocking(False)
        self._listener = s
        self._sel.register(s, selectors.EVENT_READ, "accept")
        return s.getsockname()[1]

    def open_pty(self, link: str | None = None) -> str:
        """Create the pty; returns the slave path (and makes ``link`` a symlink to it when given)."""
        with self._lock:
            self._pty_wanted = True
            self.pty_link = link
            return self._open_pty()

    def _open_pty(self) -> str:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo or CR/LF mangling before the driver sets the port up itself
        self._pty_keeper = slave
        self._pty = _Conn(self, master)
        self.pty_path = os.ttyname(slave)
        self._sel.register(master, selectors.EVENT_READ, self._pty)
        if self.pty_link:
            tmp = f"{self.pty_link}.tmp{os.getpid()}"
            with suppress(OSError):
                os.unlink(tmp)
            os.symlink(self.pty_path, tmp)
            os.replace(tmp, self.pty_link)
        self._wake()
        return self.pty_path

    def _close_pty(self) -> None:
        conn, self._pty = self._pty, None
        if conn is not None:
            with suppress(OSError):
                self._sel.unregister(conn.fd)
            self.hw.forget(conn)
            conn.close()
        if self._pty_keeper is not None:
            with suppress(OSError):
                os.close(self._pty_keeper)
            self._pty_keeper = None
        if self.pty_link:
            with suppress(OSError):
                os.unlink(self.pty_link)

    # ----- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "SamServer":
        self._thread = threading.Thread(target=self._run, name="sam-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(5)
        with self._lock:
            for conn in list(self._conns):
                self._drop(conn)
            self._close_pty()
            if self._listener is not None:
                self._listener.close()
        os.close(self._wake_r)
        os.close(self._wake_w)
        self._sel.close()

    def __enter__(self) -> "SamServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _wake(self) -> None:
        with suppress(OSError):
            os.write(self._wake_w, b"x")

    # ----- knobs --------------------------------------------------------------------------------
    def unplug(self) -> None:
        self.hw.unplug()
        self._wake()

    def plug(self) -> None:
        self.hw.plug()
        self._wake()

    def _sync_plug(self) -> None:
        """Follow the hardware's unplugged flag (set by us, the CLI or a test turning the knob)."""
        with self._lock:
            if self.hw.unplugged and not self._unplugged:
                self._unplugged = True
                for conn in list(self._conns):
                    self._drop(conn)
                self._close_pty()
            elif not self.hw.unplugged and self._unplugged:
                self._unplugged = False
                if self._pty_wanted:
                    self._open_pty()

    # ----- the loop -----------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            self._sync_plug()
            for key, _ in self._sel.select(timeout=0.05):
                if key.fd == self._wake_r:
                    with suppress(OSError):
                        os.read(self._wake_r, 512)
                elif key.data == "accept":
                    self._accept()
                else:
                    self._receive(key.data)

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            sock, _ = self._listener.accept()
        except OSError:
            return
        if self._unplugged:
            sock.close()  # an unplugged reader: the connection is refused straight away
            return
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(True)
        conn = _Conn(self, sock.fileno(), sock)
        self._conns.append(conn)
        self._sel.register(sock, selectors.EVENT_READ, conn)

    def _receive(self, conn: _Conn) -> None:
        try:
            data = conn.recv()
        except OSError:
            data = b""
        if not data:
            if conn is self._pty:
                return  # EIO from the master only while nobody holds the slave; our keeper prevents it
            self._drop(conn)
            return
        self.bytes_in += len(data)
        if self.pace_baud:
            # A UART hands the module the request's last byte only after its wire time: a pty or loopback
            # delivers it at once, so wait that long before answering.
            self._stop.wait(p.wire_time_s(len(data), self.pace_baud))
        self.received.append((time.monotonic(), data))
        try:
            self.hw.handle(conn, data)
        except OSError:
            self._drop(conn)

    def _drop(self, conn: _Conn) -> None:
        if conn in self._conns:
            self._conns.remove(conn)
            with suppress(OSError):
                self._sel.unregister(conn.sock or conn.fd)
        self.hw.forget(conn)
        conn.close()

    def _send(self, conn: _Conn, data: bytes) -> None:
        self.bytes_out += len(data)
        self.sent.append((time.monotonic(), len(data)))
        if not self.pace_baud:
            conn.write(data)
            return
        start = time.monotonic()
        for i in range(0, len(data), PACE_CHUNK):
            chunk = data[i:i + PACE_CHUNK]
            # Hand the chunk over when its last byte would have arrived on the wire: the host never gets a
            # byte earlier than a UART would deliver it.
            delay = start + p.wire_time_s(i + len(chunk), self.pace_baud) - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            conn.write(chunk)

    # ----- text control ---------------------------------------------------------------------------
    def control(self, line: str) -> str:
        """One control command; returns the reply line (starts with "ok" or "error")."""
        words = line.split()
        if not words:
            return "ok"
        cmd, args = words[0].lower(), words[1:]
        try:
            if cmd == "place":
                target = args[0] if args else "graduate"
                if target in IDENTITIES:
                    self.hw.place_card(target)
                else:
                    card, knobs = load_card_file(target)
                    self.hw.place_card(card)
                    apply_knobs(self.hw, {k: v for k, v in knobs.items() if k != "present"})  # placing is explicit
            elif cmd == "remove":
                self.hw.remove_card()
            elif cmd == "fault":
                self.hw.set_fault(args[0] if args else "none")
            elif cmd == "unplug":
                self.unplug()
            elif cmd == "plug":
                self.plug()
            elif cmd == "status":
                pass
            elif cmd in ("help", "?"):
                return ("ok commands: place [IDENTITY|FILE.json] | remove | fault NAME | unplug | plug | status | quit;"
                        f" identities: {', '.join(IDENTITIES)}; faults: {', '.join(FAULTS)}")
            else:
                return f"error unknown command {cmd!r} (try help)"
        except (ValueError, CardFileError, IndexError) as exc:
            return f"error {exc}"
        return "ok " + " ".join(f"{k}={v}" for k, v in self.status().items())

    def status(self) -> dict[str, Any]:
        knobs = self.hw.knobs()
        card = knobs["card"].replace(" ", ":") if knobs["card"] else "none"  # one word: key=value stays parseable
        return {"card": card, "fault": knobs["fault"], "unplugged": knobs["unplugged"],
                "clients": len(self._conns) + (1 if self._pty else 0), "replies": self.hw.replies}


def apply_knobs(hw: SamSimulator, knobs: dict[str, Any]) -> None:
    """The ``sim`` object of a card file."""
    if "fault" in knobs:
        hw.set_fault(str(knobs["fault"]))
    if "fingerprint_supported" in knobs:
        hw.fingerprint_supported = bool(knobs["fingerprint_supported"])
    if knobs.get("present") is False:
        hw.remove_card()


def new_simulator(params: str = "") -> SamSimulator:
    """A simulator outside the ``sim://`` registry (each server owns its own hardware)."""
    from ..transport import parse_url  # noqa: PLC0415

    return SamSimulator(parse_url(f"sim://idcard?{params}" if params else "sim://idcard"))

