"""kiosk devices read-id --url URL [--json] [--reveal]: read one ID card with the kiosk's own driver.

For technicians checking a reader: the same ``IdCardReader`` the kiosk runs (polling, deadlines, retries),
armed for one card. Output is masked by default; ``--reveal`` prints every field, with a warning, for use
with test cards. Exit codes (also in docs/devices-idcard.md):
  0 card read · 2 bad URL or option · 3 no card within --wait · 4 no reader (cannot open, lost, silent)
  5 reader fault (SAM self-test, garbled line) · 6 card refused or unreadable (check digit, removed, type)
"""
from __future__ import annotations

import argparse
import json
import logging
import queue
import sys
import time
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_USAGE, EXIT_NO_CARD, EXIT_NO_READER, EXIT_READER_FAULT, EXIT_CARD_REFUSED = 0, 2, 3, 4, 5, 6

REVEAL_WARNING = ("WARNING: --reveal prints personal data in full (name, ID number, address). Use it with test "
                  "cards only, or with the holder present; do not paste the output into tickets, chats or logs.")

LABELS = [
    ("card_type", "证件类型 card type"), ("name", "姓名 name"), ("name_en", "英文姓名 name (Latin)"),
    ("gender", "性别 gender"), ("nation", "民族 nation"), ("birth_date", "出生 birth date"),
    ("id_number", "号码 number"), ("address", "住址 address"), ("appended_address", "追加住址 new address"),
    ("issuer", "签发机关 issuer"), ("valid_from", "有效期起 valid from"), ("valid_until", "有效期止 valid until"),
    ("nationality", "国籍 nationality"), ("pass_number", "通行证号 pass number"),
    ("issue_count", "签发次数 issue count"), ("photo_state", "照片 photo"), ("fingerprint_bytes", "指纹 fingerprint"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read-id", help="read one resident ID card and print it (masked unless --reveal)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True,
                   help="reader URL: serial:///dev/ttyUSB0?baudrate=115200, socket://HOST:PORT, sim://idcard?card=...")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--reveal", action="store_true", help="print every field unmasked (warning on stderr)")
    p.add_argument("--wait", type=float, default=15.0, metavar="S", help="seconds to wait for a card (default 15)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="driver option, e.g. photo_decoder=lib:/opt/vendor/libwlt2bmp.so (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="log the driver's steps to stderr")
    p.add_argument("--save-photo", type=Path, metavar="FILE",
                   help="write the photo: a BMP when decoded, else the raw WLT bytes")
    p.set_defaults(func=run)


def _options(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--option needs KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def _say(message: str) -> None:
    print(f"kiosk devices read-id: {message}", file=sys.stderr)


def _explain(err: Any) -> str:
    info = err.info
    return f"[{err.code}] {info.zh} / {info.en}\n  detail: {err.detail or '-'}\n  remedy: {info.remedy}"


def run(args: argparse.Namespace) -> int:
    from devices.base import DeviceState, EventKind  # noqa: PLC0415 - keep `kiosk --help` fast
    from devices.errors import DeviceError, DeviceErrorCode as C  # noqa: PLC0415
    from devices.idcard import IdCardReader  # noqa: PLC0415
    from devices.transport import parse_url  # noqa: PLC0415

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.CRITICAL,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        options = _options(args.option)
        parse_url(args.url)
    except (ValueError, DeviceError) as exc:
        _say(str(exc))
        return EXIT_USAGE
    if args.reveal:
        print(REVEAL_WARNING, file=sys.stderr)
    events: queue.Queue = queue.Queue()
    reader = IdCardReader("idcard", args.url, options)
    reader.subscribe(events.put)
    reader.start()
    reader.arm()
    started = time.monotonic()
    deadline = started + args.wait
    was_online = False
    try:
        while True:
            try:
                ev = events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                if not was_online:
                    _say(f"no reader answered at {args.url} within {args.wait:g} s")
                    return EXIT_NO_READER
                _say(f"no card was placed on the reader within {args.wait:g} s (请放置身份证)")
                return EXIT_NO_CARD
            if ev.kind == EventKind.STATE_CHANGED:
                health = ev.data
                if health.state in (DeviceState.IDLE, DeviceState.BUSY):
                    if not was_online:
                        print(f"reader online: {args.url} (SAM {health.info.get('sam_id', '?')}, "
                              f"{health.info.get('baudrate', '?')} baud); place a card …", file=sys.stderr)
                    was_online = True
                elif health.state in (DeviceState.OFFLINE, DeviceState.ERROR) and health.error_code:
                    err = reader.last_error or DeviceError(health.error_code, health.error_detail)
                    if err.code == C.UNSUPPORTED_URL:
                        _say(_explain(err))
                        return EXIT_USAGE
                    no_reader = health.state == DeviceState.OFFLINE or not was_online
                    _say(("no reader: " if no_reader else "reader fault: ") + _explain(err))
                    return EXIT_NO_READER if no_reader else EXIT_READER_FAULT
            elif ev.kind == EventKind.CARD_ERROR:
                _say("the card could not be read: " + _explain(ev.data))
                return EXIT_CARD_REFUSED
            elif ev.kind == EventKind.CARD_READ:
                _print_card(ev.data, args, reader.health().info, ev.at - started)
                return EXIT_OK
    finally:
        reader.stop()


def _print_card(card: Any, args: argparse.Namespace, info: dict[str, str], elapsed_s: float) -> None:
    from devices.idcard.cardfile import card_to_dict  # noqa: PLC0415
    from devices.idcard.photo import PhotoState  # noqa: PLC0415

    data = card_to_dict(card, reveal=args.reveal)
    if args.save_photo:
        decoded = card.photo_state == PhotoState.DECODED
        args.save_photo.write_bytes(card.photo_bmp if decoded else card.photo_wlt)
        print(f"photo written to {args.save_photo} ({'BMP' if decoded else 'raw WLT, not decodable here'})",
              file=sys.stderr)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, label in LABELS:
        value = data.get(key)
        if value in ("", None) or key == "fingerprint_bytes" and not value:
            continue
        if key == "photo_state":
            value = info.get("photo", value)
        print(f"{label:<22} {value}")
    print(f"{'读取用时 read time':<22} {elapsed_s:.2f} s" + ("" if args.reveal else "  (masked; --reveal shows all)"))
