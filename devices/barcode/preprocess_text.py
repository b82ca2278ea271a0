"""Payload bytes -> text for 2-D symbols whose byte segments declare no character set (no ECI).

QR byte mode has no reliable charset marker: generators in China write UTF-8 or GB18030/GBK, Japanese ones
Shift_JIS, and the standard's default is ISO-8859-1. zxing-cpp guesses among UTF-8, ISO-8859-1 and
Shift_JIS only (GBK bytes come out as half-width katakana mojibake); zbar's own guess is no better (GBK
"中文办事指南" comes back as "笢恅域岈硌鰍"), so the decoder asks zbar for raw bytes and decides here:

1. strict UTF-8 (invalid UTF-8 is very unlikely to be anything but another charset);
2. GB18030, if most double-byte characters are in the GB2312 block (A1-F7 / A1-FE, the common hanzi
   and full-width punctuation) and the bytes do not read as Japanese (Shift_JIS kana: full-width kana
   never occur when GB2312 bytes are read as Shift_JIS; half-width katakana text is recognised by
   correctly placed (han)dakuten marks, e.g. "ﾃﾞｻﾞｲﾝ" in zxing-samples qrcode-2/17..27);
3. otherwise the engine's own reading if it has one (zxing-cpp: ISO-8859-1/Shift_JIS, or its Kanji-mode
   knowledge), else Shift_JIS when it reads as Japanese, else ISO-8859-1.

Callers must not use this for ECI-declared content (the declared charset wins) nor for 1-D codes (their
extended characters are ISO-8859-1 by specification, e.g. Code 128 FNC4 "ó" = F3, which step 2 would
misread as GB2312).
"""
from __future__ import annotations

__all__ = ["payload_text", "looks_chinese", "looks_japanese"]

# Half-width katakana that take a dakuten (ﾞ) or handakuten (ﾟ): ｳ, ｶ..ﾄ, ﾊ..ﾎ.
_DAKUTEN_BASES = {chr(0xFF73)} | {chr(c) for c in range(0xFF76, 0xFF85)} | {chr(c) for c in range(0xFF8A, 0xFF8F)}
_HANDAKUTEN_BASES = {chr(c) for c in range(0xFF8A, 0xFF8F)}
_DAKUTEN, _HANDAKUTEN = "\uff9e", "\uff9f"


def payload_text(raw: bytes, engine_text: str | None = None) -> str:
    """Decode a byte payload without charset declaration (see the module docstring for the order)."""
    utf8 = _strict(raw, "utf-8")
    if utf8 is not None:
        return utf8
    gb = _strict(raw, "gb18030")
    if gb is not None and looks_chinese(raw) and not looks_japanese(raw):
        return gb
    if engine_text is not None:
        return engine_text
    if looks_japanese(raw):
        return raw.decode("shift_jis")
    return raw.decode("latin-1")


def looks_chinese(raw: bytes) -> bool:
    """True if the bytes parse as GB18030 and at least half of the multi-byte characters are GB2312."""
    common = rare = 0
    i = 0
    while i < len(raw):
        lead = raw[i]
        if lead < 0x80:
            i += 1
            continue
        if i + 1 >= len(raw):
            return False
        trail = raw[i + 1]
        if 0x30 <= trail <= 0x39:  # four-byte GB18030 sequence: outside GBK, rare in practice
            rare += 1
            i += 4
            continue
        if 0xA1 <= lead <= 0xF7 and 0xA1 <= trail <= 0xFE:
            common += 1
        else:
            rare += 1
        i += 2
    return common > 0 and common >= rare


def looks_japanese(raw: bytes) -> bool:
    """True if the bytes are valid Shift_JIS with full-width kana, or half-width katakana text with at least
    two (han)dakuten marks, all on kana that take them. One mark is not enough: GB2312 hanzi with trail
    byte DE/DF read as "kana + ﾞ" (侈 = B3 DE = "ｳﾞ"), so a single mark would claim ~1 in 7 hanzi."""
    text = _strict(raw, "shift_jis")
    if text is None:
        return False
    if any("\u3040" <= ch <= "\u30ff" for ch in text):  # full-width hiragana / katakana
        return True
    marks = 0
    for prev, ch in zip(" " + text, text):
        if ch in (_DAKUTEN, _HANDAKUTEN):
            if prev not in (_DAKUTEN_BASES if ch == _DAKUTEN else _HANDAKUTEN_BASES):
                return False
            marks += 1
    return marks >= 2


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None
