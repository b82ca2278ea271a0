"""Misbehaving platforms on loopback: one that answers every request with HTTP 500, one that never answers."""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Fail(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.server.hits.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b'{"code": 5000, "message": "database unavailable"}'
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


class FakeFailingPlatform:
    """Answers HTTP 500 to everything; ``hits`` counts requests."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Fail)
        self.server.hits = []  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def hits(self) -> list[str]:
        return self.server.hits  # type: ignore[attr-defined]

    def __enter__(self) -> "FakeFailingPlatform":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeHangingPlatform:
    """Accepts connections (the kernel's backlog) and never answers: a platform that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __enter__(self) -> "FakeHangingPlatform":
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()


_CLOSED: list[socket.socket] = []  # bound, never listening: kept for the process's life


def closed_port_url() -> str:
    """An http URL on loopback where nothing listens: a platform that is down (connection refused).

    The port stays bound (without listen(), so a connection is refused): closed and given back, any server the
    other pytest-xdist worker started next could be given it, and the "down" platform would answer."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    _CLOSED.append(s)
    return f"http://127.0.0.1:{s.getsockname()[1]}"


class FakeStatusPlatform:
    """Answers every request with ``status`` (a gateway's 503, a 404 ...) and an empty JSON body."""

    def __init__(self, status: int) -> None:
        code = status

        class _Answer(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = b"{}"
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeStatusPlatform":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
