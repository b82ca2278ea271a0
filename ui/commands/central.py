"""kiosk central --listen HOST:PORT --data-dir DIR: run the reference platform alone.

Kiosks are enrolled with ``--enrol KIOSK_ID`` (prints a one-time code for ``kiosk platform enrol``) or, in a
lab, named with their secret by ``--kiosk ID=SECRET``. The administrator's token (review queue,
reconciliation, courier) comes from ``$KIOSK_CENTRAL_ADMIN_TOKEN`` or ``--admin-token-file``.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.settings import CONFIG_DIR


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("central", help="run the reference central platform (HTTP API with OpenAPI at /docs)")
    p.add_argument("--listen", default="127.0.0.1:8700", metavar="HOST:PORT")
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--catalog-dir", type=Path, default=CONFIG_DIR / "catalog")
    p.add_argument("--kiosk", action="append", default=[], metavar="ID=SECRET",
                   help="enrol a kiosk with this secret at start (lab; repeatable)")
    p.add_argument("--admin-token-file", type=Path, help="file with the administrator's Bearer token")
    p.add_argument("--public-url", help="base URL in payment QR codes (default: the URL a request came in on)")
    p.add_argument("--enrol", metavar="KIOSK_ID", help="print a one-time enrolment code for a kiosk and exit")
    p.add_argument("--rekey", metavar="KIOSK_ID", help="allow the next enrolment code of an enrolled kiosk to replace "
                                                       "its secret (needs --reason; recorded) and exit")
    p.add_argument("--audit-epoch", metavar="KIOSK_ID", help="start a new audit epoch for a kiosk whose disk was "
                                                             "replaced (needs --reason; recorded) and exit")
    p.add_argument("--reason", default="", help="why (--rekey, --audit-epoch): kept with the act")
    p.add_argument("--operator", default="", help="who acts (default: the login name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from central.config import PlatformConfig  # noqa: PLC0415

    kiosks = {}
    for spec in args.kiosk:
        kid, sep, secret = spec.partition("=")
        if not sep or not kid or len(secret) < 16:
            print(f"kiosk central: --kiosk needs ID=SECRET with a secret of 16+ characters, got {spec!r}",
                  file=sys.stderr)
            return 2
        kiosks[kid] = secret
    token = os.environ.get("KIOSK_CENTRAL_ADMIN_TOKEN")
    if args.admin_token_file:
        token = args.admin_token_file.read_text(encoding="utf-8").strip()
    config = PlatformConfig(data_dir=args.data_dir, catalog_dir=args.catalog_dir, kiosks=kiosks, admin_token=token,
                            public_url=args.public_url)
    if args.enrol:
        return enrol(config, args.enrol)
    if args.rekey or args.audit_epoch:
        return admin_act(config, args)
    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        print(f"kiosk central: --listen needs HOST:PORT, got {args.listen!r}", file=sys.stderr)
        return 2
    if not token:
        print("kiosk central: no admin token ($KIOSK_CENTRAL_ADMIN_TOKEN / --admin-token-file): /admin is closed",
              file=sys.stderr)
    from central.server import serve  # noqa: PLC0415

    serve(host, int(port), config)
    return 0


def enrol(config, kiosk_id: str) -> int:
    import datetime as dt  # noqa: PLC0415
    import secrets  # noqa: PLC0415

    from central.routers.kiosks import code_hash  # noqa: PLC0415
    from central.store import SqliteStore  # noqa: PLC0415

    store = SqliteStore(config.data_dir)
    try:
        code = secrets.token_urlsafe(12)
        expires = config.clock() + config.enrolment_ttl_s
        store.add_enrolment(code_hash(code), kiosk_id, expires)
    finally:
        store.close()
    until = dt.datetime.fromtimestamp(expires).astimezone().isoformat(timespec="minutes")
    print(f"enrolment code for {kiosk_id} (works once, until {until}):\n{code}\n"
          f"at the kiosk: kiosk platform enrol {code}")
    return 0


def admin_act(config, args: argparse.Namespace) -> int:
    """--rekey / --audit-epoch: an administrator's explicit act, recorded with who and why (GET /admin/actions)."""
    import getpass  # noqa: PLC0415

    from central.store import SqliteStore  # noqa: PLC0415

    kiosk_id = args.rekey or args.audit_epoch
    operator = args.operator or getpass.getuser()
    if len(args.reason.strip()) < 8:
        print("kiosk central: say why with --reason (8+ characters); it is kept with the act", file=sys.stderr)
        return 2
    store = SqliteStore(config.data_dir)
    try:
        if store.kiosk(kiosk_id) is None:
            print(f"kiosk central: no enrolled kiosk {kiosk_id}", file=sys.stderr)
            return 1
        if args.rekey:
            store.grant_rekey(kiosk_id, config.now_iso(), operator, args.reason.strip())
            print(f"{kiosk_id}: the next enrolment code may replace its secret (recorded: {operator})\n"
                  f"kiosk central --data-dir {config.data_dir} --enrol {kiosk_id}")
        else:
            head = store.new_audit_epoch(kiosk_id, config.now_iso(), operator, args.reason.strip())
            print(f"{kiosk_id}: audit epoch {head['epoch']} started; the next record must be seq 1 of a new trail "
                  f"(recorded: {operator})")
    finally:
        store.close()
    return 0
