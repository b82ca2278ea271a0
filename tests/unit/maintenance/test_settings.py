"""Typed settings: merge order, data directory precedence, and errors that name file, key and value."""
from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.settings import CONFIG_DIR, LOCAL_SETTINGS, SettingsError, default_files, load_settings


def test_demo_settings_use_simulators_and_the_embedded_platform(tmp_path):
    s = load_settings(default_files(demo=True), data_dir=tmp_path)
    assert s.demo and s.platform.embedded
    assert all(getattr(s.devices, n).url.startswith("sim://") for n in ("idcard", "printer", "camera", "barcode"))
    assert s.data_dir == tmp_path.resolve()


def test_data_dir_precedence_is_flag_then_environment_then_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "env"))
    assert load_settings(default_files(False)).data_dir == (tmp_path / "env").resolve()
    assert load_settings(default_files(False), data_dir=tmp_path / "flag").data_dir == (tmp_path / "flag").resolve()
    monkeypatch.delenv("KIOSK_DATA_DIR")
    assert str(load_settings(default_files(False)).data_dir) == "/var/lib/kiosk"


def test_a_wrong_value_names_the_file_the_key_the_value_and_what_was_expected(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[idle]\ntimeout_s = "soon"\n[ui]\norientation = "diagonal"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings(default_files(False, [bad]), data_dir=tmp_path)
    text = str(exc.value)
    assert f"{bad}: idle.timeout_s: found 'soon'" in text and "number" in text
    assert f"{bad}: ui.orientation: found 'diagonal'" in text and "portrait" in text


def test_an_unknown_key_is_an_error_not_silently_ignored(tmp_path):
    bad = tmp_path / "typo.toml"
    bad.write_text("[platform]\ntimeout = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="platform.timeout"):
        load_settings(default_files(False, [bad]), data_dir=tmp_path)


def test_technician_overrides_in_the_data_dir_are_read_last(tmp_path):
    (tmp_path / LOCAL_SETTINGS).write_text('[devices.printer]\nurl = "socket://10.0.0.5:9100"\n', encoding="utf-8")
    s = load_settings(default_files(True), data_dir=tmp_path)
    assert s.devices.printer.url == "socket://10.0.0.5:9100"


def test_the_cli_exits_2_on_a_bad_settings_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui]\nlang = 5\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "catalog", "list", "--config", str(bad),
                           "--data-dir", str(tmp_path)], capture_output=True, text=True, cwd=CONFIG_DIR.parent)
    assert proc.returncode == 2
    assert "ui.lang: found 5" in proc.stderr
