"""The machine itself: its own timer (no screen needed to time out), notices with owners, one reset."""
from __future__ import annotations

import threading

from devices.observers import Observers
from kiosk.journey import JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.periodic import Periodic
from tests.helpers.fakes import wait_until
from tests.unit.journey.drive import to_form


def test_a_headless_journey_times_out_by_its_own_timer(rig):
    """Defect: only the UI's QTimer ticked the journey, so a headless kiosk never timed out."""
    to_form(rig)
    rig.j.start()
    try:
        rig.clock.advance(rig.j.idle_timeout_s() + 1)
        # the journey's own timer thread: a loaded machine may run it late
        rig.rec.wait_for(lambda ev: rig.j.step == Step.ATTRACT, timeout_s=20)
    finally:
        rig.j.close()
    assert rig.j.session.card is None


def test_navigation_clears_the_last_screens_notice(rig):
    to_form(rig)
    rig.j.submit_form()
    assert rig.j.notice is not None
    rig.j.back()
    assert rig.j.notice is None and rig.events(JourneyEventKind.NOTICE)[-1].data is None


def test_every_step_event_names_the_step_the_machine_is_in(rig):
    to_form(rig)
    for e in rig.events(JourneyEventKind.STEP):
        assert e.data == e.step


def test_ending_the_session_resets_everything_per_citizen(rig):
    to_form(rig)
    s = rig.j.session
    s.material_index, s.status_result = 3, {"status": "x"}
    rig.j.cancel()
    fresh = rig.j.session
    assert fresh is not s and fresh.plan == [] and fresh.material_index == 0 and fresh.status_result == {}
    assert s.card is None and s.form == {}  # the old one wiped, not just dropped


def test_observers_survive_a_failing_listener_and_unsubscribe():
    obs: Observers[int] = Observers("test")
    got: list[int] = []

    def boom(_: int) -> None:
        raise RuntimeError("listener bug")
    obs.subscribe(boom)
    off = obs.subscribe(got.append)
    obs.notify(1)
    off()
    obs.notify(2)
    assert got == [1] and len(obs) == 1


def test_periodic_runs_until_stopped_and_survives_a_failing_round():
    rounds: list[int] = []
    done = threading.Event()

    def fn() -> None:
        rounds.append(1)
        if len(rounds) == 1:
            raise RuntimeError("one bad round")
        if len(rounds) >= 3:
            done.set()
    p = Periodic("test", 0.01, fn)
    p.start()
    assert done.wait(5)
    p.stop()
    n = len(rounds)
    assert not p.running and n >= 3


def test_periodic_takes_the_rounds_own_delay_and_wakes_early():
    calls: list[int] = []
    woke = threading.Event()

    def fn() -> float:
        calls.append(1)
        if len(calls) == 2:
            woke.set()
        return 3600.0  # a long back-off: only wake() brings the next round
    p = Periodic("test", 3600.0, fn, first_delay_s=0)
    p.start()
    try:
        wait_until(lambda: calls)
        assert calls == [1]
        p.wake()
        assert woke.wait(5)
    finally:
        p.stop()
    assert not p.running
