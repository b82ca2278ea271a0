"""Secrets for commands come from a file, stdin or the terminal (not echoed), never from the command line.

A command-line argument is readable by every user of the machine (``ps``, /proc/PID/cmdline) and lands in
shell histories; a file of mode 0600, a pipe or a no-echo prompt are not.
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path


class SecretMissing(ValueError):
    pass


def read_secret(source: Path | str | None, *, prompt: str, what: str) -> str:
    """The secret in file ``source`` ("-" = one line of stdin); without one, a no-echo prompt on a terminal,
    else one line of stdin. Empty is refused (SecretMissing)."""
    if source is not None and str(source) != "-":
        try:
            value = Path(source).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SecretMissing(f"{what}: cannot read {source}: {exc.strerror}") from None
    elif source is None and sys.stdin.isatty():
        value = getpass.getpass(prompt).strip()
    else:
        value = sys.stdin.readline().strip()
    if not value:
        raise SecretMissing(f"{what}: empty")
    return value
