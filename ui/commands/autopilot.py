"""kiosk autopilot: demo mode with a scripted citizen who taps through the real UI."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


# Steps with an idle timeout (SUBMIT has none by design: tests/unit/journey/test_money.py kills the kiosk there).
ABANDON_STEPS = ("guide", "identify", "form", "materials", "sign", "delivery", "review", "payment", "result",
                 "receipt", "end")
# The moves screens make by themselves (issue 17), shortened for a counted run (a showroom keeps the defaults).
AUTO_PACE = {"material_done_s": 1.0, "print_after_s": 1.0, "receipt_done_s": 1.0, "end_s": 1.5}
# ... and the kiosk asks the payment order's status every 0.5 s, not 2: the phone's payment is seen ~0.75 s
# sooner on average (a counted run pays in ~25 journeys of the test suite; the order's states are the same).
PAY_PACE = {"payment_poll_interval_s": 0.5}
ABANDON_IDLE = {"timeout_s": 4.0, "warning_s": 2.0, "elder_timeout_s": 4.0, "attract_after_s": 4.0}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("autopilot", help="self-running demo: a scripted citizen taps through the real UI")
    from ..cli import add_common  # noqa: PLC0415

    add_common(p, demo_flag=False)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--item", metavar="CODE", action="append",
                       help="an item to apply for, in turn when repeated (default: 312000218000)")
    which.add_argument("--all-items", action="store_true", help="every item of the catalog in turn")
    p.add_argument("--journeys", type=int, default=1, metavar="N",
                   help="journeys per item (0: run until stopped, for showrooms)")
    p.add_argument("--screenshots", type=Path, metavar="DIR", help="save a PNG of every screen")
    p.add_argument("--elder", action="store_true", help="elder mode (长辈模式)")
    p.add_argument("--lang", choices=["zh_CN", "en_US"])
    p.add_argument("--orientation", choices=["portrait", "landscape"])
    from .run import add_screen_option  # noqa: PLC0415

    add_screen_option(p)
    p.add_argument("--identity", default=None, help="synthetic identity to use (graduate, elder, standard, ...)")
    p.add_argument("--impostor", action="store_true",
                   help="someone else than the card's holder stands at the face camera: the face step must fail "
                        "and the journey end at the counter referral with no application (issue 19)")
    p.add_argument("--abandon-at", metavar="STEP", action="append", choices=(*ABANDON_STEPS, "all"),
                   help="the citizen walks away at this step (repeat for several journeys in turn; all: every "
                        "step with an idle timeout): the session ends by idle timeout (shortened for the run); "
                        "the JSON line says what became of the money (\"payment\")")
    p.add_argument("--mine", action="store_true",
                   help="after the journeys, 我的办件: the citizen lays the card and finds this run's applications, "
                        "newest first, and opens the newest (one more JSON line)")
    p.add_argument("--capture-patience", type=float, default=None, metavar="S",
                   help="seconds the citizen waits for auto-capture before tapping 拍摄 (default 8)")
    p.add_argument("--offline", action="store_true",
                   help="the platform is unreachable (the kiosk's link points at a closed port): items that need "
                        "it are refused at their guide, queueable ones complete with the offline receipt; at the "
                        "end the network comes back and each local number is looked up with the card")
    p.set_defaults(func=run)


def closed_port_url() -> str:
    """A loopback URL where nothing listens: the network to the platform is cut (connection refused)."""
    import socket  # noqa: PLC0415

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run(args: argparse.Namespace) -> int:
    from ._exit import hard_exit  # noqa: PLC0415

    from devices.idcard.synthetic import IDENTITIES  # noqa: PLC0415

    from ..app import KioskApp  # noqa: PLC0415
    from ..autopilot import Autopilot  # noqa: PLC0415
    from ..cli import Composition, load, setup_logging  # noqa: PLC0415
    from .run import ui_overrides  # noqa: PLC0415

    args.window = True
    overrides = ui_overrides(args)
    overrides.setdefault("ui", {})["simulator_panel"] = True
    abandon = list(ABANDON_STEPS) if args.abandon_at and "all" in args.abandon_at else args.abandon_at or []
    if abandon:
        overrides["idle"] = dict(ABANDON_IDLE)  # nobody waits 90 s for the walk-away to end
    if args.journeys:  # a counted run, not a showroom: the screens' own countdowns short but still shown
        for key, seconds in AUTO_PACE.items():
            overrides.setdefault("idle", {}).setdefault(key, seconds)
        for key, seconds in PAY_PACE.items():
            overrides.setdefault("platform", {}).setdefault(key, seconds)
    tmp = None
    if not args.data_dir:
        import os  # noqa: PLC0415

        if not os.environ.get("KIOSK_DATA_DIR"):
            tmp = tempfile.TemporaryDirectory(prefix="kiosk-autopilot-")
            args.data_dir = tmp.name
    settings = load(args, demo=True, overrides=overrides)
    setup_logging(settings, args.verbose)
    identity = args.identity or ("elder" if args.elder else "graduate")
    if identity not in IDENTITIES:
        print(f"kiosk autopilot: unknown identity {identity!r}; one of {', '.join(IDENTITIES)}", file=sys.stderr)
        return 2
    comp = Composition(settings)
    try:
        catalog = comp.runtime.catalog
        if args.all_items:
            codes = [i.code for i in catalog]
        else:
            codes = args.item or ["312000218000"]
            unknown = [c for c in codes if catalog.get(c) is None]
            if unknown:
                print(f"kiosk autopilot: no item {', '.join(unknown)} in the catalog", file=sys.stderr)
                return 2
        if abandon:  # each item once per walk-away step
            codes = [c for c in codes for _ in abandon]
        network_back = None
        if args.offline:  # the link to the (embedded) platform is cut; it comes back after the last journey
            rt = comp.runtime
            platform_url = rt.client.t.base_url
            rt.client.t.base_url = closed_port_url()
            rt.telemetry.beat()  # the heartbeat finds no platform: offline before the first citizen comes

            def network_back() -> None:
                rt.client.t.base_url = platform_url
                rt.telemetry.beat()
        app = KioskApp(comp.runtime, gate=comp.gate, platform=comp.platform)
        pilot = Autopilot(app, codes, journeys=args.journeys, screenshots=args.screenshots, identity=identity,
                          abandon_at=abandon, network_back=network_back, mine=args.mine)
        pilot.face_role = "impostor" if args.impostor else "holder"
        if args.capture_patience is not None:
            pilot.capture_patience_s = args.capture_patience
        pilot.start()
        app.exec()
        code = 1 if pilot.failures else 0
    finally:
        comp.close()
        if tmp is not None:
            tmp.cleanup()
    hard_exit(code)
    return code
