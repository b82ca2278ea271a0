"""A simulated A4 printer behind a simulated print server (``sim://a4``): it answers the driver's IPP bytes.

Like the receipt printer's simulator, it speaks the real wire: the production driver (``devices.a4.driver``)
and IPP client encode requests, this decodes them with the same codec and answers as cupsd would
(Get-Printer-Attributes with state and state reasons, Print-Job, Get-Job-Attributes, Cancel-Job,
CUPS-Get-Printers). A printed job's PDF is rendered page by page to PNG with ``pdftoppm`` (poppler-utils)
into ``OUTPUT/job-N/page-K.png``: the demo shows the certificate that "came out", the tests look at it.

Where it renders: the URL's ``dir=`` parameter, else the directory the driver hands over (its option
``sim_output_dir``, which the kiosk's wiring sets to DATA_DIR/a4-printed), else a temporary directory.
``dpi=`` (default 60) sets the rendering's resolution.

Knobs (the demo's simulator panel and the tests): paper ok/low/out, jam, door open, toner ok/low/empty,
offline, paused (cupsdisable), accepting (cupsreject), ``hold_jobs`` (jobs stay processing, a slow printer),
``hold_pending`` (jobs wait pending in the queue: a job from elsewhere ahead of them, a warm-up),
``fail_next_job`` (the next job is aborted, as a
failing filter does), unplug (the print server does not answer). A job sent while the printer cannot print
waits pending, as in CUPS, and prints when the fault is cleared -- unless it is cancelled first.
"""
from __future__ import annotations

import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import sim
from ..errors import DeviceError, DeviceErrorCode
from ..urls import DeviceURL
from . import ipp
from .ipp import Attr, JobState, Op, PrinterState, Status, Tag

PAPER = ("ok", "low", "out")
# Finished jobs the simulated print server remembers (CUPS keeps a history too, MaxJobs 500 by default, and
# drops the documents of finished jobs): older finished ones are forgotten, so a long demo or bench_soak does
# not keep every certificate PDF it ever printed in memory (~38 kB each: +3.5 MB per 100 journeys).
KEPT_FINISHED_JOBS = 100
TONER = ("ok", "low", "empty")


@dataclass
class SimJob:
    job_id: int
    title: str
    data: bytes
    copies: int
    state: JobState = JobState.PENDING
    reasons: list[str] = field(default_factory=lambda: ["job-incoming"])
    pages: list[Path] = field(default_factory=list)


class SimEndpoint:
    """What the driver holds: ``post`` like ``client.HttpEndpoint``, answered by the simulator."""

    def __init__(self, owner: "A4Simulator") -> None:
        self.owner = owner

    def post(self, path: str, body: bytes, timeout_s: float) -> bytes:
        if self.owner.unplugged:
            raise DeviceError(DeviceErrorCode.A4_SERVER_UNREACHABLE, "sim://a4: simulated print server down")
        return self.owner.handle_ipp(path, body)


class A4Simulator(sim.SimHardware):
    kind = "a4"

    def __init__(self, url: DeviceURL) -> None:
        super().__init__(url)
        self.queue = url.params.get("name", "sim-a4") or "sim-a4"
        self.dpi = int(url.params.get("dpi", "60") or 60)
        self._dir: Path | None = Path(url.params["dir"]).expanduser() if url.params.get("dir") else None
        self.paper = "ok"
        self.toner = "ok"
        self.jam = False
        self.door_open = False
        self.offline = False
        self.paused = False
        self.accepting = True
        self.fail_next_job = False
        self.hold_jobs = False   # jobs stay "processing" (a slow printer mid-page) until released
        self.hold_pending = False   # jobs wait "pending" in the queue (a job from elsewhere ahead, a warm-up)
        self.jobs: dict[int, SimJob] = {}
        self._next_id = 1
        self.revision = 0   # bumps whenever a job completes (the demo reloads its picture)
        self.done = threading.Condition(self.lock)

    # ----- connection ------------------------------------------------------------------------------------
    def connect(self, output_dir: str | Path | None = None) -> SimEndpoint:  # type: ignore[override]
        with self.lock:
            if self.unplugged:
                raise DeviceError(DeviceErrorCode.A4_SERVER_UNREACHABLE, f"{self.url.raw}: simulated unplug")
            if self._dir is None and output_dir:
                self._dir = Path(output_dir)
            return SimEndpoint(self)

    @property
    def output_dir(self) -> Path:
        with self.lock:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="kiosk-a4-sim-"))
            return self._dir

    # ----- knobs -----------------------------------------------------------------------------------------
    def set_paper(self, level: str) -> None:
        if level not in PAPER:
            raise ValueError(f"paper is one of {', '.join(PAPER)}")
        self._knob(paper=level)

    def set_toner(self, level: str) -> None:
        if level not in TONER:
            raise ValueError(f"toner is one of {', '.join(TONER)}")
        self._knob(toner=level)

    def set_jam(self, on: bool) -> None:
        self._knob(jam=bool(on))

    def set_door_open(self, on: bool) -> None:
        self._knob(door_open=bool(on))

    def set_offline(self, on: bool) -> None:
        self._knob(offline=bool(on))

    def set_paused(self, on: bool) -> None:
        self._knob(paused=bool(on))

    def set_accepting(self, on: bool) -> None:
        self._knob(accepting=bool(on))

    def set_hold(self, on: bool) -> None:
        self._knob(hold_jobs=bool(on))

    def set_hold_pending(self, on: bool) -> None:
        self._knob(hold_pending=bool(on))

    def _knob(self, **values: Any) -> None:
        with self.lock:
            for k, v in values.items():
                setattr(self, k, v)
            self._run_pending()

    def knobs(self) -> dict[str, Any]:
        with self.lock:
            return dict(super().knobs(), paper=self.paper, toner=self.toner, jam=self.jam, door_open=self.door_open,
                        offline=self.offline, paused=self.paused, accepting=self.accepting,
                        jobs=len(self.jobs), completed=sum(j.state == JobState.COMPLETED for j in self.jobs.values()))

    def reasons(self) -> list[str]:
        """printer-state-reasons as cupsd would give them for the current knobs."""
        out = []
        if self.paused:
            out.append("paused")
        if self.offline:
            out.append("offline-report")
        if self.paper == "out":
            out.append("media-empty-error")
        elif self.paper == "low":
            out.append("media-low-report")
        if self.jam:
            out.append("media-jam-error")
        if self.door_open:
            out.append("door-open-error")
        if self.toner == "empty":
            out.append("toner-empty-error")
        elif self.toner == "low":
            out.append("toner-low-report")
        return out or ["none"]

    def can_print(self) -> bool:
        return not (self.paused or self.offline or self.jam or self.door_open or self.paper == "out"
                    or self.toner == "empty")

    def last_pages(self) -> list[Path]:
        """The PNG pages of the newest completed job ([] before any)."""
        with self.lock:
            done = [j for j in self.jobs.values() if j.state == JobState.COMPLETED]
            return list(done[-1].pages) if done else []

    # ----- the wire --------------------------------------------------------------------------------------
    def handle_ipp(self, path: str, body: bytes) -> bytes:
        try:
            req = ipp.decode(body)
        except ipp.IppError:
            return ipp.encode(Status.BAD_REQUEST, 0, [(Tag.OPERATION, self._status_attrs("bad request"))])
        with self.lock:
            handler = {Op.GET_PRINTER_ATTRIBUTES: self._printer, Op.PRINT_JOB: self._print_job,
                       Op.GET_JOB_ATTRIBUTES: self._job, Op.CANCEL_JOB: self._cancel,
                       Op.CUPS_GET_PRINTERS: self._printers}.get(req.code)
            if handler is None:
                return self._answer(req, Status.OPERATION_NOT_SUPPORTED, "operation not supported")
            if req.code != Op.CUPS_GET_PRINTERS and not path.rstrip("/").endswith(f"/printers/{self.queue}") \
                    and not path.startswith("/jobs"):
                return self._answer(req, Status.NOT_FOUND, f"The printer or class does not exist: {path}")
            return handler(req)

    @staticmethod
    def _status_attrs(message: str) -> list[Attr]:
        return [Attr.of(Tag.CHARSET, "attributes-charset", "utf-8"),
                Attr.of(Tag.LANGUAGE, "attributes-natural-language", "zh-cn"),
                Attr.of(Tag.TEXT, "status-message", message)]

    def _answer(self, req: ipp.Message, status: int, message: str = "successful-ok",
                groups: list[tuple[Tag, list[Attr]]] | None = None) -> bytes:
        return ipp.encode(status, req.request_id, [(Tag.OPERATION, self._status_attrs(message)), *(groups or [])])

    def _printer_attrs(self) -> list[Attr]:
        state = PrinterState.STOPPED if self.paused else (
            PrinterState.PROCESSING if any(not j.state.final for j in self.jobs.values()) else PrinterState.IDLE)
        return [Attr.of(Tag.NAME, "printer-name", self.queue),
                Attr.of(Tag.ENUM, "printer-state", int(state)),
                Attr.of(Tag.KEYWORD, "printer-state-reasons", *self.reasons()),
                Attr.of(Tag.TEXT, "printer-state-message", "Paused" if self.paused else ""),
                Attr.of(Tag.BOOLEAN, "printer-is-accepting-jobs", self.accepting),
                Attr.of(Tag.TEXT, "printer-make-and-model", "Kiosk simulated A4 laser printer"),
                Attr.of(Tag.TEXT, "printer-info", "模拟A4打印机 simulated A4 printer")]

    def _printer(self, req: ipp.Message) -> bytes:
        return self._answer(req, Status.OK, groups=[(Tag.PRINTER, self._printer_attrs())])

    def _printers(self, req: ipp.Message) -> bytes:
        return self._answer(req, Status.OK, groups=[(Tag.PRINTER, self._printer_attrs())])

    def _print_job(self, req: ipp.Message) -> bytes:
        if not self.accepting:
            return self._answer(req, Status.NOT_ACCEPTING_JOBS, f"Destination \"{self.queue}\" is not accepting jobs.")
        fmt = req.first(Tag.OPERATION, "document-format", "application/octet-stream")
        if fmt != "application/pdf" or not req.data.startswith(b"%PDF-"):
            return self._answer(req, Status.DOCUMENT_FORMAT_NOT_SUPPORTED, f"Unsupported document-format {fmt}")
        job = SimJob(self._next_id, str(req.first(Tag.OPERATION, "job-name", "")), req.data,
                     int(req.first(Tag.JOB, "copies", 1)))
        self._next_id += 1
        self._forget_old_jobs()
        self.jobs[job.job_id] = job
        self._run_pending()
        return self._answer(req, Status.OK, groups=[(Tag.JOB, self._job_attrs(job))])

    def _forget_old_jobs(self) -> None:
        finished = sorted(j.job_id for j in self.jobs.values() if j.state.final)
        for job_id in finished[:max(0, len(finished) - KEPT_FINISHED_JOBS + 1)]:
            del self.jobs[job_id]

    def _job_attrs(self, job: SimJob) -> list[Attr]:
        sheets = len(job.pages) * job.copies
        return [Attr.of(Tag.INTEGER, "job-id", job.job_id), Attr.of(Tag.ENUM, "job-state", int(job.state)),
                Attr.of(Tag.KEYWORD, "job-state-reasons", *job.reasons),
                Attr.of(Tag.INTEGER, "job-media-sheets-completed", sheets)]

    def _find(self, req: ipp.Message) -> SimJob | None:
        return self.jobs.get(int(req.first(Tag.OPERATION, "job-id", 0)))

    def _job(self, req: ipp.Message) -> bytes:
        job = self._find(req)
        if job is None:
            return self._answer(req, Status.NOT_FOUND, "Job does not exist.")
        return self._answer(req, Status.OK, groups=[(Tag.JOB, self._job_attrs(job))])

    def _cancel(self, req: ipp.Message) -> bytes:
        job = self._find(req)
        if job is None:
            return self._answer(req, Status.NOT_FOUND, "Job does not exist.")
        if job.state.final:
            return self._answer(req, Status.NOT_POSSIBLE, f"Job #{job.job_id} is already {job.state.name.lower()}")
        job.state, job.reasons = JobState.CANCELED, ["job-canceled-by-user"]
        self.done.notify_all()
        return self._answer(req, Status.OK)

    # ----- printing --------------------------------------------------------------------------------------
    def _run_pending(self) -> None:
        """Print every pending job, in order, while the printer can (lock held)."""
        for job in sorted(self.jobs.values(), key=lambda j: j.job_id):
            if job.state not in (JobState.PENDING, JobState.PROCESSING):
                continue
            if not self.can_print():
                job.reasons = ["printer-stopped"] if self.paused else ["job-printing"]
                return
            if self.hold_pending:
                job.reasons = ["job-queued"]
                return
            if self.hold_jobs:
                job.state, job.reasons = JobState.PROCESSING, ["job-printing"]
                return
            if self.fail_next_job:
                self.fail_next_job = False
                job.state, job.reasons = JobState.ABORTED, ["aborted-by-system"]
                continue
            pages = self._render(job)
            if pages is None:
                job.state, job.reasons = JobState.ABORTED, ["document-unprintable-error"]
            else:
                job.pages = pages
                job.state, job.reasons = JobState.COMPLETED, ["job-completed-successfully"]
                self.revision += 1
            self.done.notify_all()

    def _render(self, job: SimJob) -> list[Path] | None:
        """The job's pages as the paper would show them: PNG files from pdftoppm (None: it failed, as a
        filter that fails aborts a CUPS job)."""
        folder = self.output_dir / f"job-{job.job_id}"
        folder.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(["pdftoppm", "-r", str(self.dpi), "-png", "-", str(folder / "page")], input=job.data,
                           capture_output=True, timeout=60, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return sorted(folder.glob("page*.png"))


__all__ = ["A4Simulator", "SimEndpoint", "SimJob"]
