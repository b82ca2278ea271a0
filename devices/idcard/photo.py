"""The card photo: opaque WLT bytes, turned into a picture only by a vendor library behind ``WltDecoder``.

WLT is proprietary (devices.md 1.7): 1024 bytes that decode to a 102 x 126 24-bit image, and every public
reader calls a vendor library for it (libwlt2bmp.so, DecodeWlt, WltRS...). The kiosk ships none. Without one
the photo stays opaque, the card is still read, and the reader says so as a state (``PhotoState``) in its
health and on every ``IdCardData``: a missing library is never a crash.

A decoder is named by a spec string (option ``photo_decoder`` of the device, or URL parameter ``wlt=``):

- ``""`` or ``none``: no decoder.
- ``python:package.module:name``: ``name`` is a callable ``(wlt: bytes) -> bytes``, an object with
  ``decode(wlt) -> bytes``, or a class whose no-argument instance has that method.
- ``lib:/opt/vendor/libwlt2bmp.so?symbol=wlt2bmp&abi=in_out&ok=1``: a C library loaded with ctypes.
  ``abi`` is the calling convention, since vendors differ (the ones seen in public code):
  ``in_out``       int f(const unsigned char *wlt, unsigned char *out)
  ``in_out_len``   int f(const unsigned char *wlt, unsigned char *out, int out_len)
  ``in_out_flag``  int f(const char *wlt, char *out, int flag)      (``flag=`` parameter, default 0)
  ``ok`` is the return value that means success (default 1). ``out`` gets 38862 bytes of room.

A decoder may return a BMP file or the raw 102*126*3 = 38556 pixel bytes (BGR, bottom row first, as the
vendor buffers are); raw pixels are wrapped into a BMP file here, so ``IdCardData.photo_bmp`` is always a
BMP file. Vendor code runs in this process: a library that crashes takes the kiosk down with it, so
technicians should try a new library with ``kiosk devices read-id --reveal`` first (docs/devices-idcard.md).
"""
from __future__ import annotations

import ctypes
import importlib
import logging
import struct
import threading
from enum import StrEnum
from typing import Any, Callable, Protocol
from urllib.parse import parse_qsl

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 102, 126
RAW_LEN = WIDTH * HEIGHT * 3  # 38556
ROW_LEN = (WIDTH * 3 + 3) // 4 * 4  # BMP rows are padded to 4 bytes: 308
BMP_LEN = 54 + ROW_LEN * HEIGHT  # 38862, the size devices.md 1.7 gives for the vendor's BMP file
OUT_ROOM = BMP_LEN


class PhotoState(StrEnum):
    ABSENT = "absent"  # the card gave no photo bytes
    NOT_DECODABLE = "not_decodable"  # no decoder configured or its library is missing: photo stays WLT
    DECODED = "decoded"  # photo_bmp holds the picture
    DECODE_FAILED = "decode_failed"  # a decoder is there but refused these bytes


class PhotoDecodeError(Exception):
    """A decoder could not turn these WLT bytes into a picture."""


class WltDecoder(Protocol):
    name: str

    def decode(self, wlt: bytes) -> bytes:
        """A BMP file or 38556 raw BGR bytes; raises PhotoDecodeError (or anything: it is contained)."""
        ...


def to_bmp(out: bytes) -> bytes:
    """Normalise a decoder's output to a BMP file (see the module text)."""
    if out[:2] == b"BM" and len(out) >= 54:
        size = int.from_bytes(out[2:6], "little")
        return bytes(out[:size]) if 54 <= size <= len(out) else bytes(out)
    if len(out) < RAW_LEN:
        raise PhotoDecodeError(f"decoder gave {len(out)} bytes, neither a BMP file nor {RAW_LEN} pixel bytes")
    rows = [out[i * WIDTH * 3:(i + 1) * WIDTH * 3] + b"\0" * (ROW_LEN - WIDTH * 3) for i in range(HEIGHT)]
    header = b"BM" + struct.pack("<IHHI", BMP_LEN, 0, 0, 54) + struct.pack(
        "<IiiHHIIiiII", 40, WIDTH, HEIGHT, 1, 24, 0, ROW_LEN * HEIGHT, 11811, 11811, 0, 0)
    return header + b"".join(rows)


class _CallableDecoder:
    def __init__(self, name: str, fn: Callable[[bytes], bytes]) -> None:
        self.name = name
        self._fn = fn

    def decode(self, wlt: bytes) -> bytes:
        return self._fn(wlt)


class CtypesDecoder:
    """A vendor C library (see the module text for ``abi``)."""

    ABIS = ("in_out", "in_out_len", "in_out_flag")

    def __init__(self, path: str, symbol: str = "wlt2bmp", abi: str = "in_out", ok: int = 1, flag: int = 0) -> None:
        if abi not in self.ABIS:
            raise ValueError(f"abi {abi!r} is not one of {self.ABIS}")
        self.name = f"lib:{path}#{symbol}"
        self._lib = ctypes.CDLL(path)  # OSError when missing: the caller reports it as a state
        self._fn = getattr(self._lib, symbol)  # AttributeError when the symbol is not there
        self._fn.restype = ctypes.c_int
        self._abi, self._ok, self._flag = abi, ok, flag
        self._lock = threading.Lock()  # vendor libraries are rarely thread-safe

    def decode(self, wlt: bytes) -> bytes:
        src = ctypes.create_string_buffer(bytes(wlt), max(len(wlt), 1024))
        dst = ctypes.create_string_buffer(OUT_ROOM)
        with self._lock:
            if self._abi == "in_out":
                rc = self._fn(src, dst)
            elif self._abi == "in_out_len":
                rc = self._fn(src, dst, ctypes.c_int(OUT_ROOM))
            else:
                rc = self._fn(src, dst, ctypes.c_int(self._flag))
        if rc != self._ok:
            raise PhotoDecodeError(f"{self.name} returned {rc}")
        return dst.raw


def load_decoder(spec: str) -> tuple[WltDecoder | None, str]:
    """(decoder, "") or (None, why not). Never raises: a missing library is a state, not a crash."""
    spec = (spec or "").strip()
    if spec in ("", "none"):
        return None, "no WLT decoder configured (option photo_decoder)"
    try:
        if spec.startswith("python:"):
            module_name, _, attr = spec[len("python:"):].partition(":")
            obj: Any = getattr(importlib.import_module(module_name), attr or "decode")
            if isinstance(obj, type):
                obj = obj()
            if hasattr(obj, "decode"):
                return _CallableDecoder(spec, obj.decode), ""
            if callable(obj):
                return _CallableDecoder(spec, obj), ""
            return None, f"{spec}: neither a decoder nor a callable"
        if spec.startswith("lib:"):
            path, _, query = spec[len("lib:"):].partition("?")
            params = dict(parse_qsl(query))
            return CtypesDecoder(path, symbol=params.get("symbol", "wlt2bmp"), abi=params.get("abi", "in_out"),
                                 ok=int(params.get("ok", "1")), flag=int(params.get("flag", "0"))), ""
    except Exception as exc:  # a plug-in boundary: whatever a vendor module raises on import is a state
        return None, f"{spec}: {type(exc).__name__}: {exc}"
    return None, f"{spec}: unknown decoder spec (use python:MODULE:NAME or lib:PATH?symbol=...)"


def decode_photo(decoder: WltDecoder | None, wlt: bytes) -> tuple[PhotoState, bytes, str]:
    """(state, BMP bytes or b"", detail). Contains every failure of the decoder."""
    if not wlt:
        return PhotoState.ABSENT, b"", "the card gave no photo"
    if decoder is None:
        return PhotoState.NOT_DECODABLE, b"", "no WLT decoder"
    try:
        return PhotoState.DECODED, to_bmp(decoder.decode(bytes(wlt))), ""
    except Exception as exc:  # vendor code: anything it raises is a failed photo, not a failed card read
        log.warning("WLT decoder %s failed: %r", getattr(decoder, "name", "?"), exc)
        return PhotoState.DECODE_FAILED, b"", f"{type(exc).__name__}: {exc}"
