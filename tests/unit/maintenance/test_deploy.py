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


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing (tools/system-deps.sh)")
def test_systemd_analyze_security_rates_the_unit_3_0_or_less_offline():
    import re

    proc = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                           str(DEPLOY / "kiosk.service")], capture_output=True, text=True, timeout=60)
    match = re.search(r"Overall exposure level for kiosk\.service: ([0-9.]+)", proc.stdout)
    assert match, proc.stdout + proc.stderr
    assert float(match.group(1)) <= 3.0, proc.stdout  # it was 7.8 EXPOSED


def test_the_unit_confines_files_devices_calls_and_sockets_and_hands_over_the_sealed_outbox_key():
    unit = (DEPLOY / "kiosk.service").read_text(encoding="utf-8")
    for line in ("ProtectSystem=strict", "ReadWritePaths=/var/lib/kiosk", "CapabilityBoundingSet=\n", "PrivateTmp=yes",
                 "DevicePolicy=closed", "SystemCallFilter=@system-service", "ProtectProc=invisible",
                 "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
                 "LoadCredentialEncrypted=outbox.key:/etc/kiosk/outbox.key.cred"):
        assert line in unit, line
    allowed = {line.split("=", 1)[1].split()[0] for line in unit.splitlines() if line.startswith("DeviceAllow=")}
    # card reader / printer / scanner (serial, USB), camera, display and touch screen, tty1
    assert {"char-drm", "char-input", "/dev/tty1", "char-ttyUSB", "char-ttyS", "char-ttyACM", "char-usb",
            "char-video4linux"} <= allowed
