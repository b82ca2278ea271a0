"""kiosk devices ACTION: talk to one device by URL (read an ID card, print a test receipt, ...)."""
from __future__ import annotations

import argparse

from . import devices_cmds
from ._groups import register_group


def register(sub: argparse._SubParsersAction) -> None:
    register_group(sub, "devices", "test a device given its URL (technicians)", devices_cmds)
