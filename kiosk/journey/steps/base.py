"""A step of the journey: its screen's state comes and goes with ``enter``/``leave``; its actions are its
own methods, called by the machine with the context. A step never imports the machine or another step."""
from __future__ import annotations

from typing import ClassVar

from devices.base import DeviceEvent

from ..plan import Step
from ..ports import Context


class StepHandler:
    step: ClassVar[Step]
    watches: ClassVar[tuple[str, ...]] = ()  # devices whose faults this screen shows (the machine does that)

    @property
    def owner(self) -> str:
        """The owner of the notices this step sets (only it, or leaving the screen, clears them)."""
        return self.step.value

    def enter(self, ctx: Context) -> None:
        """The screen is about to show: prepare its state (runs before the screen hears of the step)."""

    def leave(self, ctx: Context) -> None:
        """The screen goes: release what ``enter`` took (device arming, threads)."""

    def tick(self, ctx: Context, now: float) -> bool:
        """A few times a second while the step shows; True when it acted (the idle check is skipped)."""
        return False

    def session_ending(self, ctx: Context) -> None:
        """The citizen's session is about to be wiped (its data still there): settle what must not be lost."""

    def refuses_back(self, ctx: Context) -> bool:
        """返回 on this step: True when the step refuses it (and says why)."""
        return False

    def session_ended(self) -> None:
        """The citizen's session was wiped: drop anything of theirs the step keeps outside the session."""

    def link_changed(self, ctx: Context) -> None:
        """The platform's reachability changed while this step shows (any thread)."""

    def on_device_event(self, ctx: Context, event: DeviceEvent) -> None:
        """A device event while this step shows (device threads)."""
