"""Benchmark of the platform link: outbox enqueue latency, drain throughput, platform requests per second.

Each figure comes with a named baseline measured in the same run, so the ratio says what the safety costs:

  enqueue      Outbox.enqueue (AES-GCM, WAL, synchronous=FULL, one transaction)
               vs "plain sqlite insert": the same rows, no encryption, synchronous=OFF
  drain        200 applications x 5 pages through the outbox -> signed client -> reference platform over
               loopback (files checked and stored, 秒批 decided)
               vs "bare FastAPI multipart endpoint": the same bodies POSTed unsigned to an endpoint that
               only reads them
  requests/s   signed status lookups through PlatformClient (keep-alive, N threads)
               vs "bare FastAPI endpoint": GET returning a constant JSON, plain requests, same threads

    python bench/bench_platform.py [--apps 200] [--pages 5] [--page-kib 100] [--seconds 5] [--threads 4]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402

from central.server import EmbeddedPlatform  # noqa: E402
from kiosk.platform.sender import platform_sender  # noqa: E402
from kiosk.outbox import Outbox, OutboxState  # noqa: E402
from kiosk.platform.client import PlatformClient  # noqa: E402

KIOSK, SECRET = "K-BENCH", "bench-secret-0123456789"


def pages_for(n: int, count: int, kib: int) -> dict[str, bytes]:
    # Incompressible bytes, like JPEG pages inside a PDF.
    out = {}
    for k in range(count):
        seed = hashlib.sha256(f"{n}/{k}".encode()).digest()
        out[f"material-{k}.pdf"] = os.urandom(16) + (seed * (kib * 1024 // 32 + 1))[: kib * 1024 - 16]
    return out


def manifest(app_id: str, files: dict[str, bytes]) -> dict:
    return {"application_id": app_id, "item_code": "312000218000", "kiosk_id": KIOSK,
            "created_at": "2026-11-27T10:00:00+08:00",
            "applicant": {"name": "李小明", "id_number": "440305200205141170"}, "form": {"phone": "13800138000"},
            "files": [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d), "mime": "application/pdf"}
                      for n, d in files.items()]}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


# ----- enqueue ------------------------------------------------------------------------------------------------
def bench_enqueue(workdir: Path, apps: list[tuple[str, dict[str, bytes]]]) -> Path:
    box = Outbox(workdir / "outbox", KIOSK, key=bytes(range(32)))  # a bench key, not a kiosk's
    lat = []
    for app_id, files in apps:
        t = time.perf_counter()
        box.enqueue(app_id, "312000218000", manifest(app_id, files), files)
        lat.append(time.perf_counter() - t)
    box.close()
    plain = sqlite3.connect(workdir / "plain.sqlite", isolation_level=None)
    plain.execute("PRAGMA synchronous=OFF")
    plain.execute("CREATE TABLE a (id TEXT PRIMARY KEY, manifest BLOB)")
    plain.execute("CREATE TABLE f (app_id TEXT, name TEXT, blob BLOB)")
    base = []
    import json
    for app_id, files in apps:
        t = time.perf_counter()
        plain.execute("BEGIN")
        plain.execute("INSERT INTO a VALUES (?,?)", (app_id, json.dumps(manifest(app_id, files)).encode()))
        for name, data in files.items():
            plain.execute("INSERT INTO f VALUES (?,?,?)", (app_id, name, data))
        plain.execute("COMMIT")
        base.append(time.perf_counter() - t)
    plain.close()
    p50, p95, b50, b95 = (pct(lat, 50) * 1e3, pct(lat, 95) * 1e3, pct(base, 50) * 1e3, pct(base, 95) * 1e3)
    print(f"enqueue latency        p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (n={len(lat)})")
    print(f"  baseline plain sqlite insert (no fsync, no encryption): p50 {b50:6.2f} ms   p95 {b95:6.2f} ms"
          f"   -> ratio p50 {p50 / b50:.1f}x, p95 {p95 / b95:.1f}x")
    return workdir / "outbox"


# ----- drain ------------------------------------------------------------------------------------------------
class BareServer:
    """A bare FastAPI app on loopback: what HTTP + multipart parsing cost with nothing else."""

    def __init__(self) -> None:
        app = FastAPI()

        @app.post("/bare")
        async def bare(request: Request) -> dict:
            form = await request.form()
            n = 0
            for _, v in form.multi_items():
                n += len(await v.read()) if hasattr(v, "read") else len(v)
            return {"bytes": n}

        @app.get("/ping")
        def ping() -> dict:
            return {"status": "ok", "reference": "SZ20261127000001"}

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "BareServer":
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()


def bench_drain(outbox_dir: Path, platform: EmbeddedPlatform, apps: list[tuple[str, dict[str, bytes]]],
                bare: BareServer) -> None:
    total = sum(len(d) for _, files in apps for d in files.values())
    client = PlatformClient(platform.url, kiosk_id=KIOSK, secret=SECRET, timeout_s=30)
    box = Outbox(outbox_dir, KIOSK, sender=platform_sender(client), key=bytes(range(32)))
    t = time.perf_counter()
    while box.backlog():
        box.deliver_due()
    took = time.perf_counter() - t
    delivered = len(box.list([OutboxState.DELIVERED]))
    box.close()
    assert delivered == len(apps), f"only {delivered} of {len(apps)} delivered"
    assert platform.store.count() >= len(apps)
    http = requests.Session()
    t = time.perf_counter()
    for app_id, files in apps:
        parts = [("manifest", (None, str(manifest(app_id, files)).encode(), "application/json"))]
        parts += [("files", (n, d, "application/pdf")) for n, d in files.items()]
        http.post(f"{bare.url}/bare", files=parts, timeout=30).raise_for_status()
    base = time.perf_counter() - t
    mb = total / 1e6
    print(f"drain throughput       {len(apps) / took:7.1f} applications/s   {mb / took:6.1f} MB/s   "
          f"({len(apps)} x {len(apps[0][1])} pages, {mb:.0f} MB in {took:.1f} s)")
    print(f"  baseline bare FastAPI multipart endpoint (unsigned, nothing stored): {len(apps) / base:7.1f} "
          f"applications/s   {mb / base:6.1f} MB/s   -> ratio {base / took:.2f}x of bare")


# ----- requests per second -------------------------------------------------------------------------------------
def rps(call, seconds: float, threads: int) -> float:
    count = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        local = call()
        while time.perf_counter() < stop:
            local()
            count[i] += 1

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    t = time.perf_counter()
    for th in ts:
        th.start()
    for th in ts:
        th.join()
    return sum(count) / (time.perf_counter() - t)


def bench_rps(platform: EmbeddedPlatform, bare: BareServer, seconds: float, threads: int) -> None:
    reference = platform.store.by_status(["received", "approved", "under_review"])[0]["reference"]

    def signed():
        c = PlatformClient(platform.url, kiosk_id=KIOSK, secret=SECRET, timeout_s=10)
        return lambda: c.status(reference)

    def plain():
        s = requests.Session()
        return lambda: s.get(f"{bare.url}/ping", timeout=10).json()

    ours = rps(signed, seconds, threads)
    base = rps(plain, seconds, threads)
    print(f"platform requests/s    {ours:7.0f} req/s  (signed GET /applications/{{ref}}, {threads} threads)")
    print(f"  baseline bare FastAPI endpoint (constant JSON, unsigned): {base:7.0f} req/s   -> ratio "
          f"{ours / base:.2f}x of bare")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--apps", type=int, default=200)
    ap.add_argument("--pages", type=int, default=5)
    ap.add_argument("--page-kib", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    apps = [(str(uuid.uuid4()), pages_for(n, args.pages, args.page_kib)) for n in range(args.apps)]
    with tempfile.TemporaryDirectory(prefix="bench-platform-") as tmp:
        work = Path(tmp)
        print(f"bench_platform: {args.apps} applications x {args.pages} pages x {args.page_kib} KiB, "
              f"{os.cpu_count()} CPUs")
        outbox_dir = bench_enqueue(work, apps)
        platform = EmbeddedPlatform(work / "central", kiosks={KIOSK: SECRET})
        platform.start()
        try:
            with BareServer() as bare:
                bench_drain(outbox_dir, platform, apps, bare)
                bench_rps(platform, bare, args.seconds, args.threads)
        finally:
            platform.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
