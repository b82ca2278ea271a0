"""``kiosk central --data-dir D staff add|disable|reset USERNAME``: staff accounts of the platform (issue 21).

The password comes from stdin (a terminal is asked twice without echo; a pipe gives its first line), never
from the command line, where ``ps`` would show it. ``add`` needs ``--role`` (reviewer, supervisor,
technician, finance) and takes ``--name`` (the display name); ``disable`` needs ``--reason``; ``reset`` sets a
new password, ends the account's sessions and enables it again. Each act is in the staff audit with
``--operator`` (default: the login name)."""
from __future__ import annotations

import argparse
import getpass
import sys


def read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("new password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def staff_accounts(config, args: argparse.Namespace, words: list[str]) -> int:
    from central.staff.admin import AccountError, add_account, disable_account, reset_password  # noqa: PLC0415
    from central.staff.passwords import WeakPassword  # noqa: PLC0415
    from central.store import open_store  # noqa: PLC0415

    if len(words) != 3 or words[1] not in ("add", "disable", "reset"):
        print("kiosk central: staff add|disable|reset USERNAME", file=sys.stderr)
        return 2
    action, username = words[1], words[2]
    operator = args.operator or getpass.getuser()
    if action == "add" and not args.role:
        print("kiosk central staff add: --role reviewer|supervisor|technician|finance", file=sys.stderr)
        return 2
    if action == "disable" and len(args.reason.strip()) < 4:
        print("kiosk central staff disable: say why with --reason; it is kept with the act", file=sys.stderr)
        return 2
    store = open_store(config.db_url)
    try:
        at = config.now_iso()
        if action == "add":
            add_account(store, username, args.name or username, args.role, read_password(), at, operator)
            print(f"{username}: account added ({args.role})")
        elif action == "disable":
            disable_account(store, username, at, operator, args.reason.strip())
            print(f"{username}: disabled; its sessions have ended")
        else:
            reset_password(store, username, read_password(), at, operator)
            print(f"{username}: new password set; its old sessions have ended")
        return 0
    except (AccountError, WeakPassword, ValueError) as exc:
        print(f"kiosk central staff {action}: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
