"""Translations: zh_CN is the source language (the text in qsTr); en_US comes from en_US.json.

The table is compiled to a .qm file with Qt's lrelease (shipped with PySide6) into a cache directory and
loaded into a plain QTranslator. A QTranslator subclass in Python would be simpler but deadlocks: Qt
calls translate() from its QML loader thread while the GUI thread holds the GIL waiting for that thread.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from html import escape as _html_escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

HERE = Path(__file__).resolve().parent


def escape(text: str) -> str:
    """&, < and > as XML entities (what xml.sax.saxutils.escape does, without importing urllib.request, http
    and ssl with it on the way to the first frame)."""
    return _html_escape(text, quote=False)
LANGS = ("zh_CN", "en_US")


def load_table(lang: str) -> dict[str, str]:
    path = HERE / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


QSTR = re.compile(r'qsTr\("((?:[^"\\]|\\.)*)"\)')
QML_DIR = HERE.parent / "qml"


def qml_contexts() -> dict[str, list[str]]:
    """The texts of each QML file; qsTr looks translations up in a context named after the file."""
    out: dict[str, list[str]] = {}
    for f in sorted(QML_DIR.rglob("*.qml")):
        texts = QSTR.findall(f.read_text(encoding="utf-8"))
        if texts:
            out.setdefault(f.stem, []).extend(t for t in texts if t not in out.get(f.stem, []))
    return out


def to_ts(table: dict[str, str], lang: str) -> str:
    """A Qt Linguist .ts document with one context per QML file, as lupdate would write it."""
    contexts = []
    for name, texts in qml_contexts().items():
        msgs = "\n".join(
            f"    <message><source>{escape(src)}</source><translation>{escape(table[src])}</translation></message>"
            for src in texts if src in table)
        contexts.append(f"<context>\n    <name>{escape(name)}</name>\n{msgs}\n</context>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            f'<TS version="2.1" language="{lang}" sourcelanguage="zh_CN">\n' + "\n".join(contexts) + "\n</TS>\n")


def _lrelease() -> str:
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    if exe.exists():
        return str(exe)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if not found:
        raise FileNotFoundError("pyside6-lrelease not found (it comes with the PySide6 package)")
    return found


def compile_qm(lang: str, cache_dir: Path) -> Path | None:
    """The .qm file for ``lang``, compiled once per table version; None for the source language."""
    table = load_table(lang)
    if not table:
        return None
    ts_text = to_ts(table, lang)
    digest = hashlib.sha256(ts_text.encode("utf-8")).hexdigest()[:16]
    cache_dir.mkdir(parents=True, exist_ok=True)
    qm = cache_dir / f"{lang}-{digest}.qm"
    if not qm.exists():
        ts = cache_dir / f"{lang}-{digest}.ts"
        ts.write_text(ts_text, encoding="utf-8")
        subprocess.run([_lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


class Translations:
    """Switches the application's language at run time (the engine then calls ``retranslate``)."""

    def __init__(self, cache_dir: Path, lang: str = "zh_CN") -> None:
        self.cache_dir = cache_dir
        self._translators: dict[str, QTranslator] = {}
        self._installed: QTranslator | None = None
        self.lang = "zh_CN"
        self.set(lang)

    def close(self) -> None:
        """Remove our translator from the application (it is shared by everything in the process)."""
        if self._installed is not None:
            QCoreApplication.instance().removeTranslator(self._installed)
            self._installed = None

    def set(self, lang: str) -> None:
        app = QCoreApplication.instance()
        if self._installed is not None:
            app.removeTranslator(self._installed)
            self._installed = None
        self.lang = lang
        if lang == "zh_CN":
            return
        translator = self._translators.get(lang)
        if translator is None:
            qm = compile_qm(lang, self.cache_dir)
            translator = QTranslator()
            if qm is None or not translator.load(str(qm)):
                raise RuntimeError(f"translations for {lang} could not be loaded")
            self._translators[lang] = translator
        app.installTranslator(translator)
        self._installed = translator
