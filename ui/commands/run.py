"""kiosk run [--demo]: start the kiosk UI."""
from __future__ import annotations

import argparse
import signal


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the kiosk (the touch screen UI)")
    from ..cli import add_common  # noqa: PLC0415

    add_common(p)
    p.add_argument("--window", action="store_true", help="a window instead of full screen")
    p.add_argument("--lang", choices=["zh_CN", "en_US"])
    p.add_argument("--orientation", choices=["portrait", "landscape"])
    add_screen_option(p)
    p.set_defaults(func=run)


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
    from ..app import KioskApp  # noqa: PLC0415
    from ..cli import Composition, load, setup_logging  # noqa: PLC0415

    overrides = ui_overrides(args)
    overrides.setdefault("ui", {})["fit_window"] = True  # a windowed kiosk fits its screen; full screen ignores it
    settings = load(args, overrides=overrides)
    setup_logging(settings, args.verbose)
    # Two-phase start-up (issue 22): the attract screen first; the runtime (devices, outbox, the platform
    # client, OpenCV) is built after its first frame off the GUI thread, and the embedded demo platform after that.
    app = KioskApp(settings=settings, build=lambda: Composition(settings, defer_platform=True, responsive=True),
                   on_ready=lambda comp: comp.start_deferred())
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
