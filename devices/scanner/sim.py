"""A simulated sheet-fed scanner that speaks the driver's wire: ``scanimage``'s command line.

The SANE driver (``devices.scanner.sane``) runs a ``scanimage`` program; this module is one, backed by a
feeder directory instead of paper, so the real driver (its arguments, exit statuses, batch files and the
page-loaded sensor) runs against it in tests and demos. ``SimFeeder(dir)`` is the desk-side handle (a
person laying pages in the feeder, or taking them away); ``SimFeeder.program()`` writes the executable to
give the driver as its ``program`` option (``sane://sim?source=ADF`` with ``{"program": ...}``).

What it models: a sheet feeder with a paper sensor (``--page-loaded`` in ``scanimage -A``, yes while a
sheet lies in it: a page left by the previous citizen is seen without scanning it); a scan takes the first
sheet (exit status 7 "out of documents" when empty, as scanimage does); ``--batch`` takes up to
``--batch-count`` sheets into the batch files.
"""
from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DEVICE = "sim"
OPTIONS = """
All options specific to device `{device}':
  Scan mode:
    --mode Color|Gray [Color]
        Selects the scan mode.
    --source ADF|ADF Duplex [ADF]
        Selects the scan source.
    --resolution 50..600dpi [300]
        Sets the resolution of the scanned image.
  Sensors:
    --page-loaded[=(yes|no)] [{loaded}] [hardware]
        Paper lies in the document feeder.
"""


class SimFeeder:
    """The feeder of the simulated scanner: a directory of sheets (PNG files, fed in name order)."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)
        self.tray = self.dir / "feeder"
        self.tray.mkdir(parents=True, exist_ok=True)

    def sheets(self) -> list[Path]:
        return sorted(self.tray.glob("*.png"))

    def load(self, image: np.ndarray, name: str = "sheet") -> Path:
        """Lay a sheet in the feeder (after the ones already there)."""
        import cv2  # noqa: PLC0415 - only the desk side draws sheets: the scanimage program starts without OpenCV

        path = self.tray / f"{len(self.sheets()):04d}-{name}.png"
        ok, png = cv2.imencode(".png", image)
        assert ok
        path.write_bytes(png.tobytes())
        return path

    def take_away(self) -> int:
        """A person lifts every sheet out of the feeder; how many there were."""
        sheets = self.sheets()
        for sheet in sheets:
            sheet.unlink()
        return len(sheets)

    def program(self) -> Path:
        """An executable ``scanimage`` for this feeder, for the driver's ``program`` option."""
        path = self.dir / "scanimage"
        root = Path(__file__).resolve().parents[2]  # the directory that holds the devices package
        path.write_text(f"#!/bin/sh\nexport PYTHONPATH='{root}'${{PYTHONPATH:+:$PYTHONPATH}}\n"
                        f"exec '{sys.executable}' -m devices.scanner.sim --feeder '{self.dir}' \"$@\"\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP)
        return path

    def feed(self) -> bytes | None:
        """The first sheet, taken out of the feeder (None: empty)."""
        sheets = self.sheets()
        if not sheets:
            return None
        data = sheets[0].read_bytes()
        sheets[0].unlink()
        return data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scanimage (simulated)", add_help=False, allow_abbrev=False)
    p.add_argument("--feeder", type=Path, required=True)
    p.add_argument("-d", "--device-name", default=DEVICE)
    p.add_argument("-A", "--all-options", action="store_true")
    p.add_argument("-L", "--list-devices", action="store_true")
    p.add_argument("-f", "--formatted-device-list")
    p.add_argument("--batch")
    p.add_argument("--batch-count", type=int, default=0)
    args, _rest = p.parse_known_args(argv)  # scan area, mode, resolution, format: the sheet is given as it lies
    feeder = SimFeeder(args.feeder)
    if args.list_devices or args.formatted_device_list:
        fmt = args.formatted_device_list or "device `%d' is a %v %m %t%n"
        out = fmt.replace("%d", DEVICE).replace("%v", "Kiosk").replace("%m", "simulated feeder") \
            .replace("%t", "sheetfed scanner").replace("%n", "\n")
        sys.stdout.write(out)
        return 0
    if args.device_name != DEVICE:
        sys.stderr.write(f"scanimage: open of device {args.device_name} failed: Invalid argument\n")
        return 4
    if args.all_options:
        sys.stdout.write(OPTIONS.format(device=DEVICE, loaded="yes" if feeder.sheets() else "no"))
        return 0
    if args.batch:
        n = 0
        while (args.batch_count <= 0 or n < args.batch_count) and (data := feeder.feed()) is not None:
            n += 1
            Path(args.batch % n).write_bytes(data)
        if n == 0:
            sys.stderr.write("scanimage: sane_start: Document feeder out of documents\n")
            return 7
        return 0
    data = feeder.feed()
    if data is None:
        sys.stderr.write("scanimage: sane_start: Document feeder out of documents\n")
        return 7
    sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
