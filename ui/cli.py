"""The ``kiosk`` command and composition root: it wires settings, devices, the journey and, in demo mode,
the in-process reference platform.

Subcommands live in ``ui/commands/*.py``; each module defines ``register(subparsers)`` and is found
automatically, so a new command is a new file.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops.memory import limit_malloc_arenas
from kiosk.ops.threads import one_blas_thread

from . import commands

if TYPE_CHECKING:
    from kiosk.settings import Settings
    from kiosk.settings_boot import BootSettings

# Not imported at module level: pydantic (kiosk.settings, ~130 ms), the simulators and logging.handlers. `kiosk run`
# goes through this module to its attract screen, whose first frame needs none of them (issue 22).

log = logging.getLogger("kiosk")


def add_common(p: argparse.ArgumentParser, *, demo_flag: bool = True) -> None:
    if demo_flag:
        p.add_argument("--demo", action="store_true", help="simulated devices and the embedded reference platform")
    p.add_argument("--data-dir", help="directory for all state (default: setting data_dir, or $KIOSK_DATA_DIR)")
    p.add_argument("--config", action="append", type=Path, default=[], metavar="FILE",
                   help="extra settings file, read after the defaults (repeatable)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def load(args: argparse.Namespace, *, demo: bool | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings for a command; a bad file exits with code 2 and a message naming file, key and value."""
    from kiosk.settings import SettingsError, default_files, load_settings  # noqa: PLC0415 - pydantic

    use_demo = bool(getattr(args, "demo", False)) if demo is None else demo
    try:
        return load_settings(default_files(use_demo, args.config), data_dir=args.data_dir, overrides=overrides)
    except SettingsError as exc:
        print(f"kiosk: settings error:\n{exc}", file=sys.stderr)
        raise SystemExit(SettingsError.exit_status) from None


def register_simulators() -> None:
    """sim:// URLs understood (devices.simulators.register_all; idempotent)."""
    from devices.simulators import register_all  # noqa: PLC0415

    register_all()


def setup_logging(settings: Settings | BootSettings, verbose: bool = False) -> None:
    """The console (warnings; everything with ``verbose``) and the rotating log file under data_dir.
    ``settings`` may be the boot settings (`kiosk run` whose full settings are wrong: the error still reaches
    the file). Records kept by `kiosk run`'s phase 1 (ui.boot_log) go to the file first."""
    import logging.handlers  # noqa: PLC0415

    from kiosk.private import private_dir  # noqa: PLC0415

    from .boot_log import FORMAT, early_handler  # noqa: PLC0415

    level = logging.DEBUG if verbose else getattr(logging, settings.log_level)
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter(FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(fmt)
    console.setLevel(logging.WARNING if not verbose else logging.DEBUG)
    logfile = private_dir(settings.data_dir / "logs") / "kiosk.log"
    rotating = logging.handlers.RotatingFileHandler(logfile, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    rotating.setFormatter(fmt)
    early = early_handler()
    if early is not None:
        early.hand_over(rotating)  # phase 1's lines first; it passes on what comes until the swap below
    # One swap of the list (not remove/add one by one): `kiosk run` calls this on its build thread while the
    # GUI thread logs, and a record logged meanwhile must go through one set of handlers, not none or two.
    root.handlers = [console, rotating]


class Composition:
    """Everything one kiosk process runs; ``close()`` stops it in reverse order."""

    def __init__(self, settings: Settings, *, defer_platform: bool = False, responsive: bool = False) -> None:
        """``defer_platform``: the embedded platform only binds its port now; ``start_deferred`` builds and
        serves it (``kiosk run`` calls it once the first frame is on screen: FastAPI and the routers cost
        most of a second). Requests sent before wait in the port's queue; the catalog is then read from the
        last good copy or the local directory, which the embedded platform serves too.
        ``responsive``: the journey's audit records are written behind the tapping thread
        (kiosk.audit.behind): a tap never waits for the trail's fsync."""
        from kiosk.runtime import build_runtime  # noqa: PLC0415 - heavy (OpenCV, Qt-free core); not for --help

        register_simulators()  # idempotent: a Composition built without main() still understands sim:// URLs
        self.settings = settings
        self.platform = None
        self.gate = None  # demo: central.fault_gate.FaultGate in front of the embedded platform
        url = None
        if settings.platform.embedded:
            from central.server import EmbeddedPlatform  # noqa: PLC0415
            from kiosk.runtime import read_secret  # noqa: PLC0415

            # The embedded platform knows this kiosk by the secret the kiosk signs with.
            secret = read_secret(settings)
            self.platform = EmbeddedPlatform(settings.path("central"), settings.catalog_dir,
                                             kiosks={settings.kiosk_id: secret} if secret else None,
                                             lazy=defer_platform)
            if not defer_platform:
                self.platform.start()
            url = self.platform.url
            if settings.ui.simulator_panel:
                # The demo panel's "platform state": a switchable network fault between kiosk and platform.
                from central.fault_gate import FaultGate  # noqa: PLC0415

                self.gate = FaultGate((self.platform.host, self.platform.port),
                                      slow_delay_s=settings.ui.demo_platform_slow_s)
                self.gate.start()
                url = self.gate.url
        self.runtime = build_runtime(settings, url, sync_catalog=not (defer_platform and self.platform is not None),
                                     audit_write_behind=responsive)
        self.runtime.start()

    def start_deferred(self) -> None:
        """Build and serve the embedded platform in the background (``defer_platform``); returns at once."""
        if self.platform is not None:
            self.platform.start_background()

    def close(self) -> None:
        self.runtime.stop()
        if self.gate is not None:
            self.gate.stop()
        if self.platform is not None:
            self.platform.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="政务服务自助终端 — government self-service kiosk (不见面审批).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.ispkg or info.name.startswith("_"):
            continue  # helpers and the packages of command groups
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    one_blas_thread()  # before numpy's first import: OpenBLAS threads spin on a busy 2-core kiosk (kiosk.ops.threads)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    # Every command may meet a sim:// URL (demo mode, a lab kiosk, `kiosk devices test`): the simulators
    # register here, at the composition root, never on import of a driver. `kiosk run` leaves it to its phase 2
    # (Composition registers them): its first frame needs no device (issue 22).
    if not getattr(args, "simulators_later", False):
        register_simulators()
    limit_malloc_arenas()  # before any worker thread: RSS stays flat over thousands of journeys (kiosk.ops.memory)
    # What the unit's UMask=0077 gives under systemd, for every other way the kiosk is started (a
    # technician's shell, the demo): nothing the kiosk writes is readable by another user.
    os.umask(0o077)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
