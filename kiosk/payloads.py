"""What a scanned code means to the kiosk: its own receipt, a utility bill, or just text.

Every reading path (serial scanner, keyboard wedge, camera) delivers a ``devices.barcode.Scan``;
``PayloadClassifier`` turns its text into a ``Payload`` the journey acts on:

* ``RECEIPT``: the kiosk's receipt QR, ``tracking_payload(platform.tracking_url, token)`` (e.g.
  ``https://zwfw.example.gov.cn/t/MFRGGZDFMZTWQ2LKNNWG23TPOA``) -> the status screen for ``token``; a
  receipt printed before tracking tokens (the URL + the acceptance number), or the bare acceptance
  number -> the status screen for ``reference``. Scheme and host compare without case (QR alphanumeric mode upper-cases URLs).
* ``BILL``: a utility bill's barcode -> the payment flow of ``item_code`` with ``account_no`` filled in.
  Format (docs/devices-barcode.md): a GS1 payment slip, as GS1-128 (or GS1 QR / DataMatrix) carrying
  AI (415) the GLN of the invoicing utility, AI (8020) the payment reference = the account number, and
  optionally AI (390n) the amount due. ``barcode.bill_issuers`` maps the GLN to the catalogue item, and the
  account number must match that item's ``account_no`` pattern (electricity 10-13 digits, water 8-10, gas
  8-12). Where the citizen is already in a bill item, a bare account number matching its pattern counts too
  (bill stubs that print only the account number as Code 128); elsewhere a bare number is ambiguous
  (10 digits fit all three utilities) and stays text.
* ``TEXT``: anything else, shown as plain text and nothing more.

A payload is untrusted input. It is never opened as a URL (``looks_like_url`` only lets the screen say
so), never interpreted as markup (``display_text`` defuses Qt's rich-text detection even where a Text
element is left on AutoText), bounded in length, and stripped of control and format characters (bidi
overrides could make a shown text read differently). Logs and the audit trail get ``summary()``, never
the text: a code on a phone can carry personal data.
"""
from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable

from devices.barcode import gs1
from devices.barcode.scanner import Scan
from devices.base import DeviceEvent, EventKind

from .catalog import Catalog
from .settings import Settings

__all__ = ["Payload", "PayloadClassifier", "PayloadKind", "ScanRouter", "sanitize"]

_ACCOUNT_FIELD = "account_no"
_MAX_AMOUNT_FEN = 10**9  # 1000 万元: a utility bill above this is a misread
_BLANKS = frozenset("\t\n\r\x0b\x0c\x85\u2028\u2029")
_REMOVED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # controls, format (bidi, zero-width), surrogates, private, unassigned
_TOKEN = re.compile(r"[A-Z2-7]{26}")  # central.citizens.TOKEN: 128 random bits in base32
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.\-]{1,15}:|www\.)", re.IGNORECASE)


class PayloadKind(StrEnum):
    RECEIPT = "receipt"
    BILL = "bill"
    TEXT = "text"


@dataclass(frozen=True)
class Payload:
    kind: PayloadKind
    text: str  # sanitised and length-limited: the only form of the payload to show
    reference: str = ""  # RECEIPT: the acceptance number (a receipt printed before tracking tokens)
    token: str = ""  # RECEIPT: the tracking token (upper case); a bearer secret, never logged
    item_code: str = ""  # BILL: the catalogue item that pays it
    account_no: str = ""  # BILL: the value for the item's account_no field
    amount_fen: int | None = None  # BILL: the amount due, when the code carries it
    truncated: bool = False  # TEXT: the payload was longer than shown
    looks_like_url: bool = False  # TEXT: a web address the kiosk will not open
    symbology: str = "unknown"
    source: str = ""  # the device that read it

    def display_text(self) -> str:
        """``text`` with angle brackets swapped for full-width ones, so no UI can take it for markup."""
        return self.text.replace("<", "\uFF1C").replace(">", "\uFF1E")

    def summary(self) -> dict[str, Any]:
        """For logs and the audit trail: what it was, never the scanned text itself."""
        out: dict[str, Any] = {"kind": self.kind.value, "chars": len(self.text), "symbology": self.symbology,
                               "source": self.source}
        if self.kind == PayloadKind.RECEIPT:
            out["reference"] = self.reference
            out["token"] = bool(self.token)
        elif self.kind == PayloadKind.BILL:
            out.update(item=self.item_code, account="*" * max(0, len(self.account_no) - 4) + self.account_no[-4:])
        return out


def sanitize(text: str, max_chars: int = 512) -> tuple[str, bool]:
    """(display-safe text, truncated?): line breaks and tabs become spaces, runs of spaces collapse, other
    control/format/surrogate/private-use/unassigned characters go, at most ``max_chars`` characters."""
    if max_chars < 1:
        raise ValueError("max_chars must be >= 1")
    out: list[str] = []
    for ch in text[: max_chars * 4]:  # bound the work; what is past this is cut anyway
        if ch in _BLANKS or unicodedata.category(ch) == "Zs":
            if out and out[-1] != " ":
                out.append(" ")
        elif unicodedata.category(ch) not in _REMOVED:
            out.append(ch)
    clean = "".join(out).strip(" ")
    return clean[:max_chars].rstrip(" "), len(clean) > max_chars or len(text) > max_chars * 4


@dataclass(frozen=True)
class _BillItem:
    code: str
    pattern: re.Pattern[str]
    max_length: int


class PayloadClassifier:
    def __init__(self, *, tracking_url: str, catalog: Catalog, bill_issuers: dict[str, str],
                 reference_pattern: str = r"SZ[0-9]{14}", max_chars: int = 512) -> None:
        self.max_chars = max_chars
        self._reference = re.compile(reference_pattern)
        split = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*://[^/]*)(.*)$", tracking_url)
        self._origin, self._path = (split.group(1).lower(), split.group(2)) if split else ("", tracking_url)
        self._bills = self._bill_items(catalog)
        self._issuers = {gln: code for gln, code in bill_issuers.items() if code in self._bills}

    @classmethod
    def from_settings(cls, settings: Settings, catalog: Catalog) -> "PayloadClassifier":
        b = settings.barcode
        return cls(tracking_url=settings.platform.tracking_url, catalog=catalog, bill_issuers=b.bill_issuers,
                   reference_pattern=b.receipt_reference_pattern, max_chars=b.payload_max_chars)

    @staticmethod
    def _bill_items(catalog: Catalog) -> dict[str, _BillItem]:
        out = {}
        for item in catalog:
            f = item.field(_ACCOUNT_FIELD)
            if item.kind == "bill_payment" and f is not None and f.pattern:
                out[item.code] = _BillItem(item.code, re.compile(f.pattern), f.max_length)
        return out

    def classify_scan(self, scan: Scan, *, context_item: str | None = None) -> Payload:
        return self.classify(scan.text, context_item=context_item, symbology=scan.symbology, source=scan.source)

    def classify(self, text: str, *, context_item: str | None = None, symbology: str = "unknown",
                 source: str = "") -> Payload:
        """``context_item``: the catalogue item the citizen is in (a bare account number fills its form)."""
        core = text.strip(" \t\r\n")  # a scanner's line end is no part of the code
        common = {"symbology": symbology, "source": source}
        if len(core) <= self.max_chars:
            token = self._receipt_token(core)
            reference = "" if token else self._receipt_reference(core)
            if reference or token:
                return Payload(PayloadKind.RECEIPT, sanitize(core, self.max_chars)[0], reference=reference,
                               token=token, **common)
            bill = self._bill(core, context_item)
            if bill is not None:
                code, account, amount, shown = bill
                return Payload(PayloadKind.BILL, sanitize(shown, self.max_chars)[0], item_code=code,
                               account_no=account, amount_fen=amount, **common)
        shown, truncated = sanitize(text, self.max_chars)
        return Payload(PayloadKind.TEXT, shown, truncated=truncated, looks_like_url=bool(_URLISH.match(shown)),
                       **common)

    # ----- receipts -----------------------------------------------------------------------------
    def _receipt_token(self, core: str) -> str:
        """The tracking token after the tracking URL (receipts since issue 16); "" when it is not one."""
        head = len(self._origin)
        if head and core[:head].lower() == self._origin and core[head:].startswith(self._path):
            rest = core[head + len(self._path):].upper()
            if _TOKEN.fullmatch(rest):
                return rest
        return ""

    def _receipt_reference(self, core: str) -> str:
        if self._reference.fullmatch(core):
            return core
        head = len(self._origin)
        if head and core[:head].lower() == self._origin and core[head:].startswith(self._path):
            rest = core[head + len(self._path):]
            if self._reference.fullmatch(rest):
                return rest
        return ""

    # ----- bills --------------------------------------------------------------------------------
    def _bill(self, core: str, context_item: str | None) -> tuple[str, str, int | None, str] | None:
        """(item code, account number, amount in 分 or None, text to show: GS1 data in its bracketed form)."""
        try:
            elements = gs1.parse(core)
        except ValueError:
            elements = None
        if elements is not None:
            code = self._issuers.get(elements.get("415", ""))
            account = elements.get("8020", "")
            if code is None or not self._account_ok(code, account):
                return None
            return code, account, _amount_fen(elements), "".join(f"({ai}){v}" for ai, v in elements.items())
        if context_item in self._bills and core.isascii() and self._account_ok(context_item, core):
            return context_item, core, None, core
        return None

    def _account_ok(self, code: str, account: str) -> bool:
        bill = self._bills[code]
        return 0 < len(account) <= bill.max_length and bill.pattern.fullmatch(account) is not None


def _amount_fen(elements: dict[str, str]) -> int | None:
    """AI 390n: amount payable in local currency with n decimals, as 分; None if absent or not whole 分."""
    for ai, value in elements.items():
        if len(ai) == 4 and ai.startswith("390"):
            decimals, number = int(ai[3]), int(value)
            if decimals <= 2:
                fen = number * 10 ** (2 - decimals)
            elif number % 10 ** (decimals - 2) == 0:
                fen = number // 10 ** (decimals - 2)
            else:
                return None  # fractions of a 分 are no bill amount
            return fen if fen <= _MAX_AMOUNT_FEN else None
    return None


class ScanRouter:
    """A device-event listener: every BARCODE_READ (any path) becomes one ``Payload`` for ``listener``.

    The same payload arriving again within ``repeat_s`` from any path (a receipt under the camera and at
    the scanner at once) is dropped; each path already suppresses its own repeats.
    """

    def __init__(self, classifier: PayloadClassifier, listener: Callable[[Payload], None], *,
                 context_item: Callable[[], str | None] = lambda: None, repeat_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.classifier = classifier
        self.listener = listener
        self.context_item = context_item
        self.repeat_s = repeat_s
        self._clock = clock
        self._last: tuple[tuple[str, str], float] | None = None
        self._lock = threading.Lock()

    def __call__(self, event: DeviceEvent) -> None:
        if event.kind != EventKind.BARCODE_READ or not isinstance(event.data, Scan):
            return
        payload = self.classifier.classify_scan(event.data, context_item=self.context_item())
        key, now = (payload.kind.value, payload.text), self._clock()
        with self._lock:
            if self._last is not None and self._last[0] == key and now - self._last[1] < self.repeat_s:
                return
            self._last = (key, now)
        self.listener(payload)
