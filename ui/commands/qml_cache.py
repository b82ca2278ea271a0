"""kiosk qml-cache: compile the screens' QML into Qt's disk cache (run by ``make setup``)."""
from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("qml-cache", help="compile the touch screens' QML into the byte-code cache (set-up step)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..app import QT_LOGGING_RULES  # noqa: PLC0415
    from ..qml_cache import build, cache_dir  # noqa: PLC0415

    os.environ.setdefault("QT_LOGGING_RULES", QT_LOGGING_RULES)  # the known harmless start-up noise

    count, errors = build()
    for e in errors:
        print(e, file=sys.stderr)
    print(f"QML byte-code cache: {count} files in {cache_dir()}" + (f", {len(errors)} errors" if errors else ""))
    return 1 if errors else 0
