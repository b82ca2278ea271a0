"""The boot settings (kiosk/settings_boot.py: what `kiosk run` reads before its first frame, without pydantic) are
the full settings' values for every boot field, from every source, and a wrong boot value is worded the same."""
from __future__ import annotations

import argparse
import dataclasses
import math

import pytest

from kiosk.settings import Settings, SettingsError, default_files, load_settings
from kiosk.settings_boot import LOCAL_SETTINGS, BootSettings, load_boot_settings
from ui.commands.run import ui_overrides


def boot_fields(obj=BootSettings, prefix: str = "") -> list[str]:
    """Every boot field as a dotted name (``ui.lang``), found from the dataclasses: a new field is compared too."""
    out = []
    for f in dataclasses.fields(obj):
        default = f.default if f.default is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(default):
            out += boot_fields(type(default), f"{prefix}{f.name}.")
        else:
            out.append(prefix + f.name)
    return out


def value(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def assert_same(boot: BootSettings, full: Settings) -> None:
    fields = boot_fields()
    assert {"data_dir", "log_level", "ui.lang", "ui.orientation", "ui.simulator_panel", "ui.elder_mode",
            "ui.fullscreen", "ui.fit_window", "screen.diagonal_in", "screen.px_per_mm", "screen.source"} <= set(fields)
    assert {f: value(boot, f) for f in fields} == {f: value(full, f) for f in fields}


def both(files, **kwargs) -> tuple[BootSettings, Settings]:
    return load_boot_settings(files, **kwargs), load_settings(files, **kwargs)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    monkeypatch.delenv("KIOSK_KEY_DIR", raising=False)


def test_the_defaults_have_one_source():
    """The pydantic models' defaults for the boot fields are the boot module's (nothing from any file)."""
    assert_same(BootSettings(data_dir=Settings().data_dir), Settings())


@pytest.mark.parametrize("demo", [False, True], ids=["default.toml", "default+demo.toml"])
def test_the_config_files(tmp_path, demo):
    assert_same(*both(default_files(demo), data_dir=tmp_path / "data"))


def test_a_local_settings_file_in_the_data_dir_and_a_config_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / LOCAL_SETTINGS).write_text('log_level = "DEBUG"\n[ui]\nlang = "en_US"\norientation = "landscape"\n'
                                       'elder_mode = "yes"\nfullscreen = 0\n[screen]\ndiagonal_in = 32\n'
                                       'px_per_mm = "4.5"\nsource = "setting"\n')
    extra = tmp_path / "extra.toml"
    extra.write_text("[ui]\nsimulator_panel = true\nfit_window = true\n")
    boot, full = both(default_files(True, [extra]), data_dir=data)
    assert_same(boot, full)
    assert (boot.ui.lang, boot.ui.elder_mode, boot.screen.diagonal_in, boot.ui.fit_window) == \
        ("en_US", True, 32.0, True)


def test_kiosk_data_dir_and_its_local_file(tmp_path, monkeypatch):
    data = tmp_path / "from-env"
    data.mkdir()
    (data / LOCAL_SETTINGS).write_text("[ui]\norientation = \"landscape\"\n")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    boot, full = both(default_files(True))
    assert_same(boot, full)
    assert boot.data_dir == data.resolve() and boot.ui.orientation == "landscape"


def test_data_dir_in_a_file_with_a_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    conf = tmp_path / "dir.toml"
    conf.write_text('data_dir = "~/kiosk-data"\n')
    boot, full = both(default_files(False, [conf]))
    assert_same(boot, full)
    assert boot.data_dir == tmp_path / "kiosk-data"


def test_command_line_overrides_as_kiosk_run_makes_them(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "env"))  # --data-dir wins over it
    args = argparse.Namespace(window=True, lang="en_US", orientation="landscape", elder=True, screen="15.6")
    overrides = ui_overrides(args)
    overrides.setdefault("ui", {})["fit_window"] = True
    boot, full = both(default_files(True), data_dir=tmp_path / "cli", overrides=overrides)
    assert_same(boot, full)
    assert boot.data_dir == (tmp_path / "cli").resolve() and boot.screen.source == "setting"
    assert (boot.ui.fullscreen, boot.ui.elder_mode) == (False, True)


ODD = [  # (key, value): accepted by both alike, or refused by both with the same words
    ("ui.lang", "en_US"), ("ui.lang", "ZH_cn"), ("ui.lang", 1),
    ("ui.orientation", "sideways"), ("ui.orientation", None),
    ("ui.fullscreen", "no"), ("ui.fullscreen", "On"), ("ui.fullscreen", 1), ("ui.fullscreen", 0.0),
    ("ui.fullscreen", 2), ("ui.fullscreen", 1.5), ("ui.fullscreen", "x"), ("ui.fullscreen", []),
    ("ui.elder_mode", "T"), ("ui.simulator_panel", "maybe"), ("ui.fit_window", {}),
    ("screen.diagonal_in", "32"), ("screen.diagonal_in", " 15.6 "), ("screen.diagonal_in", 7),
    ("screen.diagonal_in", 100), ("screen.diagonal_in", 6.9), ("screen.diagonal_in", 101),
    ("screen.diagonal_in", True), ("screen.diagonal_in", "abc"), ("screen.diagonal_in", math.nan),
    ("screen.diagonal_in", math.inf), ("screen.diagonal_in", []),
    ("screen.px_per_mm", -1), ("screen.px_per_mm", 0), ("screen.px_per_mm", 50), ("screen.px_per_mm", 50.5),
    ("screen.source", "setting"), ("screen.source", "edid"),
    ("log_level", "DEBUG"), ("log_level", "debug"), ("data_dir", 1), ("data_dir", ["a"]),
    ("ui", "portrait"), ("screen", 21.5),
]


@pytest.mark.parametrize("key,found", ODD, ids=[f"{k}={v!r}" for k, v in ODD])
def test_odd_values_are_read_or_refused_alike(tmp_path, key, found):
    over: dict = {}
    *parents, last = key.split(".")
    table = over
    for p in parents:
        table = table.setdefault(p, {})
    table[last] = found
    files = default_files(True)
    try:
        full = load_settings(files, data_dir=None if key == "data_dir" else tmp_path, overrides=over)
    except SettingsError as exc:
        with pytest.raises(SettingsError) as boot_err:
            load_boot_settings(files, data_dir=None if key == "data_dir" else tmp_path, overrides=over)
        assert str(boot_err.value) == str(exc)
        assert f"command line: {key}: found {found!r}" in str(exc)
    else:
        boot = load_boot_settings(files, data_dir=tmp_path, overrides=over)
        assert_same(boot, full)


def test_a_wrong_boot_value_in_a_file_names_the_file_and_the_key(tmp_path):
    conf = tmp_path / "bad.toml"
    conf.write_text('[ui]\norientation = "upside-down"\n')
    with pytest.raises(SettingsError) as err:
        load_boot_settings(default_files(True, [conf]), data_dir=tmp_path)
    assert str(err.value) == (f"{conf}: ui.orientation: found 'upside-down': Input should be 'portrait' or "
                              "'landscape' (expected one of the allowed values)")
    assert err.value.exit_status == 2


def test_other_keys_are_left_to_the_full_settings(tmp_path):
    """The boot settings check only their own fields: the rest is phase 2's (pydantic), on the build thread."""
    conf = tmp_path / "bad.toml"
    conf.write_text("[platform]\ntimeout_s = -1\n[ui]\nno_such_key = 1\n")
    boot = load_boot_settings(default_files(True, [conf]), data_dir=tmp_path)
    assert boot.ui.lang == "zh_CN"
    with pytest.raises(SettingsError, match="platform.timeout_s"):
        load_settings(default_files(True, [conf]), data_dir=tmp_path)
