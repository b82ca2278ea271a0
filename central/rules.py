"""秒批: an item's rules evaluated at once on the form and the applicant; all must hold to approve."""
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


def decide(item: Item, m: Manifest, shared: dict[str, Any] | None = None) -> Decision:
    if not item.instant_approval.enabled:
        return Decision(instant=False, approved=None)
    shared = shared or {}
    failed = [r for r in item.instant_approval.rules if not holds(r, _value(r.field, m, shared))]
    if failed:
        return Decision(instant=True, approved=False,
                        reasons=[Reason(zh=r.reason.zh, en=r.reason.en) for r in failed])
    return Decision(instant=True, approved=True)
