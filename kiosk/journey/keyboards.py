"""Which on-screen keyboard a form field needs, implied by its catalogue definition.

The catalogue does not name keyboards; it gives each field a type, and for codes a pattern with a valid
example. Those say what the citizen will type: a 往来港澳通行证 number ``C[0-9A-HJ-NP-Z][0-9]{7}`` is Latin
capitals and digits (the pinyin keyboard turns "c" into 从 吃 才), an account number ``[0-9]{10,13}`` is
digits only (the number pad), a name or an address is Chinese (pinyin). The UI maps the kind to Qt input
method hints and to the keyboard's language; nothing here knows Qt.
"""
from __future__ import annotations

from enum import StrEnum

from ..platform.catalog_schema import FieldType, FormField


class KeyboardKind(StrEnum):
    PINYIN = "pinyin"    # Chinese text: names, addresses, free text (Latin in English mode)
    CODE = "code"        # Latin capitals and digits, no word prediction: permit numbers, USCC, VIN, ID numbers
    DIGITS = "digits"    # the number pad, digits only: account numbers, months, counts
    NUMBER = "number"    # the number pad with the decimal point and the dash: amounts, areas, dates, project codes
    PHONE = "phone"      # the dial pad: mobile numbers


_META = set("()|?*+^$")


def pattern_chars(pattern: str) -> set[str] | None:
    """The characters a pattern's literals and classes name (ranges by their ends, quantifiers dropped),
    or None when the pattern admits any character (an unescaped ``.`` or a class like ``\\w``)."""
    chars: set[str] = set()
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            e = pattern[i + 1]
            if e == "d":
                chars.add("0")
            elif e in "wWsSDB":
                return None
            else:
                chars.add(e)
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif in_class and c == "-":
            pass  # a range between two characters already counted
        elif not in_class and c == "{":
            i = pattern.index("}", i) if "}" in pattern[i:] else len(pattern)
        elif not in_class and c == ".":
            return None
        elif c not in _META or in_class:
            chars.add(c)
        i += 1
    return chars


def _kind_of_chars(chars: set[str]) -> KeyboardKind:
    if any(not ch.isascii() for ch in chars):
        return KeyboardKind.PINYIN  # e.g. a plate 粤B12345: Chinese first, then capitals (pinyin keyboard's shift)
    if any(ch.isalpha() for ch in chars):
        return KeyboardKind.CODE
    if chars <= set("0123456789"):
        return KeyboardKind.DIGITS
    if chars <= set("0123456789.-"):
        return KeyboardKind.NUMBER
    return KeyboardKind.CODE  # other ASCII signs: the Latin keyboard has them


def keyboard_for(field: FormField) -> KeyboardKind:
    """The keyboard the field's content needs: from its type, else its pattern, else its example."""
    if field.type == FieldType.PHONE:
        return KeyboardKind.PHONE
    if field.type == FieldType.ID_NUMBER:
        return KeyboardKind.CODE  # 17 digits and a check character that may be X
    if field.type == FieldType.DATE:
        return KeyboardKind.NUMBER  # YYYY-MM-DD
    if field.type == FieldType.TEXTAREA:
        return KeyboardKind.PINYIN
    if field.pattern:
        chars = pattern_chars(field.pattern)
        if chars is not None:
            return _kind_of_chars(chars)
    if field.type == FieldType.NUMBER:
        return KeyboardKind.NUMBER
    if field.example:
        return _kind_of_chars(set(field.example))
    return KeyboardKind.PINYIN
