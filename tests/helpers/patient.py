"""A data directory whose settings.local.toml gives a kiosk subprocess patient timeouts for a loaded machine.

The subprocess tests run the real ``kiosk autopilot`` with the demo's settings. Their time limits are a real
kiosk's (a platform answer within 10 s, a liveness challenge done within 6 s): right for a citizen, but on a CI
machine running two workers under other load the embedded platform or the face engine can take longer, and
the journey then (correctly) goes offline or asks for a second try, and the test reading the happy path fails.
A technician's ``settings.local.toml`` (kiosk/settings_boot.py) lengthens only those limits, so what such a test
asserts stays what it was; tests about the limits themselves (offline, timeouts) do not use this.
"""
from __future__ import annotations

from pathlib import Path

PATIENT = """\
# tests/helpers/patient.py: time limits for a loaded test machine, not for a kiosk
[platform]
timeout_s = 60.0
connect_timeout_s = 30.0
submit_wait_s = 60.0
sharing_timeout_s = 30.0
result_wait_s = 60.0

[face]
try_timeout_s = 120.0

[liveness]
challenge_timeout_s = 60.0
"""


def patient_data_dir(data_dir: Path) -> Path:
    """Create ``data_dir`` with the patient settings.local.toml and return it (for KIOSK_DATA_DIR)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.local.toml").write_text(PATIENT, encoding="utf-8")
    return data_dir
