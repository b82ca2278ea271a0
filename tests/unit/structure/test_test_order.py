"""The test run hands the longest files to its workers first (tests/conftest.py): a long file handed out last ran
alone for minutes while the other workers idled. The order inside a file is kept."""
from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import SLOW_FILES, longest_files_first


def items(*nodeids: str) -> list:
    return [SimpleNamespace(nodeid=n) for n in nodeids]


def test_the_slowest_files_come_first_then_ui_then_integration_then_unit_keeping_the_order_inside_a_file():
    got = longest_files_first(items(
        "tests/unit/a/test_x.py::test_1", "tests/integration/test_i.py::test_1", "tests/ui/test_u.py::test_2",
        "tests/ui/test_u.py::test_1", f"{SLOW_FILES[1]}::test_b", f"{SLOW_FILES[0]}::test_a[2]",
        f"{SLOW_FILES[0]}::test_a[1]", "tests/unit/a/test_x.py::test_0"))
    assert [i.nodeid for i in got] == [
        f"{SLOW_FILES[0]}::test_a[2]", f"{SLOW_FILES[0]}::test_a[1]", f"{SLOW_FILES[1]}::test_b",
        "tests/ui/test_u.py::test_2", "tests/ui/test_u.py::test_1", "tests/integration/test_i.py::test_1",
        "tests/unit/a/test_x.py::test_1", "tests/unit/a/test_x.py::test_0"]


def test_every_file_named_slow_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    assert [f for f in SLOW_FILES if not (root / f).is_file()] == []
