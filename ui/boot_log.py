"""Logging before the log file exists: `kiosk run`'s phase 1 (the attract screen before the runtime is built).

``ui.cli.setup_logging`` opens the rotating log file under data_dir; `kiosk run` calls it in phase 2, after
the full settings are loaded, off the GUI thread. Lines logged before it (the screen's size, a missing
font) would otherwise reach only Python's last-resort handler: warnings bare on stderr, the rest lost. So
phase 1 installs ``EarlyLog``: the console line as setup_logging formats it, and every record kept until
``hand_over`` writes them to the log file and passes on what comes after (nothing lost, nothing twice).

Imports nothing beyond ``logging``: this module is on the path to the first frame.
"""
from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # ui.cli.setup_logging's format

# At most this many records are kept for the log file (a phase 1 that somehow logs in a loop stays bounded).
MAX_KEPT = 10_000


class EarlyLog(logging.Handler):
    """Root handler of phase 1: ``console`` lines now, the records kept for the log file (``hand_over``)."""

    def __init__(self, console_level: int) -> None:
        super().__init__(logging.NOTSET)
        self.console = logging.StreamHandler(sys.stderr)
        self.console.setFormatter(logging.Formatter(FORMAT))
        self.console.setLevel(console_level)
        self.kept: list[logging.LogRecord] = []
        self.target: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:  # called with self.lock held (Handler.handle)
        if record.levelno >= self.console.level:
            self.console.handle(record)
        if self.target is not None:
            self.target.handle(record)
        elif len(self.kept) < MAX_KEPT:
            self.kept.append(record)

    def hand_over(self, target: logging.Handler) -> None:
        """Write the kept records to ``target`` (the log file) and send it every later one until this handler
        is taken off the root logger."""
        with self.lock:
            for record in self.kept:
                if record.levelno >= target.level:
                    target.handle(record)
            self.kept = []
            self.target = target


def install(level: str, verbose: bool = False) -> EarlyLog:
    """Root logging for phase 1, at the level the settings give (``log_level``; DEBUG with -v), the console as
    ``setup_logging`` will set it (warnings; everything with -v)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else getattr(logging, level))
    early = EarlyLog(logging.DEBUG if verbose else logging.WARNING)
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(early)
    return early


def early_handler() -> EarlyLog | None:
    """Phase 1's handler on the root logger, if it is there."""
    return next((h for h in logging.getLogger().handlers if isinstance(h, EarlyLog)), None)
