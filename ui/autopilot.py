"""The scripted citizen: taps through the real UI, item after item, for showrooms, tests and reviewers.

Each journey is a generator that acts on the UI (taps, typing, the simulator panel's knobs for what a
citizen does with their hands: placing the card, laying a page) and yields conditions to wait for; a Qt
timer resumes it when the condition holds. A condition that does not hold within ``step_timeout_s`` fails
the journey. One JSON line per finished journey goes to stdout.

``abandon_at``: the citizen walks away at that step (issue 15; ``autopilot_walkaway``): the journey ends by idle timeout (the command
shortens the timeouts), and the line says what became of the money (``"payment"``: none | cancelled |
refunded | submitted, from the platform's own order). At the payment step the citizen's phone pays just after
the kiosk gave up: that late payment must come back (refunded). A utility bill's line also says what the
biller's ledger holds (``"bill"``: open | paid, with the settling ``"transaction_id"``): walked away before
paying or at the payment step, the bill is still open (a late payment is refunded, it settles nothing);
after paying, ``"payment": "settled"`` and the bill is paid, by this journey's order.

``network_back`` (``kiosk autopilot --offline``): the platform is unreachable during the run. An item that
needs it is refused at its guide, before any work (the line says ``"refused_at": "guide"`` and why); a
queueable one completes with the offline receipt, whose promises are checked: the local number printed, "sent
when the network is back", no SMS promised. At the end the network comes back (``network_back()``), the outbox
delivers, and each local number is looked up in 进度查询 with the applicant's card, as the receipt says.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from PySide6.QtCore import QTimer

from devices import sim
from devices.idcard.synthetic import IDENTITIES

from . import layout_check
from .autopilot_documents import a4_mark, add_result_print, documents
from .autopilot_face import FaceCitizen
from .autopilot_materials import JourneyFailed, MaterialsCitizen
from .autopilot_driver import UiDriver, prop
from .autopilot_mine import MineCitizen
from .autopilot_offline import OfflineCitizen
from .autopilot_walkaway import WalkAwayCitizen

log = logging.getLogger(__name__)

Cond = Callable[[], bool]

SAMPLES = {"phone": "13800138000", "number": "2", "text": "示例", "textarea": "示例说明", "id_number": None,
           "date": None}


class Autopilot(MaterialsCitizen, OfflineCitizen, WalkAwayCitizen, MineCitizen, FaceCitizen):
    step_timeout_s = 45.0

    def __init__(self, app: Any, codes: list[str], *, journeys: int, screenshots: Path | None,
                 identity: str = "graduate", out=sys.stdout, abandon_at: list[str] | None = None,
                 network_back: Callable[[], None] | None = None, mine: bool = False) -> None:
        self.app = app
        self.vm = app.vm
        self.ui = UiDriver(app.window, activity=app.vm.touch)  # its swipes keep the session alive, as a finger
        self.codes = codes
        self.journeys = journeys  # 0: forever (showroom)
        self.screenshots = screenshots
        self.identity = identity
        self.abandon_at = abandon_at or []  # journey n walks away at abandon_at[n % len] (none: completes)
        self.network_back = network_back  # offline run: brings the platform back once every journey is done
        self.offline_receipts: list[tuple[str, str, str]] = []  # (item, application id, local number) to look up
        self.mine_after = mine  # --mine: 我的办件 once every journey is done (``autopilot_mine``)
        self.submitted: list[str] = []  # the platform references this run's journeys got
        self.out = out
        self.failures = 0
        self.check_layout = True
        self.layout_problems: list[str] = []  # this journey's, from ui.layout_check (a journey with any fails)
        self.manual_captures = 0  # pages the scripted citizen had to capture by hand (auto-capture did not fire)
        self.hand_captures: list[dict] = []  # for each: the material and what the live preview said then
        self.relaid: list[str] = []  # pages laid again because the screen said what was wrong (the problem)
        self.done = 0
        self._gen: Iterator[Cond] | None = None
        self._cond: Cond | None = None
        self._deadline = 0.0
        self._shot_steps: set[str] = set()
        self._working = False
        self._timer = QTimer()
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._tick)
        # The outcome is read the moment the result (or the receipt) shows: the scripted citizen may look
        # later than the result's countdown (a layout check or a screenshot under load), and then saw neither.
        self.vm.stepChanged.connect(self._note_outcome)
        self._urls = {n: getattr(app.runtime.settings.devices, n).url for n in ("idcard", "printer", "camera", "a4")}

    # ----- scheduling ---------------------------------------------------------------------------
    def start(self) -> None:
        # The first journey begins inside the event loop: a journey that fails at once must be able to quit it.
        QTimer.singleShot(0, self._next_journey)
        self._timer.start()

    def _next_journey(self) -> None:
        if self.journeys and self.done >= self.journeys * len(self.codes):
            if self.network_back is not None:  # offline run: the receipts' promises once the network is back
                back, self.network_back = self.network_back, None
                self._code = "network_back"
                self._gen = self._after_network_back(back)
                self._advance()
                return
            if self.mine_after:  # 我的办件: the run's applications, listed at the kiosk with the card
                self.mine_after = False
                self._code = "mine"
                self._gen = self._mine_visit()
                self._advance()
                return
            self._timer.stop()
            self._summary()
            self.app.quit()
            return
        code = self.codes[self.done % len(self.codes)]
        self._journey_no = self.done + 1
        self._shot_steps = set()
        self.layout_problems = []
        self._gen = self._journey(code)
        self._advance()

    def _summary(self) -> None:
        """The run's totals, on stderr (stdout holds one JSON line per journey, which tools count)."""
        print(json.dumps({"summary": {"journeys": self.done, "failures": self.failures,
                                      "pages_captured_by_hand": self.manual_captures,
                                      "pages_laid_again": len(self.relaid)}}, ensure_ascii=False),
              file=sys.stderr, flush=True)

    def _advance(self) -> None:
        assert self._gen is not None
        self._working = True
        try:
            self._cond = next(self._gen)
            self._deadline = time.monotonic() + self.step_timeout_s
        except StopIteration:
            self._cond = None
            self.done += 1
            self._working = False
            self._next_journey()
        except JourneyFailed as exc:
            self._fail(str(exc))
        except Exception as exc:  # a bug in a script step fails the journey; it must not hang the autopilot
            log.exception("autopilot step failed")
            self._fail(f"{type(exc).__name__}: {exc}")
        finally:
            self._working = False

    def _tick(self) -> None:
        # (the layout check waits for a screen to settle, and a tap for its control to come into the window,
        # in a nested event loop: the citizen's next move waits for them, never runs inside them)
        if self._cond is None or self._working:
            return
        try:
            self._snapshot()
            ready = self._cond()
        except Exception as exc:  # a broken condition is a failed journey, not a hung autopilot
            ready = False
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        if ready:
            self._advance()
        elif time.monotonic() > self._deadline:
            self._fail(f"timed out on step {self.vm.step!r} (busy: {self.vm.busy}, "
                       f"notice: {self.vm.notice.get('text', '')})")

    def _fail(self, why: str) -> None:
        self.failures += 1
        line = {"item": self._code, "error": why, "step": self.vm.step}
        if self.layout_problems:  # each took the settle time, in which the kiosk's own timers ran on: say them
            line["layout_problems"] = self.layout_problems
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)
        self.app.runtime.journey.end_session()
        self.done += 1
        self._cond = None
        self._next_journey()

    # ----- looking ------------------------------------------------------------------------------
    def _snapshot(self) -> None:
        """Once per screen, when its page has loaded and a frame has rendered: the layout is checked as a
        citizen would see it (``ui.layout_check``: controls reachable, no text cut, QR codes that decode
        from the pixels), and a PNG is saved when screenshots are asked for."""
        step = self.vm.step
        # The materials screen once more while a page is held steady: the outline on the live preview.
        live = "-live" if step == "materials" and self.vm.live.get("state") == "steadying" else ""
        page = None
        if step == "mine":  # the card, the list and a detail: one step's three screens (``autopilot_mine``),
            # named by what the screen shows, not by the worker's session (ahead of the screen: a check of the
            # "detail" ran on the list still shown, and the detail itself was never checked)
            page = self.ui.find("page")
            item = prop(page, "item") if page is not None else None
            live = f"-{prop(item, 'state_') or ''}" if item is not None else ""
        key = f"{step}-{self.vm.notice.get('code', '')}{live}"
        if key in self._shot_steps:
            return
        if page is None:
            page = self.ui.find("page")
        if page is None or prop(page, "item") is None:  # the step's screen has not loaded yet
            return
        if self.vm.busy and step != "submit":  # the screen is still waiting for its data (e.g. a payment code)
            return
        paper = self.ui.find("receipt.image")
        if paper is not None and prop(paper, "drawing"):  # the paper's picture is still being drawn
            return
        self._shot_steps.add(key)
        if self.check_layout:
            self._working = True
            try:
                found = layout_check.settled_problems(self.ui)
            finally:
                self._working = False
            if found:
                self.layout_problems.extend(f"{step}: {p}" for p in found)
        if self.screenshots is None:
            return
        self.screenshots.mkdir(parents=True, exist_ok=True)
        n = len(self._shot_steps)
        # A showroom loop (journeys=0) overwrites one set per item instead of filling the disk.
        prefix = f"{self._journey_no:02d}-" if self.journeys else ""
        name = f"{prefix}{self._code}-{n:02d}-{step}{live}.png"
        self.ui.grab().save(str(self.screenshots / name))

    # ----- the citizen --------------------------------------------------------------------------
    def _hw(self, name: str):
        """The simulated device the scripted citizen handles, or None when the kiosk has a real one there
        (e.g. a SANE scanner: its pages come from the scanner itself)."""
        url = self._urls.get(name) or ""
        return sim.get_hardware(url) if url.startswith("sim://") else None

    def _at(self, step: str) -> Cond:
        return lambda: self.vm.step == step and not self.vm.busy and self.ui.find("page") is not None

    @staticmethod
    def _settle(seconds: float) -> Cond:
        """Let the screen finish reacting to the last input, as a person's next tap comes a moment later."""
        until = time.monotonic() + seconds
        return lambda: time.monotonic() >= until

    def _reached(self, step: str, plan: list[str]) -> Cond:
        def cond() -> bool:
            now = self.vm.step
            return now in plan and plan.index(now) >= plan.index(step) and not self.vm.busy \
                and self.ui.find("page") is not None
        return cond

    def _journey(self, code: str) -> Iterator[Cond]:
        self._code = code
        started = time.monotonic()
        taps0 = self.ui.taps
        manual0, relaid0 = self.manual_captures, len(self.relaid)
        vm = self.vm
        journey = self.app.runtime.journey
        printer = self._hw("printer")
        printed_before = len(printer.receipts)
        a4 = self._hw("a4")
        a4_before = a4_mark(a4)
        self._confirmed_at = self._result_at = None
        self._outcome = {}  # (no earlier journey's outcome taken for this one's)
        self._hw("idcard").remove_card()
        if (camera := self._hw("camera")) is not None:
            camera.remove_page()
        if vm.step != "attract":
            journey.end_session()
        yield self._at("attract")
        yield lambda: True  # one frame for the screenshot
        item = self.app.runtime.catalog.get(code)
        if item is not None and item.kind == "bill_payment":
            self.ui.tap("attract.start")
            yield self._at("home")
            self.ui.tap("home.bills")
        else:
            self.ui.tap("attract.services")  # 我要办事 on the attract loop: straight to the services (issue 17)
        yield self._at("catalog")
        self.ui.tap(self.ui.scroll_to(f"catalog.item.{code}", "catalog.list"))
        yield self._at("guide")
        plan = list(vm.steps)
        app_id = journey.session.application_id
        self._bill = None
        self._bill_account = ""
        if item is not None and item.kind == "bill_payment" and self.abandon_at:
            field = item.field("account_no")  # a walk-away before the form still names the bill it left open
            self._bill_account = self._bill_account_for(field.example if field is not None else "")
        abandon = self.abandon_at[(self._journey_no - 1) % len(self.abandon_at)] if self.abandon_at else None
        if abandon and abandon not in plan:
            print(json.dumps({"item": code, "abandoned_at": abandon, "skipped": "not a step of this item"},
                             ensure_ascii=False), file=self.out, flush=True)
            journey.end_session()
            return
        if abandon == "guide":
            yield from self._walk_away(code, "guide", app_id, started)
            return
        if vm.guide.get("available") is False:  # offline and the item needs the platform: said before any work
            yield from self._refused_at_guide(code, started, taps0)
            return
        self.ui.tap("guide.start")
        for step in plan[1:]:
            if self._bill is not None and self._bill["status"] == "already_paid":
                break  # the kiosk said the bill is settled and took no money: the citizen went home
            yield self._reached(step, plan)
            if vm.step != step:  # a step with nothing to do (submit) may be over before we look
                continue
            yield lambda: True
            if step == abandon:
                yield from self._walk_away(code, step, app_id, started)
                return
            yield from getattr(self, f"_do_{step}", self._do_nothing)()
            if self.face_referred is not None:  # sent to a counter at the face step: no application
                self._face_referral_line(code, app_id, started)
                return
        yield lambda: vm.step in ("attract", "home")
        receipts = printer.receipts[printed_before:]
        outcome = self._outcome
        payloads = [p.decode("utf-8", "replace") for r in receipts for p in r.qr_payloads]
        # The platform's number is printed on the receipt; its QR carries the tracking token (or the number
        # from a platform that gives no tokens).
        printed = bool(receipts) and (not outcome["reference"] or any(outcome["reference"] in r.text for r in receipts)
                                      and bool(payloads))
        if self._bill is not None:
            self._bill_line(code, receipts, time.monotonic() - started, self.ui.taps - taps0)
            return
        line = {"item": code, "application_id": app_id, "platform_ref": outcome["reference"] or None,
                "local_number": outcome["localNumber"], "status": outcome["status"],
                "receipt_printed": printed, "documents": documents(receipts, a4, a4_before),
                "taps": self.ui.taps - taps0,
                "tapped": self.ui.tapped[len(self.ui.tapped) - (self.ui.taps - taps0):],
                "seconds": round(time.monotonic() - started, 2), "screen": self.app.screen.describe()}
        self._face_into(line)
        if outcome["reference"]:
            self.submitted.append(outcome["reference"])
        submit_s = self._result_at - self._confirmed_at if self._confirmed_at and self._result_at else None
        self.failures += add_result_print(line, outcome.get("result") or {}, submit_s)  # 秒批: the A4 document
        line["pages_captured_by_hand"] = self.manual_captures - manual0  # 0 too: the run's figure is their sum
        if self.manual_captures > manual0:
            line["hand_captures"] = self.hand_captures[manual0:]
        if len(self.relaid) > relaid0:
            line["pages_laid_again"] = self.relaid[relaid0:]
        if printed and not outcome["reference"]:  # the offline receipt: it promises only what happens
            self._check_offline_receipt(line, code, app_id, outcome["localNumber"], receipts)
        if not printed:
            self.failures += 1
            line["error"] = "no receipt came out of the simulated printer"
        if self.layout_problems:
            self.failures += 0 if not printed else 1
            line["layout_problems"] = self.layout_problems
            line.setdefault("error", f"{len(self.layout_problems)} layout problem(s) a citizen would meet")
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)

    def _do_nothing(self) -> Iterator[Cond]:
        yield lambda: True

    def _do_identify(self) -> Iterator[Cond]:
        self._hw("idcard").place_card(self.identity)  # the citizen lays the card on the reader
        yield lambda: self.vm.step != "identify"
        self._hw("idcard").remove_card()

    def _do_form(self) -> Iterator[Cond]:
        card = IDENTITIES[self.identity]
        for f in self.vm.formFields:
            if not f["editable"] or f["value"]:
                continue
            yield self._settle(0.15)  # the keyboard opened by the last field moves the layout (form.qml scrolls)
            if f["type"] == "choice":
                self.ui.tap(f"form.choice.{f['name']}.{f['choices'][0]['value']}")
                continue
            if f["type"] == "bool":
                if f["required"]:
                    self.ui.tap(f"form.check.{f['name']}")  # read the declaration, tick it
                continue
            if not f["required"]:
                continue
            value = f["example"] or SAMPLES.get(f["type"]) or (card.id_number if f["type"] == "id_number" else
                                               dt.date.today().isoformat() if f["type"] == "date" else "示例")
            if f["name"] == "account_no" and self.abandon_at:
                value = self._bill_account = self._bill_account_for(value)
            if not prop(self.ui.get(f"form.field.{f['name']}"), "activeFocus"):  # the form may have put it there
                self.ui.tap(f"form.field.{f['name']}")
            yield lambda: True
            self.ui.type_text(value)
        yield lambda: True
        self.ui.tap("form.next")
        yield lambda: self.vm.step != "form" or bool(self.vm.notice)
        if self.vm.step == "form":
            raise JourneyFailed(f"form refused: {self.vm.notice.get('text')}")

    def _do_sign(self) -> Iterator[Cond]:
        pts = [(0.2 + 0.05 * i, 0.5 + (0.15 if i % 2 else -0.15)) for i in range(12)]
        self.ui.drag("sign.pad", pts)
        yield lambda: True
        self.ui.tap("sign.done")
        yield lambda: self.vm.step != "sign"

    def _do_delivery(self) -> Iterator[Cond]:
        methods = [m["value"] for m in self.vm.delivery.get("methods", [])]
        if "express" in methods:
            # Recipient, phone and address come prefilled from the card and the form: check, then go on.
            self.ui.tap("delivery.method.express")
            yield lambda: self.ui.find("delivery.recipient") is not None
            d = self.vm.delivery
            if not d.get("complete"):  # the picker starts at the kiosk's city: the district is the citizen's
                self.ui.tap("delivery.region.440305")
            for name, key, value in (("delivery.recipient", "recipient", "李小明"),
                                     ("delivery.phone", "phone", "13800138000"),
                                     ("delivery.address", "address", "科技园南区示例路88号")):
                if not self.vm.delivery.get(key):
                    yield self._settle(0.15)
                    if not prop(self.ui.get(name), "activeFocus"):  # the picked district puts the cursor there
                        self.ui.tap(name)
                    yield lambda: True
                    self.ui.type_text(value)
        self.ui.tap("delivery.next")
        yield lambda: self.vm.step != "delivery" or bool(self.vm.notice)
        if self.vm.step == "delivery":
            raise JourneyFailed(f"delivery refused: {self.vm.notice.get('text')}")

    def _do_payment(self) -> Iterator[Cond]:
        yield lambda: self.vm.payment.get("status") == "pending" or self.vm.step != "payment" \
            or bool(self.vm.notice)
        if self.vm.payment.get("isBill"):
            self._bill = {"status": self.vm.payment.get("status")}
            if self._bill["status"] == "already_paid":  # told before any QR code: no money, back home
                # The status is read from the worker's session at once; 返回首页 shows only once the changed
                # signal reached the GUI thread (tapped before: NotFound payment.home). Also the screenshot's frame.
                yield lambda: self.ui.find("payment.home") is not None
                self.ui.tap("payment.home")
                yield lambda: self.vm.step in ("home", "attract")
                return
        if self.vm.step == "payment" and self.vm.payment.get("status") != "pending":
            raise JourneyFailed(f"no payment code: {self.vm.notice.get('text')}")
        yield self._settle(0.3)  # the citizen looks at the amount, takes out the phone
        self.app.sim.payWithPhone()  # ... and pays: the phone, not a tap on the kiosk
        yield lambda: self.vm.step != "payment"
        if self._bill is not None:
            self._bill = {"status": self.vm.payment.get("status"), "transaction_id": self.vm.payment.get("transactionId")}

    def _bill_line(self, code: str, receipts: list, seconds: float, taps: int) -> None:
        """A bill's line: paid (with the transaction number printed on the slip) or already_paid (no money
        taken, no slip)."""
        bill = self._bill or {}
        txn = bill.get("transaction_id") or None
        line: dict[str, Any] = {"item": code, "status": bill.get("status"), "transaction_id": txn,
                                "receipt_printed": bool(txn) and any(txn in r.text for r in receipts),
                                "taps": taps, "seconds": round(seconds, 2)}
        if bill.get("status") == "paid" and not line["receipt_printed"]:
            self.failures += 1
            line["error"] = "no payment slip with the transaction number came out of the simulated printer"
        elif bill.get("status") == "already_paid" and receipts:
            self.failures += 1
            line["error"] = "a slip was printed for a bill that was not paid here"
        elif bill.get("status") not in ("paid", "already_paid"):
            self.failures += 1
            line["error"] = f"the bill ended {bill.get('status')}"
        if self.layout_problems:
            self.failures += 0 if "error" in line else 1
            line["layout_problems"] = self.layout_problems
            line.setdefault("error", f"{len(self.layout_problems)} layout problem(s) a citizen would meet")
        print(json.dumps(line, ensure_ascii=False), file=self.out, flush=True)

    def _do_review(self) -> Iterator[Cond]:
        self._confirmed_at = time.monotonic()  # the submission starts (a fee's payment comes first, though)
        self.ui.tap("review.confirm")
        yield lambda: self.vm.step != "review"

    # From the result on nothing needs a tap (issue 17): the receipt prints by itself after the result's
    # countdown, the printed receipt goes on to the goodbye, the goodbye returns by itself; the rating is
    # optional and the scripted citizen skips it.
    def _do_result(self) -> Iterator[Cond]:
        self._result_at = time.monotonic()
        self._outcome = dict(self.vm.outcome)
        yield lambda: self.vm.step != "result"

    def _do_receipt(self) -> Iterator[Cond]:
        yield lambda: not self.vm.busy and (self.vm.outcome.get("printed") or self.vm.outcome.get("printError"))
        # A 秒批 result document on the A4 printer: the screen stays until it is out (or failed)
        yield lambda: (self.vm.outcome.get("result") or {}).get("state") not in ("fetching", "printing")
        # The result may have moved on by itself before the scripted citizen looked: the outcome is read here too.
        self._outcome = dict(self.vm.outcome)
        if self.vm.outcome.get("printError") and not self.vm.outcome.get("printed"):
            self.ui.tap("receipt.done")  # not printed: the screen waits for the citizen (retry or 完成)
        yield lambda: self.vm.step != "receipt"

    def _note_outcome(self) -> None:
        if self.vm.step in ("result", "receipt"):
            self._outcome = dict(self.vm.outcome)

    def _do_end(self) -> Iterator[Cond]:
        yield lambda: self.vm.step != "end"

    _outcome: dict[str, Any] = {}
    _bill: dict[str, Any] | None = None  # a bill journey: its status and transaction number
    _bill_account = ""  # a walk-away run's bill journey: the account it pays (or would have)
    _code = ""
    _confirmed_at: float | None = None  # 确认提交 tapped (monotonic)
    _result_at: float | None = None  # the result screen seen: the platform answered (decided, result issued)
    _journey_no = 0
