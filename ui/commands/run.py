"""kiosk run [--demo]: start the kiosk UI."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..app import KioskApp


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the kiosk (the touch screen UI)")
    from ..cli import add_common  # noqa: PLC0415

    add_common(p)
    p.add_argument("--window", action="store_true", help="a window instead of full screen")
    p.add_argument("--lang", choices=["zh_CN", "en_US"])
    p.add_argument("--orientation", choices=["portrait", "landscape"])
    add_screen_option(p)
    p.set_defaults(func=run, simulators_later=True)  # ui.cli.main: Composition registers them in phase 2


def add_screen_option(p: argparse.ArgumentParser) -> None:
    from kiosk.screen import PROFILES_IN  # noqa: PLC0415

    p.add_argument("--screen", choices=list(PROFILES_IN), metavar="INCHES",
                   help=f"size the screens for this display profile ({', '.join(PROFILES_IN)} inch diagonal) "
                        "instead of the display's EDID or [screen] diagonal_in")


def ui_overrides(args: argparse.Namespace) -> dict:
    ui: dict = {}
    if getattr(args, "window", False):
        ui["fullscreen"] = False
    if getattr(args, "lang", None):
        ui["lang"] = args.lang
    if getattr(args, "orientation", None):
        ui["orientation"] = args.orientation
    if getattr(args, "elder", False):
        ui["elder_mode"] = True
    out: dict = {"ui": ui} if ui else {}
    if getattr(args, "screen", None):
        from kiosk.screen import PROFILES_IN  # noqa: PLC0415

        out["screen"] = {"source": "setting", "diagonal_in": PROFILES_IN[args.screen], "px_per_mm": 0.0}
    return out


def run(args: argparse.Namespace) -> int:
    from kiosk.settings_boot import SettingsError, default_files  # noqa: PLC0415

    overrides = ui_overrides(args)
    overrides.setdefault("ui", {})["fit_window"] = True  # a windowed kiosk fits its screen; full screen ignores it
    try:
        app = start(default_files(bool(args.demo), args.config), data_dir=args.data_dir, overrides=overrides,
                    verbose=args.verbose)
    except SettingsError as exc:  # a setting the first frame needs: no window can show it (as `load` says it)
        print(f"kiosk: settings error:\n{exc}", file=sys.stderr)
        return SettingsError.exit_status
    try:
        signal.signal(signal.SIGINT, lambda *_: app.quit())
        signal.signal(signal.SIGTERM, lambda *_: app.quit())
        code = app.exec()
    finally:
        app.close()  # waits for a build still under way
        if app.built is not None:
            app.built.close()
    from ._exit import hard_exit  # noqa: PLC0415

    hard_exit(code)
    return code


def start(files: list[Path], *, data_dir: str | Path | None, overrides: dict[str, Any],
          verbose: bool = False) -> KioskApp:
    """The two-phase start-up (issue 22), up to the attract screen; bench/bench_ui.py starts the kiosk here too.

    Phase 1, on the GUI thread: the boot settings (kiosk.settings_boot: the same files merged the same way,
    without pydantic), logging kept for the log file (ui.boot_log), the attract screen. Phase 2, on a worker
    thread after its first frame: the full settings (every key checked), the log file, the runtime, and the
    embedded demo platform after that. A wrong setting outside the boot fields fails phase 2: it is logged
    (file and console) with its file and key, the screen says 2220, and the process exits with status 2
    (SettingsError.exit_status) for systemd to restart it (deploy/kiosk.service: Restart=on-failure), so a
    fixed settings.local.toml is read again without anyone at the kiosk. Raises ``SettingsError`` for a wrong
    boot field (before any window)."""
    from kiosk.settings_boot import SettingsError, load_boot_settings  # noqa: PLC0415

    from .. import boot_log  # noqa: PLC0415
    from ..app import KioskApp  # noqa: PLC0415

    boot = load_boot_settings(files, data_dir=data_dir, overrides=overrides)
    boot_log.install(boot.log_level, verbose)

    def build() -> Any:
        from kiosk.settings import load_settings  # noqa: PLC0415 - pydantic: phase 2

        from ..cli import Composition, setup_logging  # noqa: PLC0415

        try:
            settings = load_settings(files, data_dir=data_dir, overrides=overrides)
        except SettingsError:
            setup_logging(boot, verbose)  # the log file gets the error (KioskApp logs it: 2220) and phase 1's lines
            raise
        setup_logging(settings, verbose)
        return Composition(settings, defer_platform=True, responsive=True)

    return KioskApp(settings=boot, build=build, on_ready=lambda comp: comp.start_deferred())
