"""Command groups whose subcommands live in a package, one module each (``register(subparsers)``),
so areas add commands without editing a shared file."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
from types import ModuleType


def register_group(sub: argparse._SubParsersAction, name: str, help_text: str, package: ModuleType) -> None:
    parser = sub.add_parser(name, help=help_text)
    group = parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{info.name}").register(group)
