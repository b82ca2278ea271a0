"""kiosk documents render-sample DIR: the application form, the A4 acceptance receipt, the material bundle
(PDFs, CJK font embedded) and the thermal receipt (ESC/POS + PNG), from synthetic data."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("documents", help="the kiosk's documents (sample PDFs)")
    dsub = p.add_subparsers(dest="documents_command", metavar="ACTION", required=True)
    r = dsub.add_parser("render-sample", help="write a sample of each document to DIR (synthetic data)")
    r.add_argument("dir", type=Path)
    r.add_argument("--item", default="312000218000", help="catalog item code (default: 无犯罪记录证明)")
    from ..cli import add_common  # noqa: PLC0415

    add_common(r)
    r.set_defaults(func=render_sample)


def render_sample(args: argparse.Namespace) -> int:
    from kiosk.catalog import Catalog  # noqa: PLC0415
    from kiosk.documents.samples import write_samples  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    settings = load(args)
    item = Catalog.from_dir(settings.catalog_dir).get(args.item)
    if item is None:
        print(f"kiosk documents: no item {args.item} in the catalog", file=sys.stderr)
        return 2
    for path in write_samples(args.dir, item):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0
