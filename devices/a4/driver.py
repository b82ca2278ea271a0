"""The A4 printer (device kind "a4"): PDF documents printed through a CUPS print server, ``cups://QUEUE``.

Why IPP spoken directly and not pycups: the kiosk already needs nothing of libcups but one thing, send a PDF
and watch it; IPP (RFC 8010/8011) is a small binary format over HTTP POST, which ``devices.a4.ipp`` encodes
and decodes in under 300 lines with tests. That saves a C extension that must be built against libcups2-dev
on every kiosk image (and rebuilt for every Python), lets every call carry a timeout (pycups' calls block in
C without one, on the device thread) and lets the same driver talk to a remote print server or to the
simulator (``sim://a4``, which answers the same IPP bytes) -- never parsing ``lpstat`` text.

URL: ``cups://QUEUE?server=HOST:PORT&user=kiosk&job_timeout_s=180&timeout_s=10``. ``QUEUE`` is the CUPS
queue name (``lpstat -e``; the console lists them). ``server`` is cupsd's ``HOST[:PORT]`` or the path of its
Unix socket (default: ``CUPS_SERVER``, else /run/cups/cups.sock, else localhost:631); ``user`` the
requesting-user-name; ``job_timeout_s`` how long a job may take from submission to completed (then it is
cancelled); ``timeout_s`` per IPP call. ``sim://a4`` takes the same parameters except server.

The API the journey calls: ``print_pdf(data, title, copies=1)`` -> a Future of an ``A4Job`` (job id, pages
counted, sheets the server counted, seconds) once CUPS says the job is *completed*; a failure fails the
Future with a numbered ``DeviceError`` (1250-1265). Before a job is sent the queue's state is read: a
printer out of paper, jammed, offline, paused or rejecting jobs refuses the job at once instead of holding
a citizen's document, and a printer that faults while the job waits gets the job cancelled, so the
document never comes out later for the next person at the kiosk.

States: server unreachable or queue unknown -> OFFLINE (retried with backoff); a fault in the printer's
state reasons -> ERROR with its code (cleared when the reasons clear); supplies ``paper`` and ``toner``
follow media-low/-empty and toner-low/marker-supply-low/-empty.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..base import Device, DeviceState, EventKind
from ..errors import DeviceError, DeviceErrorCode
from ..urls import parse_url
from .client import Endpoint, HttpEndpoint, IppClient, default_server
from .ipp import JobState
from .reasons import Condition, condition

C = DeviceErrorCode
URL_PARAMS = frozenset({"server", "user", "job_timeout_s", "timeout_s", "name", "dpi", "dir"})
LOST = frozenset({C.A4_SERVER_UNREACHABLE, C.A4_QUEUE_NOT_FOUND})
MAX_COPIES = 10   # a kiosk prints one certificate, perhaps a copy or two; more is a bug upstream


@dataclass(frozen=True)
class A4Target:
    """Where a URL prints: the queue, its server (None: the simulator) and the job limits."""

    queue: str
    server: str | None
    user: str = "kiosk"
    job_timeout_s: float = 180.0
    timeout_s: float = 10.0

    @classmethod
    def from_url(cls, url: str) -> "A4Target":
        u = parse_url(url)
        if u.scheme not in ("cups", "sim"):
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: an A4 printer is cups://QUEUE or sim://a4")
        unknown = sorted(set(u.params) - URL_PARAMS)
        if unknown:
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: unknown parameter(s) {', '.join(unknown)}; "
                                                 f"known: {', '.join(sorted(URL_PARAMS))}")
        job_timeout = u.float_param("job_timeout_s", 180.0)
        timeout = u.float_param("timeout_s", 10.0)
        if job_timeout <= 0 or timeout <= 0:
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: job_timeout_s and timeout_s must be > 0")
        user = u.param("user", "kiosk") or "kiosk"
        if u.scheme == "sim":
            return cls(u.param("name", "sim-a4") or "sim-a4", None, user, job_timeout, timeout)
        queue = unquote(urlsplit(u.raw).netloc)   # not u.host: queue names keep their case
        if not queue or not re.fullmatch(r"[^/#\s@]{1,127}", queue):
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: cups:// needs a queue name (lpstat -e lists them)")
        return cls(queue, u.param("server") or default_server(), user, job_timeout, timeout)


@dataclass(frozen=True)
class A4Job:
    """A document the printer finished: what the journey and the autopilot report."""

    job_id: int
    title: str
    pages: int            # pages in the PDF (per copy)
    copies: int
    state: JobState
    sheets: int | None    # job-media-sheets-completed as the server counted it (None: not reported)
    seconds: float        # submission to completed

    @property
    def ok(self) -> bool:
        return self.state == JobState.COMPLETED

    def as_dict(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "title": self.title, "pages": self.pages, "copies": self.copies,
                "state": self.state.name.lower(), "sheets": self.sheets, "seconds": round(self.seconds, 3)}


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF: ``pdfinfo`` (poppler-utils) when present, else the page objects counted (enough for
    the uncompressed object tables reportlab writes)."""
    if not pdf.startswith(b"%PDF-"):
        raise DeviceError(C.A4_FORMAT, f"the document is not a PDF (starts {pdf[:8]!r})")
    if shutil.which("pdfinfo"):
        try:
            out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, timeout=20).stdout
            m = re.search(rb"^Pages:\s+(\d+)", out, re.M)
            if m:
                return int(m.group(1))
        except (OSError, subprocess.TimeoutExpired):
            pass
    return len(_PAGE.findall(pdf))


class A4Printer(Device):
    """An A4 printer behind a CUPS queue (or ``sim://a4``). See the module docstring."""

    kind = "a4"
    poll_interval_s = 5.0
    job_poll_s = 0.2   # how often a running job's state is asked (a page takes seconds; cheap over a socket)

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self.target = A4Target.from_url(url)   # a bad URL fails at construction, like the other drivers
        self.poll_interval_s = float(self.options.get("check_interval_s", self.poll_interval_s))
        self._client: IppClient | None = None
        self._wake = threading.Event()
        # withdraw(): the jobs (by title) this printer holds, where each stands, and the withdrawals asked of them
        self._jobs_lock = threading.Lock()
        self._stage: dict[str, str] = {}   # title -> queued (not yet sent) | sent (at the print server)
        self._withdraw: dict[str, Future] = {}
        self.last_condition: Condition | None = None
        self.set_info("queue", self.target.queue)
        self.set_info("server", self.target.server or "simulator")

    # ----- the journey's API ------------------------------------------------------------------------
    def print_pdf(self, data: bytes, title: str, copies: int = 1) -> Future:
        """Print a PDF (bytes) as one job titled ``title``; a Future of the completed ``A4Job``, or failed with
        a numbered DeviceError (printer fault, job aborted or cancelled, timeout). Runs on the device thread."""
        if not 1 <= copies <= MAX_COPIES:
            raise ValueError(f"copies must be 1..{MAX_COPIES}")
        data = bytes(data)
        with self._jobs_lock:
            self._stage[title] = "queued"
        fut = self._future(lambda: self._print(data, title, copies))
        fut.add_done_callback(lambda _: self._job_over(title))
        return fut

    def _job_over(self, title: str) -> None:
        with self._jobs_lock:
            self._stage.pop(title, None)
            answer = self._withdraw.pop(title, None)
        if answer is not None and not answer.done():
            answer.set_result(False)   # it ended (printed or failed) before the withdrawal was looked at

    def withdraw(self, title: str) -> Future:
        """Take back the job ``title`` if no page of it has started: a Future of True when it will not come out
        (never sent, or cancelled at the print server while still pending there), False when it is printing
        (or already done, or unknown): then it comes out. Answered within a job poll (``job_poll_s``). A job
        being printed is never cancelled here: a page half out of the printer helps nobody."""
        answer: Future = Future()
        with self._jobs_lock:
            stage = self._stage.get(title)
            if stage is None:
                answer.set_result(False)
            else:
                self._withdraw[title] = answer   # answered by the device thread: before sending, or while followed
        self._wake.set()
        return answer

    def _withdrawn(self, title: str, state: JobState | None) -> bool:
        """Device thread: a withdrawal of ``title`` asked for? Answer it (True: take the job back now, it has
        not started: ``state`` None before it is sent, else pending or held at the server)."""
        with self._jobs_lock:
            answer = self._withdraw.pop(title, None)
        if answer is None:
            return False
        back = state is None or state in (JobState.PENDING, JobState.PENDING_HELD)
        answer.set_result(back)
        return back

    def refresh(self) -> Future:
        """A Future of the queue's ``Condition`` read now (the console and the doctor)."""
        return self._future(self._check)

    def _future(self, work) -> Future:
        """Run ``work`` on the device thread; its DeviceError fails the Future without passing through the
        worker's generic handler (a failed job is not a faulty printer: the queue's reasons say that)."""
        out: Future = Future()

        def run() -> None:
            try:
                out.set_result(work())
            except DeviceError as exc:
                out.set_exception(exc)
                if exc.code in LOST:
                    self._drop_transport(exc)
            except BaseException as exc:  # a driver bug must still end the Future
                out.set_exception(exc)
                raise

        def failed(inner: Future) -> None:   # not started, offline or stopping: the command never ran
            exc = inner.exception()
            if exc is not None and not out.done():
                out.set_exception(exc)
        self.submit(run).add_done_callback(failed)
        return out

    # ----- Device hooks -------------------------------------------------------------------------------
    def _endpoint(self) -> Endpoint:
        if self.target.server is not None:
            return HttpEndpoint(self.target.server)
        from .. import sim  # noqa: PLC0415 - the sim:// registry (never a simulator module itself)

        return sim.get_hardware(self.url).connect(output_dir=self.options.get("sim_output_dir"))

    def _open(self) -> None:
        self._client = IppClient(self._endpoint(), self.target.queue, user=self.target.user,
                                 timeout_s=self.target.timeout_s)
        self._check()

    def _close(self) -> None:
        self._client = None

    def _poll(self) -> None:
        try:
            self._check()
        except DeviceError as exc:
            if exc.code in LOST:
                self._drop_transport(exc)
            else:
                raise

    def _check(self) -> Condition:
        attrs = self._require().printer_attributes()
        cond = condition(attrs, self.target.queue)
        self._apply(cond, attrs)
        return cond

    def _apply(self, cond: Condition, attrs: dict[str, list[Any]] | None = None) -> None:
        self.last_condition = cond
        for supply, level in cond.supplies.items():
            self.set_supply(supply, level)
        self.set_info("reasons", ",".join(cond.reasons) or "none")
        if attrs and attrs.get("printer-make-and-model"):
            self.set_info("model", str(attrs["printer-make-and-model"][0]))
        if cond.fault is not None:
            self.set_state(DeviceState.ERROR, cond.fault)
        elif self.state != DeviceState.BUSY:
            self.set_state(DeviceState.IDLE)

    def _require(self) -> IppClient:
        if self._client is None:
            raise DeviceError(C.TRANSPORT_LOST, "not open")
        return self._client

    # ----- printing ------------------------------------------------------------------------------------
    def _print(self, data: bytes, title: str, copies: int) -> A4Job:
        pages = count_pages(data)
        client = self._require()
        before = self._check()
        if before.fault is not None:
            raise before.fault   # nothing is queued on a printer that cannot print it now
        if self._withdrawn(title, None):
            raise DeviceError(C.A4_JOB_WITHDRAWN, f"{self.target.queue}: a job withdrawn before it was sent")
        self.set_state(DeviceState.BUSY)
        started = time.monotonic()
        try:
            with self._jobs_lock:   # from here a withdrawal is answered by the job's state at the server
                self._stage[title] = "sent"
            job_id, _ = client.print_job(data, title, copies)
            self.set_info("last_job", str(job_id))
            job = self._follow(client, job_id, title, pages, copies, started)
        except DeviceError as exc:
            self.count("jobs_failed")
            if self.state == DeviceState.BUSY:
                self.set_state(DeviceState.IDLE)
            self.emit(EventKind.JOB_FINISHED, {"ok": False, "error_code": exc.code, "title": title})
            raise
        if self.state == DeviceState.BUSY:
            self.set_state(DeviceState.IDLE)
        self.count("jobs_printed")
        self.count("pages_printed", pages * copies)
        self.set_info("last_job_s", f"{job.seconds:.2f}")
        self.emit(EventKind.JOB_FINISHED, job)
        return job

    def _follow(self, client: IppClient, job_id: int, title: str, pages: int, copies: int,
                started: float) -> A4Job:
        """Ask the job's state until it is final, the printer faults (the job is cancelled) or the deadline."""
        deadline = started + self.target.job_timeout_s
        while True:
            attrs = client.job_attributes(job_id)
            state = JobState(int((attrs.get("job-state") or [JobState.PENDING])[0]))
            if state.final:
                return self._finished(job_id, title, pages, copies, state, attrs, started)
            if self._withdrawn(title, state):   # still waiting in the queue: nothing of it has come out
                self._cancel(client, job_id)
                raise DeviceError(C.A4_JOB_WITHDRAWN, f"{self.target.queue}: job {job_id} withdrawn while "
                                                      f"{state.name.lower()}")
            cond = condition(client.printer_attributes(), self.target.queue)
            if cond.fault is not None:
                self._cancel(client, job_id)
                self._apply(cond)
                raise DeviceError(cond.fault.code, f"job {job_id} cancelled: {cond.fault.detail}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._cancel(client, job_id)
                raise DeviceError(C.A4_JOB_TIMEOUT, f"{self.target.queue}: job {job_id} still "
                                                    f"{state.name.lower()} after {self.target.job_timeout_s:g} s")
            self._wake.wait(min(self.job_poll_s, remaining))   # a bounded wait on the monotonic deadline
            self._wake.clear()

    def _finished(self, job_id: int, title: str, pages: int, copies: int, state: JobState,
                  attrs: dict[str, list[Any]], started: float) -> A4Job:
        reasons = ", ".join(str(r) for r in attrs.get("job-state-reasons", []))
        message = str((attrs.get("job-printer-state-message") or [""])[0] or "")
        detail = f"{self.target.queue}: job {job_id} {state.name.lower()} ({reasons})" + (f": {message}" if message else "")
        if state == JobState.ABORTED:
            raise DeviceError(C.A4_JOB_FAILED, detail)
        if state == JobState.CANCELED:
            raise DeviceError(C.A4_JOB_CANCELED, detail)
        sheets = (attrs.get("job-media-sheets-completed") or [None])[0]
        return A4Job(job_id, title, pages, copies, state, sheets if isinstance(sheets, int) and sheets > 0 else None,
                     time.monotonic() - started)

    def _cancel(self, client: IppClient, job_id: int) -> None:
        try:
            client.cancel_job(job_id)
            self.count("jobs_cancelled")
        except DeviceError as exc:   # the job may have just finished; the fault is what matters
            self.set_info("cancel_failed", str(exc))


__all__ = ["A4Job", "A4Printer", "A4Target", "MAX_COPIES", "count_pages"]
