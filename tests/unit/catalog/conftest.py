"""The real catalogue and its data-sharing vocabulary, loaded once per test module."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kiosk.platform.catalog_schema import Item, load_catalog_dir

ROOT = Path(__file__).resolve().parents[3]
CATALOG_DIR = ROOT / "config" / "catalog"
SHARED_FILE = ROOT / "config" / "shared_data.toml"


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return load_catalog_dir(CATALOG_DIR)


@pytest.fixture(scope="module")
def shared() -> dict:
    return tomllib.loads(SHARED_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shared_keys(shared) -> dict[str, dict]:
    return {k["key"]: k for k in shared["keys"]}


@pytest.fixture(scope="module")
def licence_types(shared) -> dict[str, dict]:
    return {t["code"]: t for t in shared["licence_types"]}
