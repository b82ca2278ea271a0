"""No import circles inside our packages (kiosk, devices, central, ui).

A circle means two modules cannot be understood, tested or moved apart; deferring one import into a
function only hides it until run time, so every import counts (see ``tests.helpers.import_graph``).
import-linter's layers contract checks the floors between packages; this checks the rooms inside them.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.helpers.import_graph import cycles, describe, import_graph

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ["kiosk", "devices", "central", "ui"]


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT, PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_in(package, graph):
    found = [c for c in cycles(graph) if any(m == package or m.startswith(package + ".") for m in c)]
    assert not found, f"import cycles touching {package}/:\n{describe(graph, found)}"


# ----- the checker itself, on a package made for it ---------------------------------------------------
def write(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_checker_finds_a_circle_hidden_in_a_function_and_under_type_checking(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "from .a import A\n",  # re-exporting a submodule is no circle
        "pkg/a.py": """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from .b import B
            A = 1
            """,
        "pkg/b.py": """
            def f():
                from pkg import c  # c is a submodule: an edge to pkg.c, not to pkg
                return c
            """,
        "pkg/c.py": "from .sub.d import D\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/d.py": "from ..a import A\nD = A\n",  # level-2 relative import back to pkg.a
        "pkg/e.py": "import pkg.a\nimport os\n",  # points into the circle, not part of it
    })
    graph = import_graph(tmp_path, ["pkg"])
    assert graph["pkg.b"] == {"pkg.c"} and graph["pkg.sub.d"] == {"pkg.a"} and graph["pkg"] == {"pkg.a"}
    found = cycles(graph)
    assert found == [["pkg.a", "pkg.b", "pkg.c", "pkg.sub.d"]]
    message = describe(graph, found)
    assert "pkg.a -> pkg.b -> pkg.c -> pkg.sub.d -> pkg.a" in message


def test_the_checker_finds_no_circle_where_there_is_none(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "from . import a, b\n",
        "pkg/a.py": "from pkg.b import thing\n",
        "pkg/b.py": "thing = 1\nfrom . import *\n",  # a star import is an edge to the package itself...
    })
    graph = import_graph(tmp_path, ["pkg"])
    assert graph["pkg"] == {"pkg.a", "pkg.b"} and graph["pkg.b"] == {"pkg"}
    assert cycles(graph) == [["pkg", "pkg.a", "pkg.b"]]  # ...which here closes a circle through __init__
    write(tmp_path, {"pkg/b.py": "thing = 1\n"})
    assert cycles(import_graph(tmp_path, ["pkg"])) == []
