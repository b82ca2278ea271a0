"""The idle count: how long nobody has touched the kiosk, and what that means on the current step.

Any touch (and every step change) restarts the count; time the kiosk spends busy (the citizen waiting on it)
is not counted. On a step holding personal data the countdown warning
starts ``idle.warning_s`` before the timeout (``idle.timeout_s``, or ``idle.elder_timeout_s`` in elder mode)
and each whole second left is announced (``JourneyEventKind.COUNTDOWN``); at the timeout the session ends.
On the steps where a citizen reads (the catalogue, an item's guide) the same time and the same warning apply,
and the end is only the return to the attract loop: an elder reading a guide has five minutes and is asked
before it goes, not sent away after half a minute without a word (适老化: give enough time; WANDA's footer
counts down too). On the home screen the kiosk returns to the attract loop after ``idle.attract_after_s``.
The machine asks ``verdict`` from its ``tick`` and fires the timeout itself: this module knows no transition
and no step handler, only the clock and the settings.
"""
from __future__ import annotations

from enum import StrEnum
from typing import Callable

from ..settings import IdleSettings


class IdleVerdict(StrEnum):
    """What the idle count says at a tick."""
    WAIT = "wait"  # somebody touched it recently enough (a countdown may be showing)
    ATTRACT = "attract"  # no personal data on screen: back to the attract loop
    TIMEOUT = "timeout"  # personal data on screen and the countdown ran out: the session is wiped


class IdleCount:
    def __init__(self, settings: Callable[[], IdleSettings], now: float,
                 announce: Callable[[int | None], None]) -> None:
        self._settings = settings  # read at each use, as the machine's settings are
        self._announce = announce  # the countdown changed (None: withdrawn)
        self._last_touch = now
        self._countdown: int | None = None
        self._paused_at: float | None = None  # the kiosk is busy (the citizen waits on it) since then

    @property
    def countdown(self) -> int | None:
        """Whole seconds left before an idle timeout, while the warning shows; else None."""
        return self._countdown

    def timeout_s(self, elder: bool) -> float:
        idle = self._settings()
        return idle.elder_timeout_s if elder else idle.timeout_s

    def restart(self, now: float) -> None:
        """A touch or a new step: the count starts again and a showing countdown is withdrawn."""
        self._last_touch = now
        if self._paused_at is not None:
            self._paused_at = now  # a touch while busy: the count starts again when the kiosk is ready
        self.set_countdown(None)

    def pause(self, now: float) -> None:
        """The kiosk is working (a capture, a card read, a platform answer): the citizen is waiting on it, not
        away. That time is not idle time."""
        if self._paused_at is None:
            self._paused_at = now

    def resume(self, now: float) -> None:
        """Ready again: the count goes on from where it stood when the work began (not from zero, so work that
        repeats by itself cannot keep a session with nobody there alive)."""
        if self._paused_at is not None:
            self._last_touch += max(0.0, now - self._paused_at)
            self._paused_at = None

    def set_countdown(self, value: int | None) -> None:
        if value != self._countdown:
            self._countdown = value
            self._announce(value)

    def verdict(self, now: float, *, personal: bool, elder: bool, reading: bool = False) -> IdleVerdict:
        """At a tick: wait (showing the countdown in its last ``warning_s``), or time out. ``reading``: a step
        with no personal data that a citizen reads (the catalogue, a guide): counted down as a personal one, and
        its end is the attract loop."""
        idle = now - self._last_touch
        if not personal and not reading:
            return IdleVerdict.ATTRACT if idle >= self._settings().attract_after_s else IdleVerdict.WAIT
        left = self.timeout_s(elder) - idle
        if left <= 0:
            return IdleVerdict.TIMEOUT if personal else IdleVerdict.ATTRACT
        if left <= self._settings().warning_s:
            self.set_countdown(int(left + 0.999))
        return IdleVerdict.WAIT
