"""GB 11643-1999 citizen ID number: ISO 7064 MOD 11-2 check character, birth date and region checks."""
from __future__ import annotations

import datetime as dt
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_FORMAT = re.compile(r"^[0-9]{17}[0-9X]$")


def check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need the first 17 digits")
    r = sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11
    return CHECK_CHARS[r]


def problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-character ID number, or None when it is."""
    n = number.strip().upper()
    if not _FORMAT.match(n):
        return "needs 17 digits and a check character (digit or X)"
    if n[:2] in ("00", "10") or n[0] == "0":
        return f"region code {n[:6]} does not exist"
    try:
        birth = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return f"birth date {n[6:14]} is not a date"
    if birth.year < 1850 or birth > dt.date.today():
        return f"birth date {birth.isoformat()} is out of range"
    if check_char(n[:17]) != n[17]:
        return f"check character {n[17]} should be {check_char(n[:17])}"
    return None


def is_valid(number: str) -> bool:
    return problem(number) is None


def mask(number: str) -> str:
    """Keep the first 3 and last 4 characters: 110***********002X."""
    n = number.strip()
    if len(n) <= 7:
        return "*" * len(n)
    return n[:3] + "*" * (len(n) - 7) + n[-4:]
