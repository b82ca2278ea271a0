"""GS1 element strings (GS1 General Specifications, section 3): the data of GS1-128, GS1 QR and GS1 DataMatrix.

A GS1 barcode carries Application Identifiers (AIs) and their values. Scanners and zxing-cpp transmit it
unbracketed: ``415690123400001880200100123456<GS>3902...`` where GS (0x1D, FNC1) ends a variable-length
value that is not last; people write it bracketed: ``(415)6901234000018(8020)0100123456``. Both parse here,
with an optional AIM ID in front (``]C1``, ``]Q3``, ``]d2``, ``]e0``, ``]J1``).

Only the AIs the kiosk needs are known, the payment-slip set above all: (415) GLN of the invoicing party,
(8020) payment slip reference number, (3900-3909) amount payable in local currency with 0-9 decimals.
An unknown AI ends parsing with ``ValueError``: its length is unknown, so nothing after it can be trusted.
"""
from __future__ import annotations

import re

GS = "\x1d"
_GS1_AIM = ("]C1", "]Q3", "]d2", "]e0", "]J1")


def _spec() -> dict[str, tuple[bool, int, bool]]:
    """AI -> (fixed length?, length or max length, numeric?)."""
    spec = {"00": (True, 18, True), "01": (True, 14, True), "02": (True, 14, True), "10": (False, 20, False),
            "21": (False, 20, False), "37": (False, 8, True), "400": (False, 30, False), "8020": (False, 25, False)}
    for ai in ("11", "12", "13", "15", "16", "17"):
        spec[ai] = (True, 6, True)
    for n in range(10):
        spec[f"390{n}"] = (False, 15, True)
    for n in range(410, 418):
        spec[str(n)] = (True, 13, True)
    return spec


AI_SPEC = _spec()


def check_digit_ok(digits: str) -> bool:
    """GS1 mod-10 check digit (GTIN, GLN, SSCC): weights 3,1,3,... from the right, excluding the check digit."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def with_check_digit(body: str) -> str:
    """``body`` + its GS1 check digit (tests and synthetic GLNs)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


_HRI = re.compile(r"\((\d{2,4})\)([^()]*)")


def parse(text: str) -> dict[str, str]:
    """AI -> value for a GS1 element string (bracketed or not); ValueError if it is not one."""
    for aim in _GS1_AIM:
        if text.startswith(aim):
            text = text[3:]
            break
    text = text.lstrip(GS)
    if text.startswith("("):
        return _parse_bracketed(text)
    return _parse_raw(text)


def _check(ai: str, value: str) -> None:
    spec = AI_SPEC.get(ai)
    if spec is None:
        raise ValueError(f"unknown AI ({ai})")
    fixed, length, numeric = spec
    if (fixed and len(value) != length) or not 0 < len(value) <= length:
        raise ValueError(f"AI ({ai}) value has the wrong length")
    if numeric and not value.isdigit():
        raise ValueError(f"AI ({ai}) value is not numeric")
    if not numeric and not all(0x21 <= ord(c) <= 0x7E for c in value):
        raise ValueError(f"AI ({ai}) value has characters outside GS1's set")
    if 410 <= (int(ai) if ai.isdigit() else 0) <= 417 and not check_digit_ok(value):
        raise ValueError(f"AI ({ai}) GLN check digit is wrong")


def _parse_bracketed(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    for m in _HRI.finditer(text):
        if m.start() != pos:
            raise ValueError("text between elements")
        ai, value = m.group(1), m.group(2)
        _check(ai, value)
        out[ai] = value
        pos = m.end()
    if pos != len(text) or not out:
        raise ValueError("not a bracketed GS1 element string")
    return out


def _parse_raw(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(text):
        ai = next((text[i:i + n] for n in (2, 3, 4) if text[i:i + n] in AI_SPEC), None)
        if ai is None:
            raise ValueError(f"unknown AI at position {i}")
        i += len(ai)
        fixed, length, _ = AI_SPEC[ai]
        if fixed:
            value, i = text[i:i + length], i + length
            if text[i:i + 1] == GS:  # a separator after a fixed-length value is tolerated
                i += 1
        else:
            end = text.find(GS, i)
            end = len(text) if end < 0 else end
            value, i = text[i:end], end + 1
        _check(ai, value)
        out[ai] = value
    if not out:
        raise ValueError("empty")
    return out
