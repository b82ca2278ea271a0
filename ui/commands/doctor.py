"""kiosk doctor [--demo] [--json] [--codes]: check a kiosk the way a technician would, and say what to do.

The checks are in kiosk/maintenance/doctor.py; this command adds the ones that need to know where Qt lives (its
platform plugins, the virtual keyboard, a QML scene that really loads) and, with --demo, starts the
embedded reference platform so the demo set-up is checked as it runs. Exit status: 0 when nothing
failed (warnings allowed), 1 when something failed, 2 for a usage or settings error.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

QML_PROBE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_QUICK_BACKEND"] = "software"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
app = QGuiApplication(["doctor"])
engine = QQmlApplicationEngine()
engine.warnings.connect(lambda ws: [print(w.toString(), file=sys.stderr) for w in ws])
engine.loadData(b"import QtQuick\\nimport QtQuick.Window\\nimport QtQuick.VirtualKeyboard\\n"
                b"Window { InputPanel { width: 400 } }")
sys.exit(0 if engine.rootObjects() else 3)
"""

VOICE_PROBE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QGuiApplication
from PySide6.QtTextToSpeech import QTextToSpeech
from ui.voice import find_voice
app = QGuiApplication(["doctor"])
if "speechd" not in QTextToSpeech.availableEngines():
    sys.exit(3)
tts = QTextToSpeech("speechd")
if tts.state() == QTextToSpeech.State.Error:
    print(tts.errorString()); sys.exit(5)
voice = find_voice(tts, "zh_CN")
if voice is None:
    sys.exit(4)
print(voice.name())
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check fonts, libraries, devices, permissions, disk, clock, platform, outbox")
    from ..cli import add_common  # noqa: PLC0415

    add_common(p)
    p.add_argument("--json", action="store_true", help="the results as JSON")
    p.add_argument("--codes", action="store_true", help="print every numbered error code with cause and remedy "
                                                        "(the table in docs/troubleshooting.md)")
    p.add_argument("--write", type=Path, metavar="DOC", help="with --codes: update the table inside DOC")
    p.add_argument("--no-heartbeat", action="store_true",
                   help="open the devices even if a running kiosk reports them (stop the kiosk first)")
    p.set_defaults(func=run)


def qt_dir() -> Path | None:
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "Qt"


def binding_check(emit_many: Callable[[int], None] | None = None):
    """PySide6 6.12.0 dropped a reference to ``True`` on every signal emitted from Python: a kiosk then aborts
    ("bool_dealloc") after about 20,000 journey events, within an hour of use. Counted, not looked up by version,
    so a distribution's own build with the same defect is caught too."""
    from kiosk.maintenance.doctor import Check, Status  # noqa: PLC0415

    if emit_many is None:
        from PySide6.QtCore import QObject, Signal  # noqa: PLC0415

        class _Probe(QObject):
            said = Signal(object)

        probe = _Probe()

        def emit_many(n: int) -> None:
            for _ in range(n):
                probe.said.emit(None)
    emit_many(1)
    before = sys.getrefcount(True)
    emit_many(BINDING_EMITS)
    lost = before - sys.getrefcount(True)
    if lost > BINDING_EMITS // 4:
        import PySide6  # noqa: PLC0415

        return Check("qt binding", Status.FAIL,
                     f"PySide6 {PySide6.__version__} loses a reference to True on every signal "
                     f"({lost} in {BINDING_EMITS} emits): the kiosk would abort within an hour of use",
                     "Install the PySide6 that pyproject.toml asks for (below 6.12): `make setup`, or "
                     "pip install 'PySide6>=6.7,<6.12' in the kiosk's venv")
    return Check("qt binding", Status.OK, f"signals keep Python's references ({lost} of {BINDING_EMITS} emits)")


BINDING_EMITS = 400


def qt_checks() -> list[Callable]:
    from kiosk.maintenance.doctor import Check, Status, library_check  # noqa: PLC0415

    qt = qt_dir()
    if qt is None:
        return [lambda: Check("qt", Status.FAIL, "PySide6 is not installed", "pip install -e . in the kiosk's venv")]
    plugins = qt / "plugins"

    def xcb() -> Check:
        return library_check("qt xcb (X11/Xwayland)", [plugins / "platforms" / "libqxcb.so"])

    def keyboard() -> Check:
        libs = [plugins / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so",
                *sorted((qt / "qml" / "QtQuick" / "VirtualKeyboard").rglob("*.so"))]
        return library_check("qt keyboard", libs)

    def qml_loads() -> Check:
        try:
            proc = subprocess.run([sys.executable, "-c", QML_PROBE], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return Check("qt quick", Status.FAIL, "a QML scene did not load within 60 s", "See `kiosk run -v`.")
        if proc.returncode == 0:
            return Check("qt quick", Status.OK, "a QML scene with the virtual keyboard loads")
        err = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        hint = "sudo apt-get install libpulse0" if "libpulse" in proc.stderr else \
            "Install the library named in the message (see docs/deployment.md, step 2)."
        return Check("qt quick", Status.FAIL, err[:300], hint)

    # Both the demo (a desktop or Xvfb) and a deployed kiosk (Xwayland inside cage) use Qt's xcb plugin: Qt's
    # Wayland plugin refuses the in-app virtual keyboard ("not supported at client-side").
    return [xcb, keyboard, qml_loads, binding_check]


def voice_checks(settings) -> list[Callable]:
    """speech-dispatcher, espeak-ng, the audio output (kiosk.maintenance.voice_check); then Qt's speechd engine
    must find a Mandarin voice, asked in a subprocess so a daemon that hangs cannot hang the doctor."""
    from kiosk.maintenance.doctor import Check, Status  # noqa: PLC0415
    from kiosk.maintenance.voice_check import speech_checks  # noqa: PLC0415

    base = speech_checks(settings)

    def qt_voice() -> Check:
        name = "voice qt speechd"
        if any(c.status == Status.FAIL for c in base) or base[0].status == Status.SKIP:
            return Check(name, Status.SKIP, "see the voice checks above")
        root = Path(__file__).resolve().parents[2]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
        try:
            proc = subprocess.run([sys.executable, "-c", VOICE_PROBE], capture_output=True, text=True,
                                  timeout=30, env=env, cwd=root)
        except subprocess.TimeoutExpired:
            return Check(name, Status.FAIL, "Qt's speechd engine did not start within 30 s",
                         "Check speech-dispatcher (`spd-say -w 你好`) and its log.")
        if proc.returncode == 0:
            return Check(name, Status.OK, f"Qt's speechd engine speaks Chinese with {proc.stdout.strip()}")
        why = {3: "Qt has no speechd text-to-speech plugin", 4: "Qt's speechd engine offers no Mandarin voice",
               5: "Qt's speechd engine failed: " + proc.stdout.strip()}.get(proc.returncode,
                                                                          (proc.stderr.strip() or "?")[-300:])
        return Check(name, Status.FAIL, why + ": the voice prompts are silent or unintelligible",
                     "sudo apt-get install --no-install-recommends speech-dispatcher-espeak-ng libspeechd2")

    return [lambda: base, qt_voice]


def print_codes(args: argparse.Namespace) -> int:
    from kiosk.maintenance.troubleshooting import codes_markdown, write_into  # noqa: PLC0415

    if args.write:
        try:
            changed = write_into(args.write)
        except (OSError, ValueError) as exc:
            print(f"kiosk doctor: {exc}", file=sys.stderr)
            return 2
        print(f"{args.write}: {'updated' if changed else 'already up to date'}")
        return 0
    print(codes_markdown(), end="")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.codes:
        return print_codes(args)
    import logging  # noqa: PLC0415
    import os  # noqa: PLC0415

    # The findings are the output: device drivers' own log lines would only repeat them.
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.CRITICAL, force=True)
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    from kiosk.maintenance.doctor import Doctor, Status, worst  # noqa: PLC0415

    from ..cli import load  # noqa: PLC0415

    settings = load(args)
    platform = None
    url = None
    if settings.platform.embedded:
        from central.server import EmbeddedPlatform  # noqa: PLC0415

        platform = EmbeddedPlatform(settings.path("central"), settings.catalog_dir)
        platform.start()
        url = platform.url
    try:
        doctor = Doctor(settings, platform_url=url, use_heartbeat=not args.no_heartbeat and not settings.demo)
        checks = doctor.run(extra=qt_checks() + voice_checks(settings))
    finally:
        if platform is not None:
            platform.stop()
    overall = worst(checks)
    if args.json:
        print(json.dumps({"ok": overall != Status.FAIL, "status": overall.value, "kiosk_id": settings.kiosk_id,
                          "data_dir": str(settings.data_dir), "checks": [c.as_dict() for c in checks]},
                         ensure_ascii=False, indent=2))
    else:
        print(f"kiosk doctor — {settings.kiosk_id}{' (demo)' if settings.demo else ''}, data in {settings.data_dir}")
        width = max(len(c.name) for c in checks)
        for c in checks:
            print(f"  {c.status.value.upper():5} {c.name:<{width}}  {c.detail}")
            if c.remedy and c.status in (Status.FAIL, Status.WARN):
                print(f"  {'':5} {'':<{width}}  -> {c.remedy}")
        fails = sum(c.status == Status.FAIL for c in checks)
        warns = sum(c.status == Status.WARN for c in checks)
        print(f"{fails} problem(s), {warns} warning(s)" if fails or warns else "Everything checked is fine.")
    return 1 if overall == Status.FAIL else 0
