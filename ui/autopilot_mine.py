"""The scripted citizen's last errand in a ``kiosk autopilot --mine`` run (issue 18): after the journeys, the
same citizen taps 我的办件 on the home screen, lays the card, and finds every application the run submitted,
newest first; opens the newest and reads its timeline; goes home (which ends the session). One JSON line:
``{"mine": ..., "listed": [...], "expected": [...], "opened": ..., "timeline": N}``.

A mixin of ``ui.autopilot.Autopilot``: it uses the autopilot's UI driver, view-model, runtime and output.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator

Cond = Callable[[], bool]


class MineCitizen:
    # provided by ui.autopilot.Autopilot
    app: Any
    vm: Any
    ui: Any
    out: Any
    identity: str
    failures: int
    layout_problems: list[str]
    submitted: list[str]  # the platform references of this run's journeys, in order
    _hw: Callable[[str], Any]
    _at: Callable[[str], Cond]

    def _mine_visit(self) -> Iterator[Cond]:
        journey = self.app.runtime.journey
        started, taps0 = time.monotonic(), self.ui.taps
        self.layout_problems = []
        self._hw("idcard").remove_card()
        if self.vm.step != "attract":
            journey.end_session()
        yield self._at("attract")
        self.ui.tap("attract.start")
        yield self._at("home")
        self.ui.tap("home.mine")
        yield self._at("mine")
        yield lambda: True  # one frame for the screenshot of the card prompt
        self._hw("idcard").place_card(self.identity)
        yield lambda: self.vm.mine.get("state") in ("list", "offline", "failed") and not self.vm.busy
        mine = self.vm.mine
        listed = [i["reference"] for i in mine.get("items", [])]
        expected = list(reversed(self.submitted))  # newest first
        line: dict[str, Any] = {"mine": mine.get("state"), "listed": listed, "expected": expected,
                                "statuses": [i["statusText"] for i in mine.get("items", [])]}
        errors = []
        if [r for r in listed if r in expected] != expected:
            errors.append("我的办件 did not list this run's applications, newest first")
        if listed:
            # The journey's list is read from the worker's session at once; the screen shows it only when the
            # changed signal reaches the GUI thread (a CI run tapped before the row existed: NotFound). The row
            # shows a moment before the fetch is over (the list is set, then busy cleared): until the busy veil
            # goes it swallows the tap, and the kiosk ignores a tap while busy (lost: 45 s, then a timeout).
            yield lambda: self.ui.find(f"mine.item.{listed[0]}") is not None and self.ui.find("busy") is None
            self.ui.tap(f"mine.item.{listed[0]}")
            yield lambda: self.vm.mine.get("state") == "detail" and not self.vm.busy or bool(self.vm.notice)
            # the detail on the screen (a frame after the session's state), for its layout check and screenshot
            yield lambda: self.ui.find("mine.detail") is not None or bool(self.vm.notice)
            detail = self.vm.mine.get("detail", {})
            line["opened"] = detail.get("reference")
            line["timeline"] = len(detail.get("timeline", []))
            if detail.get("reference") != listed[0] or not detail.get("timeline"):
                errors.append(f"the newest application did not open with its timeline: {self.vm.notice.get('text', '')}")
            self.ui.tap("header.back")
            yield lambda: self.vm.mine.get("state") == "list"
        self.ui.tap("header.back")  # home: the session ends
        yield self._at("home")
        self._hw("idcard").remove_card()
        if self.vm.mine.get("items"):
            errors.append("the list outlived the session")
        line.update(taps=self.ui.taps - taps0, seconds=round(time.monotonic() - started, 2))
        if self.layout_problems:
            line["layout_problems"] = self.layout_problems
            errors.append(f"{len(self.layout_problems)} layout problem(s) a citizen would meet")
        if errors:
            self.failures += 1
            line["error"] = "; ".join(errors)
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)
