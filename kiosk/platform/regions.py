"""Administrative divisions (GB/T 2260) for delivery addresses: typed, loaded from config/regions.toml.

A delivery address is a region (a code from this list) plus a detail line (street, number) the citizen
types; the two are never mixed with a household address from anywhere else. A region is *complete* when
the list holds nothing below it (a Shenzhen district, 东莞市, a province whose cities are not listed): the
kiosk's picker goes down until it is, and the platform refuses an express delivery whose region is missing,
unknown or incomplete (``ErrorCode.DELIVERY_REGION``). Both sides read the same file.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .catalog_schema import Text

REGIONS_FILE = Path(__file__).resolve().parents[2] / "config" / "regions.toml"


class Region(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[1-8][0-9]{5}$")  # GB/T 2260: 2 digits province, 2 city, 2 county
    name: Text

    @property
    def parent_code(self) -> str:
        """440305 -> 440300 -> 440000 -> "" (a province has no parent)."""
        if self.code.endswith("0000"):
            return ""
        if self.code.endswith("00"):
            return self.code[:2] + "0000"
        return self.code[:4] + "00"


class RegionsError(ValueError):
    pass


@dataclass(frozen=True)
class Regions:
    """The divisions by code, with their children; ``path`` and ``full_name`` read a code top-down."""
    by_code: dict[str, Region]

    @classmethod
    def from_toml(cls, text: str, source: str = "regions.toml") -> "Regions":
        rows = tomllib.loads(text).get("region", [])
        by_code: dict[str, Region] = {}
        for row in rows:
            r = Region.model_validate(row)
            if r.code in by_code:
                raise RegionsError(f"{source}: region {r.code} listed twice")
            by_code[r.code] = r
        for r in by_code.values():
            if r.parent_code and r.parent_code not in by_code:
                raise RegionsError(f"{source}: region {r.code} ({r.name.zh}) has no parent {r.parent_code}")
        return cls(by_code)

    def children(self, code: str = "") -> list[Region]:
        """The divisions directly below ``code`` ("" = the provinces), in code order."""
        return sorted((r for r in self.by_code.values() if r.parent_code == code), key=lambda r: r.code)

    def complete(self, code: str) -> bool:
        """A known region with nothing listed below it: an address may be sent there."""
        return code in self.by_code and not self.children(code)

    def path(self, code: str) -> list[Region]:
        """Province first: 440305 -> [广东省, 深圳市, 南山区]; [] for an unknown code."""
        out: list[Region] = []
        r = self.by_code.get(code)
        while r is not None:
            out.insert(0, r)
            r = self.by_code.get(r.parent_code)
        return out

    def full_name(self, code: str, lang: str = "zh_CN") -> str:
        names = [r.name.get(lang) for r in self.path(code)]
        return ("" if lang.startswith("zh") else ", ").join(names if lang.startswith("zh") else reversed(names))


@lru_cache(maxsize=4)
def load_regions(path: Path = REGIONS_FILE) -> Regions:
    return Regions.from_toml(path.read_text(encoding="utf-8"), str(path))
