"""kiosk devices scan --url URL [--seconds N]: read codes from a scanner or the camera and print them.

For technicians checking a scanner's settings: the URL is a barcode device (``serial:///dev/ttyACM0?...``,
``evdev:///dev/input/by-id/...``, ``sim://barcode``) or a camera (``camera://0``, ``sim://camera``), which
is then scanned like the kiosk does. Each read prints its symbology, length, what the kiosk makes of it
(receipt / bill / text) and the text, sanitised, cut to 60 characters and with long digit runs (ID or bank
card numbers) masked: a citizen's phone code can carry personal data. Device state changes print with
their error code and remedy. Exit code 0 when at least one code was read, 1 when none, 2 on a bad URL.
"""
from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from typing import Any

_SHOWN_CHARS = 60
_LONG_DIGITS = re.compile(r"\d{15,}")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="print the codes a scanner or the camera reads (masked)")
    from ...cli import add_common  # noqa: PLC0415

    add_common(p, demo_flag=False)
    p.add_argument("--url", required=True, help="barcode scanner or camera URL")
    p.add_argument("--seconds", type=float, default=30.0, help="stop after this long (default 30)")
    p.add_argument("--count", type=int, default=0, help="stop after this many codes (default: no limit)")
    p.add_argument("--sim-scan", metavar="TEXT", help="with a sim:// URL: present this code once the device is up")
    p.set_defaults(func=run)


def mask_digits(text: str) -> str:
    """Digit runs of 15+ (ID numbers, bank cards) keep their first 3 and last 4 digits."""
    return _LONG_DIGITS.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 7) + m.group()[-4:], text)


def shown(text: str) -> str:
    from kiosk.payloads import sanitize  # noqa: PLC0415

    clean, cut = sanitize(text, _SHOWN_CHARS)
    return mask_digits(clean) + ("…" if cut else "")


def _devices(url: str, settings: Any) -> tuple[list[Any], Any]:
    """(devices to start in order, the one whose events to print)."""
    from devices.barcode import barcode_driver  # noqa: PLC0415
    from devices.transport import parse_url  # noqa: PLC0415

    u = parse_url(url)
    if u.scheme == "camera" or (u.scheme == "sim" and u.host == "camera"):
        from devices.barcode.camera_scan import CameraScanner  # noqa: PLC0415
        from devices.camera import DocumentCamera  # noqa: PLC0415

        camera = DocumentCamera("camera", url)
        b = settings.barcode
        scanner = CameraScanner("camera_scan", lambda: camera, camera_name="camera", dedupe_s=b.camera_dedupe_s,
                                budget_ms=b.camera_decode_budget_ms, max_rate_hz=b.camera_max_rate_hz,
                                formats=b.camera_formats)
        return [camera, scanner], scanner
    scanner = barcode_driver(url)("barcode", url)
    return [scanner], scanner


def run(args: argparse.Namespace) -> int:
    from devices.base import ONLINE_STATES, EventKind  # noqa: PLC0415
    from devices.errors import DeviceError  # noqa: PLC0415
    from kiosk.catalog import Catalog  # noqa: PLC0415
    from kiosk.payloads import PayloadClassifier  # noqa: PLC0415

    from ...cli import load  # noqa: PLC0415

    settings = load(args)
    classifier = PayloadClassifier.from_settings(settings, Catalog.from_dir(settings.catalog_dir))
    try:
        devices, reader = _devices(args.url, settings)
    except DeviceError as exc:
        print(f"kiosk devices scan: {exc}", file=sys.stderr)
        return 2
    done, online = threading.Event(), threading.Event()
    reads = 0
    started = time.monotonic()

    def on_event(event: Any) -> None:
        nonlocal reads
        if event.kind == EventKind.STATE_CHANGED:
            h = event.data
            line = f"[{time.monotonic() - started:6.1f}s] {h.name}: {h.state.value}"
            if h.error_code:
                from devices.errors import error_info  # noqa: PLC0415

                line += f" [{h.error_code}] {h.error_text}: {h.error_detail} -> {error_info(h.error_code).remedy}"
            print(line, flush=True)
            if h.state in ONLINE_STATES:
                online.set()
        elif event.kind == EventKind.BARCODE_READ:
            scan = event.data
            payload = classifier.classify_scan(scan)
            reads += 1
            print(f"[{time.monotonic() - started:6.1f}s] {scan.source} {scan.symbology} {len(scan.raw)} bytes "
                  f"{payload.kind.value}: {shown(scan.text)}", flush=True)
            if args.count and reads >= args.count:
                done.set()

    reader.subscribe(on_event)
    for device in devices:
        device.start()
    try:
        if args.sim_scan is not None:
            _present(args.url, args.sim_scan, online, args.seconds)
        done.wait(max(0.0, args.seconds - (time.monotonic() - started)))
    except KeyboardInterrupt:
        pass
    finally:
        for device in reversed(devices):
            device.stop()
    print(f"{reads} code(s) read", flush=True)
    return 0 if reads else 1


def _present(url: str, text: str, online: threading.Event, seconds: float) -> None:
    from devices import sim  # noqa: PLC0415
    from devices.transport import parse_url  # noqa: PLC0415

    u = parse_url(url)
    if u.scheme != "sim":
        print("--sim-scan needs a sim:// URL", file=sys.stderr)
        return
    if not online.wait(seconds):
        return
    hw = sim.get_hardware(u)
    if u.host == "camera":
        hw.show_payload(text)
    else:
        hw.scan(text)
