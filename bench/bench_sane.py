"""Scan time per page through scanimage and SANE's test backend (sane-utils, libsane1), at 150 and 300 dpi.

Prints, per resolution: the driver's capture (scanimage run + PNM decode) and the page processing a scanned
page gets (checks, enhance, encode; no detection), and as the named baseline in the same run the bare
``scanimage`` process for the same scan. The test backend makes its picture in memory, so these are the
software's costs; a real scanner adds its mechanical time (seconds per page). Usage: python bench/bench_sane.py
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.scanner.sane import SaneScanner  # noqa: E402
from kiosk.capture.pages import process_still  # noqa: E402
from kiosk.platform.catalog_schema import CaptureKind  # noqa: E402

RUNS = 15
# The test backend's largest area is 200 x 200 mm; 200 x 280 mm is refused, so an A4-wide page is the width.
AREA = ("-x", "200", "-y", "200")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "dll.conf").write_text("test\n")
        env = dict(os.environ, SANE_CONFIG_DIR=d)
        for dpi in (150, 300):
            extra = ["--test-picture", "Color pattern", *AREA]
            scanner = SaneScanner("scanner", f"sane://test?resolution={dpi}&mode=Color",
                                  {"config_dir": d, "extra_args": extra})
            scanner.start()
            cap, proc, bare = [], [], []
            shape = None
            for _ in range(RUNS):
                t0 = time.perf_counter()
                image = scanner.capture().result(60)
                cap.append((time.perf_counter() - t0) * 1e3)
                t0 = time.perf_counter()
                page = process_still(image, CaptureKind.A4, flat=True)
                proc.append((time.perf_counter() - t0) * 1e3)
                shape = image.shape
                t0 = time.perf_counter()
                subprocess.run(["scanimage", "-d", "test", "--format=pnm", "--resolution", str(dpi), "--mode",
                                "Color", *extra], env=env, capture_output=True, check=True)
                bare.append((time.perf_counter() - t0) * 1e3)
            scanner.stop()
            print(f"{dpi} dpi, {shape[1]}x{shape[0]} colour: capture median {statistics.median(cap):.0f} ms, "
                  f"page processing median {statistics.median(proc):.0f} ms ({len(page.data) // 1024} KB JPEG); "
                  f"baseline bare scanimage {statistics.median(bare):.0f} ms")


if __name__ == "__main__":
    main()
