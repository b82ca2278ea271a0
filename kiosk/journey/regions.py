"""The delivery region picker's steps over config/regions.toml (kiosk.platform.regions): where it starts
(the kiosk's own city, an explicit choice the citizen sees and can change), what it offers next, and the
region line of an address. No household address is ever split into it."""
from __future__ import annotations

from ..platform.regions import Region, load_regions


def start_code(region_code: str) -> str:
    """The picker's first position: the city of the kiosk's own area code (440305 -> 440300), so a local
    citizen taps only their district; the district itself is never guessed."""
    regions = load_regions()
    path = regions.path(region_code)
    return path[1].code if len(path) >= 2 else (path[0].code if path else "")


def choices(code: str) -> list[Region]:
    """What the picker offers at ``code``: its children, or its siblings once it is complete."""
    regions = load_regions()
    below = regions.children(code)
    if below or code not in regions.by_code:
        return below
    return regions.children(regions.by_code[code].parent_code)


def complete(code: str) -> bool:
    return load_regions().complete(code)


def region_text(code: str, lang: str = "zh_CN") -> str:
    """The region line for a code: 广东省深圳市南山区 ("" for an unknown code)."""
    return load_regions().full_name(code, lang)
