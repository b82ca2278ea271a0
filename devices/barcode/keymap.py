"""Key events of a USB keyboard-wedge scanner back to the text it "typed" (US keyboard layout).

A wedge scanner types its payload as key presses: shift + key for capitals and symbols, Enter (or Tab) at
the end. The kernel reports key codes (linux/input-event-codes.h, a stable ABI: the numbers are written
out here so this module needs neither python-evdev nor a device, and tests feed it synthetic events).

Only the scanner's own modifier state counts (its keys are grabbed away from the desktop): Shift and Caps
Lock for letters, Shift for symbols, Ctrl + key for control characters (scanners type GS1's group
separator FNC1 as Ctrl+]), the keypad for digits. Set the scanner's keyboard country to "USA": other
layouts move symbols, and Han characters cannot be typed at all (configure serial/CDC mode for those).
"""
from __future__ import annotations

from dataclasses import dataclass, field

EV_KEY = 0x01
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2

# code -> (plain, shifted)
_ROWS = {
    2: "1!", 3: "2@", 4: "3#", 5: "4$", 6: "5%", 7: "6^", 8: "7&", 9: "8*", 10: "9(", 11: "0)", 12: "-_", 13: "=+",
    26: "[{", 27: "]}", 39: ";:", 40: "'\"", 41: "`~", 43: "\\|", 51: ",<", 52: ".>", 53: "/?", 57: "  ",
}
_LETTERS = {16: "q", 17: "w", 18: "e", 19: "r", 20: "t", 21: "y", 22: "u", 23: "i", 24: "o", 25: "p",
            30: "a", 31: "s", 32: "d", 33: "f", 34: "g", 35: "h", 36: "j", 37: "k", 38: "l",
            44: "z", 45: "x", 46: "c", 47: "v", 48: "b", 49: "n", 50: "m"}
_KEYPAD = {71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+", 79: "1", 80: "2", 81: "3",
           82: "0", 83: ".", 55: "*", 98: "/"}

KEY_TAB, KEY_ENTER, KEY_KPENTER, KEY_BACKSPACE = 15, 28, 96, 14
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_LEFTCTRL, KEY_RIGHTCTRL, KEY_CAPSLOCK = 42, 54, 29, 97, 58
_SHIFTS = {KEY_LEFTSHIFT, KEY_RIGHTSHIFT}
_CTRLS = {KEY_LEFTCTRL, KEY_RIGHTCTRL}
# Ctrl + these give the C0 controls that are not letters: ESC, FS, GS (GS1 FNC1), RS, US.
_CTRL_SYMBOLS = {26: "\x1b", 43: "\x1c", 27: "\x1d", 7: "\x1e", 12: "\x1f"}

TERMINATORS = {"enter": frozenset({KEY_ENTER, KEY_KPENTER}), "tab": frozenset({KEY_TAB}), "none": frozenset()}


@dataclass
class KeyDecoder:
    """Feed EV_KEY events (code, value, time in s); ``feed`` returns a finished code's text, else None.

    ``terminator``: ``enter`` (default), ``tab`` or ``none`` (then a pause of ``gap_s`` ends a code: call
    ``flush(now)``). A partial code left alone for ``stale_s`` (a scan cut short) is dropped, not glued to
    the next one.
    """

    terminator: str = "enter"
    gap_s: float = 0.1
    stale_s: float = 1.0
    max_chars: int = 4096
    _chars: list[str] = field(default_factory=list)
    _shift: set[int] = field(default_factory=set)
    _ctrl: set[int] = field(default_factory=set)
    _caps: bool = False
    _last_at: float = 0.0
    dropped: int = 0  # partial codes thrown away (stale or too long)

    def __post_init__(self) -> None:
        if self.terminator not in TERMINATORS:
            raise ValueError(f"terminator must be one of {', '.join(TERMINATORS)}")
        self._ends = TERMINATORS[self.terminator]

    def reset(self) -> None:
        self._chars.clear()
        self._shift.clear()
        self._ctrl.clear()
        self._caps = False

    def feed(self, code: int, value: int, at: float) -> str | None:
        if code in _SHIFTS or code in _CTRLS:
            held = self._shift if code in _SHIFTS else self._ctrl
            (held.add if value != KEY_UP else held.discard)(code)
            return None
        if value != KEY_DOWN:  # key up; auto-repeat never comes from a scanner's own typing
            return None
        if self._chars and at - self._last_at > self.stale_s:
            self._chars.clear()
            self.dropped += 1
        self._last_at = at
        if code in self._ends:
            text = "".join(self._chars)
            self._chars.clear()
            return text or None
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
        elif code == KEY_BACKSPACE:
            if self._chars:
                self._chars.pop()
        else:
            char = self._char(code)
            if char:
                self._chars.append(char)
                if len(self._chars) > self.max_chars:
                    self._chars.clear()
                    self.dropped += 1
        return None

    def flush(self, now: float) -> str | None:
        """Without a terminator key: the code typed so far once the keys paused for ``gap_s``."""
        if self._ends or not self._chars or now - self._last_at < self.gap_s:
            return None
        text = "".join(self._chars)
        self._chars.clear()
        return text

    def _char(self, code: int) -> str:
        shift = bool(self._shift)
        if self._ctrl:
            if code in _LETTERS:
                return chr(ord(_LETTERS[code]) - 0x60)  # Ctrl+A = 0x01 ... Ctrl+Z = 0x1A
            return _CTRL_SYMBOLS.get(code, "")
        if code in _LETTERS:
            letter = _LETTERS[code]
            return letter.upper() if shift != self._caps else letter
        if code in _ROWS:
            return _ROWS[code][1 if shift else 0]
        if code == KEY_TAB:
            return "\t"
        return _KEYPAD.get(code, "")


def keys_for_text(text: str) -> list[tuple[int, int]]:
    """The (code, value) events a US-layout wedge scanner sends for ``text`` + Enter (tests, uinput)."""
    by_char: dict[str, tuple[int, bool]] = {}
    for code, pair in _ROWS.items():
        by_char.setdefault(pair[0], (code, False))
        by_char.setdefault(pair[1], (code, True))
    for code, letter in _LETTERS.items():
        by_char[letter] = (code, False)
        by_char[letter.upper()] = (code, True)
    events: list[tuple[int, int]] = []
    for ch in text:
        if ch == "\x1d":
            events += [(KEY_LEFTCTRL, KEY_DOWN), (27, KEY_DOWN), (27, KEY_UP), (KEY_LEFTCTRL, KEY_UP)]
            continue
        if ch not in by_char:
            raise ValueError(f"{ch!r} cannot be typed on a US keyboard")
        code, shifted = by_char[ch]
        if shifted:
            events.append((KEY_LEFTSHIFT, KEY_DOWN))
        events += [(code, KEY_DOWN), (code, KEY_UP)]
        if shifted:
            events.append((KEY_LEFTSHIFT, KEY_UP))
    return events + [(KEY_ENTER, KEY_DOWN), (KEY_ENTER, KEY_UP)]
