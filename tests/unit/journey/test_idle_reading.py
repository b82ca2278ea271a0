"""A citizen reading the catalogue or an item's guide is asked before the kiosk leaves, and has the same time as
on a form (five minutes in elder mode): before, these steps went back to the attract loop after 30 s of reading
with no warning, elder mode too (适老化: give enough time, no time pressure). The home screen still goes to the
attract loop after ``attract_after_s``."""
from __future__ import annotations

from kiosk.journey.events import JourneyEventKind as K
from kiosk.journey.idle import IdleCount, IdleVerdict
from kiosk.journey.plan import Step
from kiosk.settings import IdleSettings
from tests.unit.journey.drive import CERT

SETTINGS = IdleSettings(timeout_s=60.0, warning_s=10.0, elder_timeout_s=300.0, attract_after_s=30.0)


def count() -> IdleCount:
    return IdleCount(lambda: SETTINGS, 0.0, lambda v: None)


def test_a_reading_step_waits_past_the_home_screens_half_minute_and_counts_down_before_it_goes_home():
    idle = count()
    assert idle.verdict(31.0, personal=False, elder=False) == IdleVerdict.ATTRACT  # the home screen
    assert idle.verdict(31.0, personal=False, elder=False, reading=True) == IdleVerdict.WAIT
    assert idle.countdown is None
    assert idle.verdict(55.0, personal=False, elder=False, reading=True) == IdleVerdict.WAIT
    assert idle.countdown == 5  # the last warning_s: the same warning as a form's
    # its end is the attract loop: nothing personal to wipe, so not an idle timeout of a session
    assert idle.verdict(60.0, personal=False, elder=False, reading=True) == IdleVerdict.ATTRACT


def test_elder_mode_gives_a_reader_five_minutes():
    idle = count()
    assert idle.verdict(200.0, personal=False, elder=True, reading=True) == IdleVerdict.WAIT
    assert idle.countdown is None
    assert idle.verdict(300.0, personal=False, elder=True, reading=True) == IdleVerdict.ATTRACT


def on_catalogue(rig):
    rig.j.wake()
    rig.j.open_catalog()
    assert rig.j.step == Step.CATALOG


def test_the_catalogue_is_not_left_after_half_a_minute_of_reading(rig):
    on_catalogue(rig)
    rig.clock.advance(rig.settings.idle.attract_after_s + 1)
    rig.j.tick()
    assert rig.j.step == Step.CATALOG and rig.j.countdown is None


def test_the_catalogue_warns_then_returns_to_the_attract_loop_without_calling_it_a_timeout(rig):
    on_catalogue(rig)
    rig.clock.advance(rig.j.idle_timeout_s() - 5)
    rig.j.tick()
    assert rig.j.step == Step.CATALOG and rig.j.countdown == 5
    assert [e.data for e in rig.events(K.COUNTDOWN)][-1] == 5
    rig.j.touch()  # 继续浏览
    assert rig.j.countdown is None
    rig.clock.advance(rig.j.idle_timeout_s() - 1)
    rig.j.tick()
    assert rig.j.step == Step.CATALOG
    rig.clock.advance(2)
    rig.j.tick()
    assert rig.j.step == Step.ATTRACT and not rig.audited("idle_timeout")


def test_a_guide_read_in_elder_mode_stays_for_the_elder_timeout(rig):
    rig.j.set_elder(True)
    on_catalogue(rig)
    rig.j.choose_item(CERT)
    assert rig.j.step == Step.GUIDE
    rig.clock.advance(rig.settings.idle.elder_timeout_s - rig.settings.idle.warning_s - 1)
    rig.j.tick()
    assert rig.j.step == Step.GUIDE and rig.j.countdown is None
    rig.clock.advance(rig.settings.idle.warning_s + 2)
    rig.j.tick()
    assert rig.j.step == Step.ATTRACT


def test_the_home_screen_still_goes_to_the_attract_loop_after_half_a_minute(rig):
    rig.j.wake()
    assert rig.j.step == Step.HOME
    rig.clock.advance(rig.settings.idle.attract_after_s + 1)
    rig.j.tick()
    assert rig.j.step == Step.ATTRACT
