"""ui.voice: a voice process still starting (its imports slow on a loaded machine) is not killed as hung before it
has had START_GRACE_S to start; one that started and stopped taking sentences, or that is still not started
after the grace (an engine blocked as it starts), is. The voice's clock is stepped, never slept on."""
from __future__ import annotations

import pytest

from ui import voice as voice_mod
from ui.voice import START_GRACE_S, STUCK_AFTER, Voice


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(voice_mod.time, "monotonic", lambda: now[0])
    return now


def _voice(clock) -> Voice:
    v = Voice("speechd", enabled=False)   # no process: what the verdict sees is the count and the clock
    v.enabled = True
    v._launched_at = clock[0]
    return v


def test_sentences_asked_while_the_voice_starts_are_not_a_hang_within_the_grace(qapp, clock):
    v = _voice(clock)
    for n in range(3 * STUCK_AFTER):
        clock[0] += 0.25   # a sentence every quarter second, as a busy journey asks
        v.say(f"第{n}句")
    assert clock[0] - v._launched_at < START_GRACE_S
    assert v.stuck_kills == 0 and v.started is None and not v.stuck


def test_a_voice_still_not_started_after_the_grace_is_killed_as_hung(qapp, clock):
    v = _voice(clock)
    for n in range(STUCK_AFTER):
        v.say(f"第{n}句")
    clock[0] += START_GRACE_S
    assert v.stuck
    v.say("再一句")
    assert v.stuck_kills == 1 and v.started is False


def test_a_started_voice_that_stops_taking_sentences_is_killed_at_once(qapp, clock):
    v = _voice(clock)
    v.started = True
    for n in range(STUCK_AFTER):
        v.say(f"第{n}句")
    assert v.stuck
    v.say("再一句")
    assert v.stuck_kills == 1
