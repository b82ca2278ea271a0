"""Receipt benchmark: encode time per receipt, bytes on the wire, render time, time on a 9600-baud line.

Run: ``python bench/bench_receipt.py`` (~20 s). Measures the citizen's 受理回执 (80 mm and 58 mm, with and
without a rare name character, native QR and the raster-QR fallback) against a named baseline measured in
the same run: **the all-raster encoder** -- the same receipt drawn as one picture and sent as GS v 0 bands,
which is what a driver that rasterises everything (a CUPS raster filter, or python-escpos printing a
rendered image) puts on the wire. Prints ms per receipt (median of repeats), bytes, the ratio to the
baseline, and seconds to send at 9600 and 115200 baud (8N1, 10 bits a byte) -- the serial lines kiosk
printers hang on.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.printer.escpos import PROFILES, EscPos  # noqa: E402
from devices.printer.interpret import Interpreter  # noqa: E402
from devices.printer.render import render, split_receipts  # noqa: E402
from kiosk.catalog import Catalog  # noqa: E402
from kiosk.settings import CONFIG_DIR  # noqa: E402
from tests.unit.printing.test_receipt import ID_NUMBER, MANIFEST, build  # noqa: E402

REPEATS = 30


def timed(fn, repeats: int = REPEATS) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, out


def all_raster(data: bytes, profile: str) -> bytes:
    """The baseline: the rendered receipt sent as one raster picture."""
    (receipt,) = split_receipts(Interpreter().feed(data))
    img = render(receipt, profile)
    margin = (img.width - PROFILES[profile].dots) // 2
    img = img.crop((margin, 0, margin + PROFILES[profile].dots, img.height))
    return EscPos(profile).init().image(img).cut().getvalue()


def main() -> int:
    item = Catalog.from_dir(CONFIG_DIR / "catalog").get("312000218000")
    rare = dict(MANIFEST, applicant={"name": "㐀小明", "id_number": ID_NUMBER})
    cases = [("80mm", "80mm", MANIFEST), ("80mm rare name", "80mm", rare), ("58mm", "58mm", MANIFEST),
             ("58mm no native QR", "58mm-basic", MANIFEST)]
    print(f"{'case':22} {'encode ms':>9} {'bytes':>7} {'baseline B':>10} {'ratio':>6} {'render ms':>9} "
          f"{'9600 s':>7} {'base 9600 s':>11} {'115200 s':>8}")
    for name, profile, manifest in cases:
        ms, data = timed(lambda: build(item, manifest=manifest, profile=profile))
        base_ms, base = timed(lambda: all_raster(data, profile), repeats=5)
        (receipt,) = split_receipts(Interpreter().feed(data))
        render_ms, _ = timed(lambda: render(receipt, profile), repeats=10)
        print(f"{name:22} {ms:9.2f} {len(data):7d} {len(base):10d} {len(data) / len(base):6.3f} {render_ms:9.1f} "
              f"{len(data) * 10 / 9600:7.2f} {len(base) * 10 / 9600:11.2f} {len(data) * 10 / 115200:8.3f}")
    print(f"(baseline = all-raster encoder; its encode incl. rendering ≈ {base_ms:.1f} ms for the last case)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
