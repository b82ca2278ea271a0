"""kiosk sim idcard --listen tcp://127.0.0.1:PORT [--card FILE.json]: a SAM_V module for external programs.

Speaks the GA 467 SAM_V protocol byte for byte (devices.md section 1) on a TCP port and/or a pseudo-terminal
(``--listen pty:///tmp/ttyIDCARD`` makes a serial port any program can open; the path is a symlink to the
pty). Synthetic identities only. Knobs are text lines on stdin or on the ``--control`` TCP port, one reply
line each: ``place [IDENTITY|FILE.json]``, ``remove``, ``fault NAME``, ``unplug``, ``plug``, ``status``,
``help``, ``quit``. The first stdout lines say where it listens (``listening tcp://127.0.0.1:40123``) and
then ``ready``; port 0 picks a free port.
"""
from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from typing import Any
from urllib.parse import urlsplit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("idcard", help="ID card reader (SAM_V) on a TCP port or a pty",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--listen", action="append", required=True, metavar="URL",
                   help="tcp://HOST:PORT or pty://[/path/of/symlink] (repeatable)")
    p.add_argument("--card", metavar="FILE.json|IDENTITY",
                   help="card lying on the reader at start: a card file (devices/idcard/cardfile.py) or a "
                        "synthetic identity name (graduate, elder, standard, hui, gat, foreign_2023)")
    p.add_argument("--fault", default="none", help="fault at start (see `help` on the control line)")
    p.add_argument("--pace-baud", type=int, default=0, metavar="BAUD",
                   help="send replies at the wire speed of this baud rate (0: as fast as possible)")
    p.add_argument("--control", metavar="tcp://HOST:PORT", help="also take control lines on this TCP port")
    p.set_defaults(func=run)


def _endpoint(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    if parts.scheme == "tcp":
        if not parts.hostname or parts.port is None:
            raise ValueError(f"{url}: needs tcp://HOST:PORT")
        return "tcp", parts.hostname, parts.port
    if parts.scheme == "pty":
        return "pty", (parts.netloc + parts.path) or "", 0
    raise ValueError(f"{url}: use tcp://HOST:PORT or pty://[PATH]")


def _serve_control(server: Any, host: str, port: int, stop: threading.Event) -> int:
    listener = socket.create_server((host, port))
    listener.settimeout(0.2)

    def handle(conn: socket.socket) -> None:
        with conn, conn.makefile("rw", encoding="utf-8", newline="\n") as f:
            for line in f:
                if line.strip().lower() == "quit":
                    stop.set()
                    f.write("ok bye\n")
                    f.flush()
                    return
                f.write(server.control(line) + "\n")
                f.flush()

    def accept_loop() -> None:
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept_loop, name="sim-control", daemon=True).start()
    return listener.getsockname()[1]


def run(args: argparse.Namespace) -> int:
    from devices.idcard.cardfile import CardFileError, load_card_file  # noqa: PLC0415
    from devices.idcard.simserver import SamServer, apply_knobs, new_simulator  # noqa: PLC0415
    from devices.idcard.synthetic import IDENTITIES  # noqa: PLC0415

    def fail(message: str) -> int:
        print(f"kiosk sim idcard: {message}", file=sys.stderr)
        return 2

    try:
        endpoints = [_endpoint(u) for u in args.listen]
        hw = new_simulator()
        hw.set_fault(args.fault)
        if args.card in IDENTITIES:
            hw.place_card(args.card)
        elif args.card:
            card, knobs = load_card_file(args.card)
            hw.place_card(card)
            apply_knobs(hw, knobs)
    except (ValueError, CardFileError) as exc:
        return fail(str(exc))
    server = SamServer(hw, pace_baud=args.pace_baud or None)
    stop = threading.Event()
    try:
        for kind, host, port in endpoints:
            if kind == "tcp":
                print(f"listening tcp://{host}:{server.listen_tcp(host, port)}", flush=True)
            else:
                path = server.open_pty(host or None)
                print(f"listening pty {path}" + (f" (link {host})" if host else ""), flush=True)
        if args.control:
            kind, host, port = _endpoint(args.control)
            print(f"control tcp://{host}:{_serve_control(server, host, port, stop)}", flush=True)
    except (OSError, ValueError) as exc:
        server.stop()
        return fail(str(exc))
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready " + server.control("status"), flush=True)
    threading.Thread(target=_stdin_loop, args=(server, stop), name="sim-stdin", daemon=True).start()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _stdin_loop(server: Any, stop: threading.Event) -> None:
    for line in sys.stdin:
        if line.strip().lower() in ("quit", "exit"):
            stop.set()
            return
        print(server.control(line), flush=True)
    # stdin closed (started in the background): keep serving until a signal or a `quit` on --control.
