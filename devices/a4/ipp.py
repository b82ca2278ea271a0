"""A small IPP/1.1 message codec (RFC 8010 section 3): what the A4 driver needs to speak to cupsd.

An IPP message is a version (2 bytes), an operation id or status code (2), a request id (4), attribute
groups (a delimiter tag each) ended by end-of-attributes (0x03), then the document data, if any. An
attribute is a value tag (1 byte), a name length (2) and name, a value length (2) and value; each further
value of the same attribute repeats the value tag with a name of length 0. Collections (RFC 8010 3.1.6)
are decoded into dicts so a printer that sends them (media-col-ready, printer-icons ...) does not derail
the decoder; the driver asks only for plain attributes.

Integers are big-endian and signed; text is UTF-8 (we send attributes-charset utf-8).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

VERSION = (2, 0)   # IPP/2.0, what CUPS 2.x answers with; the operations used here are all IPP/1.1


class Tag(IntEnum):
    # delimiter tags
    OPERATION = 0x01
    JOB = 0x02
    END = 0x03
    PRINTER = 0x04
    UNSUPPORTED_GROUP = 0x05
    # out-of-band values
    UNSUPPORTED = 0x10
    UNKNOWN = 0x12
    NO_VALUE = 0x13
    # integer values
    INTEGER = 0x21
    BOOLEAN = 0x22
    ENUM = 0x23
    # octet-string values
    OCTET_STRING = 0x30
    DATETIME = 0x31
    RESOLUTION = 0x32
    RANGE = 0x33
    BEGIN_COLLECTION = 0x34
    TEXT_WITH_LANGUAGE = 0x35
    NAME_WITH_LANGUAGE = 0x36
    END_COLLECTION = 0x37
    TEXT = 0x41
    NAME = 0x42
    KEYWORD = 0x44
    URI = 0x45
    URI_SCHEME = 0x46
    CHARSET = 0x47
    LANGUAGE = 0x48
    MIME_TYPE = 0x49
    MEMBER_NAME = 0x4A


class Op(IntEnum):
    PRINT_JOB = 0x0002
    CANCEL_JOB = 0x0008
    GET_JOB_ATTRIBUTES = 0x0009
    GET_PRINTER_ATTRIBUTES = 0x000B
    CUPS_GET_PRINTERS = 0x4002


class Status(IntEnum):
    OK = 0x0000
    OK_IGNORED = 0x0001
    OK_CONFLICTING = 0x0002
    BAD_REQUEST = 0x0400
    FORBIDDEN = 0x0401
    NOT_AUTHENTICATED = 0x0402
    NOT_AUTHORIZED = 0x0403
    NOT_POSSIBLE = 0x0404
    NOT_FOUND = 0x0406
    DOCUMENT_FORMAT_NOT_SUPPORTED = 0x040A
    INTERNAL_ERROR = 0x0500
    OPERATION_NOT_SUPPORTED = 0x0501
    NOT_ACCEPTING_JOBS = 0x0506
    BUSY = 0x0507


class PrinterState(IntEnum):
    IDLE = 3
    PROCESSING = 4
    STOPPED = 5


class JobState(IntEnum):
    PENDING = 3
    PENDING_HELD = 4
    PROCESSING = 5
    PROCESSING_STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def final(self) -> bool:
        return self >= JobState.CANCELED


INTEGER_TAGS = frozenset({Tag.INTEGER, Tag.ENUM})
GROUP_TAGS = frozenset({Tag.OPERATION, Tag.JOB, Tag.PRINTER, Tag.UNSUPPORTED_GROUP})


class IppError(ValueError):
    """A message that is not well-formed IPP (truncated, lengths past the end, a value of the wrong size)."""


@dataclass(frozen=True)
class Attr:
    """One attribute to send: its value tag, name and one or more values."""

    tag: Tag
    name: str
    values: tuple[Any, ...]

    @classmethod
    def of(cls, tag: Tag, name: str, *values: Any) -> "Attr":
        return cls(tag, name, values)


@dataclass
class Message:
    """A decoded IPP request or response. ``code`` is the operation id of a request or the status code of a
    response; ``groups`` keeps each group's tag and its attributes (name -> list of values)."""

    code: int
    request_id: int
    version: tuple[int, int] = VERSION
    groups: list[tuple[int, dict[str, list[Any]]]] = field(default_factory=list)
    data: bytes = b""

    def group(self, tag: Tag) -> dict[str, list[Any]]:
        """The first group with this tag (an empty dict when there is none)."""
        for t, attrs in self.groups:
            if t == tag:
                return attrs
        return {}

    def all_groups(self, tag: Tag) -> list[dict[str, list[Any]]]:
        return [attrs for t, attrs in self.groups if t == tag]

    def first(self, tag: Tag, name: str, default: Any = None) -> Any:
        values = self.group(tag).get(name)
        return values[0] if values else default


# ----- encoding ---------------------------------------------------------------------------------------
def _value_bytes(tag: Tag, value: Any) -> bytes:
    if tag in INTEGER_TAGS:
        return struct.pack(">i", int(value))
    if tag == Tag.BOOLEAN:
        return b"\x01" if value else b"\x00"
    if tag == Tag.RANGE:
        low, high = value
        return struct.pack(">ii", int(low), int(high))
    if tag == Tag.RESOLUTION:
        x, y, units = value
        return struct.pack(">iib", int(x), int(y), int(units))
    if tag in (Tag.UNSUPPORTED, Tag.UNKNOWN, Tag.NO_VALUE):
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def _attr_bytes(attr: Attr) -> bytes:
    out = bytearray()
    name = attr.name.encode("ascii")
    for i, value in enumerate(attr.values or (None,)):
        raw = _value_bytes(attr.tag, value)
        n = name if i == 0 else b""
        out += struct.pack(">BH", int(attr.tag), len(n)) + n + struct.pack(">H", len(raw)) + raw
    return bytes(out)


def encode(code: int, request_id: int, groups: list[tuple[Tag, list[Attr]]], data: bytes = b"",
           version: tuple[int, int] = VERSION) -> bytes:
    """An IPP message: ``groups`` in order, each a delimiter tag with its attributes, then ``data``."""
    out = bytearray(struct.pack(">BBHi", version[0], version[1], int(code), int(request_id)))
    for tag, attrs in groups:
        out.append(int(tag))
        for attr in attrs:
            out += _attr_bytes(attr)
    out.append(int(Tag.END))
    return bytes(out) + data


def request(op: Op, request_id: int, printer_uri: str | None, *extra: Attr, job: list[Attr] | None = None,
            data: bytes = b"", user: str = "kiosk") -> bytes:
    """A request with the operation attributes every request starts with (RFC 8011 4.1.4: charset and
    natural language first, then the target)."""
    ops = [Attr.of(Tag.CHARSET, "attributes-charset", "utf-8"),
           Attr.of(Tag.LANGUAGE, "attributes-natural-language", "zh-cn")]
    if printer_uri is not None:
        ops.append(Attr.of(Tag.URI, "printer-uri", printer_uri))
    ops.append(Attr.of(Tag.NAME, "requesting-user-name", user))
    ops.extend(extra)
    groups: list[tuple[Tag, list[Attr]]] = [(Tag.OPERATION, ops)]
    if job:
        groups.append((Tag.JOB, job))
    return encode(op, request_id, groups, data)


# ----- decoding ---------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise IppError(f"message ends at byte {len(self.data)}, {n} more needed at {self.pos}")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]


def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (Tag.INTEGER, Tag.ENUM):
        if len(raw) != 4:
            raise IppError(f"integer value of {len(raw)} bytes")
        return struct.unpack(">i", raw)[0]
    if tag == Tag.BOOLEAN:
        if len(raw) != 1:
            raise IppError(f"boolean value of {len(raw)} bytes")
        return raw != b"\x00"
    if tag == Tag.RANGE and len(raw) == 8:
        return struct.unpack(">ii", raw)
    if tag == Tag.RESOLUTION and len(raw) == 9:
        return struct.unpack(">iib", raw)
    if tag in (Tag.UNSUPPORTED, Tag.UNKNOWN, Tag.NO_VALUE):
        return None
    if tag in (Tag.OCTET_STRING, Tag.DATETIME, Tag.TEXT_WITH_LANGUAGE, Tag.NAME_WITH_LANGUAGE):
        return raw
    return raw.decode("utf-8", "replace")


def _collection(r: _Reader) -> dict[str, Any]:
    """The members of a collection whose begCollection was just read, up to its endCollection."""
    out: dict[str, list[Any]] = {}
    member = ""
    while True:
        tag = r.u8()
        r.take(r.u16())   # a member's own name field is empty; its name comes as a memberAttrName value
        raw = r.take(r.u16())
        if tag == Tag.END_COLLECTION:
            return {k: v[0] if len(v) == 1 else v for k, v in out.items()}
        if tag == Tag.MEMBER_NAME:
            member = raw.decode("utf-8", "replace")
            continue
        value = _collection(r) if tag == Tag.BEGIN_COLLECTION else _decode_value(tag, raw)
        out.setdefault(member, []).append(value)


def decode(data: bytes) -> Message:
    """Decode an IPP message; IppError when it is not well-formed."""
    r = _Reader(data)
    major, minor = r.u8(), r.u8()
    code = r.u16()
    (request_id,) = struct.unpack(">i", r.take(4))
    msg = Message(code, request_id, (major, minor))
    current: dict[str, list[Any]] | None = None
    last = ""
    while True:
        tag = r.u8()
        if tag == Tag.END:
            break
        if tag < 0x10:   # a delimiter: a new group begins
            current = {}
            msg.groups.append((tag, current))
            last = ""
            continue
        if current is None:
            raise IppError(f"value tag 0x{tag:02x} before any attribute group")
        name = r.take(r.u16()).decode("utf-8", "replace")
        raw = r.take(r.u16())
        value = _collection(r) if tag == Tag.BEGIN_COLLECTION else _decode_value(tag, raw)
        if name:
            last = name
            current.setdefault(name, []).append(value)
        elif last:
            current[last].append(value)   # an additional value of the previous attribute
        else:
            raise IppError("an additional value with no attribute before it")
    msg.data = data[r.pos:]
    return msg


__all__ = ["Attr", "IppError", "JobState", "Message", "Op", "PrinterState", "Status", "Tag", "decode", "encode",
           "request"]
