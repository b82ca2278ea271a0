"""The settings files merged, and the few settings the attract screen's first frame needs, without pydantic.

``kiosk run`` shows the attract screen before it builds the runtime (issue 22, the two-phase start-up). Building
the full typed settings (kiosk/settings.py) costs ~130 ms of pydantic import and model-class building, over half
the first frame's budget, for a window that reads a dozen values. So this module holds:

- the ONE merge of the settings sources, used by both: config files in order, ``KIOSK_KEY_DIR``, the data
  directory (``data_dir`` in the files < ``KIOSK_DATA_DIR`` < ``--data-dir``), the data dir's
  ``settings.local.toml``, then the command line's overrides; with where each key came from;
- ``BootSettings``: what phase 1 reads (``data_dir``, ``log_level``, ``ui.*`` of the window, ``screen.*``),
  checked here with the same message shape as the full settings (file, key, value found, what was expected);
- the defaults and allowed values of those fields: kiosk/settings.py takes its defaults for them from here,
  so each is written once.

The full settings are still loaded (and every other key checked) in phase 2, off the GUI thread.
Imports nothing heavier than ``tomllib``: this module is on the path to the first frame.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
LOCAL_SETTINGS = "settings.local.toml"  # under data_dir: what technicians change; survives updates

# ----- the boot fields' types, defaults and bounds (the one source; kiosk/settings.py uses them) -----------
Lang = Literal["zh_CN", "en_US"]
Orientation = Literal["portrait", "landscape"]
ScreenSource = Literal["auto", "setting"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

DATA_DIR = Path("/var/lib/kiosk")
LOG_LEVEL: LogLevel = "INFO"
UI_LANG: Lang = "zh_CN"
UI_ORIENTATION: Orientation = "portrait"
UI_ELDER_MODE = False
UI_FULLSCREEN = True
UI_SIMULATOR_PANEL = False
UI_FIT_WINDOW = False
SCREEN_DIAGONAL_IN = 21.5
SCREEN_DIAGONAL_IN_RANGE = (7, 100)  # inches, both ends allowed
SCREEN_PX_PER_MM = 0.0
SCREEN_PX_PER_MM_RANGE = (0, 50)  # scene pixels per mm, both ends allowed
SCREEN_SOURCE: ScreenSource = "auto"


class SettingsError(ValueError):
    """A settings file or value is wrong; the message names the file, the key, the value and what was expected."""

    exit_status = 2  # the kiosk command's exit status for it (ui.cli.load; `kiosk run`'s phase 2, ui.app)


# ----- the merge ------------------------------------------------------------------------------------------
def _merge(base: dict, over: dict, origin: str, sources: dict[str, str], prefix: str = "") -> dict:
    out = dict(base)
    for key, value in over.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "options":
            out[key] = _merge(out[key], value, origin, sources, dotted + ".")
        else:
            out[key] = value
            sources[dotted] = origin
    return out


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: settings file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read: {exc}") from None


def merge_sources(files: list[Path], *, data_dir: str | Path | None = None,
                  overrides: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge ``files`` in order, then the environment, the data dir's local overrides, then ``overrides``.
    Returns the merged dict and, per dotted key, where its value came from (a file, an env var, "command line")."""
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for path in files:
        merged = _merge(merged, _read_toml(Path(path)), str(path), sources)
    env_keys = os.environ.get("KIOSK_KEY_DIR")
    if env_keys:
        merged.setdefault("security", {})["key_dir"] = env_keys
        sources["security.key_dir"] = "KIOSK_KEY_DIR"
    env_dir = os.environ.get("KIOSK_DATA_DIR")
    chosen = data_dir or env_dir
    if chosen:
        merged["data_dir"] = str(chosen)
        sources["data_dir"] = "--data-dir" if data_dir else "KIOSK_DATA_DIR"
    raw_dir = merged.get("data_dir")
    if isinstance(raw_dir, str):
        local = Path(os.path.expanduser(raw_dir)) / LOCAL_SETTINGS
        if local.is_file():
            merged = _merge(merged, _read_toml(local), str(local), sources)
    if overrides:
        merged = _merge(merged, overrides, "command line", sources)
    return merged, sources


def default_files(demo: bool, extra: list[Path] | None = None) -> list[Path]:
    files = [CONFIG_DIR / "default.toml"]
    if demo:
        files.append(CONFIG_DIR / "demo.toml")
    return files + list(extra or [])


def resolve_dir(raw: str | Path) -> Path:
    """A directory setting as the kiosk uses it: ``~`` expanded, absolute."""
    return Path(os.path.expanduser(str(raw))).resolve()


# ----- the message shape of a wrong value (the full settings use it too) ----------------------------------
def _describe(err: dict[str, Any]) -> str:
    expected = {
        "string_type": "a string in quotes", "int_parsing": "a whole number", "float_parsing": "a number",
        "bool_parsing": "true or false", "bool_type": "true or false", "extra_forbidden": "no such key",
        "literal_error": "one of the allowed values", "greater_than": "a larger number",
    }.get(err["type"], "")
    msg = err["msg"]
    return f"{msg} (expected {expected})" if expected and expected not in msg else msg


def describe_errors(errors: list[dict[str, Any]], sources: dict[str, str]) -> str:
    """``errors`` (pydantic's shape: loc, type, msg, input) as lines ``ORIGIN: KEY: found VALUE: WHY``."""
    lines = []
    for err in errors:
        key = ".".join(str(p) for p in err["loc"])
        origin = sources.get(key) or next((v for k, v in sources.items() if k.startswith(key + ".")), None) \
            or next((sources[k] for k in sources if key.startswith(k + ".")), "defaults")
        lines.append(f"{origin}: {key}: found {err.get('input')!r}: {_describe(err)}")
    return "\n".join(lines)


# ----- the boot settings ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BootUi:
    lang: Lang = UI_LANG
    orientation: Orientation = UI_ORIENTATION
    elder_mode: bool = UI_ELDER_MODE
    fullscreen: bool = UI_FULLSCREEN
    simulator_panel: bool = UI_SIMULATOR_PANEL
    fit_window: bool = UI_FIT_WINDOW


@dataclass(frozen=True, slots=True)
class BootScreen:
    diagonal_in: float = SCREEN_DIAGONAL_IN
    px_per_mm: float = SCREEN_PX_PER_MM
    source: ScreenSource = SCREEN_SOURCE


@dataclass(frozen=True, slots=True)
class BootSettings:
    """What `kiosk run` reads before its first frame; the same values the full ``Settings`` will have."""
    data_dir: Path
    log_level: LogLevel = LOG_LEVEL
    ui: BootUi = BootUi()
    screen: BootScreen = BootScreen()


class _Checker:
    """Reads boot fields out of the merged dict the way pydantic's lax mode reads them, collecting errors in
    pydantic's shape (the values TOML and the command line give: bool, int, float, str, list, table)."""

    _TRUE = {"1", "on", "t", "true", "y", "yes"}
    _FALSE = {"0", "off", "f", "false", "n", "no"}

    def __init__(self, merged: dict[str, Any]) -> None:
        self.merged = merged
        self.errors: list[dict[str, Any]] = []

    def _fail(self, loc: tuple[str, ...], kind: str, msg: str, value: Any) -> None:
        self.errors.append({"loc": loc, "type": kind, "msg": msg, "input": value})

    def section(self, name: str, model: str) -> dict[str, Any]:
        value = self.merged.get(name, {})
        if isinstance(value, dict):
            return value
        self._fail((name,), "model_type", f"Input should be a valid dictionary or instance of {model}", value)
        return {}

    def literal(self, table: dict, loc: tuple[str, ...], allowed: Any, default: str) -> Any:
        value = table.get(loc[-1], default)
        choices = get_args(allowed)
        if isinstance(value, str) and value in choices:
            return value
        quoted = [repr(c) for c in choices]
        self._fail(loc, "literal_error", f"Input should be {', '.join(quoted[:-1])} or {quoted[-1]}", value)
        return default

    def boolean(self, table: dict, loc: tuple[str, ...], default: bool) -> bool:
        value = table.get(loc[-1], default)
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in self._TRUE | self._FALSE:
            return value.lower() in self._TRUE
        if isinstance(value, (int, str)):
            self._fail(loc, "bool_parsing", "Input should be a valid boolean, unable to interpret input", value)
        else:
            self._fail(loc, "bool_type", "Input should be a valid boolean", value)
        return default

    def number(self, table: dict, loc: tuple[str, ...], default: float, bounds: tuple[float, float]) -> float:
        value = table.get(loc[-1], default)
        if isinstance(value, (bool, int, float)):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                self._fail(loc, "float_parsing", "Input should be a valid number, unable to parse string as a number",
                           value)
                return default
        else:
            self._fail(loc, "float_type", "Input should be a valid number", value)
            return default
        low, high = bounds
        if not number <= high:  # pydantic checks the upper bound first; NaN fails it (and so here)
            self._fail(loc, "less_than_equal", f"Input should be less than or equal to {high}", value)
        elif not number >= low:
            self._fail(loc, "greater_than_equal", f"Input should be greater than or equal to {low}", value)
        else:
            return number
        return default

    def path(self, table: dict, loc: tuple[str, ...], default: Path) -> Path:
        value = table.get(loc[-1], default)
        if isinstance(value, (str, os.PathLike)):
            return Path(value)
        self._fail(loc, "path_type", "Input is not a valid path for <class 'pathlib.Path'>", value)
        return default


def boot_settings(merged: dict[str, Any], sources: dict[str, str]) -> BootSettings:
    """The boot fields of ``merged``; a wrong one raises ``SettingsError`` worded as the full settings word it."""
    c = _Checker(merged)
    data_dir = c.path(merged, ("data_dir",), DATA_DIR)
    log_level = c.literal(merged, ("log_level",), LogLevel, LOG_LEVEL)
    ui = c.section("ui", "UiSettings")
    screen = c.section("screen", "ScreenSettings")
    boot = BootSettings(
        data_dir=resolve_dir(data_dir), log_level=log_level,
        ui=BootUi(lang=c.literal(ui, ("ui", "lang"), Lang, UI_LANG),
                  orientation=c.literal(ui, ("ui", "orientation"), Orientation, UI_ORIENTATION),
                  elder_mode=c.boolean(ui, ("ui", "elder_mode"), UI_ELDER_MODE),
                  fullscreen=c.boolean(ui, ("ui", "fullscreen"), UI_FULLSCREEN),
                  simulator_panel=c.boolean(ui, ("ui", "simulator_panel"), UI_SIMULATOR_PANEL),
                  fit_window=c.boolean(ui, ("ui", "fit_window"), UI_FIT_WINDOW)),
        screen=BootScreen(diagonal_in=c.number(screen, ("screen", "diagonal_in"), SCREEN_DIAGONAL_IN,
                                               SCREEN_DIAGONAL_IN_RANGE),
                          px_per_mm=c.number(screen, ("screen", "px_per_mm"), SCREEN_PX_PER_MM, SCREEN_PX_PER_MM_RANGE),
                          source=c.literal(screen, ("screen", "source"), ScreenSource, SCREEN_SOURCE)))
    if c.errors:
        raise SettingsError(describe_errors(c.errors, sources))
    return boot


def load_boot_settings(files: list[Path], *, data_dir: str | Path | None = None,
                       overrides: dict[str, Any] | None = None) -> BootSettings:
    """What ``kiosk.settings.load_settings`` would give for the boot fields, from the same sources, without
    checking the rest (phase 2 does)."""
    merged, sources = merge_sources(files, data_dir=data_dir, overrides=overrides)
    return boot_settings(merged, sources)
