"""`kiosk central` as a real server process on 127.0.0.1, and raw-socket requests to attack it with."""
from __future__ import annotations

import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from kiosk.platform.schema import (H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION, H_TIMESTAMP,
                                   sign, sign_v2)

from .fakes import wait_until

ROOT = Path(__file__).resolve().parents[2]
KIOSK_ID = "K-HOSTILE"
SECRET = "hostile-secret-0123456789abcdef"
ADMIN_TOKEN = "admin-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_taken(log: str) -> bool:
    return "[Errno 98]" in log or "address already in use" in log.lower()


class CentralProcess:
    """``kiosk central`` in a subprocess; ``extra`` are more command-line options; ``kiosks`` (id -> secret)
    replace the one test kiosk (the fleet benchmark enrols hundreds)."""

    def __init__(self, tmp: Path, *extra: str, kiosks: dict[str, str] | None = None) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        kiosks = {KIOSK_ID: SECRET} if kiosks is None else kiosks
        (tmp / "kiosks").write_text("".join(f"{k}={s}\n" for k, s in kiosks.items()), encoding="utf-8")
        (tmp / "admin").write_text(ADMIN_TOKEN + "\n", encoding="utf-8")
        self.log = tmp / "central.log"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("KIOSK_CENTRAL_ADMIN_TOKEN", None)
        # free_port() gives the port back before the server binds it: the other pytest-xdist worker can be given
        # it in between, and the server then stops on "address already in use". That is chance, not the code
        # under test: another port is tried (three in all); any other way of dying still fails at once.
        for attempt in range(3):
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self._log_f = self.log.open("wb")
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ui.cli", "central", "--listen", f"127.0.0.1:{self.port}", "--data-dir",
                 str(tmp / "data"), "--kiosks-file", str(tmp / "kiosks"), "--admin-token-file", str(tmp / "admin"),
                 *extra], cwd=ROOT, env=env, stdout=self._log_f, stderr=subprocess.STDOUT)
            wait_until(self._up_or_dead, timeout_s=30)
            if self.proc.poll() is None or attempt == 2 or not _port_taken(self.log_text()):
                break
            self._log_f.close()
        wait_until(self._up, timeout_s=1)  # a server that died says why (its log), as before

    def _up_or_dead(self) -> bool:
        return self.proc.poll() is not None or self._up()

    def _up(self) -> bool:
        assert self.proc.poll() is None, self.log.read_text(errors="replace")
        try:
            return requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._log_f.close()


def signed_headers(method: str, path: str, body: bytes = b"", *, extra: dict[str, str] | None = None,
                   version: int = 2, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()))
    nonce = secrets.token_urlsafe(18)
    digest = hashlib.sha256(body).hexdigest()
    extra = dict(extra or {})
    h = {H_KIOSK: KIOSK_ID, H_TIMESTAMP: ts, H_NONCE: nonce, H_BODY_SHA256: digest, **extra}
    if version == 2:
        h[H_SIGNATURE_VERSION] = "2"
        h[H_SIGNATURE] = sign_v2(secret, KIOSK_ID, method, path, ts, nonce, digest, extra)
    else:
        h[H_SIGNATURE] = sign(secret, method, path, ts, nonce, digest)
    return h


def raw_request(port: int, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b"",
                *, timeout_s: float = 10.0) -> tuple[int, bytes]:
    """Send bytes exactly as given (odd header bytes included); (status, body) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as s:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode()
        head += b"".join(k + b": " + v + b"\r\n" for k, v in headers)
        head += f"Content-Length: {len(body)}\r\n\r\n".encode()
        s.sendall(head + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def read_until_closed(s: socket.socket) -> bytes:
    """What the server sends until it closes the connection (the socket's timeout bounds the wait)."""
    data = b""
    try:
        while chunk := s.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data
