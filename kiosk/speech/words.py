"""Numbers as a listener needs them: amounts as words (￥10.00 -> "十元" / "10 yuan"), identifiers digit by
digit (an acceptance number or a phone: "一 三 八 …" / "one three eight ..."), so espeak-ng does not read
"13800138000" as one number of thirteen billion.

``speakable(text, lang)`` rewrites the amounts and long numbers inside a sentence the screen shows.
"""
from __future__ import annotations

import re

ZH_DIGITS = "零一二三四五六七八九"
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
LONG_NUMBER = 5  # a run of this many digits or more is an identifier, read digit by digit (years are 4)


def _zh(lang: str) -> bool:
    return not lang.startswith("en")


def _zh_below_10000(n: int, head: bool = True) -> str:
    """1..9999 in Chinese words, 零 for a gap (一千零五); 十二 at the head of a number, 一十二 inside one."""
    out = ""
    gap = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += ("" if (name == "十" and d == 1 and not out and head) else ZH_DIGITS[d]) + name
    return out


def zh_number(n: int) -> str:
    """A whole number in Chinese words: 0 -> 零, 10 -> 十, 105 -> 一百零五, 12000 -> 一万二千, 10010 -> 一万零一十."""
    if n < 0:
        return "负" + zh_number(-n)
    if n == 0:
        return "零"
    for unit, name in ((10 ** 8, "亿"), (10 ** 4, "万")):
        if n >= unit:
            hi, lo = divmod(n, unit)
            tail = ""
            if lo:
                tail = ("零" if lo < unit // 10 else "") + (zh_number(lo) if lo >= 10 ** 4 else _zh_below_10000(lo, False))
            return zh_number(hi) + name + tail
    return _zh_below_10000(n)


def yuan(fen: int, lang: str) -> str:
    """An amount in fen as spoken: 1000 -> "十元" / "10 yuan"; 1250 -> "十二元五角" / "12 yuan 50 fen"."""
    whole, rest = divmod(abs(fen), 100)
    jiao, f = divmod(rest, 10)
    if _zh(lang):
        text = (zh_number(whole) + "元") if whole or not rest else ""
        if jiao:
            text += ZH_DIGITS[jiao] + "角"
        if f:
            text += ("零" if whole and not jiao else "") + ZH_DIGITS[f] + "分"
        return text
    text = f"{whole} yuan" if whole or not rest else ""
    if rest:
        text = f"{text} {rest} fen".strip()
    return text


def digits(text: str, lang: str) -> str:
    """Each character on its own, digits as words: "138" -> "一 三 八" / "one three eight"; "SZ2026" ->
    "S Z 二 零 二 六". Separators (-, space) are dropped: the pauses between characters carry the grouping."""
    words = []
    for ch in text:
        if ch.isdigit() and ch.isascii():
            words.append(ZH_DIGITS[int(ch)] if _zh(lang) else EN_DIGITS[int(ch)])
        elif ch.isalnum():
            words.append(ch.upper())
    return " ".join(words)


# ￥10.00, ¥10, CNY 10.00, 10.00 元, 10 元 (the notices write "支付成功（10.00 元）").
_AMOUNT = re.compile(r"(?:[￥¥]\s?|CNY\s?)(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s?元")
_IDENTIFIER = re.compile(r"[A-Za-z]{0,4}\d[\d\- ]*\d" )


def _fen(number: str) -> int:
    whole, _, frac = number.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def speakable(text: str, lang: str) -> str:
    """The sentence with its amounts in words and its identifiers (>= 5 digits) digit by digit."""
    def amount(m: re.Match) -> str:
        return yuan(_fen(m.group(1) or m.group(2)), lang)

    def identifier(m: re.Match) -> str:
        token = m.group(0)
        if sum(c.isdigit() for c in token) < LONG_NUMBER:
            return token
        return f" {digits(token, lang)} "

    text = _AMOUNT.sub(amount, text)
    text = _IDENTIFIER.sub(identifier, text)
    return re.sub(r" {2,}", " ", text).strip()
