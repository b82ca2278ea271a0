"""kiosk audit verify [--json] [--offline]: check the audit trail for changed, removed, reordered, wiped or
rewound records.

The key comes from where the kiosk keeps it (``audit.key_file`` / the systemd credential, never beside the
trail) or ``--key``; without it the check FAILS and says why. Unless ``--offline``, the platform's head of this
kiosk's trail is fetched (signed) and compared: a trail that ends before it, or differs at its seq, fails.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit trail (全流程电子监察): verify it")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    vp = asub.add_parser("verify", help="check every record's hash, MAC, numbering and order, and the platform's "
                                        "head; say where it breaks")
    from ..cli import add_common  # noqa: PLC0415

    add_common(vp)
    vp.add_argument("--dir", type=Path, metavar="DIR",
                    help="a copy of the trail to check (default: <data_dir>/audit)")
    vp.add_argument("--key", type=Path, metavar="FILE",
                    help="the audit key (default: audit.key_file or the kiosk-audit-key credential); without a "
                         "key the check fails")
    vp.add_argument("--offline", action="store_true",
                    help="do not compare with the platform's head (a wiped trail then shows only locally)")
    vp.add_argument("--json", action="store_true", help="the report as JSON")
    vp.set_defaults(func=verify_cmd)


def _key(args: argparse.Namespace, settings) -> tuple[bytes | None, str]:
    from kiosk.audit.key import audit_key  # noqa: PLC0415
    from kiosk.audit.key import AuditKeyError  # noqa: PLC0415

    if args.key is not None:
        try:
            return args.key.read_bytes(), ""
        except OSError as exc:
            return None, f"cannot read {args.key}: {exc}"
    try:
        return audit_key(settings, create=False), ""
    except (AuditKeyError, OSError) as exc:
        return None, str(exc)


def _anchor(args: argparse.Namespace, settings) -> tuple[dict | None, str]:
    if args.offline:
        return None, "not compared with the platform (--offline)"
    from kiosk.platform.client import PlatformError  # noqa: PLC0415
    from kiosk.runtime import build_client  # noqa: PLC0415

    try:
        client = build_client(settings)
        try:
            head = client.audit_head()
        finally:
            client.close()
    except (PlatformError, OSError, ValueError) as exc:
        return None, f"the platform's head could not be fetched ({exc}): a wiped trail shows only locally"
    return head.model_dump(), f"compared with the platform's head: epoch {head.epoch}, seq {head.seq}"


def verify_cmd(args: argparse.Namespace) -> int:
    from kiosk.audit.verify import verify  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    settings = load(args)
    directory = args.dir if args.dir is not None else settings.data_dir / "audit"
    if not directory.is_dir():
        print(f"kiosk audit: no audit trail at {directory}", file=sys.stderr)
        return 2
    key, key_problem = _key(args, settings)
    anchor, anchor_note = _anchor(args, settings)
    report = verify(directory, key, anchor=anchor, key_problem=key_problem)
    report.notes.append(anchor_note)
    if args.json:
        print(json.dumps(dict(report.as_dict(), directory=str(directory)), ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    mac = "hashes, chain and MACs" if report.keyed else "hashes and chain (NO KEY: MACs not checked)"
    print(f"{directory}: {report.records} records in {report.files} files, last seq {report.last_seq}; "
          f"checked {mac}")
    for note in report.notes:
        print(f"  note: {note}")
    for finding in report.findings:
        print(f"  {finding}")
    print("OK: the trail is intact" if report.ok else f"TAMPERED: {len(report.findings)} problem(s) found")
    return 0 if report.ok else 1
