"""Time the kiosk spends busy is the citizen waiting on it, not the citizen away (a walk-away CI run at load 10:
a capture took 4.4 s against a 4 s idle timeout, and the session ended the moment the capture was done)."""
from __future__ import annotations

from kiosk.journey.idle import IdleCount, IdleVerdict
from kiosk.journey.plan import Step
from kiosk.settings import IdleSettings
from tests.unit.journey.drive import to_form

SETTINGS = IdleSettings(timeout_s=4.0, warning_s=2.0)


def count(now: float = 0.0) -> IdleCount:
    return IdleCount(lambda: SETTINGS, now, lambda v: None)


def test_busy_time_is_not_idle_time():
    idle = count()
    idle.pause(1.0)
    idle.resume(10.0)  # 9 s of work
    assert idle.verdict(10.5, personal=True, elder=False) == IdleVerdict.WAIT  # 1.5 s idle, not 10.5
    assert idle.verdict(12.9, personal=True, elder=False) == IdleVerdict.WAIT
    assert idle.verdict(13.1, personal=True, elder=False) == IdleVerdict.TIMEOUT  # 1 s before + 3.1 s after


def test_work_that_repeats_by_itself_cannot_keep_an_empty_session_alive():
    """Idle time before and between the bursts of work adds up: the session still ends."""
    idle = count()
    t = 0.0
    for _ in range(10):
        t += 0.9  # idle
        idle.pause(t)
        t += 5.0  # busy
        idle.resume(t)
    assert idle.verdict(t, personal=True, elder=False) == IdleVerdict.TIMEOUT  # 9 s idle in all


def test_a_touch_while_busy_starts_the_count_when_the_kiosk_is_ready():
    idle = count()
    idle.pause(1.0)
    idle.restart(3.0)  # a tap during the work
    idle.resume(8.0)
    assert idle.verdict(11.9, personal=True, elder=False) == IdleVerdict.WAIT
    assert idle.verdict(12.1, personal=True, elder=False) == IdleVerdict.TIMEOUT


def test_the_machine_does_not_time_out_a_citizen_who_waited_on_a_long_piece_of_work(rig):
    to_form(rig)
    j = rig.j
    j.touch()
    j._set_busy(True)
    rig.clock.advance(j.idle_timeout_s() + 5)  # the work outlasts the timeout
    j.tick()
    assert j.step == Step.FORM
    j._set_busy(False)
    j.tick()
    assert j.step == Step.FORM and j.session.card is not None  # ready again: the citizen has the full time
    rig.clock.advance(j.idle_timeout_s() + 1)
    j.tick()
    assert j.step == Step.ATTRACT and j.session.card is None
