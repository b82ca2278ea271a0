"""The console's device work: finding ports and cameras, building and checking URLs, testing each device.

Discovery looks where a technician would: serial ports through pyserial's ``list_ports`` (plus the
stable ``/dev/serial/by-id`` names), V4L2 cameras ``/dev/video*`` with their names from sysfs, SANE document
scanners (``scanimage -L``), the print server's CUPS queues for the A4 printer (IPP CUPS-Get-Printers) and evdev
keyboards (barcode scanners in keyboard mode) under
``/dev/input/by-id``; in demo mode also the simulators.
Every lister is injectable, so tests can show the console a port that exists only in the test.

A device test runs on the device's own worker thread (never the GUI's) and returns a Future of a
``TestResult`` with text for the screen; a test that hangs is ended by its deadline.
"""
from __future__ import annotations

import datetime as dt
import glob
import os
import threading
import time
import uuid
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from devices.base import DeviceState, EventKind
from devices.errors import DeviceError, DeviceErrorCode, error_info
from devices.transport import parse_url

from ..audit.trail import mask_text

BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
DEFAULT_BAUD = {"idcard": 115200, "printer": 115200, "barcode": 9600}
SCHEMES = {  # what each driver can open (devices/*/driver.py)
    "idcard": ("serial", "socket", "sim"),
    "printer": ("serial", "socket", "file", "sim"),
    "camera": ("camera", "sim"),
    "scanner": ("sane",),
    "barcode": ("serial", "socket", "sim"),
    "a4": ("cups", "sim"),
}
SIM_URLS = {"idcard": "sim://idcard", "printer": "sim://printer?profile=80mm",
            "camera": "sim://camera?width=2048&height=1536", "barcode": "sim://barcode?suffix=cr", "a4": "sim://a4"}
PRINTER_PROFILES = ("80mm", "58mm")
SCANNER_SUFFIXES = ("cr", "lf", "crlf", "none")


@dataclass(frozen=True)
class Candidate:
    url: str
    label: str  # what the technician reads: "/dev/ttyUSB0 — CH340 serial"
    usable: bool = True
    note: str = ""  # why it cannot be used, or a hint


# ----- discovery -----------------------------------------------------------------------------------
def serial_ports() -> list[tuple[str, str]]:
    """(path, description) of the serial ports pyserial sees, by-id names first (they survive replugging)."""
    from serial.tools import list_ports  # noqa: PLC0415

    out: list[tuple[str, str]] = []
    by_id = {os.path.realpath(p): p for p in glob.glob("/dev/serial/by-id/*")}
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        desc = port.description if port.description and port.description != "n/a" else ""
        if port.device in by_id:
            out.append((by_id[port.device], f"{desc} ({port.device})".strip()))
        out.append((port.device, desc or (port.hwid if port.hwid != "n/a" else "")))
    return out


def cameras() -> list[tuple[int, str]]:
    out = []
    for path in sorted(glob.glob("/dev/video*")):
        tail = path.removeprefix("/dev/video")
        if not tail.isdigit():
            continue
        try:
            name = Path(f"/sys/class/video4linux/video{tail}/name").read_text(encoding="utf-8").strip()
        except OSError:
            name = ""
        out.append((int(tail), name))
    return out


class ScannerCache:
    """SANE scanners as last found: ``scanimage -L`` takes seconds (network backends listen for
    announcements), too long for the console's GUI thread. A call returns the list found last and, when it is
    older than ``max_age_s``, looks again on a thread of its own; the first call returns []."""

    def __init__(self, lister: Callable[[], list[tuple[str, str]]] | None = None, max_age_s: float = 30.0) -> None:
        self._lister = lister
        self.max_age_s = max_age_s
        self._found: list[tuple[str, str]] = []
        self._at: float | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __call__(self) -> list[tuple[str, str]]:
        with self._lock:
            stale = self._at is None or time.monotonic() - self._at > self.max_age_s
            if stale and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._refresh, name="sane-list", daemon=True)
                self._thread.start()
            return list(self._found)

    def refresh(self) -> list[tuple[str, str]]:
        """Look now and wait for the answer (tools, tests)."""
        self._refresh()
        return list(self._found)

    def _refresh(self) -> None:
        lister = self._lister
        if lister is None:
            from devices.scanner import list_scanners as lister  # noqa: PLC0415 - OpenCV only when needed
        found = lister()
        with self._lock:
            self._found, self._at = found, time.monotonic()


sane_scanners = ScannerCache()


def _cups_queues() -> list[tuple[str, str]]:
    from devices.a4 import list_queues  # noqa: PLC0415

    return list_queues()


# The print server's queues: one IPP request to the local cupsd (milliseconds), but a CUPS_SERVER across
# the network may take its timeout: looked up off the GUI thread like the scanners.
cups_queues = ScannerCache(_cups_queues, max_age_s=10.0)


def evdev_keyboards() -> list[str]:
    return sorted(glob.glob("/dev/input/by-id/*-event-kbd"))


@dataclass
class Discovery:
    serial: Callable[[], list[tuple[str, str]]] = serial_ports
    cameras: Callable[[], list[tuple[int, str]]] = cameras
    scanners: Callable[[], list[tuple[str, str]]] = sane_scanners
    keyboards: Callable[[], list[str]] = evdev_keyboards
    queues: Callable[[], list[tuple[str, str]]] = cups_queues
    demo: bool = False

    def candidates(self, kind: str) -> list[Candidate]:
        out: list[Candidate] = []
        if self.demo and kind in SIM_URLS:   # no simulated scanner: SANE's own test backend stands in
            out.append(Candidate(SIM_URLS[kind], "模拟设备 simulator"))
        if kind in ("idcard", "printer", "barcode"):
            baud = DEFAULT_BAUD[kind]
            for path, desc in self.serial():
                out.append(Candidate(f"serial://{path}?baudrate={baud}", f"{path}  {desc}".strip()))
        if kind == "camera":
            for index, name in self.cameras():
                out.append(Candidate(f"camera://{index}?width=2592&height=1944&fourcc=MJPG",
                                     f"/dev/video{index}  {name}".strip()))
        if kind == "scanner":
            for device, desc in self.scanners():
                out.append(Candidate(f"sane://{quote(device, safe=':/@')}?resolution=300&mode=Color",
                                     f"{device}  {desc}".strip(), note="文档扫描仪 document scanner (SANE)"))
        if kind == "a4":
            for queue, desc in self.queues():
                out.append(Candidate(f"cups://{quote(queue, safe='')}", f"{queue}  {desc}".strip(),
                                     note="CUPS 打印队列 print queue"))
        if kind == "barcode":
            for path in self.keyboards():
                out.append(Candidate(f"evdev://{path}", path, usable=False,
                                     note="键盘模式扫码器：请设置为串口(USB CDC)模式 — keyboard-mode scanner: "
                                          "switch it to serial (USB CDC) mode"))
        return out


# ----- URLs ---------------------------------------------------------------------------------------
def with_params(url: str, **params: Any) -> str:
    """``url`` with query parameters set (None removes one); the order of the others is kept."""
    parts = urlsplit(url) if "://" in url else urlsplit(f"serial://{url}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for k, v in params.items():
        if v is None or v == "":
            query.pop(k, None)
        else:
            query[k] = str(v)
    encoded = urlencode(query, safe="/:")
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{encoded}" if encoded else "")


def with_param(url: str, key_value: str) -> str:
    """``url`` with one parameter set from ``"key=value"`` (``"key="`` removes it): the console's baud-rate
    and option buttons. A URL that does not parse comes back unchanged (``validate_url`` says why)."""
    key, _, value = key_value.partition("=")
    try:
        parse_url(url)
    except (DeviceError, ValueError):  # ValueError: urlsplit on a torn netloc ("socket://[::1")
        return url
    return with_params(url, **{key: value or None})


def url_options(kind: str, url: str) -> dict[str, Any]:
    """The device options a URL carries for the driver: a printer's ``?profile=`` (its paper width)."""
    if kind != "printer":
        return {}
    try:
        profile = parse_url(url).params.get("profile")
    except (DeviceError, ValueError):
        return {}
    return {"profile": profile} if profile else {}


def validate_url(kind: str, url: str) -> list[str]:
    """Problems with ``url`` for a device of ``kind`` (empty: it may be saved). Bilingual sentences."""
    try:
        u = parse_url(url)
    except DeviceError as exc:
        return [f"地址格式错误 — {exc.detail or exc}"]
    problems = []
    if u.scheme not in SCHEMES[kind]:
        problems.append(f"此设备不支持 {u.scheme}:// — {kind} accepts {', '.join(s + '://' for s in SCHEMES[kind])}")
    if u.scheme == "serial":
        if not (u.path or u.host):
            problems.append("缺少串口路径 — the serial port path is missing")
        baud = u.params.get("baudrate")
        if baud is not None and (not baud.isdigit() or int(baud) not in BAUD_RATES):
            problems.append(f"波特率无效 — baudrate {baud!r} is not one of {', '.join(map(str, BAUD_RATES))}")
    if u.scheme == "socket" and (not u.host or u.port is None):
        problems.append("需要 主机:端口 — socket:// needs HOST:PORT")
    if u.scheme == "camera":
        for key in ("width", "height"):
            v = u.params.get(key)
            if v is not None and (not v.isdigit() or not 160 <= int(v) <= 10000):
                problems.append(f"{key}={v!r} 无效 — {key} must be a whole number of pixels")
    if u.scheme == "sane":
        from devices.scanner import ScanSettings  # noqa: PLC0415

        try:
            ScanSettings.from_url(url)
        except DeviceError as exc:
            problems.append(f"扫描仪地址无效 — {exc.detail}")
    if kind == "a4" and u.scheme in SCHEMES["a4"]:
        from devices.a4 import A4Target  # noqa: PLC0415

        try:
            A4Target.from_url(url)
        except DeviceError as exc:
            problems.append(f"A4打印机地址无效 — {exc.detail}")
    if kind == "barcode" and u.params.get("suffix", "cr").lower() not in SCANNER_SUFFIXES:
        problems.append(f"结束符无效 — suffix must be one of {', '.join(SCANNER_SUFFIXES)}")
    if kind == "printer" and u.params.get("profile", "80mm") not in PRINTER_PROFILES:
        problems.append(f"纸宽无效 — profile must be one of {', '.join(PRINTER_PROFILES)}")
    return problems


# ----- tests --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest class
    ok: bool
    zh: str
    en: str
    code: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _failed(exc: BaseException) -> TestResult:
    if isinstance(exc, DeviceError):
        info = error_info(exc.code)
        return TestResult(False, info.zh, f"{info.en}" + (f": {exc.detail}" if exc.detail else ""), exc.code)
    if isinstance(exc, TimeoutError):
        return TestResult(False, "测试超时", "The test timed out", int(DeviceErrorCode.TIMEOUT))
    return TestResult(False, "测试出错", f"Test error: {type(exc).__name__}: {exc}")


def _settle(fut: Future, result: TestResult) -> None:
    """Resolve ``fut`` unless the deadline or the device got there first."""
    try:
        fut.set_result(result)
    except InvalidStateError:
        pass


def _chain(source: Future, convert: Callable[[Any], TestResult], timeout_s: float) -> Future:
    out: Future = Future()

    def done(fut: Future) -> None:
        if out.done():
            return
        try:
            result = convert(fut.result())
        except BaseException as exc:  # noqa: BLE001 - every failure becomes a result on screen
            result = _failed(exc)
        _settle(out, result)
    timer = threading.Timer(timeout_s, lambda: _settle(out, _failed(TimeoutError())))
    timer.daemon = True
    timer.start()
    out.add_done_callback(lambda _: timer.cancel())
    source.add_done_callback(done)
    return out


def _done(result: TestResult) -> Future:
    fut: Future = Future()
    fut.set_result(result)
    return fut


def sample_receipt(kiosk_id: str, profile: str = "80mm") -> bytes:
    from devices.printer.escpos import EscPos  # noqa: PLC0415

    p = EscPos(profile)
    cols = p.profile.columns
    p.init().chinese().align("center").bold().size(2, 2).line("打印测试").size().bold(False)
    p.line("TEST PRINT").line("-" * cols).align("left")
    p.line(f"终端 {kiosk_id}").line(f"时间 {dt.datetime.now():%Y-%m-%d %H:%M:%S}").line(f"纸宽 {p.profile.name}")
    p.line("中文打印正常 汉字测试 ABCabc 0123456789").line("-" * cols).align("center")
    p.qr(f"TEST {kiosk_id}", module=4).line("二维码测试 QR test")
    p.feed(2).cut(partial=True)
    return p.getvalue()


def run_test(device: Any, *, kiosk_id: str, timeout_s: float) -> Future:
    """Start the test that fits the device; the Future resolves to a TestResult."""
    if device is None:
        return _done(TestResult(False, "设备未配置", "The device is not configured",
                                int(DeviceErrorCode.NOT_CONFIGURED)))
    if device.state not in (DeviceState.IDLE, DeviceState.BUSY, DeviceState.ERROR):
        return _done(_failed(device.last_error or DeviceError(DeviceErrorCode.TRANSPORT_OPEN_FAILED)))
    kind = device.kind
    if kind == "printer":
        def printed(result: Any) -> TestResult:
            if result.ok:
                return TestResult(True, f"测试单已打印（{result.bytes_sent} 字节）",
                                  f"Test receipt printed ({result.bytes_sent} bytes)")
            info = error_info(result.error_code)
            return TestResult(False, info.zh, info.en, result.error_code)
        data = sample_receipt(kiosk_id, str(device.options.get("profile", "80mm")))
        return _chain(device.print_job(f"test-{uuid.uuid4().hex[:8]}", data), printed, timeout_s)
    if kind == "idcard":
        return _chain(device.submit(_read_card_once, device), lambda r: r, timeout_s)
    if kind == "camera":
        return _chain(device.capture(), _camera_result, timeout_s)
    if kind == "scanner":   # a scanned page is judged like a camera's still (page found, problems)
        return _chain(device.capture(), _camera_result, timeout_s)
    if kind == "barcode":
        return _wait_for_scan(device, timeout_s)
    if kind == "a4":
        from ..printing.a4_test import a4_test_pdf  # noqa: PLC0415 - reportlab only for this test

        def sheet(job: Any) -> TestResult:
            return TestResult(True, f"A4测试页已打印（{job.pages} 页，{job.seconds:.1f} 秒）",
                              f"A4 test sheet printed ({job.pages} page, {job.seconds:.1f} s)",
                              details=job.as_dict())
        pdf = a4_test_pdf(kiosk_id, device.url)
        return _chain(device.print_pdf(pdf, f"A4 test {kiosk_id}"), sheet, timeout_s)
    return _done(TestResult(False, "无此测试", f"No test for {kind}"))


def _read_card_once(reader: Any) -> TestResult:
    """On the reader's thread: is a card there? Then read it (shown masked only)."""
    from devices.idcard import protocol as p  # noqa: PLC0415

    found = reader.transact(p.Command.FIND_CARD)
    if found.sw3 != p.SW3.FIND_OK:
        return TestResult(False, "读卡器正常，但未检测到证件：请放一张身份证再测",
                          "The reader answers but finds no card: place an ID card and test again",
                          int(DeviceErrorCode.IDCARD_READ_FAILED))
    card = reader.read_card()
    return TestResult(True, f"读卡成功：{card.masked()}", f"Card read: {card.masked()}",
                      details={"sam_id": reader.health().info.get("sam_id", "")})


def _camera_result(image: Any) -> TestResult:
    from devices.camera import docscan  # noqa: PLC0415

    h, w = image.shape[:2]
    quad = docscan.detect_page(image)
    problems = list(docscan.assess(image, quad).problems)
    if quad is None:
        return TestResult(True, f"取图成功 {w}×{h}，未检测到材料（放一页纸可检查识别）",
                          f"Captured {w}x{h}; no page found (lay a page to test detection)",
                          details={"width": w, "height": h})
    extra = f"，问题：{', '.join(problems)}" if problems else ""
    return TestResult(not problems, f"取图成功 {w}×{h}，已识别材料{extra}",
                      f"Captured {w}x{h}; page found" + (f"; problems: {', '.join(problems)}" if problems else ""),
                      details={"width": w, "height": h, "problems": problems})


def _wait_for_scan(device: Any, timeout_s: float) -> Future:
    out: Future = Future()

    def on_event(event: Any) -> None:
        if event.kind == EventKind.BARCODE_READ and not out.done():
            text = mask_text(event.data.text)
            shown = text if len(text) <= 60 else text[:57] + "..."
            _settle(out, TestResult(True, f"扫码成功：{shown}", f"Code read: {shown}",
                                      details={"length": len(event.data.raw)}))
    unsubscribe = device.subscribe(on_event)
    timer = threading.Timer(timeout_s, lambda: _settle(out,
        TestResult(False, "在规定时间内没有扫到码", "No code was scanned in time", int(DeviceErrorCode.TIMEOUT))))
    timer.daemon = True
    timer.start()

    def finished(_: Future) -> None:
        timer.cancel()
        unsubscribe()
    out.add_done_callback(finished)
    return out
