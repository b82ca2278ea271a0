"""JSON the platform will not parse: nested deeper than a limit, or carrying a lone UTF-16 surrogate.

``json.loads`` recurses once per level (100,000 levels is a RecursionError, a 500) and turns ``"\\ud800"``
into a str that cannot be encoded to UTF-8 later (SQLite, the response): a 500 again. ``problem`` finds
both in one linear pass over the raw bytes, before anything is parsed; ``loads`` parses only what passed.
"""
from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # the deepest real document (a manifest with its form and files) is below 10

# An escape (\uXXXX or \x), a quote, or a bracket: everything that matters for depth and surrogates.
_TOKEN = re.compile(rb'\\u([0-9a-fA-F]{4})|\\.|["\[\]{}]', re.DOTALL)


def problem(raw: bytes | str, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``raw`` is refused, or None. Malformed JSON is left to the parser (it fails cleanly)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    depth = 0
    in_string = False
    pending_high = -1  # end offset of a high surrogate escape that needs a low one right after it
    for m in _TOKEN.finditer(data):
        tok = m.group(0)
        if pending_high >= 0 and (m.start() != pending_high or m.group(1) is None
                                  or not 0xDC00 <= int(m.group(1), 16) <= 0xDFFF):
            return "a lone UTF-16 surrogate in a string"
        if tok == b'"':
            in_string = not in_string
        elif m.group(1) is not None:
            unit = int(m.group(1), 16)
            if pending_high >= 0:
                pending_high = -1  # the low half of a pair
            elif 0xD800 <= unit <= 0xDBFF:
                pending_high = m.end()
            elif 0xDC00 <= unit <= 0xDFFF:
                return "a lone UTF-16 surrogate in a string"
        elif not in_string and tok in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                return f"JSON nested deeper than {max_depth} levels"
        elif not in_string and tok in (b"]", b"}"):
            depth -= 1
    if pending_high >= 0:
        return "a lone UTF-16 surrogate in a string"
    if isinstance(raw, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in raw):
        return "a lone UTF-16 surrogate in the text"
    return None


def loads(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` of JSON that passed ``problem``; raises ValueError (a 422 for the routers) otherwise."""
    why = problem(raw, max_depth)
    if why:
        raise ValueError(why)
    return json.loads(raw)
