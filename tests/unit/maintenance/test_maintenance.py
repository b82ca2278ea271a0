"""The maintenance console's logic: PINs hashed, the lockout, badges, URLs saved and applied, device tests."""
from __future__ import annotations

import json

import pytest

from devices import sim
from devices.base import EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.audit.trail import audit_files
from kiosk.maintenance.console import GateState, Maintenance
from kiosk.maintenance.devices import Discovery, url_options, validate_url, with_param, with_params
from kiosk.runtime import build_runtime
from kiosk.settings import LOCAL_SETTINGS, default_files, load_settings
from tests.helpers.fakes import FakeClock, wait_until

PIN = "480317"
BADGE = "TECH-BADGE-0042"


@pytest.fixture
def console(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path,
                             overrides={"maintenance": {"lockout_s": 600, "max_attempts": 5}})
    rt = build_runtime(settings, "http://127.0.0.1:9")
    rt.start()
    clock = FakeClock(5_000.0)  # the monotonic clock: seconds since boot
    m = Maintenance(rt, monotonic=clock, boot=lambda: "boot-A", discovery=Discovery(serial=lambda: [("/dev/ttyUSB7", "CH340")],
                                                         cameras=lambda: [(2, "USB Document Camera")],
                                                         keyboards=lambda: ["/dev/input/by-id/usb-Scan-event-kbd"],
                                                         demo=True))
    yield m, rt, clock
    m.close()
    rt.stop()


def events(rt):
    return [json.loads(line) for p in audit_files(rt.settings.path("audit"))
            for line in p.read_text(encoding="utf-8").splitlines()]


def test_the_pin_is_stored_as_a_salted_scrypt_hash_never_as_text(console):
    m, rt, _ = console
    m.store.set_pin(PIN)
    text = m.store.path.read_text(encoding="utf-8")
    assert PIN not in text and json.loads(text)["pins"][0]["n"] == 2 ** 14
    assert (m.store.path.stat().st_mode & 0o777) == 0o600
    with pytest.raises(ValueError):
        m.store.set_pin("1234")  # too short for production


def test_five_wrong_pins_lock_the_console_even_across_a_restart_until_the_time_is_up(console):
    m, rt, clock = console
    m.store.set_pin(PIN)
    m.store.add_badge(BADGE, "zhang")
    assert m.request_entry() == GateState.PROMPT
    assert m.gate.try_badge(BADGE).need == "pin"
    for left in (4, 3, 2, 1):
        attempt = m.enter_pin("000000")
        assert not attempt.ok and attempt.attempts_left == left
    attempt = m.enter_pin("000000")
    assert attempt.state == GateState.LOCKED and attempt.locked_for_s == 600
    assert not m.enter_pin(PIN).ok  # the right PIN does not help while locked
    restarted = Maintenance(rt, monotonic=clock, boot=lambda: "boot-A")  # the lock is on disk, not in memory
    assert restarted.request_entry() == GateState.LOCKED
    clock.advance(601)
    restarted.touch()  # the technician comes back to the pad
    restarted.tick()
    assert restarted.state == GateState.PROMPT
    restarted.gate.try_badge(BADGE)
    assert restarted.enter_pin(PIN).ok and restarted.state == GateState.OPEN
    kinds = [e["event"] for e in events(rt) if e["event"].startswith("maintenance_")]
    assert kinds.count("maintenance_wrong") == 4 and "maintenance_locked" in kinds
    assert kinds[-1] == "maintenance_enter" and "maintenance_refused" in kinds
    restarted.close()


def test_the_demo_pin_works_only_until_a_real_pin_is_set(console):
    m, rt, _ = console
    m.request_entry()
    assert m.enter_pin("2468").ok
    m.leave()
    m.store.set_pin(PIN)
    m.request_entry()
    assert not m.enter_pin("2468").ok


def test_a_technician_badge_scanned_at_the_pin_pad_then_the_pin_opens_the_console(console):
    m, rt, _ = console
    m.store.set_pin(PIN)
    m.store.add_badge(BADGE, "zhang")
    scanner = sim.get_hardware(rt.settings.devices.barcode.url)
    wait_until(lambda: rt.devices.get("barcode").state.value == "idle")
    seen = []  # subscribed after the console, so the console has had each scan when it lands here
    stop = rt.devices.subscribe(lambda e: seen.append(e) if e.kind == EventKind.BARCODE_READ else None)
    scanner.scan(BADGE)  # not at the PIN pad: nothing happens
    wait_until(lambda: len(seen) == 1)  # delivered before the pad opens (it reads on its own thread)
    m.request_entry()
    assert m.enter_pin(PIN).need == "token"  # the PIN first: not even checked
    scanner.scan(BADGE)
    wait_until(lambda: m.holder() == "zhang")
    assert m.state == GateState.PROMPT  # the badge alone does not open it
    assert m.enter_pin(PIN).ok and m.state == GateState.OPEN
    assert m.gate.who == "zhang"
    stop()


def test_a_technicians_id_card_and_the_pin_open_the_console_and_a_citizens_card_is_refused_uncounted(console):
    m, rt, _ = console
    m.store.set_pin(PIN)
    m.store.add_card(IDENTITIES["standard"].id_number, "wang")
    reader = sim.get_hardware(rt.settings.devices.idcard.url)
    wait_until(lambda: rt.devices.get("idcard").state.value == "idle")
    m.request_entry()
    left = m.gate.attempts_left()
    reader.place_card("graduate")  # somebody else's card: refused, audited, not counted
    wait_until(lambda: any(e["event"] == "maintenance_token_unknown" for e in events(rt)))
    assert m.state == GateState.PROMPT and m.gate.attempts_left() == left and m.holder() == ""
    reader.remove_card()
    wait_until(lambda: not rt.devices.get("idcard").card_present)  # the reader has seen the card go
    reader.place_card("standard")
    wait_until(lambda: m.holder() == "wang")
    assert m.state == GateState.PROMPT  # the card alone does not open it
    assert m.enter_pin(PIN).ok and m.gate.who == "wang"
    stored = (m.store.path).read_text(encoding="utf-8")
    assert IDENTITIES["standard"].id_number not in stored  # only a salted hash of the number is kept
    with pytest.raises(ValueError, match="check character"):
        m.store.add_card(IDENTITIES["standard"].id_number[:17] + "0" if IDENTITIES["standard"].id_number[17] != "0"
                         else IDENTITIES["standard"].id_number[:17] + "1", "typo")


def test_urls_are_validated_for_the_device_kind():
    assert validate_url("printer", "serial:///dev/ttyS1?baudrate=115200") == []
    assert validate_url("printer", "socket://10.0.0.5:9100") == []
    assert any("baudrate" in p for p in validate_url("printer", "serial:///dev/ttyS1?baudrate=12345"))
    assert any("camera://" in p for p in validate_url("camera", "serial:///dev/ttyS1"))
    assert any("HOST:PORT" in p for p in validate_url("printer", "socket://printer"))
    assert any("suffix" in p for p in validate_url("barcode", "serial:///dev/ttyACM0?suffix=tab"))
    assert with_params("serial:///dev/ttyUSB0?baudrate=9600", baudrate=115200) == \
        "serial:///dev/ttyUSB0?baudrate=115200"


def test_discovery_offers_serial_ports_cameras_and_says_why_an_evdev_scanner_cannot_be_used(console):
    m, _, _ = console
    printer = [c.url for c in m.candidates("printer")]
    assert printer == ["sim://printer?profile=80mm", "serial:///dev/ttyUSB7?baudrate=115200"]
    assert [c.url for c in m.candidates("camera")][1].startswith("camera://2?")
    evdev = [c for c in m.candidates("barcode") if c.url.startswith("evdev://")][0]
    assert not evdev.usable and "serial" in evdev.note


def test_a_new_url_is_refused_while_closed_then_saved_and_applied_live(console):
    m, rt, _ = console
    with pytest.raises(PermissionError):
        m.apply_url("printer", "sim://printer?profile=58mm")
    m.request_entry()
    m.enter_pin("2468")
    assert m.apply_url("printer", "serial:///dev/ttyS1?baudrate=123") != []
    assert not (rt.settings.data_dir / LOCAL_SETTINGS).exists()  # a refused URL is not saved
    assert m.apply_url("printer", "sim://printer?name=spare&profile=58mm", {"profile": "58mm"}) == []
    assert rt.devices.get("printer").url == "sim://printer?name=spare&profile=58mm"
    wait_until(lambda: rt.devices.get("printer").state.value == "idle")
    reloaded = load_settings(default_files(True), data_dir=rt.settings.data_dir)
    assert reloaded.devices.printer.url == "sim://printer?name=spare&profile=58mm"
    assert reloaded.devices.printer.options == {"profile": "58mm"}
    change = [e for e in events(rt) if e["event"] == "maintenance_device_url"][0]
    assert change["data"]["old"] == "sim://printer?profile=80mm"


def test_device_tests_print_read_scan_and_capture_with_a_result_for_the_screen(console):
    m, rt, _ = console
    m.request_entry()
    m.enter_pin("2468")
    for name in ("printer", "idcard", "barcode", "camera"):
        wait_until(lambda: rt.devices.get(name).state.value == "idle")
    printer = sim.get_hardware(rt.settings.devices.printer.url)
    result = m.test_device("printer").result(10)
    assert result.ok and "打印测试" in printer.last_receipt.text
    no_card = m.test_device("idcard").result(10)
    assert not no_card.ok and "place an ID card" in no_card.en
    sim.get_hardware(rt.settings.devices.idcard.url).place_card("graduate")
    card = m.test_device("idcard").result(10)
    assert card.ok and "李*" in card.zh and "440305200205141170" not in card.zh
    pending = m.test_device("barcode")
    sim.get_hardware(rt.settings.devices.barcode.url).scan("SZ20260000000001")
    assert pending.result(10).en == "Code read: SZ20260000000001"
    sim.get_hardware(rt.settings.devices.camera.url).put_page("form")
    shot = m.test_device("camera").result(30)
    assert shot.details["width"] == 2048 and "page found" in shot.en
    sim.get_hardware(rt.settings.devices.printer.url).set_paper("out")
    wait_until(lambda: rt.devices.get("printer").state.value == "error", timeout_s=10)
    out = m.test_device("printer").result(10)
    assert not out.ok and out.code == 1201
    tests = [e["data"] for e in events(rt) if e["event"] == "maintenance_test"]
    assert [t["ok"] for t in tests] == [True, False, True, True, True, False]


def test_outbox_rows_say_why_an_application_waits_and_retry_is_audited(console):
    m, rt, _ = console
    manifest = {"application_id": "app-00000001", "item_code": "920000008000", "kiosk_id": rt.settings.kiosk_id,
                "created_at": "2026-11-26T08:00:00+08:00"}
    rt.outbox.enqueue("app-00000001", "920000008000", manifest, {})
    wait_until(lambda: rt.outbox.get("app-00000001").attempts >= 1)  # the platform is unreachable in this test
    m.request_entry()
    m.enter_pin("2468")
    row = m.outbox_rows()[0]
    assert row["state"] == "pending" and "unreachable" in row["why"]
    m.retry("app-00000001")
    assert any(e["event"] == "maintenance_retry" for e in events(rt))
    assert not m.platform_status()["ok"]


def test_the_log_tail_is_masked(console, tmp_path):
    m, rt, _ = console
    log = rt.settings.path("logs") / "kiosk.log"
    log.write_text("".join(f"line {i}\n" for i in range(500)) + "typed 440305200205141170\n", encoding="utf-8")
    lines = m.log_tail(3)
    assert lines == ["line 498", "line 499", "typed 440***********1170"]


def test_restart_is_audited_closes_the_console_and_asks_the_app_to_exit_for_a_restart(console):
    m, rt, _ = console
    asked = []
    m.on_restart = lambda: asked.append(True)
    with pytest.raises(PermissionError):
        m.request_restart()
    m.request_entry()
    m.enter_pin("2468")
    m.request_restart()
    assert asked == [True] and m.state == GateState.CLOSED
    assert [e["event"] for e in events(rt)][-2:] == ["maintenance_restart", "maintenance_leave"]


def test_an_unattended_console_returns_to_service(console):
    m, rt, _ = console
    now = [0.0]
    m.monotonic = lambda: now[0]
    m.request_entry()
    m.enter_pin("2468")
    now[0] += rt.settings.maintenance.idle_timeout_s + 1
    m.tick()
    assert m.state == GateState.CLOSED
    assert [e["data"].get("why") for e in events(rt) if e["event"] == "maintenance_leave"] == ["idle"]


def test_the_credential_commands_store_hashes_refuse_bad_input_and_audit_who_not_what(tmp_path, monkeypatch, capsys):
    import io

    from kiosk.maintenance.auth import CredentialStore
    from ui.cli import main

    data = tmp_path / "data"
    number = IDENTITIES["standard"].id_number

    def run(stdin: str, *argv: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin + "\n"))
        return main([*argv, "--data-dir", str(data)])

    assert run("24681357", "maintenance", "set-pin", "--stdin") == 0
    assert run("12345", "maintenance", "add-card", "--stdin", "--label", "li") == 2
    assert "not a resident ID number" in capsys.readouterr().err
    assert run(number, "maintenance", "add-card", "--stdin", "--label", "wang") == 0
    store = CredentialStore(data / "maintenance")
    assert store.match("pins", "24681357") == "technician" and store.match("cards", number) == "wang"
    assert store.match("cards", IDENTITIES["graduate"].id_number) is None
    trail = "".join(p.read_text(encoding="utf-8") for p in audit_files(data / "audit"))
    assert "maintenance_card_added" in trail and "maintenance_pin_set" in trail
    assert number not in trail and "24681357" not in trail


def test_the_console_buttons_set_one_url_parameter_and_the_printer_profile_becomes_an_option():
    assert with_param("serial:///dev/ttyS1?baudrate=9600", "baudrate=115200") == "serial:///dev/ttyS1?baudrate=115200"
    assert with_param("serial:///dev/ttyS1?baudrate=9600", "baudrate=") == "serial:///dev/ttyS1"
    assert with_param("nonsense://x", "baudrate=9600") == "nonsense://x"  # unparsable: left for validate_url
    assert url_options("printer", "sim://printer?profile=58mm") == {"profile": "58mm"}
    assert url_options("printer", "socket://10.0.0.5:9100") == {}
    assert url_options("barcode", "sim://barcode?profile=58mm") == {}
    assert url_options("printer", "socket://[::1") == {}
