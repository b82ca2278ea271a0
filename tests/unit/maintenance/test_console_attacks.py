"""The console against the issue's attacks: a photocopied badge or a technician's card alone, weak PINs,
guessing for a day, unrelated barcodes, a wall clock set forward, a restart or a reboot to shed the lock."""
from __future__ import annotations

import pytest

from devices.idcard.synthetic import IDENTITIES
from kiosk.maintenance.auth import CredentialStore, Gate, GateState, pin_problem
from tests.helpers.fakes import FakeClock

PIN = "480317"
BADGE = "TECH-BADGE-0042"
CARD = IDENTITIES["standard"].id_number


@pytest.fixture
def store(tmp_path):
    s = CredentialStore(tmp_path / "maintenance")
    s.set_pin(PIN)
    s.add_badge(BADGE, "zhang")
    s.add_card(CARD, "wang")
    return s


def gate(store, clock, boot="boot-A", **kw):
    g = Gate(store, max_attempts=5, lockout_s=900, max_lockout_s=86400, audit=lambda *a: None,
             monotonic=clock, boot=lambda: boot, **kw)
    g.request()
    return g


def test_a_photocopied_badge_or_the_technicians_card_alone_never_opens_the_console(store):
    clock = FakeClock(100.0)
    g = gate(store, clock)
    opened = 0
    for n in range(50):  # 50 scans of a photocopy, 50 times the (stolen) card on the reader
        opened += g.try_badge(BADGE).ok + g.try_card(CARD).ok
    assert opened == 0 and g.state == GateState.PROMPT
    assert g.try_pin(PIN).ok  # both factors together do open it


def test_a_right_pin_without_a_badge_or_card_is_not_even_checked(store):
    g = gate(store, FakeClock(100.0))
    for _ in range(20):
        attempt = g.try_pin(PIN)
        assert not attempt.ok and attempt.need == "token"
    assert g.attempts_left() == 5  # nothing was counted: nothing was learned either


@pytest.mark.parametrize("pin", ["000000", "123456", "654321", "111111", "121212", "123123", "112211",
                                 "890123", "999999999", "123", "12345a", "１２３４５６", "110001"])
def test_weak_pins_are_refused_when_set(tmp_path, pin):
    store = CredentialStore(tmp_path / "m")
    with pytest.raises(ValueError):
        store.set_pin(pin, kiosk_id="SZ-KIOSK-0001")
    assert not store.has_pin()


def test_the_kiosk_id_and_common_pins_are_refused_and_a_reasonable_pin_is_not():
    assert "kiosk" in pin_problem("734001", "SZ-KIOSK-7340")
    assert pin_problem("147258") is not None and pin_problem("520520") is not None
    assert pin_problem("480317", "SZ-KIOSK-0001") is None and pin_problem("93028471") is None


def test_a_day_of_guessing_with_a_photocopied_badge_gets_a_dozen_tries_not_480(store):
    clock = FakeClock(0.0)
    g = gate(store, clock)
    guesses = 0
    while clock() < 86400:
        if g.locked_for_s() > 0:
            clock.advance(g.locked_for_s())  # the attacker waits exactly as long as needed
            continue
        g.try_badge(BADGE)
        assert not g.try_pin(f"{guesses % 1000:03d}908").ok
        guesses += 1
    assert guesses <= 12, guesses
    assert g.lock_for(guesses + 1) == 86400  # from then on: one guess a day


def test_unrelated_barcodes_and_citizens_cards_do_not_lock_the_technicians_out(store):
    g = gate(store, FakeClock(100.0))
    for n in range(100):  # a citizen's payment QR, parcel labels, a bill barcode...
        g.try_badge(f"https://qr.example/{n}")
        g.try_card(IDENTITIES["graduate"].id_number)
    assert g.state == GateState.PROMPT and g.attempts_left() == 5 and g.locked_for_s() == 0
    g.try_badge(BADGE)
    assert g.try_pin(PIN).ok


def locked(store, clock, boot="boot-A"):
    g = gate(store, clock, boot)
    for _ in range(5):
        g.try_badge(BADGE)
        g.try_pin("902817")
    assert g.state == GateState.LOCKED and g.locked_for_s() == 900
    return g


def test_the_lock_follows_the_monotonic_clock_not_the_wall_clock(store, monkeypatch):
    import time as time_module
    clock = FakeClock(1000.0)
    g = locked(store, clock)
    real = time_module.time
    monkeypatch.setattr(time_module, "time", lambda: real() + 2 * 86400)  # someone sets the date forward
    assert g.locked_for_s() == 900 and g.refresh() == GateState.LOCKED
    clock.advance(901)
    assert g.refresh() == GateState.PROMPT


def test_a_restart_or_a_reboot_does_not_shed_the_lock_or_the_count(store):
    clock = FakeClock(1000.0)
    locked(store, clock)
    clock.advance(300)
    again = gate(store, clock)  # the kiosk process restarted: same boot, same clock
    assert again.state == GateState.LOCKED and again.locked_for_s() == 600
    rebooted = gate(store, FakeClock(12.0), boot="boot-B")  # power cut: the clock starts again at boot
    assert rebooted.state == GateState.LOCKED and rebooted.locked_for_s() == 900  # in full, never less
    clock2 = rebooted.monotonic
    clock2.advance(901)
    rebooted.refresh()
    rebooted.try_badge(BADGE)
    attempt = rebooted.try_pin("902817")  # the count survived too: the next wrong PIN doubles the lock
    assert attempt.state == GateState.LOCKED and attempt.locked_for_s == 1800
