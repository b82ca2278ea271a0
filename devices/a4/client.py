"""IPP over HTTP to cupsd: the few operations the A4 printer needs, each answer checked and its failure
numbered (devices.errors 1250-1279).

``HttpEndpoint`` POSTs ``application/ipp`` bodies to cupsd over TCP (``HOST:PORT``) or its Unix socket (a
path, ``/run/cups/cups.sock``), with a timeout on every call: a print server that hangs costs one call's
timeout, never the device thread. ``IppClient`` builds the requests (``devices.a4.ipp``) and turns IPP
status codes into ``DeviceError``s. The simulated printer (``devices.a4.sim``) is another endpoint: it
answers the same IPP bytes, so the real client and driver run in demo mode.
"""
from __future__ import annotations

import http.client
import itertools
import os
import socket
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from ..errors import DeviceError, DeviceErrorCode
from . import ipp
from .ipp import Attr, Op, Tag

C = DeviceErrorCode
DEFAULT_SOCKET = "/run/cups/cups.sock"
DEFAULT_PORT = 631

# The printer attributes the driver reads (asking for all of them costs a PPD's worth of bytes each poll).
PRINTER_ATTRS = ("printer-name", "printer-state", "printer-state-reasons", "printer-state-message",
                 "printer-is-accepting-jobs", "printer-make-and-model", "printer-info", "marker-names",
                 "marker-levels")
JOB_ATTRS = ("job-id", "job-state", "job-state-reasons", "job-printer-state-message",
             "job-impressions-completed", "job-media-sheets-completed")

STATUS_CODES: dict[int, DeviceErrorCode] = {
    ipp.Status.NOT_FOUND: C.A4_QUEUE_NOT_FOUND,
    ipp.Status.FORBIDDEN: C.A4_FORBIDDEN,
    ipp.Status.NOT_AUTHENTICATED: C.A4_FORBIDDEN,
    ipp.Status.NOT_AUTHORIZED: C.A4_FORBIDDEN,
    ipp.Status.NOT_ACCEPTING_JOBS: C.A4_REJECTING,
    ipp.Status.DOCUMENT_FORMAT_NOT_SUPPORTED: C.A4_FORMAT,
    ipp.Status.BUSY: C.BUSY,
}


def default_server() -> str:
    """Where the local cupsd listens: ``CUPS_SERVER`` as CUPS' own tools read it, else its Unix socket,
    else localhost:631."""
    env = os.environ.get("CUPS_SERVER", "").strip()
    if env:
        return env
    return DEFAULT_SOCKET if os.path.exists(DEFAULT_SOCKET) else f"localhost:{DEFAULT_PORT}"


class Endpoint(Protocol):
    def post(self, path: str, body: bytes, timeout_s: float) -> bytes: ...


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class HttpEndpoint:
    """cupsd at ``server``: ``HOST[:PORT]`` or the path of its Unix socket."""

    def __init__(self, server: str) -> None:
        self.server = server

    def _connection(self, timeout_s: float) -> http.client.HTTPConnection:
        if self.server.startswith("/"):
            return _UnixHTTPConnection(self.server, timeout_s)
        parts = urlsplit(f"//{self.server}")   # HOST, HOST:PORT, [v6], [v6]:PORT
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise DeviceError(C.UNSUPPORTED_URL, f"server={self.server}: bad port") from None
        return http.client.HTTPConnection(parts.hostname or "localhost", port, timeout=timeout_s)

    def post(self, path: str, body: bytes, timeout_s: float) -> bytes:
        conn = self._connection(timeout_s)
        try:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/ipp"})
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            raise DeviceError(C.A4_SERVER_UNREACHABLE, f"{self.server}: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
        if resp.status in (401, 403):
            raise DeviceError(C.A4_FORBIDDEN, f"{self.server}{path}: HTTP {resp.status}")
        if resp.status != 200:
            raise DeviceError(C.A4_PROTOCOL, f"{self.server}{path}: HTTP {resp.status} {resp.reason}")
        return data


@dataclass(frozen=True)
class Queue:
    name: str
    info: str = ""
    make_and_model: str = ""
    state: int = ipp.PrinterState.IDLE
    accepting: bool = True


class IppClient:
    """IPP requests to one print server (``endpoint``) about one queue."""

    def __init__(self, endpoint: Endpoint, queue: str = "", *, user: str = "kiosk", timeout_s: float = 10.0) -> None:
        self.endpoint = endpoint
        self.queue = queue
        self.user = user
        self.timeout_s = timeout_s
        self._ids = itertools.count(1)

    @property
    def printer_path(self) -> str:
        return f"/printers/{quote(self.queue, safe='')}"

    @property
    def printer_uri(self) -> str:
        return f"ipp://localhost{self.printer_path}"

    def call(self, op: Op, *attrs: Attr, path: str | None = None, job: list[Attr] | None = None,
             data: bytes = b"", printer: bool = True) -> ipp.Message:
        """Send one request and decode the answer; an IPP error status raises its numbered DeviceError."""
        rid = next(self._ids)
        body = ipp.request(op, rid, self.printer_uri if printer else None, *attrs, job=job, data=data,
                           user=self.user)
        raw = self.endpoint.post(path or self.printer_path, body, self.timeout_s)
        try:
            msg = ipp.decode(raw)
        except ipp.IppError as exc:
            raise DeviceError(C.A4_PROTOCOL, f"{op.name}: the answer is not IPP ({exc})") from None
        if msg.code >= 0x0400:
            text = msg.first(Tag.OPERATION, "status-message", "")
            code = STATUS_CODES.get(msg.code, C.A4_PROTOCOL)
            raise DeviceError(code, f"{self.queue or 'cupsd'}: {op.name} -> IPP status 0x{msg.code:04x} {text}".strip())
        return msg

    def printer_attributes(self) -> dict[str, list[Any]]:
        msg = self.call(Op.GET_PRINTER_ATTRIBUTES, Attr.of(Tag.KEYWORD, "requested-attributes", *PRINTER_ATTRS))
        return msg.group(Tag.PRINTER)

    def print_job(self, document: bytes, title: str, copies: int = 1) -> tuple[int, int]:
        """Submit a PDF as one job; (job id, its state)."""
        msg = self.call(Op.PRINT_JOB, Attr.of(Tag.NAME, "job-name", title[:255] or "document"),
                        Attr.of(Tag.MIME_TYPE, "document-format", "application/pdf"),
                        job=[Attr.of(Tag.INTEGER, "copies", int(copies)),
                             Attr.of(Tag.KEYWORD, "media", "iso_a4_210x297mm")] if copies >= 1 else None,
                        data=document)
        job_id = msg.first(Tag.JOB, "job-id")
        if not isinstance(job_id, int):
            raise DeviceError(C.A4_PROTOCOL, f"{self.queue}: Print-Job answered without a job-id")
        return job_id, int(msg.first(Tag.JOB, "job-state", ipp.JobState.PENDING))

    def job_attributes(self, job_id: int) -> dict[str, list[Any]]:
        msg = self.call(Op.GET_JOB_ATTRIBUTES, Attr.of(Tag.INTEGER, "job-id", job_id),
                        Attr.of(Tag.KEYWORD, "requested-attributes", *JOB_ATTRS))
        return msg.group(Tag.JOB)

    def cancel_job(self, job_id: int) -> None:
        self.call(Op.CANCEL_JOB, Attr.of(Tag.INTEGER, "job-id", job_id))

    def queues(self) -> list[Queue]:
        """Every queue of the server (CUPS-Get-Printers)."""
        msg = self.call(Op.CUPS_GET_PRINTERS, Attr.of(Tag.KEYWORD, "requested-attributes", *PRINTER_ATTRS),
                        path="/", printer=False)
        out = []
        for attrs in msg.all_groups(Tag.PRINTER):
            def one(key: str, default: Any = "") -> Any:
                values = attrs.get(key)
                return values[0] if values else default
            if one("printer-name"):
                out.append(Queue(one("printer-name"), one("printer-info"), one("printer-make-and-model"),
                                 int(one("printer-state", 3)), bool(one("printer-is-accepting-jobs", True))))
        return out


def list_queues(server: str | None = None, timeout_s: float = 3.0) -> list[tuple[str, str]]:
    """(queue name, description) of the print server's queues; [] when no cupsd answers (the console lists
    what it finds, it does not fail)."""
    try:
        queues = IppClient(HttpEndpoint(server or default_server()), timeout_s=timeout_s).queues()
    except DeviceError:
        return []
    return [(q.name, " ".join(x for x in (q.info, q.make_and_model) if x and x != q.name)) for q in queues]


__all__ = ["DEFAULT_SOCKET", "Endpoint", "HttpEndpoint", "IppClient", "Queue", "default_server", "list_queues"]
