"""Soak benchmark: 1,000 citizens' journeys in a row, watching memory, open files and threads.

Run: ``python bench/bench_soak.py [--journeys 1000] [--capture-every 20]`` (about 2-4 minutes on 2 cores).

What runs is the whole kiosk without Qt, as in tests/integration/test_journey_headless.py: the journey
state machine, the real drivers talking to the simulators over their wire protocols, the encrypted outbox
delivering over HTTP to the embedded reference platform, receipts printed on the simulated printer, the
audit trail (fsync on) and the monitor. Each journey: choose an item, read the ID card, fill the form,
submit, print the receipt, finish; every ``--capture-every``-th journey also captures a page with the
document camera (OpenCV page detection), the heaviest path.

Printed: RSS (VmRSS), open file descriptors and threads at the start, every 100 journeys, and at the end;
the growth per 100 journeys as the least-squares slope over the checkpoints; and the time per journey.
Baseline (named ``warm``): the same figures after ``--warmup`` journeys (first-use imports, caches, the
SQLite page cache), measured in this run; growth is given against it as a ratio.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.ops.threads import one_blas_thread  # noqa: E402

one_blas_thread()   # as the kiosk starts (ui.cli.main): before numpy's first import

from central.server import EmbeddedPlatform  # noqa: E402
from devices import sim  # noqa: E402
from devices.simulators import register_all  # noqa: E402
from kiosk.audit.key import audit_key  # noqa: E402
from kiosk.audit.verify import verify  # noqa: E402
from kiosk.journey import JourneyEvent  # noqa: E402
from kiosk.ops.memory import limit_malloc_arenas  # noqa: E402
from kiosk.runtime import build_runtime  # noqa: E402
from kiosk.settings import default_files, load_settings  # noqa: E402
from kiosk.journey.plan import Step  # noqa: E402

register_all()  # the bench is a composition root: sim:// URLs need the simulators registered
limit_malloc_arenas()  # as `kiosk` does at start (ui/cli.py main): the kiosk's memory, as deployed

SIMPLE = "920000008000"  # 个人参保证明查询打印: form, delivery, no materials
WITH_PAGE = "312000218000"  # 无犯罪记录证明: one material page to capture
IDENTITIES = ("graduate", "standard", "elder")
STEP_TIMEOUT_S = 30.0


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class Waiter:
    """Wakes the driver when the journey emits anything; waits on conditions, never on a fixed sleep."""

    def __init__(self) -> None:
        self._cond = threading.Condition()

    def __call__(self, event: JourneyEvent) -> None:
        with self._cond:
            self._cond.notify_all()

    def until(self, what: str, predicate) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT_S
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"journey stuck waiting for {what}")
                self._cond.wait(min(left, 0.05))


def journey(rt, hw, wait: Waiter, code: str, identity: str) -> None:
    j = rt.journey
    j.wake()
    j.open_catalog()
    j.choose_item(code)
    j.start_item()
    hw["idcard"].place_card(identity)
    wait.until("the form", lambda: j.step == Step.FORM and not j.busy)
    for name, value in (("phone", "13800138000"), ("purpose", "employment"), ("proof_type", "summary"),
                        ("from_month", "202301"), ("to_month", "202412")):
        j.set_field(name, value)
    if j.submit_form():
        raise RuntimeError(f"form refused: {j.notice}")
    if j.step == Step.MATERIALS:
        # The same sheet each time: the camera simulator caches every distinct page it renders (up to 128,
        # several MB each), which is the simulator's memory, not the kiosk's.
        # The live preview must see the bed empty first: a page lying there when the step begins is taken for
        # one left by the previous citizen (2061) and nothing is captured until the bed was seen empty.
        wait.until("the empty bed seen", lambda: (f := j.live_frame()) is not None and f.status.problem != "leftover")
        hw["camera"].put_page("form", seed=7)
        j.capture_page()
        wait.until("the captured page", lambda: not j.busy and j.session.pages)
        j.material_done()
        hw["camera"].remove_page()
    if j.step == Step.SIGN:
        j.sign([[(20.0 + 6 * i, 60.0 + (-1) ** i * 25) for i in range(30)]], 400, 160)
    if j.step == Step.DELIVERY:
        offered = [getattr(m, "value", m) for m in (j.session.offered or j.session.item.offered_delivery)]
        if "pickup" in offered:  # 窗口领取: no address (express needs a complete region and a detail line)
            j.choose_delivery("pickup")
        j.delivery_done()
    j.confirm()
    wait.until("the result", lambda: j.step == Step.RESULT and not j.busy)
    if not j.session.outcome.delivered:
        raise RuntimeError(f"not delivered: {j.session.outcome}")
    j.proceed()
    wait.until("the receipt", lambda: j.session.outcome.printed)
    j.finish()
    j.finish()
    hw["idcard"].remove_card()
    wait.until("home", lambda: j.step == Step.HOME and j.session.card is None)
    # The reader must see the card gone before the next citizen lays theirs: a card lying on the reader when a
    # session begins is read only once laid again (2060), so a remove and place within one poll would stall.
    reader = rt.devices.get("idcard")
    wait.until("the card lifted", lambda: not reader.card_present)


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares growth of y per journey."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--journeys", type=int, default=1000)
    ap.add_argument("--capture-every", type=int, default=20, help="every Nth journey captures a page (0: never)")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--every", type=int, default=100, help="checkpoint interval")
    ap.add_argument("--trace", type=int, default=0, metavar="N",
                    help="trace Python allocations after the warm-up and print the N places that grew most")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp:
        # The card reader polls every 50 ms instead of 250 ms so 1,000 journeys fit in a few minutes; the
        # protocol, the driver and everything else are as in the demo.
        settings = load_settings(default_files(True), data_dir=tmp,
                                 overrides={"devices": {"idcard": {"options": {"poll_interval_s": 0.05}}}})
        platform = EmbeddedPlatform(settings.path("central"), settings.catalog_dir)
        # The platform refuses more than 12 card reads a minute from one kiosk (a human pace: central/config.py);
        # the soak runs a citizen every ~0.2 s, so without this 96 % of its journeys would go on without a
        # citizen session and never exercise the session, look-up and result paths a real day runs.
        platform.config.sessions_per_kiosk_per_minute = 1_000_000
        platform.config.lookups_per_kiosk_per_minute = 1_000_000
        platform.start()
        rt = build_runtime(settings, platform.url)
        rt.start()
        hw = {n: sim.get_hardware(getattr(settings.devices, n).url) for n in ("idcard", "printer", "camera")}
        wait = Waiter()
        rt.journey.subscribe(wait)
        for name in ("idcard", "printer", "camera"):
            dev = rt.devices.get(name)
            deadline = time.monotonic() + 10
            while dev.state.value != "idle" and time.monotonic() < deadline:
                threading.Event().wait(0.02)
        print(f"soak: {args.journeys} journeys after {args.warmup} warm-up, a page captured every "
              f"{args.capture_every or 'never'}; pid {os.getpid()}, {os.cpu_count()} cores")
        start = (rss_kb(), fds(), threading.active_count())
        print(f"{'start':>8}  rss {start[0] / 1024:7.1f} MB  fds {start[1]:4d}  threads {start[2]:3d}")

        def run(i: int) -> None:
            capture = args.capture_every and i % args.capture_every == 0
            journey(rt, hw, wait, WITH_PAGE if capture else SIMPLE, IDENTITIES[i % len(IDENTITIES)])

        for i in range(args.warmup):
            run(i)
        gc.collect()
        warm = (rss_kb(), fds(), threading.active_count())
        print(f"{'warm':>8}  rss {warm[0] / 1024:7.1f} MB  fds {warm[1]:4d}  threads {warm[2]:3d}   (baseline)")
        checkpoints = [(0, *warm)]
        if args.trace:
            import tracemalloc
            tracemalloc.start(1)
            traced = tracemalloc.take_snapshot()
        receipts = -len(hw["printer"].receipts)  # count only the measured journeys' receipts
        times: list[float] = []
        t_all = time.perf_counter()
        for i in range(1, args.journeys + 1):
            t0 = time.perf_counter()
            run(args.warmup + i)
            times.append(time.perf_counter() - t0)
            if i % args.every == 0 or i == args.journeys:
                receipts += len(hw["printer"].receipts)
                hw["printer"].receipts.clear()  # tear off the simulated paper roll: it is not the kiosk's memory
                gc.collect()
                now = (rss_kb(), fds(), threading.active_count())
                checkpoints.append((i, *now))
                recent = times[-args.every:]
                print(f"{i:8d}  rss {now[0] / 1024:7.1f} MB  fds {now[1]:4d}  threads {now[2]:3d}   "
                      f"{statistics.median(recent) * 1000:6.0f} ms/journey (median of the last {len(recent)})")
        wall = time.perf_counter() - t_all
        end = checkpoints[-1]
        if args.trace:
            gc.collect()
            grown = tracemalloc.take_snapshot().compare_to(traced, "traceback")
            print(f"Python allocations that grew most since the warm-up (tracemalloc, {args.trace} places):")
            for stat in grown[:args.trace]:
                print(f"  {stat.size_diff / 1024:+9.1f} kB {stat.count_diff:+7d} blocks")
                for line in stat.traceback.format()[-1:]:
                    print(f"      {line}")
            tracemalloc.stop()
        audit = verify(settings.path("audit"), audit_key(settings, create=False))
        sim_elements = len(hw["printer"]._interp.elements)  # what the printer simulator's interpreter retains
        rt.stop()
        platform.stop()

    rss_slope = slope([(c[0], c[1]) for c in checkpoints]) * 100  # kB per 100 journeys
    fd_slope = slope([(c[0], c[2]) for c in checkpoints]) * 100
    th_slope = slope([(c[0], c[3]) for c in checkpoints]) * 100
    print()
    print(f"journeys: {args.journeys} in {wall:.0f} s ({wall / args.journeys * 1000:.0f} ms each), "
          f"{receipts} receipts printed, audit trail {audit.records} records, intact: {audit.ok}")
    print(f"start -> end:  rss {start[0] / 1024:.1f} -> {end[1] / 1024:.1f} MB, fds {start[1]} -> {end[2]}, "
          f"threads {start[2]} -> {end[3]}")
    print(f"warm (baseline) -> end:  rss x{end[1] / warm[0]:.3f} (goal <= x1.10; {(end[1] - warm[0]) / 1024:+.1f} MB), "
          f"fds {end[2] - warm[1]:+d}, threads {end[3] - warm[2]:+d}")
    print(f"growth per 100 journeys (least squares over {len(checkpoints)} checkpoints): "
          f"rss {rss_slope / 1024:+.2f} MB ({rss_slope / warm[0] * 100:+.2f} % of the baseline), "
          f"fds {fd_slope:+.2f}, threads {th_slope:+.2f}")
    print(f"printer simulator: {sim_elements} parsed elements retained by its interpreter (handled ones are dropped)")
    first, last = statistics.median(times[:100]), statistics.median(times[-100:])
    print(f"time per journey: first 100 {first * 1000:.0f} ms, last 100 {last * 1000:.0f} ms (x{last / first:.2f})")
    return 0 if audit.ok and receipts == args.journeys else 1


if __name__ == "__main__":
    raise SystemExit(main())
