"""Sheet-fed and flatbed document scanners through SANE: ``sane://DEVICE?resolution=300&mode=Color&source=ADF``.

The driver runs SANE's own command-line frontend, ``scanimage`` (Debian package sane-utils), once per page
with explicit arguments, instead of binding libsane in-process: a scanner backend that crashes or hangs
then takes down one child process, which a timeout kills (with its whole process group), never the kiosk.
``scanimage`` exits with the SANE status code (6 jammed, 7 feeder empty, 8 cover open, ...) and says what
went wrong on stderr; both become numbered device errors (devices.errors 1410-1417).

URL: ``DEVICE`` is the SANE device name as ``scanimage -L`` prints it (``test``, ``genesys:libusb:001:004``,
``escl:http://192.168.1.20:80``; percent-encode spaces). Parameters: ``resolution`` (dpi, default 300),
``mode`` (Color, Gray, Lineart: the scanner's own words), ``source`` (Flatbed, ADF, ...: idem), ``format``
(pnm, the default, or png), ``width_mm`` / ``height_mm`` (scan area from the top-left; default: the
scanner's whole area), ``timeout_s`` (default 60, per page), ``batch`` (1/0: scan everything in the
feeder with one tap; default 1 when ``source`` names a feeder, ADF or "Document Feeder"). Unknown parameters are refused (typos must not be
ignored silently). Driver options (``[devices.scanner.options]``): ``program`` (the scanimage to run),
``config_dir`` (SANE_CONFIG_DIR for scanimage, e.g. a directory whose dll.conf enables one backend),
``extra_args`` (backend-specific options, a list of strings), ``check_interval_s`` (how often the idle
scanner is opened to notice an unplug, default 60).

To the journey the scanner looks like the document camera for a still: ``capture()`` returns a Future of
a BGR page. Its capabilities (``devices.base.Capability``): no LIVE_PREVIEW (nothing to follow, no
automatic capture: 拍摄 scans), FLAT_PAGES (the still is already the flat page: no page detection, no
perspective correction), BLANK_BACKS with a duplex source, and BATCH with a feeder: ``capture_pages(limit)``
scans the pages lying in it in one
``scanimage --batch`` run (up to ``limit``; it ends by itself when the feeder is empty) into a private
temporary directory that is removed as soon as the pages are read. A scanner whose backend has a paper
sensor (SANE's read-only ``--page-loaded`` option, as sheet-fed backends such as fujitsu, canon_dr or
epjitsu list it in ``scanimage -A``) also has PAGE_SENSOR: ``page_loaded()`` tells whether paper lies in the
feeder now, without scanning it (a page left by the previous citizen is found before it can be scanned).
The simulated scanner (``devices.scanner.sim``) is a ``scanimage`` of its own with such a sensor.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import cv2
import numpy as np

from ..base import Capability, Device, DeviceState, Preview
from ..errors import DeviceError, DeviceErrorCode, ErrorKind
from ..transport import parse_url

log = logging.getLogger(__name__)

C = DeviceErrorCode
URL_PARAMS = frozenset({"resolution", "mode", "source", "format", "width_mm", "height_mm", "timeout_s", "batch"})
FEEDER = re.compile(r"adf|feeder", re.I)   # a source that holds a stack of pages
FORMATS = ("pnm", "png")
LIST_TIMEOUT_S = 20.0   # scanimage -L / -A: network backends (escl, airscan) look around for a few seconds

# scanimage's exit status is the SANE_Status of the call that failed (sane/sane.h).
STATUS_CODES: dict[int, DeviceErrorCode] = {
    2: C.SCANNER_FAILED,        # SANE_STATUS_CANCELLED
    3: C.BUSY,                  # SANE_STATUS_DEVICE_BUSY
    4: C.SCANNER_OPTION,        # SANE_STATUS_INVAL
    6: C.SCANNER_JAMMED,        # SANE_STATUS_JAMMED
    7: C.SCANNER_FEEDER_EMPTY,  # SANE_STATUS_NO_DOCS
    8: C.SCANNER_COVER_OPEN,    # SANE_STATUS_COVER_OPEN
    9: C.SCANNER_FAILED,        # SANE_STATUS_IO_ERROR
    10: C.SCANNER_FAILED,       # SANE_STATUS_NO_MEM
    11: C.PERMISSION_DENIED,    # SANE_STATUS_ACCESS_DENIED
}
# Exit status 1 covers scanimage's own failures; its stderr says which (scanimage.c).
STDERR_PATTERNS: tuple[tuple[re.Pattern[str], DeviceErrorCode], ...] = (
    (re.compile(r"open of device .* failed|no SANE devices found", re.I), C.SCANNER_NOT_FOUND),
    (re.compile(r"unrecognized option|setting of option .* failed|value for --\S+ must be|"
                r"invalid argument|is not a valid|attempted to set inactive option", re.I), C.SCANNER_OPTION),
    (re.compile(r"jammed", re.I), C.SCANNER_JAMMED),
    (re.compile(r"out of documents", re.I), C.SCANNER_FEEDER_EMPTY),
    (re.compile(r"cover is open", re.I), C.SCANNER_COVER_OPEN),
    (re.compile(r"device busy", re.I), C.BUSY),
    (re.compile(r"access to resource has been denied", re.I), C.PERMISSION_DENIED),
)
# Errors after which the scanner is treated as gone: the worker closes it and reopens with backoff.
LOST = frozenset({C.SCANNER_NOT_FOUND})


@dataclass(frozen=True)
class ScanSettings:
    device: str
    resolution_dpi: int = 300
    mode: str | None = None
    source: str | None = None
    format: str = "pnm"
    width_mm: float | None = None
    height_mm: float | None = None
    timeout_s: float = 60.0
    batch: bool = False

    @classmethod
    def from_url(cls, url: str) -> "ScanSettings":
        u = parse_url(url)
        if u.scheme != "sane":
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: not a sane:// URL")
        parts = urlsplit(u.raw)
        # Not u.host: SANE names hold colons (genesys:libusb:001:004) and case matters.
        device = unquote(parts.netloc + parts.path)
        if not device:
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: sane:// needs a device name (scanimage -L lists them)")
        unknown = sorted(set(u.params) - URL_PARAMS)
        if unknown:
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: unknown parameter(s) {', '.join(unknown)}; "
                                                 f"known: {', '.join(sorted(URL_PARAMS))}")
        fmt = (u.param("format", "pnm") or "pnm").lower()
        if fmt not in FORMATS:
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: format={fmt!r}, one of {', '.join(FORMATS)}")
        dpi = u.int_param("resolution", 300)
        timeout = u.float_param("timeout_s", 60.0)
        if not 50 <= dpi <= 1200 or timeout <= 0:
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: resolution 50..1200 dpi and timeout_s > 0")
        width = u.float_param("width_mm", 0.0) or None
        height = u.float_param("height_mm", 0.0) or None
        source = u.param("source") or None
        batch = (u.param("batch") or "").strip().lower()
        if batch not in ("", "0", "1", "true", "false", "yes", "no"):
            raise DeviceError(C.UNSUPPORTED_URL, f"{url}: batch={batch!r}, 1 or 0")
        feeder = bool(source and FEEDER.search(source)) if batch == "" else batch in ("1", "true", "yes")
        return cls(device, dpi, u.param("mode") or None, source, fmt, width, height, timeout, feeder)

    def args(self) -> list[str]:
        """scanimage's arguments for one page, written to stdout."""
        out = ["-d", self.device, f"--format={self.format}", "--resolution", str(self.resolution_dpi)]
        if self.mode:
            out += ["--mode", self.mode]
        if self.source:
            out += ["--source", self.source]
        if self.width_mm:
            out += ["-x", f"{self.width_mm:g}"]
        if self.height_mm:
            out += ["-y", f"{self.height_mm:g}"]
        return out


def scan_error(returncode: int, stderr: str, device: str) -> DeviceError:
    """The numbered error for a failed scanimage run: its stderr first, then its exit status."""
    detail = f"{device}: " + (" | ".join(line.strip() for line in stderr.splitlines() if line.strip())[-400:]
                              or f"scanimage exit status {returncode}")
    for pattern, code in STDERR_PATTERNS:
        if pattern.search(stderr):
            return DeviceError(code, detail)
    return DeviceError(STATUS_CODES.get(returncode, C.SCANNER_FAILED), detail)


def run_scanimage(program: str, args: list[str], *, timeout_s: float, env: dict[str, str] | None = None
                  ) -> tuple[int, bytes, str]:
    """Run scanimage; (exit status, stdout, stderr). On timeout its whole process group is killed (a backend
    helper left holding the pipe would otherwise keep us waiting) and SCANNER_TIMEOUT raised."""
    try:
        proc = subprocess.Popen([program, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
    except FileNotFoundError:
        raise DeviceError(C.SCANNER_PROGRAM_MISSING, f"{program} not found") from None
    except PermissionError as exc:
        raise DeviceError(C.SCANNER_PROGRAM_MISSING, f"{program}: {exc.strerror}") from None
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise DeviceError(C.SCANNER_TIMEOUT, f"{program} {' '.join(args)}: no page after {timeout_s:g} s") from None
    return proc.returncode, out, err.decode("utf-8", "replace")


def decode_page(data: bytes) -> np.ndarray:
    """scanimage's PNM or PNG output as a BGR uint8 image (16-bit and 1-bit scans are brought to 8 bits)."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED) if data else None
    if image is None or image.size == 0:
        raise DeviceError(C.SCANNER_FAILED, f"scanimage gave {len(data)} bytes that are no picture")
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def list_scanners(program: str = "scanimage", env: dict[str, str] | None = None,
                  timeout_s: float = LIST_TIMEOUT_S) -> list[tuple[str, str]]:
    """(device name, "vendor model type") of the scanners SANE finds; [] when scanimage is missing."""
    if shutil.which(program) is None:
        return []
    try:
        rc, out, _ = run_scanimage(program, ["-f", "%d\t%v %m %t%n"], timeout_s=timeout_s, env=env)
    except DeviceError:
        return []
    if rc != 0:
        return []
    rows = [line.split("\t", 1) for line in out.decode("utf-8", "replace").splitlines() if line.strip()]
    return [(r[0], r[1].strip() if len(r) > 1 else "") for r in rows]


class SaneScanner(Device):
    """A flatbed or sheet-fed document scanner (device kind "scanner"): one ``scanimage`` run per page."""

    kind = "scanner"

    def __init__(self, name: str, url: str, options: dict | None = None) -> None:
        super().__init__(name, url, options)
        self.scan = ScanSettings.from_url(url)   # a bad URL fails at construction, like the other drivers
        self.program = str(self.options.get("program", "scanimage"))
        self.extra_args = [str(a) for a in self.options.get("extra_args", [])]
        self.poll_interval_s = float(self.options.get("check_interval_s", 60.0))
        env = dict(os.environ)
        if self.options.get("config_dir"):
            env["SANE_CONFIG_DIR"] = str(self.options["config_dir"])
        self.env = env
        self._seq = 0
        self._sensor = False  # the backend lists a page-loaded sensor (learnt when the scanner is opened)

    # ----- the camera interface ---------------------------------------------------------------
    @property
    def capabilities(self) -> frozenset[Capability]:  # type: ignore[override] - read from the URL
        """Always FLAT_PAGES (no preview stream: the materials screen does not wait for one, 拍摄 scans);
        BATCH when one tap scans every page in the feeder (``capture_pages``); BLANK_BACKS when both sides
        of each sheet are scanned (a duplex source), so a blank back is normal, not a mistake."""
        caps = {Capability.FLAT_PAGES}
        if self.scan.batch:
            caps.add(Capability.BATCH)
        if self.scan.source and "duplex" in self.scan.source.lower():
            caps.add(Capability.BLANK_BACKS)
        if self._sensor:
            caps.add(Capability.PAGE_SENSOR)
        return frozenset(caps)

    def page_loaded(self) -> Future:
        """A Future of True when paper lies in the scanner now (its page-loaded sensor; PAGE_SENSOR only)."""
        return self._future(self._read_sensor)

    def _read_sensor(self) -> bool:
        rc, out, err = run_scanimage(self.program, ["-d", self.scan.device, "-A"], timeout_s=LIST_TIMEOUT_S,
                                     env=self.env)
        if rc != 0:
            raise scan_error(rc, err, self.scan.device)
        loaded = sensor_value(out.decode("utf-8", "replace"), "page-loaded")
        if loaded is None:
            raise DeviceError(C.SCANNER_OPTION, f"{self.scan.device}: no page-loaded sensor in scanimage -A")
        return loaded

    def capture(self) -> Future:
        """A Future of the scanned page (BGR ndarray). Errors the citizen fixes (feeder empty) fail the
        Future without marking the scanner faulty."""
        return self._future(self._scan_page)

    def capture_pages(self, limit: int) -> Future:
        """A Future of the list of pages scanned from the feeder in one run (1..``limit`` BGR pages, in feed
        order); an empty feeder fails it with SCANNER_FEEDER_EMPTY."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        return self._future(lambda: self._scan_batch(limit))

    def _future(self, work) -> Future:
        out: Future = Future()

        def run() -> None:
            try:
                out.set_result(work())
            except DeviceError as exc:
                out.set_exception(exc)
                self._fault(exc)
            except BaseException as exc:  # a driver bug must still end the Future
                out.set_exception(exc)
                raise
        def failed(inner: Future) -> None:   # not started, offline or stopping: the command never ran
            exc = inner.exception()
            if exc is not None and not out.done():
                out.set_exception(exc)
        self.submit(run).add_done_callback(failed)
        return out

    def latest(self) -> Preview | None:
        """No live preview: a scanner sees nothing between scans."""
        return None

    # ----- Device hooks -------------------------------------------------------------------------
    def _open(self) -> None:
        self._check()

    def _close(self) -> None:
        pass   # nothing held between scans: each page is its own scanimage run

    def _poll(self) -> None:
        if self.state == DeviceState.ERROR:
            return   # a jam or an open cover clears with the next good scan, not with an open
        try:
            self._check()
        except DeviceError as exc:
            self._fault(exc)

    def _fault(self, exc: DeviceError) -> None:
        """Worker thread: what a failed scan or check does to the scanner's state."""
        if exc.code in LOST:
            self._drop_transport(exc)   # unplugged: the worker reopens it with backoff
        elif exc.info.kind != ErrorKind.USER and exc.code != C.BUSY:
            self.set_state(DeviceState.ERROR, exc)   # jam, cover, I/O, bad option: a technician looks

    def _check(self) -> None:
        """Open the scanner (``scanimage -d DEVICE -A`` lists its options): is it there, does it take the
        URL's mode and source? Records its options in the health info."""
        rc, out, err = run_scanimage(self.program, ["-d", self.scan.device, "-A"], timeout_s=LIST_TIMEOUT_S,
                                     env=self.env)
        if rc != 0:
            raise scan_error(rc, err, self.scan.device)
        text = out.decode("utf-8", "replace")
        for key, wanted in (("mode", self.scan.mode), ("source", self.scan.source)):
            choices = option_choices(text, key)
            if choices:
                self.set_info(f"{key}s", "|".join(choices))
            if wanted and choices and wanted not in choices:
                raise DeviceError(C.SCANNER_OPTION, f"{self.scan.device}: {key}={wanted!r}; this scanner takes "
                                                    f"{' | '.join(choices)}")
        self._sensor = sensor_value(text, "page-loaded") is not None
        self.set_info("device", self.scan.device)

    def _scan_page(self) -> np.ndarray:
        t0 = time.monotonic()
        rc, out, err = run_scanimage(self.program, [*self.scan.args(), *self.extra_args],
                                     timeout_s=self.scan.timeout_s, env=self.env)
        if rc != 0:
            self.count("scan_errors")
            raise scan_error(rc, err, self.scan.device)
        image = decode_page(out)
        self._scanned([image], err, t0)
        return image

    def _scan_batch(self, limit: int) -> list[np.ndarray]:
        """Every page in the feeder, up to ``limit``, in one scanimage run. The files are a citizen's
        documents: they live in a directory only this user can read, for as long as it takes to read them."""
        t0 = time.monotonic()
        folder = tempfile.mkdtemp(prefix="kiosk-scan-")   # mode 0700
        try:
            pattern = os.path.join(folder, f"page-%03d.{self.scan.format}")
            rc, _, err = run_scanimage(self.program, [*self.scan.args(), *self.extra_args, f"--batch={pattern}",
                                                      f"--batch-count={limit}"],
                                       timeout_s=self.scan.timeout_s * limit, env=self.env)
            names = sorted(n for n in os.listdir(folder) if n.startswith("page-"))
            if rc != 0:
                error = scan_error(rc, err, self.scan.device)
                # The feeder running empty before the count ends the batch (status 0 or 7 by version and
                # count); any other failure (a jam, the cover) loses the batch: the stack is fed again.
                if error.code != C.SCANNER_FEEDER_EMPTY or not names:
                    self.count("scan_errors")
                    raise error
            pages = []
            for n in names:
                with open(os.path.join(folder, n), "rb") as f:
                    pages.append(decode_page(f.read()))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if not pages:
            raise DeviceError(C.SCANNER_FEEDER_EMPTY, f"{self.scan.device}: the batch scanned no page")
        self._scanned(pages, err, t0)
        return pages

    def _scanned(self, pages: list[np.ndarray], err: str, t0: float) -> None:
        rounded = re.search(r"rounded value of resolution from \S+ to (\S+)", err)
        self.set_info("resolution_dpi", rounded.group(1) if rounded else str(self.scan.resolution_dpi))
        h, w = pages[-1].shape[:2]
        self.set_info("resolution", f"{w}x{h}")
        self.set_info("scan_ms", f"{(time.monotonic() - t0) * 1e3:.0f}")
        self.set_info("last_batch_pages", str(len(pages)))
        self.count("stills", len(pages))
        self._seq += len(pages)  # no copy of a page is kept here: it is a citizen's document, the journey owns it
        if self.state != DeviceState.IDLE:
            self.set_state(DeviceState.IDLE)


def option_choices(listing: str, option: str) -> list[str]:
    """The choices of ``--OPTION a|b|c [current]`` in ``scanimage -A`` output ([] for ranges or absent)."""
    m = re.search(rf"^\s*--{re.escape(option)} (.+?) \[", listing, re.M)
    if not m or ".." in m.group(1):
        return []
    return [c.strip() for c in m.group(1).split("|") if c.strip()]


def sensor_value(listing: str, option: str) -> bool | None:
    """A read-only yes/no sensor in ``scanimage -A`` output (``--page-loaded[=(yes|no)] [yes] [hardware]``):
    its current value, None when the backend has no such sensor."""
    m = re.search(rf"^\s*--{re.escape(option)}\[=\(yes\|no\)\] \[(yes|no)\]", listing, re.M)
    return None if m is None else m.group(1) == "yes"


__all__ = ["SaneScanner", "ScanSettings", "decode_page", "list_scanners", "option_choices", "run_scanimage",
           "scan_error", "sensor_value"]
