"""kiosk central --listen HOST:PORT --data-dir DIR: run the reference platform alone.

Kiosks are enrolled with ``--enrol KIOSK_ID`` (prints a one-time code for ``kiosk platform enrol``) or, in a
lab, listed with their secrets in ``--kiosks-file FILE`` (lines ``ID=SECRET``; ``-`` = stdin). The
administrator's token (review queue, reconciliation, courier) comes from ``--admin-token-file`` (``-`` =
stdin) or ``$KIOSK_CENTRAL_ADMIN_TOKEN``. No secret is taken on the command line: ``ps`` shows it to all.
``--demo`` mounts the simulated payer; without it the platform has none.

The records live where ``--db`` says (default ``sqlite:////DATA_DIR/central.sqlite``); a deployment names its
PostgreSQL database (``postgresql://user@host/db``; the password from PGPASSFILE, ~/.pgpass or PGPASSWORD, never
in the URL) and may run ``--workers N`` processes on it. ``migrate`` brings a PostgreSQL schema to the newest
revision (Alembic); ``copy FROM_URL`` copies every record of another store (e.g. the SQLite file a deployment
ran on) into ``--db``; files stay in ``--data-dir``. ``backup DEST`` / ``restore SRC``: a consistent backup of
the records, the file store and the results' signing key, and its restore into an empty database and directory.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from kiosk.settings_boot import CONFIG_DIR  # not kiosk.settings: build_parser runs before `kiosk run`'s first frame


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("central", help="run the reference central platform (HTTP API with OpenAPI at /docs)",
                       allow_abbrev=False)  # the old "--kiosk ID=SECRET" must not pass as --kiosks-file
    p.add_argument("--listen", default="127.0.0.1:8700", metavar="HOST:PORT")
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--db", metavar="URL",
                   help="where the records are: sqlite:////DIR/central.sqlite (default: in --data-dir) or "
                        "postgresql://USER@HOST/DB (password from PGPASSFILE/~/.pgpass/PGPASSWORD, never here)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes on one port (needs a PostgreSQL --db and a --data-dir they all share)")
    p.add_argument("--catalog-dir", type=Path, default=CONFIG_DIR / "catalog")
    p.add_argument("--kiosks-file", metavar="FILE",
                   help="lab: kiosks to enrol at start, one ID=SECRET a line ('-' = stdin)")
    p.add_argument("--admin-token-file", metavar="FILE",
                   help="file with the administrator's Bearer token ('-' = stdin)")
    p.add_argument("--demo", action="store_true", help="demo mode: mount the simulated payer (/sim/payer)")
    p.add_argument("--sms-config", metavar="FILE", type=Path,
                   help="notifications (TOML): gateway = outbox|aliyun|off, link_base, and for aliyun sign_name, "
                        "credentials_file, [templates] EVENT.LANG = CODE (default: the inspectable outbox)")
    p.add_argument("--courier-keys-file", metavar="FILE",
                   help="the carriers' HMAC keys for POST /courier/events, one CARRIER=KEY a line ('-' = stdin)")
    p.add_argument("--signature-v1-until", metavar="YYYY-MM-DD|never",
                   help="accept signature scheme 1 until the end of this day (default 2027-06-30); "
                        "'never' refuses it")
    p.add_argument("--header-timeout", type=float, default=10.0, metavar="S",
                   help="close a connection that has not sent complete request headers within S seconds (10)")
    p.add_argument("--body-timeout", type=float, default=15.0, metavar="S",
                   help="refuse (408) a body not received within S seconds plus its length at 32 KiB/s (15)")
    p.add_argument("--public-url", help="base URL in payment QR codes (default: the URL a request came in on)")
    p.add_argument("--enrol", metavar="KIOSK_ID", help="print a one-time enrolment code for a kiosk and exit")
    p.add_argument("--rekey", metavar="KIOSK_ID", help="allow the next enrolment code of an enrolled kiosk to replace "
                                                       "its secret (needs --reason; recorded) and exit")
    p.add_argument("--audit-epoch", metavar="KIOSK_ID", help="start a new audit epoch for a kiosk whose disk was "
                                                             "replaced (needs --reason; recorded) and exit")
    p.add_argument("--reason", default="", help="why (--rekey, --audit-epoch, staff disable): kept with the act")
    p.add_argument("--operator", default="", help="who acts (default: the login name)")
    # Until the staff pages exist: the citizens' calls for help, on the platform's own data dir. A plain
    # positional (not a sub-parser): a stray word is never echoed back in an error (it may be a secret).
    p.add_argument("command", nargs="*",
                   metavar="help list|ack ID | sms list | staff add|disable|reset USER | migrate | copy FROM_URL | backup DEST | restore SRC",
                   help="citizens' calls for help: list the open ones (--all: every one), or acknowledge one; "
                        "sms list: the SMS outbox (masked numbers), newest first; "
                        "staff accounts (password from stdin, never the command line); "
                        "migrate: bring the --db schema up to date; copy FROM_URL: copy another store's records "
                        "into --db; backup DEST: the records, files and signing key into a new directory; "
                        "restore SRC: a backup into an empty --db and --data-dir")
    p.add_argument("--role", help="with 'staff add': reviewer, supervisor, technician or finance")
    p.add_argument("--name", help="with 'staff add': the display name (default: the username)")
    p.add_argument("--phone", default="", help="with 'staff contact': the mobile for 督办 notices (SMS)")
    p.add_argument("--email", default="", help="with 'staff contact': the e-mail address (kept; not sent yet)")
    p.add_argument("--all", action="store_true", help="with 'help list': acknowledged calls too")
    p.set_defaults(func=run)


def _kiosks(source: str | None) -> dict[str, str]:
    if source is None:
        return {}
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    kiosks = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kid, sep, secret = line.partition("=")
        if not sep or not kid.strip() or len(secret.strip()) < 16:
            raise ValueError(f"{source}:{n}: needs ID=SECRET with a secret of 16+ characters")
        kiosks[kid.strip()] = secret.strip()
    return kiosks


def _v1_until(value: str | None) -> float | None:
    from central.config import SIGNATURE_V1_UNTIL, TZ  # noqa: PLC0415

    if value is None:
        return SIGNATURE_V1_UNTIL
    if value == "never":
        return None
    day = dt.date.fromisoformat(value)
    return dt.datetime.combine(day, dt.time(23, 59, 59), TZ).timestamp()


def _sms_config(path: Path | None) -> dict:
    """PlatformConfig's sms_* fields from the --sms-config TOML (issue 18); no secret in it but a file's path."""
    import tomllib  # noqa: PLC0415

    if path is None:
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    gateway = data.get("gateway", "outbox")
    if gateway not in ("outbox", "aliyun", "off"):
        raise ValueError(f"{path}: gateway must be outbox, aliyun or off")
    out = {"sms_gateway": gateway, "sms_link_base": data.get("link_base"),
           "sms_aliyun_sign_name": str(data.get("sign_name", "")),
           "sms_aliyun_templates": {str(k): str(v) for k, v in (data.get("templates") or {}).items()}}
    if data.get("endpoint"):
        out["sms_aliyun_endpoint"] = str(data["endpoint"])
    if data.get("credentials_file"):
        out["sms_credentials_file"] = Path(data["credentials_file"])
    return out


def run(args: argparse.Namespace) -> int:
    from central.config import PlatformConfig  # noqa: PLC0415

    from ._secrets import SecretMissing, read_secret  # noqa: PLC0415

    if [args.kiosks_file, args.admin_token_file, args.courier_keys_file].count("-") > 1:
        print("kiosk central: only one of --kiosks-file, --admin-token-file and --courier-keys-file can be '-'",
              file=sys.stderr)
        return 2
    try:
        kiosks = _kiosks(args.kiosks_file)
        couriers = _kiosks(args.courier_keys_file)
        sms = _sms_config(args.sms_config)
        token = os.environ.get("KIOSK_CENTRAL_ADMIN_TOKEN")
        if args.admin_token_file:
            token = read_secret(args.admin_token_file, prompt="", what="--admin-token-file")
        v1_until = _v1_until(args.signature_v1_until)
    except (OSError, ValueError, SecretMissing) as exc:
        print(f"kiosk central: {exc}", file=sys.stderr)
        return 2
    from central.store import BadStoreUrl, check_url, default_url  # noqa: PLC0415

    try:
        db_url = check_url(args.db or default_url(args.data_dir))
    except BadStoreUrl as exc:  # the message never repeats the URL: it may hold a password
        print(f"kiosk central: --db: {exc}", file=sys.stderr)
        return 2
    if args.workers > 1 and not db_url.startswith("postgres"):
        print("kiosk central: --workers needs a PostgreSQL --db (SQLite serves one process)", file=sys.stderr)
        return 2
    config = PlatformConfig(data_dir=args.data_dir, catalog_dir=args.catalog_dir, kiosks=kiosks, admin_token=token,
                            public_url=args.public_url, demo=args.demo, signature_v1_until=v1_until,
                            header_timeout_s=args.header_timeout, body_timeout_s=args.body_timeout,
                            courier_keys=couriers, db_url=db_url, **sms)
    if args.command[:1] in (["migrate"], ["copy"], ["backup"], ["restore"]):
        from ._central_db import database_command  # noqa: PLC0415

        return database_command(config, args.command)
    if args.command[:1] == ["sms"]:
        return sms_list(config, args)
    if args.command[:1] == ["staff"]:
        from ._staff import staff_accounts  # noqa: PLC0415

        return staff_accounts(config, args, list(args.command))
    if args.command:
        return help_calls(config, args)
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

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return serve(host, int(port), config, workers=args.workers)


def enrol(config, kiosk_id: str) -> int:
    import secrets  # noqa: PLC0415

    from central.routers.kiosks import code_hash  # noqa: PLC0415
    from central.store import open_store  # noqa: PLC0415

    store = open_store(config.db_url)
    try:
        code = secrets.token_urlsafe(12)
        expires = config.clock() + config.enrolment_ttl_s
        store.add_enrolment(code_hash(code), kiosk_id, expires)
    finally:
        store.close()
    until = dt.datetime.fromtimestamp(expires).astimezone().isoformat(timespec="minutes")
    print(f"enrolment code for {kiosk_id} (works once, until {until}):\n{code}\n"
          f"at the kiosk: kiosk platform enrol  (type the code when asked, or pipe it in)")
    return 0


def admin_act(config, args: argparse.Namespace) -> int:
    """--rekey / --audit-epoch: an administrator's explicit act, recorded with who and why (GET /admin/actions)."""
    import getpass  # noqa: PLC0415

    from central.store import open_store  # noqa: PLC0415

    kiosk_id = args.rekey or args.audit_epoch
    operator = args.operator or getpass.getuser()
    if len(args.reason.strip()) < 8:
        print("kiosk central: say why with --reason (8+ characters); it is kept with the act", file=sys.stderr)
        return 2
    store = open_store(config.db_url)
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


def help_calls(config, args: argparse.Namespace) -> int:
    """``kiosk central --data-dir D help list|ack ID``: staff see and acknowledge calls (the kiosk shows it)."""
    import getpass  # noqa: PLC0415

    from central.store import open_store  # noqa: PLC0415

    words = list(args.command)
    if words[:1] != ["help"] or words[1:2] not in (["list"], ["ack"]) or len(words) > 3:
        print("kiosk central: the only command is 'help list' or 'help ack ID'", file=sys.stderr)
        return 2
    action, help_id = words[1], (words[2] if len(words) == 3 else "")
    store = open_store(config.db_url)
    try:
        if action == "list":
            for r in store.help_requests(open_only=not args.all):
                ack = f"  acknowledged {r['acknowledged_at']} by {r['acknowledged_by']}" if r["acknowledged_at"] else ""
                print(f"{r['help_id']}  {r['requested_at']}  {r['kiosk_id']}  {r['location'] or '-'}  "
                      f"step={r['step'] or '-'}  {r['status']}{ack}")
            return 0
        if not help_id:
            print("kiosk central help ack: which call? (the id from 'help list')", file=sys.stderr)
            return 2
        row = store.ack_help(help_id, config.now_iso(), args.operator or getpass.getuser())
        if row is None:
            print(f"kiosk central: no call for help {help_id}", file=sys.stderr)
            return 1
        print(f"{row['help_id']}: acknowledged by {row['acknowledged_by']} at {row['acknowledged_at']}")
        return 0
    finally:
        store.close()


def sms_list(config, args: argparse.Namespace) -> int:
    """``kiosk central --data-dir D sms list``: the SMS outbox (issue 18), newest first; numbers masked."""
    from central.store import open_store  # noqa: PLC0415

    if list(args.command) != ["sms", "list"]:
        print("kiosk central: the sms command is 'sms list'", file=sys.stderr)
        return 2
    store = open_store(config.db_url)
    try:
        for r in store.sms_messages(limit=1000):
            why = f"  ({r['last_error']})" if r["last_error"] else ""
            print(f"{r['id']}  {r['created_at']}  {r['reference']}  {r['event']}  {r['state']}  "
                  f"{r['phone_masked'] or '-'}  tries={r['attempts']}  {r['text']}{why}")
    finally:
        store.close()
    return 0
