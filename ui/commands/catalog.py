"""kiosk catalog list [--json]: the service items with their fields."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help="show the service catalog")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    lp = csub.add_parser("list", help="list the items")
    from ..cli import add_common  # noqa: PLC0415

    add_common(lp)
    lp.add_argument("--json", action="store_true", help="every item with all its fields, as JSON")
    lp.set_defaults(func=list_items)


def list_items(args: argparse.Namespace) -> int:
    from kiosk.catalog import Catalog  # noqa: PLC0415 - pydantic models: not on `kiosk run`'s path
    from kiosk.platform.catalog_schema import CatalogError  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    settings = load(args)
    try:
        catalog = Catalog.from_dir(settings.catalog_dir)
    except CatalogError as exc:
        print(f"kiosk catalog: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"version": catalog.version, "items": [i.model_dump(mode="json") for i in catalog]},
                         ensure_ascii=False, indent=2))
        return 0
    for item in catalog:
        flags = ("秒批 " if item.instant else "") + (f"￥{item.fee.amount_fen / 100:.2f}" if item.fee.charged else "")
        print(f"{item.code}  {item.name.zh}（{item.department.zh}） {flags}".rstrip())
    print(f"{len(catalog)} items, version {catalog.version[:12]}")
    return 0
