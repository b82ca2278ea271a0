"""Stalled anonymous connections against a running `kiosk central` (issue 16, weakness 2).

  memory     N connections each send the headers of a 60 MB unsigned POST and as much of its body as the
             platform will take (up to 60 MiB), then stall: the platform's RSS growth
  headers    M connections send half a request line and headers, then nothing: how many are still open
             after T seconds (the platform's header timeout is 10 s by default)

    python bench/bench_hostile_connections.py [--stalled 8] [--half 300] [--after 20]
"""
from __future__ import annotations

import argparse
import select
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.central_process import CentralProcess  # noqa: E402


def memory(c: CentralProcess, n: int) -> float:
    before = c.rss_kib()
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", c.port), timeout=2)
        s.sendall(b"POST /api/v1/kiosks/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 62914560\r\n\r\n")
        sent = 0
        try:
            while sent < 60 * 1024 * 1024:
                s.sendall(b"x" * (1024 * 1024))
                sent += 1024 * 1024
        except OSError:
            pass  # refused and closed (or the window is full): stop sending
        conns.append(s)
    time.sleep(1.0)  # a benchmark, not a test: let the server take what it will
    grown = (c.rss_kib() - before) / 1024
    for s in conns:
        s.close()
    return grown


def half_headers(c: CentralProcess, m: int, after_s: float) -> int:
    conns = []
    for _ in range(m):
        s = socket.create_connection(("127.0.0.1", c.port), timeout=2)
        s.sendall(b"POST /api/v1/kiosks/heartbeat HTTP/1.1\r\nHost: x\r\nX-Kiosk-Id: K")
        conns.append(s)
    time.sleep(after_s)
    open_ = 0
    for s in conns:
        readable, _, _ = select.select([s], [], [], 0)
        closed = False
        if readable:
            try:
                s.recv(65536, socket.MSG_PEEK)  # data (a 408) or EOF: the server is done with it
                closed = True
            except OSError:
                closed = True
        open_ += not closed
        s.close()
    return open_


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stalled", type=int, default=8)
    ap.add_argument("--half", type=int, default=300)
    ap.add_argument("--after", type=float, default=20.0)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        c = CentralProcess(Path(tmp))
        try:
            print(f"memory   {a.stalled} stalled anonymous 60 MB bodies: RSS grew {memory(c, a.stalled):.0f} MiB")
            print(f"headers  {a.half} half-sent headers: {half_headers(c, a.half, a.after)} still open after "
                  f"{a.after:g} s")
        finally:
            c.stop()


if __name__ == "__main__":
    main()
