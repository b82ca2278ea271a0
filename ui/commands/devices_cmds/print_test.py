"""kiosk devices print-test --url URL: print the test receipt (Chinese, sizes, bold, line spacing, a rare
character as an image, QR code, barcode, cut) and report the printer's real-time status.

URL: serial:///dev/ttyS1?baudrate=115200, socket://HOST:9100, file:///dev/usb/lp0 (USB), file:///tmp/x.bin
(capture the raw stream; render it with ``kiosk receipt render``), sim://printer.

An A4 printer's URL (``cups://QUEUE[?server=HOST:PORT]``, ``sim://a4``) prints the one-page A4 test sheet
instead (kiosk.printing.a4_test: Chinese in the embedded CJK font, sizes, rules, a QR code, corner marks),
follows the job until CUPS says it is completed and reports the queue's state reasons.
"""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print-test", help="print a test receipt with every feature and show the status")
    p.add_argument("--url", required=True,
                   help="printer URL (serial://, socket://HOST:9100, file://, sim://; cups://QUEUE or sim://a4: A4)")
    p.add_argument("--profile", default="80mm", help="printer profile (80mm, 58mm, 58mm-basic)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the printer")
    p.add_argument("--json", action="store_true", help="the result and health as JSON")
    p.set_defaults(func=run)


def is_a4(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith("cups://") or u.startswith("sim://a4")


def run_a4(args: argparse.Namespace) -> int:
    """The A4 test sheet on a CUPS queue (or the simulated A4 printer)."""
    import socket  # noqa: PLC0415

    from devices.a4 import A4Printer  # noqa: PLC0415
    from devices.base import DeviceState  # noqa: PLC0415
    from devices.errors import DeviceError, error_info  # noqa: PLC0415
    from kiosk.printing.a4_test import a4_test_pdf  # noqa: PLC0415

    try:
        printer = A4Printer("a4", args.url)
    except DeviceError as exc:
        print(f"print-test: {exc}", file=sys.stderr)
        return 2
    printer.start()
    job = error = None
    try:
        job = printer.print_pdf(a4_test_pdf(socket.gethostname(), args.url), "A4 test sheet").result(args.timeout)
    except DeviceError as exc:
        error = exc
    except TimeoutError:
        error = DeviceError(1003, f"no answer within {args.timeout:g} s")
    finally:
        health = printer.health()
        printer.stop()
    if args.json:
        print(json.dumps({"ok": job is not None, "error_code": error.code if error else None,
                          "job": job.as_dict() if job else None, "health": health.as_dict()},
                         ensure_ascii=False, indent=2))
    elif job is not None:
        print(f"printed job {job.job_id} ({job.pages} page) on {printer.target.queue} in {job.seconds:.2f} s; "
              f"reasons {health.info.get('reasons', 'none')}")
        if printer.target.server is None:   # the simulator: say where the "paper" is
            from devices import sim  # noqa: PLC0415

            for page in sim.get_hardware(args.url).last_pages():
                print(f"  page {page}")
    if error is not None:
        info = error_info(error.code)
        print(f"print-test: {error.code} {info.en}: {error.detail}\n  remedy: {info.remedy}", file=sys.stderr)
    return 0 if job is not None and health.state != DeviceState.ERROR else 1


def run(args: argparse.Namespace) -> int:
    if is_a4(args.url):
        return run_a4(args)
    from devices.base import DeviceState  # noqa: PLC0415
    from devices.errors import DeviceError, error_info  # noqa: PLC0415
    from devices.printer import PROFILES, ReceiptPrinter  # noqa: PLC0415
    from devices.printer.testpage import build_test_page  # noqa: PLC0415

    if args.profile not in PROFILES:
        print(f"kiosk devices print-test: unknown profile {args.profile!r}; one of {', '.join(PROFILES)}",
              file=sys.stderr)
        return 2
    printer = ReceiptPrinter("printer", args.url, {"profile": args.profile})
    printer.start()
    try:
        result = printer.print_job("print-test", build_test_page(args.profile)).result(args.timeout)
    except DeviceError as exc:
        info = error_info(exc.code)
        print(f"print-test: {exc.code} {info.en}: {exc.detail}\n  remedy: {info.remedy}", file=sys.stderr)
        return 1
    except TimeoutError:
        print(f"print-test: the printer did not answer within {args.timeout:g} s", file=sys.stderr)
        return 1
    finally:
        health = printer.health()
        printer.stop()
    if args.json:
        print(json.dumps({"ok": result.ok, "error_code": result.error_code, "bytes": result.bytes_sent,
                          "health": health.as_dict()}, ensure_ascii=False, indent=2))
    elif result.ok:
        print(f"printed {result.bytes_sent} bytes to {args.url}; paper {health.supplies.get('paper', '?')}")
    else:
        info = error_info(result.error_code or 0)
        print(f"print-test: not printed: {result.error_code} {info.en}\n  remedy: {info.remedy}",
              file=sys.stderr)
    return 0 if result.ok and health.state != DeviceState.ERROR else 1
