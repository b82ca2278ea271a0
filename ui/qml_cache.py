"""The QML byte-code cache (issue 22: start-up). Qt compiles each QML file on its first load and keeps the
byte-code in a disk cache; by default that cache is named after the program (``~/.cache/<argv0>/qmlcache``), so
``kiosk``, the benches and the tests each compiled the screens again. The kiosk names one place for it
(``cache_dir``), and ``make setup`` fills it once (``kiosk qml-cache``) so the first start of a kiosk
already loads compiled screens. Nothing here is committed: the cache is rebuilt where it is missing or stale
(Qt checks each file's source against its cached unit)."""
from __future__ import annotations

import os
from pathlib import Path

QML_DIR = Path(__file__).resolve().parent / "qml"
ENV = "QML_DISK_CACHE_PATH"  # Qt's own variable: where the QML engine reads and writes its disk cache


def cache_dir() -> Path:
    """``$QML_DISK_CACHE_PATH`` when set, else ``$XDG_CACHE_HOME/kiosk/qmlcache`` (``~/.cache`` by default)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kiosk" / "qmlcache"


def use_cache_dir() -> Path:
    """Point Qt at ``cache_dir`` (before the first QML engine is made); returns it."""
    path = cache_dir()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return path  # a read-only home: Qt then compiles in memory, as without a cache
    os.environ[ENV] = str(path)
    return path


def qml_files(root: Path = QML_DIR) -> list[Path]:
    return sorted(root.rglob("*.qml"))


def build(root: Path = QML_DIR) -> tuple[int, list[str]]:
    """Compile every QML file under ``root`` into the cache without creating any item (no view-models are
    needed). Returns (files compiled, errors)."""
    use_cache_dir()
    from PySide6.QtCore import QUrl  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415
    from PySide6.QtQml import QQmlComponent, QQmlEngine  # noqa: PLC0415

    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    app = QGuiApplication.instance() or QGuiApplication(["kiosk"])  # noqa: F841 - the engine needs one
    engine = QQmlEngine()
    errors: list[str] = []
    files = qml_files(root)
    for path in files:
        component = QQmlComponent(engine, QUrl.fromLocalFile(str(path)), QQmlComponent.CompilationMode.PreferSynchronous)
        if component.isError():
            errors += [e.toString() for e in component.errors()]
    engine.deleteLater()
    return len(files), errors
