"""kiosk maintenance set-pin | add-badge | add-card | unlock: the console's credentials, at installation time.

The PIN is read from the terminal (twice, not echoed) or, for provisioning scripts, from stdin with
--stdin; it is stored as a salted scrypt hash in <data_dir>/maintenance/credentials.json.
"""
from __future__ import annotations

import argparse
import getpass
import os
import pwd
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("maintenance", help="set the maintenance console's PIN or badges; clear a lockout")
    msub = p.add_subparsers(dest="maintenance_command", metavar="ACTION", required=True)
    from ..cli import add_common  # noqa: PLC0415

    sp = msub.add_parser("set-pin", help="set the technicians' PIN (at least 6 digits)")
    add_common(sp)
    sp.add_argument("--label", default="technician", help="whose PIN (several may exist)")
    sp.add_argument("--stdin", action="store_true", help="read the PIN from stdin (provisioning scripts)")
    sp.set_defaults(func=set_pin)
    bp = msub.add_parser("add-badge", help="accept a technician badge (its barcode text) at the PIN pad")
    add_common(bp)
    bp.add_argument("--stdin", action="store_true", help="read the badge's barcode text from stdin "
                                                         "(default: asked for without echo)")
    bp.add_argument("--label", required=True, help="whose badge (shown in the audit trail)")
    bp.set_defaults(func=add_badge)
    cp = msub.add_parser("add-card", help="accept a technician's resident ID card laid on the reader at the PIN pad")
    add_common(cp)
    cp.add_argument("--label", required=True, help="whose card (shown in the audit trail)")
    cp.add_argument("--stdin", action="store_true", help="read the ID number from stdin (provisioning scripts)")
    cp.set_defaults(func=add_card)
    up = msub.add_parser("unlock", help="clear a lockout after too many wrong PINs (audited)")
    add_common(up)
    up.set_defaults(func=unlock)


def _store(args: argparse.Namespace):
    from kiosk.maintenance.auth import CredentialStore  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    settings = load(args)
    return settings, CredentialStore(settings.path("maintenance"))


def _audit(settings, event: str, data: dict) -> None:
    from kiosk.audit.trail import AuditTrail  # noqa: PLC0415

    trail = AuditTrail.for_settings(settings)
    try:
        trail.record(event, dict(data, by=pwd.getpwuid(os.geteuid()).pw_name, at="terminal"))
    finally:
        trail.close()


def set_pin(args: argparse.Namespace) -> int:
    settings, store = _store(args)
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New maintenance PIN: ")
        if getpass.getpass("Again: ") != pin:
            print("kiosk maintenance: the two PINs differ; nothing changed", file=sys.stderr)
            return 2
    return _save(settings, lambda: store.set_pin(pin, args.label, settings.kiosk_id), "maintenance_pin_set", args.label,
                 f"PIN for {args.label} set ({store.path})")


def add_badge(args: argparse.Namespace) -> int:
    settings, store = _store(args)
    code = sys.stdin.readline().strip() if args.stdin else getpass.getpass("Badge barcode text: ")
    return _save(settings, lambda: store.add_badge(code, args.label), "maintenance_badge_added", args.label,
                 f"badge for {args.label} added")


def add_card(args: argparse.Namespace) -> int:
    """The ID number is read without echo: it is personal data and must not land in a shell history."""
    settings, store = _store(args)
    number = sys.stdin.readline().strip() if args.stdin else getpass.getpass("Technician's ID number: ")
    return _save(settings, lambda: store.add_card(number, args.label), "maintenance_card_added", args.label,
                 f"ID card for {args.label} added")


def _save(settings, change, event: str, label: str, done: str) -> int:
    """Store a credential; a refused one says why (exit 2); a stored one is audited (who, never the secret)."""
    try:
        change()
    except ValueError as exc:
        print(f"kiosk maintenance: {exc}", file=sys.stderr)
        return 2
    _audit(settings, event, {"label": label})
    print(done)
    return 0


def unlock(args: argparse.Namespace) -> int:
    from kiosk.maintenance.auth import Gate  # noqa: PLC0415

    settings, store = _store(args)
    from kiosk.audit.trail import AuditTrail  # noqa: PLC0415

    trail = AuditTrail.for_settings(settings)
    try:
        gate = Gate(store, max_attempts=settings.maintenance.max_attempts, lockout_s=settings.maintenance.lockout_s,
                    max_lockout_s=settings.maintenance.max_lockout_s, audit=trail.record)
        gate.unlock(pwd.getpwuid(os.geteuid()).pw_name)
    finally:
        trail.close()
    print("the maintenance console is unlocked")
    return 0
