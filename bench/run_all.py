"""`make bench`: every bench/bench_*.py in turn, each printing its own figures against its named baseline
measured in the same run, then a table of what each bench took.

Default: the short run of every bench (under 2 minutes each on this project's 2-core machines); ``--long``:
the long versions (a bench's own ``--long``, or the long arguments listed here). Arguments are passed only
when the bench's ``--help`` lists the option, so a bench that changes its options does not break the run.

Run: python bench/run_all.py [--long] [--only NAME ...] [--keep-going]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHORT_S = 120.0  # a default run longer than this is reported as too long

# Short and long arguments per bench where its own default is not the short run.
SHORT = {
    "bench_docscan": ["--scenes", "150", "--empty", "50", "--tracked", "60"],
    "bench_soak": ["--journeys", "300"],
    "bench_fleet": ["--minutes", "1"],
}
LONG = {
    "bench_docscan": ["--scenes", "520", "--empty", "150", "--tracked", "200"],
    "bench_soak": ["--journeys", "1000"],
    "bench_fleet": ["--minutes", "3"],
}


def accepted(script: Path, args: list[str]) -> list[str]:
    """``args`` without the options the bench's --help does not list (an option's value goes with it)."""
    if not args:
        return []
    help_text = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                               timeout=120).stdout
    out: list[str] = []
    i = 0
    while i < len(args):
        opt = args[i]
        value = [args[i + 1]] if i + 1 < len(args) and not args[i + 1].startswith("--") else []
        if opt in help_text:
            out += [opt, *value]
        i += 1 + len(value)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--long", action="store_true", help="the long version of every bench")
    ap.add_argument("--only", nargs="*", default=[], help="bench names (bench_ui, ui, ...)")
    ap.add_argument("--keep-going", action="store_true", help="run the others when one fails")
    args = ap.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in args.only}
        scripts = [s for s in scripts if s.stem in wanted]
    rows: list[tuple[str, float, int]] = []
    for script in scripts:
        name = script.stem
        extra = LONG.get(name, ["--long"]) if args.long else SHORT.get(name, [])
        extra = accepted(script, extra)
        print(f"== {name} {' '.join(extra)}".rstrip(), flush=True)
        t0 = time.perf_counter()
        code = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent).returncode
        rows.append((name, time.perf_counter() - t0, code))
        if code != 0 and not args.keep_going:
            break
    print()
    print(f"{'bench':28s} {'seconds':>8s}  result")
    for name, secs, code in rows:
        note = "" if args.long or secs <= SHORT_S else f"  (default run over {SHORT_S:.0f} s)"
        print(f"{name:28s} {secs:8.0f}  {'ok' if code == 0 else f'exit {code}'}{note}")
    return max((code for _, _, code in rows), default=0)


if __name__ == "__main__":
    raise SystemExit(main())
