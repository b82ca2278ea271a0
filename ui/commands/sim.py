"""kiosk sim KIND --listen tcp://HOST:PORT: a device simulator for external programs."""
from __future__ import annotations

import argparse

from . import sim_cmds
from ._groups import register_group


def register(sub: argparse._SubParsersAction) -> None:
    register_group(sub, "sim", "run a device simulator on a TCP port for external programs", sim_cmds)
