"""One-click situations for the demo panel: each scenario is a function of the panel's knobs.

A scenario first puts everything back to healthy (``Knobs.reset``), then turns the knobs it needs, so the
order a tester clicks them in does not matter. ``Knobs`` is the panel model (ui.demo.sim_panel).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol


class Knobs(Protocol):
    def reset(self) -> None: ...
    def fault(self, name: str) -> None: ...
    def setPlatform(self, mode: str) -> None: ...
    def platform_at_step(self, step: str, mode: str) -> None: ...
    def placeCard(self, key: str) -> None: ...
    def mark_bill_paid(self, utility: str) -> None: ...
    def payments_expire(self) -> None: ...


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str  # shown on the panel: Chinese, then English
    setup: Callable[[Knobs], None]
    detail: str = ""  # what the tester does next, under the label
    needs_platform: bool = False  # sets up the embedded platform itself (central.demo_levers): not shown without


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("healthy", "一切正常 All healthy", lambda k: None),
    Scenario("paper_out", "打印机缺纸 Paper runs out", lambda k: k.fault("paper_out")),
    Scenario("platform_offline", "平台断网 Platform offline", lambda k: k.setPlatform("offline")),
    Scenario("offline_at_submit", "提交时平台断网 Platform goes offline during submit",
             lambda k: k.platform_at_step("submit", "offline")),
    Scenario("platform_errors", "平台返回错误 Platform returns errors", lambda k: k.setPlatform("errors")),
    Scenario("card_unreadable", "身份证读不出 Card unreadable",
             lambda k: (k.placeCard("graduate"), k.fault("card_unreadable"))),
    Scenario("elder", "长辈办事 An elder at the kiosk", lambda k: k.placeCard("elder")),
    Scenario("bill_paid", "账单已缴 Bill already paid", lambda k: k.mark_bill_paid("electricity"),
             detail="扫电费账单, 下一步: 已缴清 (scan the bill, next: paid)", needs_platform=True),
    Scenario("payment_expires", "支付超时 Payment expires", lambda k: k.payments_expire(),
             detail="新付款码很快过期 (a new QR soon expires)", needs_platform=True),
)

BY_KEY = {s.key: s for s in SCENARIOS}


def run(key: str, knobs: Knobs) -> None:
    scenario = BY_KEY[key]
    knobs.reset()
    scenario.setup(knobs)
