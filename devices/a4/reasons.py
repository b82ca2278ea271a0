"""What a CUPS queue's state says: ``printer-state``, ``printer-state-reasons`` and
``printer-is-accepting-jobs`` -> one numbered fault (or none) and the paper and toner supplies.

A reason is a keyword with an optional severity suffix (RFC 8011 5.4.12): ``-report`` (information),
``-warning`` (it still prints) or ``-error`` (it does not); CUPS adds its own (``paused``,
``cups-missing-filter-warning``) and a backend that cannot reach the printer sets ``offline-report``. The
printer's own supply reasons (``toner-low``, ``marker-supply-low``, ``media-low``) become supply levels, not
faults: the kiosk keeps printing and the monitor alerts a technician.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base import Supply
from ..errors import DeviceError, DeviceErrorCode
from .ipp import PrinterState

C = DeviceErrorCode
SUFFIXES = ("-report", "-warning", "-error")

# Faults in order of what the technician fixes first (the first match is the device's error).
FAULTS: tuple[tuple[str, DeviceErrorCode], ...] = (
    ("media-empty", C.A4_PAPER_OUT),
    ("media-needed", C.A4_PAPER_OUT),
    ("input-tray-missing", C.A4_PAPER_OUT),
    ("media-jam", C.A4_JAM),
    ("door-open", C.A4_DOOR_OPEN),
    ("cover-open", C.A4_DOOR_OPEN),
    ("interlock-open", C.A4_DOOR_OPEN),
    ("toner-empty", C.A4_TONER_EMPTY),
    ("marker-supply-empty", C.A4_TONER_EMPTY),
    ("offline", C.A4_OFFLINE),
    ("shutdown", C.A4_OFFLINE),
    ("cups-missing-filter", C.A4_FORMAT),
    ("paused", C.A4_PAUSED),
)
# Reasons that fault the printer whatever their suffix: a printer CUPS cannot reach prints nothing even if
# its backend only "reports" it, and a paused queue prints nothing at all.
ALWAYS_FAULT = frozenset({"offline", "shutdown", "paused", "cups-missing-filter", "media-empty", "media-jam",
                          "toner-empty", "marker-supply-empty", "door-open", "cover-open", "interlock-open",
                          "media-needed"})
SUPPLIES: dict[str, tuple[str, Supply]] = {
    "media-low": ("paper", Supply.LOW),
    "media-empty": ("paper", Supply.OUT),
    "media-needed": ("paper", Supply.OUT),
    "toner-low": ("toner", Supply.LOW),
    "marker-supply-low": ("toner", Supply.LOW),
    "toner-empty": ("toner", Supply.OUT),
    "marker-supply-empty": ("toner", Supply.OUT),
}


def split_reason(reason: str) -> tuple[str, str]:
    """``media-empty-error`` -> (``media-empty``, ``error``); no suffix -> severity ``error`` (RFC 8011)."""
    for suffix in SUFFIXES:
        if reason.endswith(suffix):
            return reason[: -len(suffix)], suffix[1:]
    return reason, "error"


@dataclass(frozen=True)
class Condition:
    """A queue's condition as the kiosk reads it."""

    state: int
    reasons: tuple[str, ...]
    accepting: bool
    message: str = ""
    fault: DeviceError | None = None
    supplies: dict[str, Supply] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.fault is None


def _one(attrs: dict[str, list[Any]], key: str, default: Any) -> Any:
    values = attrs.get(key)
    return values[0] if values else default


def condition(attrs: dict[str, list[Any]], queue: str = "") -> Condition:
    """The printer attributes of Get-Printer-Attributes -> the fault the kiosk reports, if any."""
    state = int(_one(attrs, "printer-state", PrinterState.IDLE))
    reasons = tuple(str(r) for r in attrs.get("printer-state-reasons", []) if r and r != "none")
    accepting = bool(_one(attrs, "printer-is-accepting-jobs", True))
    message = str(_one(attrs, "printer-state-message", "") or "")
    supplies = {"paper": Supply.OK, "toner": Supply.OK}
    faulty: dict[str, str] = {}
    for reason in reasons:
        keyword, severity = split_reason(reason)
        if keyword in SUPPLIES:
            name, level = SUPPLIES[keyword]
            if level == Supply.OUT or supplies[name] == Supply.OK:
                supplies[name] = level
        if severity == "error" or keyword in ALWAYS_FAULT:
            faulty[keyword] = reason
    detail = f"{queue}: printer-state-reasons {', '.join(reasons) or 'none'}" + (f"; {message}" if message else "")
    fault = None
    for keyword, code in FAULTS:
        if keyword in faulty:
            fault = DeviceError(code, detail)
            break
    if fault is None and faulty:
        fault = DeviceError(C.A4_FAULT, detail)   # an -error reason this table does not name
    if fault is None and state == PrinterState.STOPPED:
        fault = DeviceError(C.A4_PAUSED, detail)  # stopped with no reason given: nothing prints
    if fault is None and not accepting:
        fault = DeviceError(C.A4_REJECTING, detail)
    return Condition(state, reasons, accepting, message, fault, supplies)


__all__ = ["Condition", "FAULTS", "condition", "split_reason"]
