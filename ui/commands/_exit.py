"""Leaving a Qt command's process."""
from __future__ import annotations

import logging
import os
import sys


def hard_exit(code: int) -> None:
    """Exit without Python's interpreter finalization.

    Called only after everything is closed (outbox committed, devices and platform stopped, QML engine
    gone). PySide6 can crash while the garbage collector finalizes its objects at interpreter exit
    ("Fatal Python error: bool_dealloc", seen here after long autopilot runs), which would turn a clean run
    into exit code 134; with nothing left to save, skipping finalization is the safe way out.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
