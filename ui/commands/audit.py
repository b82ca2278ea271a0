"""kiosk audit verify [--json]: check the audit trail for changed, removed or reordered records."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit trail (全流程电子监察): verify it")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    vp = asub.add_parser("verify", help="check every record's hash, MAC, numbering and order; say where it breaks")
    from ..cli import add_common  # noqa: PLC0415

    add_common(vp)
    vp.add_argument("--dir", type=Path, metavar="DIR",
                    help="a copy of the trail to check (default: <data_dir>/audit)")
    vp.add_argument("--key", type=Path, metavar="FILE",
                    help="the audit key (default: audit.key in the trail's directory; without it MACs are "
                         "not checked, hashes and the chain are)")
    vp.add_argument("--json", action="store_true", help="the report as JSON")
    vp.set_defaults(func=verify_cmd)


def verify_cmd(args: argparse.Namespace) -> int:
    from kiosk.audit.trail import verify  # noqa: PLC0415

    if args.dir is not None:
        directory = args.dir
    else:
        from ..cli import load  # noqa: PLC0415

        directory = load(args).data_dir / "audit"
    if not directory.is_dir():
        print(f"kiosk audit: no audit trail at {directory}", file=sys.stderr)
        return 2
    key = None
    if args.key is not None:
        try:
            key = args.key.read_bytes()
        except OSError as exc:
            print(f"kiosk audit: cannot read the key: {exc}", file=sys.stderr)
            return 2
    report = verify(directory, key)
    if args.json:
        print(json.dumps(dict(report.as_dict(), directory=str(directory)), ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    mac = "hashes, chain and MACs" if report.keyed else "hashes and chain (no key: MACs not checked)"
    print(f"{directory}: {report.records} records in {report.files} files, last seq {report.last_seq}; "
          f"checked {mac}")
    for note in report.notes:
        print(f"  note: {note}")
    for finding in report.findings:
        print(f"  {finding}")
    print("OK: the trail is intact" if report.ok else f"TAMPERED: {len(report.findings)} problem(s) found")
    return 0 if report.ok else 1
