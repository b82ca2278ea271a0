"""``kiosk autopilot --identity graduate`` (issue 18, deliver 7): the graduate intake item 920000001000 is
approved (秒批) and, in the same journey, its signed certificate comes out of the A4 printer (sim://a4, the
real IPP driver) next to the 80 mm receipt; the JSON line lists both documents as the simulators printed
them, with the issue -> print timings, and the A4 page is a real rendered PNG."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_graduate_intake_prints_its_certificate_on_a4_in_the_same_journey(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    # The citizen waits up to 8 s for the platform's answer, then gets a "queued" receipt: a loaded machine's
    # embedded platform once answered later (status "queued"). This test is about the A4 certificate, so it waits.
    patient = tmp_path / "patient.toml"
    patient.write_text("[platform]\nsubmit_wait_s = 60\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--config", str(patient), "--item", "920000001000",
                           "--identity", "graduate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 1 and proc.returncode == 0, (lines, proc.stderr[-2000:])
    line = lines[0]
    assert line["status"] == "approved" and line["receipt_printed"] and "error" not in line, line
    docs = line["documents"]
    assert [(d["kind"], d["printer"], d["pages"]) for d in docs] == [("receipt", "printer", 1), ("result", "a4", 1)]
    page = Path(docs[1]["png"])
    assert page.is_file() and page.is_relative_to(tmp_path / "data")
    with Image.open(page) as img:  # an A4 page (210 x 297 mm), with ink on it
        w, h = img.size
        assert abs(h / w - 297 / 210) < 0.02
        assert img.convert("L").getextrema()[0] < 64
    timing = line["result_print"]
    assert timing["state"] == "printed"
    assert 0 < timing["fetch_s"] < 10 and 0 < timing["print_s"] < 30
    assert timing["issue_to_print_s"] >= timing["submit_and_issue_s"] + timing["fetch_s"]
