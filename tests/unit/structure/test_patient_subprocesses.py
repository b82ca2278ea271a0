"""The kiosk subprocesses of the test suite get patient time limits (tests/helpers/patient.py).

A CI simulation on a loaded machine failed three happy-path autopilot tests at once: the embedded platform
answered after the 10 s read limit (the journey went offline and the fee item was refused at the guide), and
the face engine finished a liveness challenge after its 6 s (a second try). The product did what it should;
the tests assumed an idle machine.
"""
from __future__ import annotations

import re
from pathlib import Path

from kiosk.settings import default_files, load_settings
from tests.helpers.patient import patient_data_dir

TESTS = Path(__file__).resolve().parents[2]
# Tests whose subject is the time limits or the network itself keep the kiosk's own limits.
OWN_LIMITS = {
    "ui/test_autopilot_offline.py": "the offline journey: the platform is away on purpose",
    "ui/test_submit_killed.py": "a kiosk killed at SUBMIT and restarted: its own submit limits are the subject",
}


def test_the_patient_settings_are_read_by_the_kiosk_from_its_data_dir(tmp_path):
    data = patient_data_dir(tmp_path / "data")
    s = load_settings(default_files(demo=True), data_dir=data)
    assert s.platform.timeout_s == 60 and s.platform.connect_timeout_s == 30 and s.platform.submit_wait_s == 60
    assert s.liveness.challenge_timeout_s == 60 and s.face.try_timeout_s == 120
    plain = load_settings(default_files(demo=True), data_dir=tmp_path / "plain")
    assert plain.platform.timeout_s < 60 and plain.liveness.challenge_timeout_s < 60  # they really lengthen


def test_every_autopilot_subprocess_in_the_suite_runs_with_patient_limits():
    missing = []
    for path in sorted(TESTS.rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(TESTS).as_posix()
        if re.search(r'"autopilot"', text) and "subprocess" in text and name not in OWN_LIMITS:
            if "patient_data_dir(" not in text:
                missing.append(name)
    assert missing == [], f"run these kiosks with tests.helpers.patient.patient_data_dir: {missing}"
