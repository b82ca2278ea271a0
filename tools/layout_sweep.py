"""Run the autopilot with its layout checker over every catalogue item in every layout and language.

    PYTHONPATH=. python tools/layout_sweep.py [--screen 21.5 --screen 15.6] [--layout landscape-elder]
        [--lang en_US] [--item CODE ...] [--out DIR]

One autopilot process per (screen, orientation, mode, language); prints a table of items passed / failed and
every layout problem or error met, so a QML change can be checked against all of them (issue 17, Deliver 7).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LAYOUTS = [("portrait", False), ("portrait", True), ("landscape", False), ("landscape", True)]
LANGS = ["zh_CN", "en_US"]


def run_one(screen: str, orientation: str, elder: bool, lang: str, items: list[str]) -> list[dict]:
    which = [a for c in items for a in ("--item", c)] if items else ["--all-items"]
    args = [sys.executable, "-m", "ui.cli", "autopilot", *which, "--journeys", "1", "--screen", screen,
            "--orientation", orientation, "--lang", lang, *(["--elder"] if elder else [])]
    with tempfile.TemporaryDirectory(prefix="layout-sweep-") as data:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=data)
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    if not lines:
        lines = [{"item": "?", "error": f"exit {proc.returncode}: {proc.stderr[-300:]}"}]
    return lines


def taps_summary(lines: list[dict]) -> str:
    """Taps per completed item, min/median/max: the figure issue 17 asks for, per layout and language."""
    taps = [x["taps"] for x in lines if isinstance(x.get("taps"), int) and "error" not in x]
    if not taps:
        return "taps -"
    return f"taps {min(taps)}/{statistics.median(taps):g}/{max(taps)}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--screen", action="append", help="inch profile (repeatable; default 21.5)")
    p.add_argument("--item", action="append", default=[], help="items (default: the whole catalogue)")
    p.add_argument("--layout", action="append", choices=[f"{o}-{'elder' if e else 'standard'}" for o, e in LAYOUTS],
                   help="only these layouts (default: all four)")
    p.add_argument("--lang", action="append", choices=LANGS, help="only these languages (default: both)")
    p.add_argument("--out", type=Path, help="write every JSON line to DIR/<layout>.jsonl")
    a = p.parse_args()
    rows = []
    for screen in a.screen or ["21.5"]:
        for orientation, elder in LAYOUTS:
            if a.layout and f"{orientation}-{'elder' if elder else 'standard'}" not in a.layout:
                continue
            for lang in a.lang or LANGS:
                lines = run_one(screen, orientation, elder, lang, a.item)
                name = f"{screen} {orientation} {'elder' if elder else 'standard'} {lang}"
                bad = [x for x in lines if "error" in x or x.get("layout_problems")]
                rows.append((name, len(lines) - len(bad), len(bad)))
                print(f"{name:38} passed {len(lines) - len(bad):3}  failed {len(bad):3}  {taps_summary(lines)}",
                      flush=True)
                for x in bad:
                    print(f"    {x.get('item')}: {x.get('error', '')} {x.get('layout_problems', '')}", flush=True)
                if a.out:
                    a.out.mkdir(parents=True, exist_ok=True)
                    (a.out / f"{name.replace(' ', '-')}.jsonl").write_text(
                        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return 1 if any(r[2] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
