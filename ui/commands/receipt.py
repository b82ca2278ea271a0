"""kiosk receipt render --in FILE.bin --out FILE.png: draw a raw ESC/POS stream as the paper would look.

Any stream: a ``file://`` printer's capture, ``kiosk devices print-test --url file://...``, or bytes
captured from another system. Several receipts (several cuts) give FILE-1.png, FILE-2.png, ...
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("receipt", help="receipt tools (render an ESC/POS stream to PNG)")
    rsub = p.add_subparsers(dest="receipt_command", metavar="ACTION", required=True)
    r = rsub.add_parser("render", help="render a raw ESC/POS stream to PNG at 203 dpi")
    r.add_argument("--in", dest="infile", required=True, type=Path, help="raw ESC/POS bytes")
    r.add_argument("--out", required=True, type=Path, help="PNG to write")
    r.add_argument("--profile", default="80mm", help="printer profile: paper width (80mm, 58mm, 58mm-basic)")
    r.set_defaults(func=render)


def render(args: argparse.Namespace) -> int:
    from devices.printer.escpos import PROFILES  # noqa: PLC0415
    from devices.printer.render import render_stream  # noqa: PLC0415

    if args.profile not in PROFILES:
        print(f"kiosk receipt render: unknown profile {args.profile!r}; one of {', '.join(PROFILES)}",
              file=sys.stderr)
        return 2
    try:
        data = args.infile.read_bytes()
    except OSError as exc:
        print(f"kiosk receipt render: {args.infile}: {exc.strerror}", file=sys.stderr)
        return 2
    images = render_stream(data, args.profile)
    if not images:
        print(f"kiosk receipt render: {args.infile}: nothing printable in {len(data)} bytes", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    outs = [args.out] if len(images) == 1 else \
        [args.out.with_name(f"{args.out.stem}-{i}{args.out.suffix}") for i in range(1, len(images) + 1)]
    for img, out in zip(images, outs):
        img.save(out, format="PNG", dpi=(203, 203))
        print(f"{out}  {img.width}x{img.height} dots")
    return 0
