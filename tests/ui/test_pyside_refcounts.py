"""The Qt binding must not lose references to Python's shared objects (a kiosk runs for weeks).

PySide6 6.12.0's ``SignalInstance.emit`` released a reference to ``True`` on every call. The view-models
emit a signal for each journey event, so the count of references to ``True`` fell by about 20 a second
during a journey and Python aborted ("bool_dealloc: deallocating True or False") after ~20,000 events:
the all-items autopilot died in its 63rd journey. pyproject.toml keeps PySide6 below 6.12; this test
fails on a binding with that defect whatever its version.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

EMITS = 2000
SLACK = 50  # the interpreter's own references to True come and go; a leak loses one per emit


class _Source(QObject):
    anything = Signal(object)
    number = Signal(int)
    nothing = Signal()


def _lost_true_refs(emit) -> int:
    emit()
    before = sys.getrefcount(True)
    for _ in range(EMITS):
        emit()
    return before - sys.getrefcount(True)


def test_emitting_a_signal_from_python_keeps_the_references_to_true(qapp):
    source = _Source()
    received: list[object] = []
    source.anything.connect(received.append)
    source.number.connect(received.append)
    source.nothing.connect(lambda: received.append(None))
    assert _lost_true_refs(lambda: source.anything.emit({"step": "form"})) < SLACK
    assert _lost_true_refs(lambda: source.number.emit(7)) < SLACK
    assert _lost_true_refs(source.nothing.emit) < SLACK
    assert len(received) == 3 * (EMITS + 1)


def test_an_unconnected_signal_keeps_the_references_to_true(qapp):
    source = _Source()
    assert _lost_true_refs(lambda: source.anything.emit(1)) < SLACK


def test_kiosk_doctor_passes_this_binding(qapp):
    from kiosk.maintenance.doctor import Status
    from ui.commands.doctor import binding_check

    check = binding_check()
    assert check.status == Status.OK, check.detail


def test_kiosk_doctor_fails_a_binding_that_loses_references_to_true():
    """A stand-in for 6.12.0's emit: it releases one reference to True per call (given back afterwards)."""
    import ctypes

    from kiosk.maintenance.doctor import Status
    from ui.commands.doctor import BINDING_EMITS, binding_check

    taken = 0

    def leaky_emits(n: int) -> None:
        nonlocal taken
        for _ in range(n):
            ctypes.pythonapi.Py_DecRef(ctypes.py_object(True))
            taken += 1

    try:
        check = binding_check(leaky_emits)
    finally:
        for _ in range(taken):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    assert check.status == Status.FAIL
    assert f"in {BINDING_EMITS} emits" in check.detail and "below 6.12" in check.remedy
