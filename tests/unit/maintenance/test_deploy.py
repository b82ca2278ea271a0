"""The systemd unit passes systemd-analyze verify and agrees with the code about watchdog and restart."""
from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.maintenance.console import RESTART_EXIT_CODE

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing (tools/system-deps.sh)")
def test_the_unit_passes_systemd_analyze_verify_without_a_warning():
    proc = subprocess.run(["systemd-analyze", "verify", str(DEPLOY / "kiosk.service")], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "kiosk.service" not in proc.stderr, proc.stderr


def test_the_unit_has_a_watchdog_restarts_on_failure_and_on_the_consoles_restart_code():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "kiosk.service", encoding="utf-8")
    svc = unit["Service"]
    assert svc["Type"] == "notify" and svc["NotifyAccess"] == "all"  # the pings come from cage's child
    assert int(svc["WatchdogSec"]) > 0 and svc["Restart"] == "on-failure"
    assert svc["RestartForceExitStatus"] == str(RESTART_EXIT_CODE) == svc["SuccessExitStatus"]
    assert svc["ExecStart"].startswith("/usr/bin/cage -d -- ") and " -s" not in svc["ExecStart"]  # no VT switch
    assert "QT_QPA_PLATFORM=xcb" in (DEPLOY / "kiosk.service").read_text(encoding="utf-8")
