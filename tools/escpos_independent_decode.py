"""Decode a raw ESC/POS file with an INDEPENDENT implementation: emupos (PyPI, Apache-2.0, Python >= 3.13),
a wire-level receipt-printer emulator with its own tokenizer, print model, QR (segno) and barcode
(python-barcode) rendering. Nothing of the kiosk is imported here; this runs in a separate venv
(tools/check-escpos-independent.sh makes it).

What emupos reads on its own: the command framing of the whole stream, every QR payload (its text dump
writes "[qr PAYLOAD]"), every barcode, raster images ("[image WxH]"), cuts, and it renders the receipt to
PNG, whose QR we decode with zxing-cpp. What it does not do: Chinese. emupos draws text one byte per cell
through single-byte code pages and ignores FS & (Kanji/Chinese mode), as its own docs say. So the
Chinese is checked on emupos's *tokens*: the Text tokens its tokenizer cut from the stream, decoded as
GB18030 -- which is what a Chinese-firmware printer does with text bytes in Chinese mode.

Prints JSON: {"text_lines": [...], "qr": [...], "qr_scanned": [...], "barcodes": [...], "images": N,
"unknown": [...], "receipts": N}
"""
from __future__ import annotations

import io
import json
import sys
from importlib import resources

import yaml
import zxingcpp
from emupos.config import PrinterProfile
from emupos.printer.escpos.model import PrintModel
from emupos.printer.escpos.tokenizer import Command, Text, Tokenizer, Unknown
from PIL import Image


def main(path: str) -> int:
    data = open(path, "rb").read()
    profile_text = resources.files("emupos").joinpath("profiles/printers/xprinter-xp80t.yaml").read_text()
    profile = PrinterProfile.model_validate(yaml.safe_load(profile_text))
    model = PrintModel("check", profile)
    tokens = Tokenizer().feed(data)
    lines, current, unknown, receipts = [], bytearray(), [], []
    for token in tokens:
        if isinstance(token, Text):
            current += token.data
        elif isinstance(token, Command) and token.name in ("LF", "ESC d"):
            lines.append(current.decode("gb18030", errors="replace"))
            current.clear()
        elif isinstance(token, Unknown):
            unknown.append(token.raw.hex(" "))
        if isinstance(token, Command) and token.name.startswith("GS V"):
            receipts.append(model.finish("cut"))
            continue
        for event in model.process(token):
            if "unknown" in str(getattr(event, "type", "")).lower():
                unknown.append(str(event))
    if current:
        lines.append(current.decode("gb18030", errors="replace"))
    tail = model.finish("connection-closed")
    if tail is not None:
        receipts.append(tail)
    receipts = [r for r in receipts if r is not None]
    dump = "\n".join(r.text for r in receipts)
    scanned = []
    for r in receipts:
        img = Image.open(io.BytesIO(r.png))
        scanned += [{"format": b.format.name, "text": b.text} for b in zxingcpp.read_barcodes(img)]
    out = {
        "text_lines": [ln for ln in lines if ln.strip()],
        "qr": [ln[4:-1] for ln in dump.splitlines() if ln.startswith("[qr ")],
        "barcodes": [ln for ln in dump.splitlines() if ln.startswith("[barcode ")],
        "images": sum(ln.startswith("[image ") for ln in dump.splitlines()),
        "qr_scanned": scanned,
        "unknown": unknown,
        "receipts": len(receipts),
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
