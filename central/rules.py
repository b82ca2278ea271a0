"""秒批: an item's rules evaluated at once on shared data, the form and the applicant.

All must hold to approve. Before the rules, the credit gate (``instant_approval.credit_gate``, on by default)
sends an applicant whose ``shared.credit.blacklisted`` is true *or missing* to manual review. Checks the
platform makes itself (an e-licence it cannot find, a fee it cannot reconcile) come in as ``checks``. A case
that fails anything goes to manual review with every reason; 秒批 never refuses.

A rule never approves on missing data, and never gives its own reason for it: a rule whose value is absent
(no shared record, an empty form field) fails with the true reason "no data" (``missing_reason``), not with
the reason written for a value that breaks the rule ("已享受满2年生活补贴" when nothing is known). Only an
``exists`` rule, which is about presence, keeps its own reason. An item with ``face_check`` never passes
on the card alone (``checks`` carries that reason, see central/validation.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from kiosk.platform.catalog_schema import Item, Rule
from kiosk.platform.schema import Decision, Manifest, Reason


def _value(field: str, m: Manifest, shared: dict[str, Any], today: dt.date) -> Any:
    scope, _, key = field.partition(".")
    if scope == "form":
        return m.form.get(key)
    if scope == "card" and m.applicant is not None:
        if key == "age" and m.applicant.birth_date:
            b = dt.date.fromisoformat(m.applicant.birth_date)
            return today.year - b.year - ((today.month, today.day) < (b.month, b.day))
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


FIELD_NAMES = {"form": ("表单栏目", "form field"), "shared": ("共享数据", "shared record"),
               "card": ("身份证信息", "ID card data")}


def missing_reason(item: Item, field: str, names: Mapping[str, tuple[str, str]] | None = None) -> Reason:
    """The reason a rule cannot be checked. The data is named as a citizen reads it: a form field by its label,
    a shared record by its name in the vocabulary (``names``: key -> (zh, en), ``Sharing.names``); the result
    screen showed "缺少共享数据“education.years_since_graduation”" before."""
    scope, _, key = field.partition(".")
    zh, en = FIELD_NAMES.get(scope, ("数据", "data"))
    label = item.field(key) if scope == "form" else None
    name_zh, name_en = (label.label.zh, label.label.en) if label else (names or {}).get(key, (key, key))
    return Reason(zh=f"缺少{zh}“{name_zh}”，无法自动核验，转人工审核",
                  en=f"No {en} '{name_en}' to check automatically: sent to manual review")


def credit_ok(shared: dict[str, Any]) -> bool:
    value = shared.get("credit.blacklisted")
    return value is False or str(value).lower() in ("false", "0", "no")


def decide(item: Item, m: Manifest, shared: dict[str, Any] | None = None,
           checks: list[Reason] | None = None, names: Mapping[str, tuple[str, str]] | None = None,
           today: dt.date | None = None) -> Decision:
    """The decision on a submission. ``checks``: reasons the platform found by itself (payment, licences);
    ``names``: how a reason names a shared record (``Sharing.names``); ``today``: the platform's date (its clock,
    CST), which an age on the card is counted to; the host's local date when not given."""
    today = today or dt.date.today()
    checks = list(checks or [])
    if not item.instant_approval.enabled:
        return Decision(instant=False, approved=None, reasons=checks)
    shared = shared or {}
    reasons: list[Reason] = []
    if item.instant_approval.credit_gate and not credit_ok(shared):
        reasons.append(CREDIT_GATE)
    for r in item.instant_approval.rules:
        value = _value(r.field, m, shared, today)
        if value in (None, "") and r.op != "exists":
            reasons.append(missing_reason(item, r.field, names))
        elif not holds(r, value):
            reasons.append(Reason(zh=r.reason.zh, en=r.reason.en))
    reasons += checks
    if reasons:
        return Decision(instant=True, approved=False, reasons=reasons)
    return Decision(instant=True, approved=True)
