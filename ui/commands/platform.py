"""kiosk platform enrol | check: the kiosk's link to the central platform (technicians).

The one-time code is typed at a no-echo prompt, piped in, or read from --code-file: never an argument.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_common  # noqa: PLC0415

    p = sub.add_parser("platform", help="enrol this kiosk at the platform, check the link")
    psub = p.add_subparsers(dest="platform_command", metavar="ACTION", required=True)
    ep = psub.add_parser("enrol", help="exchange a one-time code for this kiosk's secret (written to secret_file)")
    add_common(ep)
    ep.add_argument("--code-file", metavar="FILE", help="file holding the one-time code ('-' = stdin); "
                                                       "default: asked for without echo")
    ep.set_defaults(func=enrol)
    cp = psub.add_parser("check", help="reach the platform, check TLS, the secret and the clock")
    add_common(cp)
    cp.set_defaults(func=check)


def _save_durably(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` mode 0600 so that it survives a power cut: temp file, fsync, rename, fsync dir."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def enrol(args: argparse.Namespace) -> int:
    """The kiosk makes its secret and saves it (``<secret_file>.pending``) BEFORE the code is spent: a save that
    fails costs nothing (the code still works), and a lost answer leaves the pending secret for the next try."""
    import secrets  # noqa: PLC0415

    from kiosk.platform.client import PlatformClient, PlatformError  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415
    from ._secrets import SecretMissing, read_secret  # noqa: PLC0415

    settings = load(args)
    try:
        code = read_secret(args.code_file, prompt="One-time enrolment code: ", what="enrolment code")
    except SecretMissing as exc:
        print(f"kiosk platform enrol: {exc}", file=sys.stderr)
        return 2
    ps = settings.platform
    if not ps.secret_file:
        print("kiosk platform enrol: set platform.secret_file first (where the secret will be kept)", file=sys.stderr)
        return 2
    path = Path(ps.secret_file).expanduser()
    pending = path.with_name(path.name + ".pending")
    try:
        secret = pending.read_text(encoding="utf-8").strip() if pending.exists() else ""
        if len(secret) < 32:
            secret = secrets.token_urlsafe(32)
            _save_durably(pending, secret + "\n")
    except OSError as exc:
        print(f"kiosk platform enrol: E7104: cannot save the secret at {pending} ({exc}); the code was NOT used, "
              "fix the disk or platform.secret_file and run this again", file=sys.stderr)
        return 1
    client = PlatformClient(ps.url, kiosk_id=settings.kiosk_id, timeout_s=ps.timeout_s,
                            verify_tls=ps.ca_file or ps.verify_tls)
    try:
        answer = client.enrol(code, location=settings.kiosk_location, region_code=settings.region_code,
                              secret=secret)
    except PlatformError as exc:
        print(f"kiosk platform enrol: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    if answer.secret != secret:  # an older platform ignores the kiosk's secret and makes its own
        _save_durably(pending, answer.secret + "\n")
    os.replace(pending, path)
    print(f"{settings.kiosk_id} enrolled; secret written to {path} (mode 0600)")
    return 0


def check(args: argparse.Namespace) -> int:
    from kiosk.platform.client import PlatformError  # noqa: PLC0415
    from kiosk.runtime import build_client  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    settings = load(args)
    client = build_client(settings)
    try:
        health = client.health()
        print(f"reachable: {client.base_url} (catalog {health.get('catalog_version', '')[:12]})")
        client.catalog_if_changed(f'"{health.get("catalog_version", "")}"')
        print(f"signed requests accepted for {settings.kiosk_id} (clock offset {client.t.clock_offset_s:+.0f} s)")
    except PlatformError as exc:
        print(f"kiosk platform check: {exc}", file=sys.stderr)
        return 1
    return 0
