"""Every text the screens show in Chinese has an English translation that keeps its placeholders."""
from __future__ import annotations

import json
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[3] / "ui"
QSTR = re.compile(r'qsTr\("((?:[^"\\]|\\.)*)"\)')


def qml_texts() -> set[str]:
    return {m for f in (UI / "qml").rglob("*.qml") for m in QSTR.findall(f.read_text(encoding="utf-8"))}


def test_every_qml_text_has_an_english_translation():
    table = json.loads((UI / "i18n" / "en_US.json").read_text(encoding="utf-8"))
    missing = sorted(qml_texts() - set(table))
    assert missing == []


def test_translations_keep_their_placeholders_and_contain_no_chinese():
    table = json.loads((UI / "i18n" / "en_US.json").read_text(encoding="utf-8"))
    for zh, en in table.items():
        assert sorted(re.findall(r"%\d", zh)) == sorted(re.findall(r"%\d", en)), zh
        assert not re.search(r"[\u4e00-\u9fff]", en), en


def test_no_translation_is_stale():
    table = json.loads((UI / "i18n" / "en_US.json").read_text(encoding="utf-8"))
    assert sorted(set(table) - qml_texts()) == []
