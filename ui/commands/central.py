"""kiosk central --listen HOST:PORT --data-dir DIR: run the reference platform alone."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.settings import CONFIG_DIR


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("central", help="run the reference central platform (HTTP API with OpenAPI at /docs)")
    p.add_argument("--listen", default="127.0.0.1:8700", metavar="HOST:PORT")
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--catalog-dir", type=Path, default=CONFIG_DIR / "catalog")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from central.server import serve  # noqa: PLC0415

    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        print(f"kiosk central: --listen needs HOST:PORT, got {args.listen!r}", file=sys.stderr)
        return 2
    serve(host, int(port), args.data_dir, args.catalog_dir)
    return 0
