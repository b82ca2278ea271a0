"""kiosk outbox list|retry|export: what waits to be sent, why, and what a technician can do about it.

``export`` copies the outbox database as it is on disk: still sealed with AES-GCM. The key
lives outside the data directory (``security.key_dir``, sealed by systemd-creds where it can be) and is not
copied; see docs/security.md "Outbox key" for how a technician carries an export to a replacement kiosk.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_common  # noqa: PLC0415

    p = sub.add_parser("outbox", help="applications waiting for the platform: list, retry, export")
    osub = p.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    lp = osub.add_parser("list", help="every stored application with its state and last error")
    add_common(lp)
    lp.add_argument("--state", choices=["pending", "sending", "delivered", "rejected"], action="append")
    lp.add_argument("--json", action="store_true", help="machine-readable")
    lp.set_defaults(func=list_records)
    rp = osub.add_parser("retry", help="send again now (pending or rejected applications)")
    add_common(rp)
    rp.add_argument("ids", nargs="*", metavar="ID", help="application id or local number")
    rp.add_argument("--all-rejected", action="store_true", help="every rejected application")
    rp.set_defaults(func=retry)
    ep = osub.add_parser("export", help="copy the (still encrypted) outbox database into DIR")
    add_common(ep)
    ep.add_argument("dir", type=Path, metavar="DIR")
    ep.set_defaults(func=export)


def _open(args: argparse.Namespace):
    from kiosk.outbox import open_outbox  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    return open_outbox(load(args), need_key=False)  # list, retry and export never decrypt


def _age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def list_records(args: argparse.Namespace) -> int:
    from kiosk.outbox import OutboxState  # noqa: PLC0415

    box = _open(args)
    try:
        records = box.list([OutboxState(s) for s in args.state] if args.state else None)
        stats = box.stats()
        sending_elsewhere = not box.is_sender
    finally:
        box.close()
    now = time.time()
    if args.json:
        print(json.dumps({"stats": stats, "records": [
            {"id": r.id, "local_number": r.local_number, "item_code": r.item_code, "state": r.state.value,
             "attempts": r.attempts, "created_at": r.created_at, "next_attempt_at": r.next_attempt_at,
             "last_attempt_at": r.last_attempt_at, "reference": r.reference, "platform_status": r.platform_status,
             "error_kind": r.error_kind, "last_error": r.last_error} for r in records]}, ensure_ascii=False, indent=2))
        return 0
    print(f"{'LOCAL NUMBER':<26} {'ITEM':<12} {'STATE':<9} {'TRIES':>5} {'AGE':>5} {'NEXT':>5}  REFERENCE / LAST ERROR")
    for r in records:
        nxt = _age(r.next_attempt_at - now) if r.state == OutboxState.PENDING else "-"
        tail = r.reference or (f"[{r.error_kind}] {r.last_error}" if r.last_error else "")
        print(f"{r.local_number:<26} {r.item_code:<12} {r.state.value:<9} {r.attempts:>5} {_age(now - r.created_at):>5} "
              f"{nxt:>5}  {tail}")
    print(f"{len(records)} shown; pending {int(stats['pending'])}, sending {int(stats['sending'])}, "
          f"delivered {int(stats['delivered'])}, rejected {int(stats['rejected'])}; oldest waiting "
          f"{_age(stats['oldest_pending_age_s'])}" + (" (a running kiosk is sending)" if sending_elsewhere else ""))
    return 0


def retry(args: argparse.Namespace) -> int:
    from kiosk.outbox import OutboxState  # noqa: PLC0415

    box = _open(args)
    try:
        ids = list(args.ids)
        if args.all_rejected:
            ids += [r.id for r in box.list([OutboxState.REJECTED])]
        if not ids:
            print("kiosk outbox retry: name applications (id or local number) or --all-rejected", file=sys.stderr)
            return 2
        missing = [i for i in ids if not box.retry(i)]
        running = not box.is_sender
    finally:
        box.close()
    for i in missing:
        print(f"kiosk outbox retry: {i}: no pending or rejected application with that id or number", file=sys.stderr)
    done = len(ids) - len(missing)
    print(f"{done} application(s) will be sent " + ("by the running kiosk within 10 s" if running else
                                                      "when the kiosk next runs"))
    return 1 if missing else 0


def export(args: argparse.Namespace) -> int:
    from kiosk.outbox import outbox_keystore  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    store = outbox_keystore(load(args))
    key = store.sealed_path if store.sealed_path.exists() else store.file_path
    box = _open(args)
    try:
        dest = box.export(args.dir)
        stats = box.stats()
    finally:
        box.close()
    meta = {"exported_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "database": dest.name,
            "encrypted": "AES-256-GCM per manifest and file; key not included", "key_file_on_kiosk": str(key),
            "counts": stats}
    meta_path = dest.with_suffix(".json")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"exported {dest} (encrypted; the key {key} is NOT included)")
    return 0
