"""The technician's settings file, ``<data_dir>/settings.local.toml``: read last by ``load_settings``, never
touched by software updates (they replace config/, not the data directory).

The console changes one key at a time: the file is read, the key set, the result checked by loading the
complete settings with it, then written atomically (temporary file, fsync, rename), so a power cut leaves
either the old file or the new one, and a value that would stop the kiosk from starting is never saved.
Python's standard library reads TOML but does not write it; ``dump_toml`` writes the subset settings use.
"""
from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from ..settings import LOCAL_SETTINGS, Settings, SettingsError, default_files, load_settings

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if BARE_KEY.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dump_toml(data: dict[str, Any]) -> str:
    """TOML for nested tables of strings, numbers, booleans, lists; ``options`` tables stay inline."""
    return "\n\n".join(_blocks(data, "")) + "\n"


def _blocks(data: dict[str, Any], name: str) -> list[str]:
    scalars = [f"{_key(k)} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict) or k == "options"]
    tables = [(k, v) for k, v in data.items() if isinstance(v, dict) and k != "options"]
    blocks = []
    if scalars or (name and not tables):
        blocks.append((f"[{name}]\n" if name else "") + "\n".join(scalars))
    for k, v in tables:
        blocks.extend(_blocks(v, f"{name}.{_key(k)}" if name else _key(k)))
    return blocks


class LocalSettings:
    def __init__(self, data_dir: Path, *, demo: bool = False, extra_files: list[Path] | None = None) -> None:
        self.path = Path(data_dir) / LOCAL_SETTINGS
        self.data_dir = Path(data_dir)
        self.demo = demo
        self.extra_files = list(extra_files or [])

    def read(self) -> dict[str, Any]:
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def update(self, changes: dict[str, Any]) -> Settings:
        """Set each dotted key (e.g. "devices.printer.url"); returns the settings as the kiosk will load
        them. Raises SettingsError (and writes nothing) when the result would not load."""
        data = self.read()
        for dotted, value in changes.items():
            node = data
            parts = dotted.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
                if not isinstance(node, dict):
                    raise SettingsError(f"{self.path}: {dotted}: {part} is not a table")
            node[parts[-1]] = value
        text = dump_toml(data)
        if tomllib.loads(text) != data:  # the writer must round-trip exactly
            raise SettingsError(f"{self.path}: {', '.join(changes)}: cannot be written as TOML")
        try:
            # The new file's content applied last, over the old local file: what the next start will see.
            settings = load_settings(default_files(self.demo, self.extra_files), data_dir=self.data_dir,
                                     overrides=tomllib.loads(text))
        except SettingsError as exc:
            raise SettingsError(str(exc).replace("command line", str(self.path))) from None
        tmp = self.path.with_suffix(".toml.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        return settings
