#!/bin/sh
# "Done when" check of the receipt printer: an INDEPENDENT ESC/POS decoder (emupos, from PyPI) reads the
# Chinese text and the QR payload of `kiosk devices print-test --url file://...`.
# emupos needs Python >= 3.13, the kiosk runs on 3.11: it gets its own venv (default ~/.cache/kiosk-escpos-check,
# made with the first python3.13 found, e.g. pyenv's). tests/unit/devices/test_printer_independent.py uses the same venv.
set -eu
cd "$(dirname "$0")/.."
VENV="${KIOSK_ESCPOS_CHECK_VENV:-$HOME/.cache/kiosk-escpos-check}"
KIOSK_PY="${KIOSK_PY:-.venv/bin/python}"
if [ ! -x "$VENV/bin/python" ]; then
    PY313=""
    for p in python3.13 python3.14 "$HOME/.pyenv/versions/3.13.0/bin/python"; do
        if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
            PY313="$p"; break
        fi
    done
    [ -n "$PY313" ] || { echo "check-escpos-independent: no Python >= 3.13 for emupos" >&2; exit 2; }
    "$PY313" -m venv "$VENV"
    "$VENV/bin/pip" install -q emupos zxing-cpp
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$KIOSK_PY" -m ui.cli devices print-test --url "file://$OUT/print-test.bin"
"$VENV/bin/python" tools/escpos_independent_decode.py "$OUT/print-test.bin" > "$OUT/decoded.json"
"$KIOSK_PY" - "$OUT/decoded.json" <<'PY'
import json, sys
from devices.printer.testpage import TEST_BARCODE, TEST_QR, TEST_TEXT
d = json.load(open(sys.argv[1], encoding="utf-8"))
problems = [f"text {t!r} not read" for t in TEST_TEXT if t not in d["text_lines"]]
problems += [] if d["qr"] == [TEST_QR] else [f"QR payload read as {d['qr']!r}"]
problems += [] if {"format": "QRCode", "text": TEST_QR} in d["qr_scanned"] else ["emupos's QR image does not scan"]
problems += [] if any(TEST_BARCODE in b for b in d["barcodes"]) else ["barcode not read"]
problems += [] if d["images"] >= 1 else ["the rare-character line is not an image"]
problems += [f"unknown commands: {d['unknown']}"] if d["unknown"] else []
print("\n".join(problems) or f"independent decoder (emupos) read: {TEST_TEXT} and QR {TEST_QR}")
sys.exit(1 if problems else 0)
PY
