"""Monitoring: device faults reach the audit trail, low supplies raise alerts, the heartbeat tells it all."""
from __future__ import annotations

import json
import os
import socket

import pytest

from devices import sim
from devices.manager import DeviceManager, DeviceSpec
from kiosk.ops import sdnotify
from kiosk.ops.housekeeping import sweep_tmp
from kiosk.ops.monitor import FileHeartbeatSink, HeartbeatError, Monitor
from kiosk.outbox import Outbox
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import OUTBOX_KEY, Recorder

PRINTER = "sim://printer?profile=80mm"
CAMERA = "sim://camera?width=640&height=480"


@pytest.fixture
def watched(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path,
                             overrides={"monitoring": {"backlog_alert": 1}})
    devices = DeviceManager([DeviceSpec("printer", "printer", PRINTER), DeviceSpec("camera", "camera", CAMERA)])
    outbox = Outbox(tmp_path / "outbox", settings.kiosk_id, key=OUTBOX_KEY)
    rec = Recorder()
    monitor = Monitor(settings, devices, outbox, audit=lambda event, data: rec((event, data)),
                      catalog_version=lambda: "cat-v1")
    devices.get("printer").poll_interval_s = 0.1  # status polls every 2 s in production; tests need not wait
    devices.start()
    yield settings, devices, outbox, monitor, rec
    monitor.stop()
    devices.stop()
    outbox.close()


def audited(event, **match):
    return lambda events: [d for e, d in events if e == event and all(d.get(k) == v for k, v in match.items())]


def test_paper_near_end_is_an_alert_that_is_audited_once_and_cleared_on_reload(watched):
    settings, devices, outbox, monitor, rec = watched
    printer = sim.get_hardware(PRINTER)
    rec.wait_for(lambda ev: devices.get("printer").state.value == "idle")
    printer.set_paper("near_end")
    rec.wait_for(audited("alert", key="printer.paper", level="warning"))
    assert [a.key for a in monitor.alerts.active()] == ["printer.paper"]
    printer.set_paper("out")
    rec.wait_for(audited("alert", key="printer.paper", level="critical", code=1201))
    printer.set_paper("ok")
    rec.wait_for(audited("alert_cleared", key="printer.paper"))
    assert len(audited("alert", key="printer.paper", level="warning")(rec.events)) == 1


def test_an_unplugged_camera_is_a_device_fault_in_the_trail_and_its_return_a_recovery(watched):
    settings, devices, outbox, monitor, rec = watched
    camera = sim.get_hardware(CAMERA)
    rec.wait_for(lambda ev: devices.get("camera").state.value == "idle")
    camera.unplug()
    fault = rec.wait_for(audited("device_fault", device="camera"))[0]
    assert fault["state"] == "offline" and fault["code"] in (1002, 1401)  # frames stopped / camera missing
    assert monitor.alerts.active()[0].key == "device.camera" and monitor.alerts.active()[0].level == "critical"
    camera.plug()
    rec.wait_for(audited("device_recovered", device="camera"))
    rec.wait_for(lambda ev: not monitor.alerts.active())


def test_the_heartbeat_carries_device_health_supplies_backlog_and_version(watched, tmp_path):
    settings, devices, outbox, monitor, rec = watched
    sim.get_hardware(PRINTER).set_paper("near_end")
    rec.wait_for(audited("alert", key="printer.paper"))
    sim.get_hardware(CAMERA).unplug()
    rec.wait_for(audited("device_fault", device="camera", code=1401))  # camera missing
    outbox.enqueue("app-1", "920000008000", {"item": "x"}, {})
    sink_path = tmp_path / "hb.json"
    monitor.sink = FileHeartbeatSink(sink_path)
    assert monitor.beat()
    hb = json.loads(sink_path.read_text(encoding="utf-8"))
    assert hb["kiosk_id"] == settings.kiosk_id and hb["version"] and hb["catalog_version"] == "cat-v1"
    assert hb["devices"]["printer"]["supplies"] == {"paper": "low"}
    assert hb["devices"]["camera"]["state"] == "offline" and hb["devices"]["camera"]["error_code"] == 1401
    assert hb["outbox"]["backlog"] == 1
    assert {a["key"] for a in hb["alerts"]} == {"printer.paper", "device.camera", "outbox.backlog"}


def test_a_failing_heartbeat_sink_is_reported_not_raised(watched):
    settings, devices, outbox, monitor, rec = watched

    class DownSink:
        def send(self, payload):
            raise HeartbeatError("connection refused")

    monitor.sink = DownSink()
    assert not monitor.beat()
    assert "connection refused" in monitor.last_error


def test_sweep_empties_the_tmp_directory_but_keeps_it(tmp_path):
    tmp = tmp_path / "tmp"
    (tmp / "sub").mkdir(parents=True)
    (tmp / "scan.jpg").write_bytes(b"x")
    (tmp / "sub" / "form.pdf").write_bytes(b"y")
    assert sweep_tmp(tmp) == 2
    assert tmp.is_dir() and list(tmp.iterdir()) == []


def test_sd_notify_sends_ready_and_watchdog_datagrams(tmp_path, monkeypatch):
    path = str(tmp_path / "notify.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(5)
    try:
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        monkeypatch.setenv("WATCHDOG_USEC", "20000000")
        monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
        assert sdnotify.watchdog_interval_s() == 10.0
        assert sdnotify.ready("serving")
        assert server.recv(256) == b"READY=1\nSTATUS=serving"
        assert sdnotify.watchdog()
        assert server.recv(256) == b"WATCHDOG=1"
    finally:
        server.close()
    monkeypatch.setenv("WATCHDOG_PID", "1")  # someone else's watchdog (pid 1 is neither us nor our parent)
    assert sdnotify.watchdog_interval_s() is None or os.getppid() == 1
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert not sdnotify.watchdog()
