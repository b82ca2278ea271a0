"""Delivery regions: the kiosk's city districts as a picker, so most citizens type no region at all.

Shenzhen's districts (GB/T 2260 codes, 2024). A citizen elsewhere picks 其他地区 and types the region.
"""
from __future__ import annotations

from ..platform.catalog_schema import Text

CITY = Text(zh="广东省深圳市", en="Shenzhen, Guangdong")
DISTRICTS: tuple[tuple[str, Text], ...] = (
    ("440303", Text(zh="罗湖区", en="Luohu")), ("440304", Text(zh="福田区", en="Futian")),
    ("440305", Text(zh="南山区", en="Nanshan")), ("440306", Text(zh="宝安区", en="Bao'an")),
    ("440307", Text(zh="龙岗区", en="Longgang")), ("440308", Text(zh="盐田区", en="Yantian")),
    ("440309", Text(zh="龙华区", en="Longhua")), ("440310", Text(zh="坪山区", en="Pingshan")),
    ("440311", Text(zh="光明区", en="Guangming")), ("440343", Text(zh="大鹏新区", en="Dapeng")),
)
OTHER = "other"


def region_text(code: str) -> str:
    """The region line for a district code: 广东省深圳市南山区."""
    name = next((t.zh for c, t in DISTRICTS if c == code), "")
    return CITY.zh + name if name else ""


def split_address(address: str) -> tuple[str, str]:
    """(district code, the rest of the address) for a Shenzhen address; ("", address) otherwise."""
    rest = address
    for prefix in (CITY.zh, "深圳市"):
        if rest.startswith(prefix):
            rest = rest[len(prefix):]
            break
    else:
        return "", address
    for code, name in DISTRICTS:
        if rest.startswith(name.zh):
            return code, rest[len(name.zh):]
    return "", address
