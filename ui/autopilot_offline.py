"""The scripted citizen's part in an offline run (``kiosk autopilot --offline``, issue 15 item 3): an item
that needs the platform is refused at its guide before any work; the offline receipt promises only what
happens; once the network is back, 进度查询 finds each application by its local number with the card.

A mixin of ``ui.autopilot.Autopilot``: it uses the autopilot's UI driver, view-model, runtime and output.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator

from kiosk.journey.plan import Step

from .autopilot_driver import prop

Cond = Callable[[], bool]


class OfflineCitizen:
    # provided by ui.autopilot.Autopilot
    app: Any
    vm: Any
    ui: Any
    out: Any
    identity: str
    failures: int
    layout_problems: list[str]
    offline_receipts: list[tuple[str, str, str]]
    _hw: Callable[[str], Any]  # the simulated device the citizen handles
    _at: Callable[[str], Cond]  # the screen of that step shows and is idle

    def _check_offline_receipt(self, line: dict[str, Any], code: str, app_id: str, local: str,
                               receipts: list) -> None:
        """The offline receipt promises only what happens: the local number printed, "sent when the network
        is back", no SMS. Kept promises queue the local number for the look-up once the network is back."""
        text = "".join(r.text for r in receipts)
        broken = [p for p, ok in (("the local number", local in text.replace("\n", "")),
                                  ("sent when the network is back", "联网后将自动提交" in text),
                                  ("no SMS promised", "短信" not in text)) if not ok]
        line["offline_receipt"] = "kept" if not broken else f"broken: {', '.join(broken)}"
        if broken:
            self.failures += 1
            line["error"] = f"the offline receipt does not keep its promises: {', '.join(broken)}"
        else:
            self.offline_receipts.append((code, app_id, local))

    def _refused_at_guide(self, code: str, started: float, taps0: int) -> Iterator[Cond]:
        """Offline, an item that needs the platform: the guide says why and 开始办理 is greyed out; the citizen
        reads it and goes home, nothing done in vain (no card read, no form)."""
        start = self.ui.find("guide.start")
        said = self.vm.guide.get("blockedNotice", "")
        line: dict[str, Any] = {"item": code, "refused_at": "guide", "reason": said,
                                "start_enabled": bool(start is not None and prop(start, "enabled")),
                                "taps": self.ui.taps - taps0, "seconds": round(time.monotonic() - started, 2)}
        if line["start_enabled"] or not said:
            self.failures += 1
            line["error"] = "the guide of an item that needs the platform offered 开始办理 while offline"
        if self.layout_problems:
            self.failures += 1
            line["layout_problems"] = self.layout_problems
            line.setdefault("error", f"{len(self.layout_problems)} layout problem(s) a citizen would meet")
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)
        self.ui.tap("header.home")
        yield lambda: self.vm.step in ("home", "attract")

    def _after_network_back(self, back: Callable[[], None]) -> Iterator[Cond]:
        """The offline receipts' last promise: once the network is back the applications go out by themselves,
        and 进度查询 finds each by its local number together with the applicant's card."""
        journey, outbox = self.app.runtime.journey, self.app.runtime.outbox
        back()
        for code, app_id, local in self.offline_receipts:
            yield lambda a=app_id: outbox.get(a) is not None and bool(outbox.get(a).reference)
            if self.vm.step != "home":
                journey.end_session(Step.HOME)
            yield self._at("home")
            self.ui.tap("home.status")
            yield self._at("status")
            self._hw("idcard").place_card(self.identity)  # the applicant's card opens their applications
            yield lambda: bool(journey.session.citizen_session)
            self.ui.tap("status.input")
            yield lambda: True
            self.ui.type_text(local)
            self.ui.tap("status.query")
            yield lambda: bool(self.vm.statusResult.get("reference")) or bool(self.vm.notice)
            found = self.vm.statusResult.get("reference", "")
            line = {"item": code, "local_number": local, "looked_up_after_network_back": bool(found),
                    "platform_ref": found or None, "status": self.vm.statusResult.get("status")}
            if found != outbox.get(app_id).reference:
                self.failures += 1
                line["error"] = f"进度查询 did not find the local number: {self.vm.notice.get('text', '')}"
            print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)
            self._hw("idcard").remove_card()
            journey.end_session()
            yield self._at("attract")
