"""The import graph of our packages, read with ``ast`` (nothing is imported), and its cycles.

Every import statement counts, wherever it is: at module level, inside functions (deferred imports still
tie the modules together: the circle is only hidden until run time), under ``if TYPE_CHECKING:`` (types
that need each other are a circle in the design) and in ``try`` blocks. Relative imports are resolved;
``from pkg import name`` is an edge to ``pkg.name`` when that is a module, else to ``pkg``. An edge goes to
the imported module only, not to its parent packages: a package ``__init__`` re-exporting its submodules
is not a circle.
"""
from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

Graph = dict[str, set[str]]


def find_modules(base: Path, packages: list[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` under ``base/<package>``."""
    out: dict[str, Path] = {}
    for package in packages:
        for path in sorted((base / package).rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or its longest prefix that is one of our modules (``kiosk.x.Class`` -> ``kiosk.x``)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ours that module ``name`` (file ``path``) imports, anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known(alias.name, modules)
                if target:
                    out.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                up = package.split(".")
                if node.level - 1 > len(up) - 1:
                    raise ImportError(f"{path}: relative import beyond the top package")
                base = ".".join(up[: len(up) - (node.level - 1)])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                target = sub if alias.name != "*" and sub in modules else _known(source, modules)
                if target:
                    out.add(target)
    out.discard(name)
    return out


def import_graph(base: Path, packages: list[str]) -> Graph:
    modules = find_modules(base, packages)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit): every component, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
    return out


def cycles(graph: Graph) -> list[list[str]]:
    """The import circles: components of more than one module, largest first."""
    return sorted((c for c in strongly_connected(graph) if len(c) > 1), key=lambda c: (-len(c), c))


def shortest_circle(graph: Graph, component: list[str]) -> list[str]:
    """One shortest way round the component from its first module (``a -> b -> a``), for the message."""
    start, members = component[0], set(component)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, ())):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return component


def describe(graph: Graph, found: list[list[str]]) -> str:
    lines = []
    for component in found:
        lines.append(f"{len(component)} modules: {', '.join(component)}")
        lines.append("    e.g. " + " -> ".join(shortest_circle(graph, component)))
    return "\n".join(lines)
