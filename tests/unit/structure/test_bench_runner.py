"""`make bench` (bench/run_all.py) passes a bench only the short/long options its --help lists, so a bench
that renames an option still runs (with its own default) instead of failing the whole run."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def load_runner():
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "bench" / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_the_options_a_bench_lists_are_passed(tmp_path):
    bench = tmp_path / "bench_x.py"
    bench.write_text("import argparse\np = argparse.ArgumentParser()\np.add_argument('--scenes', type=int)\n"
                     "p.add_argument('--long', action='store_true')\np.parse_args()\n")
    run_all = load_runner()
    assert run_all.accepted(bench, ["--scenes", "150", "--empty", "50", "--long"]) == ["--scenes", "150", "--long"]
    assert run_all.accepted(bench, []) == []

