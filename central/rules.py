"""秒批: an item's rules evaluated at once on shared data, the form and the applicant.

All must hold to approve. Before the rules, the credit gate (``instant_approval.credit_gate``, on by default)
sends an applicant whose ``shared.credit.blacklisted`` is true *or missing* to manual review. Checks the
platform makes itself (an e-licence it cannot find, a fee it cannot reconcile) come in as ``checks``. A case
that fails anything goes to manual review with every reason; 秒批 never refuses.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.platform.catalog_schema import Item, Rule
from kiosk.platform.schema import Decision, Manifest, Reason


def _value(field: str, m: Manifest, shared: dict[str, Any]) -> Any:
    scope, _, key = field.partition(".")
    if scope == "form":
        return m.form.get(key)
    if scope == "card" and m.applicant is not None:
        if key == "age" and m.applicant.birth_date:
            b = dt.date.fromisoformat(m.applicant.birth_date)
            t = dt.date.today()
            return t.year - b.year - ((t.month, t.day) < (b.month, b.day))
        return getattr(m.applicant, key, None)
    if scope == "shared":
        return shared.get(key)
    return None


def holds(rule: Rule, value: Any) -> bool:
    op, want = rule.op, rule.value
    if op == "exists":
        return value not in (None, "")
    if op == "true":
        return value is True or str(value).lower() in ("true", "1", "yes")
    if op == "false":
        return value is False or str(value).lower() in ("false", "0", "no")
    if value is None:
        return False
    if op == "eq":
        return str(value) == str(want)
    if op == "ne":
        return str(value) != str(want)
    if op == "in":
        return str(value) in [str(w) for w in (want or [])]  # type: ignore[union-attr]
    if op == "not_in":
        return str(value) not in [str(w) for w in (want or [])]  # type: ignore[union-attr]
    try:
        if op == "gte":
            return float(value) >= float(want)  # type: ignore[arg-type]
        if op == "lte":
            return float(value) <= float(want)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return False


CREDIT_GATE = Reason(zh="信用核查未通过或无信用记录，转人工审核",
                     en="Credit check not passed or no credit record: sent to manual review")


def credit_ok(shared: dict[str, Any]) -> bool:
    value = shared.get("credit.blacklisted")
    return value is False or str(value).lower() in ("false", "0", "no")


def decide(item: Item, m: Manifest, shared: dict[str, Any] | None = None,
           checks: list[Reason] | None = None) -> Decision:
    """The decision on a submission. ``checks``: reasons the platform found by itself (payment, licences)."""
    checks = list(checks or [])
    if not item.instant_approval.enabled:
        return Decision(instant=False, approved=None, reasons=checks)
    shared = shared or {}
    reasons: list[Reason] = []
    if item.instant_approval.credit_gate and not credit_ok(shared):
        reasons.append(CREDIT_GATE)
    failed = [r for r in item.instant_approval.rules if not holds(r, _value(r.field, m, shared))]
    reasons += [Reason(zh=r.reason.zh, en=r.reason.en) for r in failed]
    reasons += checks
    if reasons:
        return Decision(instant=True, approved=False, reasons=reasons)
    return Decision(instant=True, approved=True)
