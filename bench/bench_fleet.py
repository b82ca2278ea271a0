"""Fleet benchmark: N simulated kiosks against `kiosk central` over loopback, on SQLite or PostgreSQL, 1 or 2 workers.

Each kiosk, in compressed time (``--speed`` platform seconds per real second), does what a busy terminal does
in an hour of service:
  heartbeat      once a minute                                        (60 per kiosk-hour)
  submit         an application with 3-5 pages of 60 KiB, signed     (APPS_PER_HOUR = 6 per kiosk-hour:
                 a citizen every 10 minutes, a busy district hall's rate)
  status         a receipt scanned or a typed reference               (12 per kiosk-hour)
``--minutes M`` platform minutes are played in M * 60 / --speed real seconds. One JSON line per configuration:
kiosks (and ``kiosks_real_time`` = kiosks x speed: the fleet a real-time platform would serve at that load),
workers, db, submissions per second sustained, p50/p95/p99 of submit and status (ms), errors, the platform's
CPU (seconds per real second, all its processes), memory (RSS MiB, all its processes) and, for the throwaway
cluster, the database's CPU. ``real_s`` longer than minutes*60/speed means the fleet fell behind its schedule.

    python bench/bench_fleet.py                                   # the comparison: sqlite/1, pg/1, pg/2 workers
    python bench/bench_fleet.py --kiosks 200 --minutes 2 --db pg --workers 2
    python bench/bench_fleet.py --db postgresql://central@db/central   # an existing database (PGPASSFILE)

``--db pg`` starts a throwaway PostgreSQL cluster (tests/helpers/pg_cluster.py). Everything (database,
platform workers, simulated kiosks) shares this machine's cores: the figures are per core *used* and hide
what separate database and platform hosts would gain (and what a real network's latency would cost).
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import hashlib
import heapq
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.platform.client import PlatformClient  # noqa: E402
from kiosk.platform.schema import FileRef, Heartbeat  # noqa: E402
from tests.helpers.central_process import CentralProcess  # noqa: E402
from tests.helpers.manifests import complete  # noqa: E402

ITEM = "312000218000"
SECRET = "fleet-secret-0123456789abcdef"
APPS_PER_HOUR, STATUS_PER_HOUR, HEARTBEATS_PER_HOUR = 6, 12, 60
PAGE_KIB = 60


class Fleet:
    def __init__(self, url: str, kiosks: int, speed: float, seed: int = 1) -> None:
        self.url, self.kiosks, self.speed = url, [f"K-FLEET-{i:04d}" for i in range(kiosks)], speed
        self.rng = random.Random(seed)
        self.lat: dict[str, list[float]] = {"submit": [], "status": [], "heartbeat": []}
        self.errors = 0
        self.refs: dict[str, list[str]] = {k: [] for k in self.kiosks}
        self._lock = threading.Lock()
        self._local = threading.local()

    def client(self, kid: str) -> PlatformClient:
        clients = getattr(self._local, "clients", None)
        if clients is None:
            clients = self._local.clients = {}
        if kid not in clients:
            clients[kid] = PlatformClient(self.url, kiosk_id=kid, secret=SECRET, timeout_s=30, sleep=lambda s: None)
        return clients[kid]

    def _timed(self, kind: str, fn) -> None:
        t = time.perf_counter()
        try:
            fn()
        except Exception:  # noqa: BLE001 (counted: the figure is how many failed)
            with self._lock:
                self.errors += 1
            return
        with self._lock:
            self.lat[kind].append(time.perf_counter() - t)

    def submit(self, kid: str) -> None:
        m, files = complete(ITEM, kiosk_id=kid)
        for k in range(self.rng.randint(3, 5)):
            seed = hashlib.sha256(f"{m.application_id}/{k}".encode()).digest()
            files[f"page-{k}.pdf"] = os.urandom(16) + seed * (PAGE_KIB * 32)
        refs = [f for f in m.files if f.name in files] + [
            FileRef(name=n, sha256=hashlib.sha256(d).hexdigest(), size=len(d), mime="application/pdf")
            for n, d in files.items() if n.startswith("page-")]
        m = m.model_copy(update={"files": refs})

        def go() -> None:
            self.refs[kid].append(self.client(kid).submit(m, files).reference)
        self._timed("submit", go)

    def status(self, kid: str) -> None:
        if self.refs[kid]:
            ref = self.rng.choice(self.refs[kid])
            self._timed("status", lambda: self.client(kid).status(ref))

    def heartbeat(self, kid: str) -> None:
        hb = Heartbeat(at=dt.datetime.now(dt.timezone.utc).isoformat(), software_version="bench", uptime_s=1.0)
        self._timed("heartbeat", lambda: self.client(kid).heartbeat(hb))

    def run(self, minutes: float, threads: int) -> float:
        """Play ``minutes`` of platform time; returns the real seconds it took."""
        per_s = {self.submit: APPS_PER_HOUR, self.status: STATUS_PER_HOUR, self.heartbeat: HEARTBEATS_PER_HOUR}
        end_platform_s = minutes * 60
        events: list[tuple[float, int, object, str]] = []
        n = 0
        for kid in self.kiosks:  # Poisson arrivals per kiosk and kind (heartbeats: a fixed period, random phase)
            for action, per_hour in per_s.items():
                t = self.rng.uniform(0, 3600 / per_hour)
                while t < end_platform_s:
                    events.append((t, n, action, kid))
                    n += 1
                    t += 3600 / per_hour if action == self.heartbeat else self.rng.expovariate(per_hour / 3600)
        heapq.heapify(events)
        start = time.monotonic()
        with cf.ThreadPoolExecutor(threads) as pool:
            while events:
                at, _, action, kid = heapq.heappop(events)
                delay = start + at / self.speed - time.monotonic()
                if delay > 0:
                    time.sleep(delay)  # the schedule's clock, not a wait for a result
                pool.submit(action, kid)  # type: ignore[arg-type]
        return time.monotonic() - start


def proc_tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    return out


def cpu_s(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def rss_mib(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 1)


def one(db: str, workers: int, kiosks: int, minutes: float, speed: float, threads: int,
        db_pid: int | None = None) -> dict:
    """One configuration; ``db_pid``: the PostgreSQL server's process (its CPU is reported too)."""
    with tempfile.TemporaryDirectory(prefix="fleet-") as tmp:
        root = Path(tmp)
        extra = ["--workers", str(workers)] + (["--db", db] if db != "sqlite" else [])
        server = CentralProcess(root, *extra, kiosks={f"K-FLEET-{i:04d}": SECRET for i in range(kiosks)})
        try:
            fleet = Fleet(server.url, kiosks, speed)
            pids = proc_tree(server.proc.pid)
            c0, d0 = cpu_s(pids), (cpu_s(proc_tree(db_pid)) if db_pid else 0.0)
            f0 = time.process_time()
            wall = fleet.run(minutes, threads)
            fleet_cpu = time.process_time() - f0
            cpu = cpu_s(proc_tree(server.proc.pid)) - c0
            db_cpu = (cpu_s(proc_tree(db_pid)) - d0) if db_pid else None
            rss = rss_mib(proc_tree(server.proc.pid))
        finally:
            server.stop()
    return {"kiosks": kiosks, "kiosks_real_time": round(kiosks * speed), "workers": workers,
            "db": "sqlite" if db == "sqlite" else "postgresql",
            "platform_minutes": minutes, "real_s": round(wall, 1),
            "submissions_per_s": round(len(fleet.lat["submit"]) / wall, 2),
            "submit_ms": {"p50": pct(fleet.lat["submit"], .5), "p95": pct(fleet.lat["submit"], .95),
                          "p99": pct(fleet.lat["submit"], .99)},
            "status_ms": {"p50": pct(fleet.lat["status"], .5), "p95": pct(fleet.lat["status"], .95),
                          "p99": pct(fleet.lat["status"], .99)},
            "heartbeat_ms_p95": pct(fleet.lat["heartbeat"], .95), "errors": fleet.errors,
            "platform_cpu_s_per_s": round(cpu / wall, 2), "platform_rss_mib": rss,
            "db_cpu_s_per_s": None if db_cpu is None else round(db_cpu / wall, 2),
            "fleet_cpu_s_per_s": round(fleet_cpu / wall, 2), "cores": os.cpu_count()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kiosks", type=int, default=40)
    ap.add_argument("--minutes", type=float, default=3.0, help="platform minutes to play (default 3)")
    ap.add_argument("--speed", type=float, default=12.0, help="platform seconds per real second (default 12)")
    ap.add_argument("--db", default="", help="sqlite, pg (throwaway cluster) or postgresql://...; default: compare")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=32, help="simulated kiosks' requests in flight at most")
    args = ap.parse_args()
    cluster = None
    try:
        configs = [(args.db, args.workers)] if args.db else [("sqlite", 1), ("pg", 1), ("pg", 2)]
        for db, workers in configs:
            url = db
            if db == "pg":
                if cluster is None:
                    from tests.helpers.pg_cluster import PgCluster, pg_bin  # noqa: PLC0415

                    bin_dir = pg_bin()
                    if bin_dir is None:
                        print(json.dumps({"db": "postgresql", "skipped": "no PostgreSQL binaries"}))
                        continue
                    cluster = PgCluster(bin_dir, durable=True)  # fsync on: SQLite's store syncs too
                    cluster.start()
                url = cluster.database()
            db_pid = cluster.pid if db == "pg" and cluster is not None else None
            print(json.dumps(one(url, workers, args.kiosks, args.minutes, args.speed, args.threads, db_pid)),
                  flush=True)
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
