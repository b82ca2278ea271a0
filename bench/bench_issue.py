"""Benchmark of issuing a result (issue 18): the time to make, sign, store and index one certificate.

Each figure comes with a named baseline measured in the same run:

  issue     central.results.issue.issue(): reportlab page (CJK font, QR) + PAdES signature (pyHanko, ECDSA
            P-256) + content-addressed file + index row + timeline event, per approved case
            vs "unsigned render": the same page from reportlab alone, nothing signed or stored
  verify    POST /verify's work on one issued PDF (pyHanko validation against the platform's CA)
            vs "sha256 only": hashing the same bytes

    python bench/bench_issue.py [--count 20]
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from central.app import create_app  # noqa: E402
from central.config import PlatformConfig  # noqa: E402
from central.results.document import ResultData, render  # noqa: E402
from central.results.issue import issue, new_code  # noqa: E402
from central.results.verify import check_file  # noqa: E402
from devices.idcard.synthetic import IDENTITIES  # noqa: E402
from kiosk.settings import CONFIG_DIR  # noqa: E402

ITEM = "920000001000"  # 应届毕业生引进落户


def approved_case(p, n: int) -> str:
    card = IDENTITIES["graduate"]
    reference = f"SZ20261205{n:06d}"
    p.store.insert({"reference": reference, "idempotency_key": f"bench-{n:08d}", "manifest_sha256": "0" * 64,
                    "item_code": ITEM, "kiosk_id": "K-BENCH", "status": "approved", "decision": {},
                    "manifest": {"applicant": {"name": card.name, "id_number": card.id_number}},
                    "response": {}, "received_at": "2026-12-05T10:00:00+08:00"})
    return reference


def ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.1f} ms  p90 {sorted(samples)[int(len(samples) * 0.9) - 1] * 1000:6.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = PlatformConfig(data_dir=Path(tmp), catalog_dir=CONFIG_DIR / "catalog", public_url="https://zw.example")
        started = time.perf_counter()
        p = create_app(config).state.platform  # makes the CA and the signing key
        print(f"first start (keys made):           {(time.perf_counter() - started) * 1000:6.1f} ms")
        issue(p, approved_case(p, 0))  # warm: font registration, pyHanko imports
        plain, signed, checks, hashes = [], [], [], []
        for n in range(1, args.count + 1):
            data = ResultData("电子证明", "Electronic certificate", "应届毕业生引进落户", "Graduate intake", "公安局",
                              "李*明", "4403**********1170", f"SZ20261205{n:06d}", "2026-12-05", new_code(),
                              "https://zw.example/verify/X")
            t = time.perf_counter()
            render(data)
            plain.append(time.perf_counter() - t)
            reference = approved_case(p, n)
            t = time.perf_counter()
            row = issue(p, reference)
            signed.append(time.perf_counter() - t)
            pdf = p.files.get_blob(row["sha256"])
            t = time.perf_counter()
            assert check_file(p, pdf).genuine
            checks.append(time.perf_counter() - t)
            t = time.perf_counter()
            hashlib.sha256(pdf).hexdigest()
            hashes.append(time.perf_counter() - t)
        size = len(pdf)
    print(f"issue one certificate ({size // 1024} KiB):    {ms(signed)}")
    print(f"  baseline unsigned render:        {ms(plain)}   ratio {statistics.median(signed) / statistics.median(plain):.2f}x")
    print(f"verify one PDF (POST /verify):     {ms(checks)}")
    print(f"  baseline sha256 only:            {ms(hashes)}   ratio {statistics.median(checks) / max(statistics.median(hashes), 1e-9):.0f}x")


if __name__ == "__main__":
    main()
