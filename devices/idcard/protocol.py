"""GA 467 SAM_V serial protocol: frames, commands and result codes (devices.md section 1).

request : AA AA AA 96 69 | LEN_H LEN_L | CMD PARA | DATA... | CHK
response: AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 | DATA... | CHK

LEN (big-endian) counts everything after itself up to and including CHK; CHK is the XOR of every byte
from LEN_H to the last data byte. Every way a frame can be wrong raises ``FrameError`` and nothing else:
the decoders here are fuzzed with arbitrary bytes (tests/unit/test_idcard_fuzz.py, bench/bench_idcard.py).

Also here, because they are facts about the protocol rather than about one driver: how long each command
may take (``TIMINGS``, used for per-command deadlines), the wire time of a frame at a baud rate, and the
layouts of the read replies (30 01 / 30 10 / 30 03) and of the SAM id (12 FF).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ..errors import DeviceErrorCode

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
HEADER_LEN = 7  # preamble + 2 length bytes
MAX_LEN = 4096  # the longest real reply (text+photo+fingerprint) is 2314; anything far above is garbage
BAUD_RATES = (115200, 57600, 38400, 19200, 9600)  # what a SAM_V UART can be set to (devices.md 1.1)
DEFAULT_BAUD = 115200
BITS_PER_BYTE = 10  # 1 start + 8 data + 1 stop, no parity


class FrameError(ValueError):
    """A malformed, truncated, oversized or corrupted frame."""


class Command(IntEnum):
    """(CMD << 8) | PARA."""

    RESET_SAM = 0x10FF
    SAM_STATUS = 0x11FF
    SAM_ID = 0x12FF
    FIND_CARD = 0x2001
    SELECT_CARD = 0x2002
    READ_TEXT_PHOTO = 0x3001
    READ_APPENDED_ADDRESS = 0x3003
    READ_CHIP_ID = 0x3005
    READ_WITH_FINGERPRINT = 0x3010
    SET_MAX_RF_BYTES = 0x61FF


class SW3(IntEnum):
    OK = 0x90
    NO_CONTENT = 0x91
    FIND_OK = 0x9F
    HOST_CHECKSUM = 0x10
    HOST_LENGTH = 0x11
    COMMAND_ERROR = 0x21
    UNAUTHORIZED = 0x23
    UNRECOGNIZED = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    VERIFY_FAILED = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELFTEST_FAILED = 0x60
    SAM_NOT_AUTHORIZED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


# The SAM received our request garbled (line noise on the way to it): sending it again is the remedy.
RESEND_SW3 = frozenset({0x10, 0x11})


@dataclass(frozen=True)
class Timing:
    """How long a command may take: the SAM's (and the card's) own time plus the reply's bytes on the wire.

    ``work_s`` are generous design values (the public sources give only [S1]'s flat 5 s per command); a real
    read of the 1295-byte reply takes about 0.8-1 s of RF time on typical readers (unverified).
    ``max_reply`` is the longest legal reply frame, so a corrupted length field is caught at once instead of
    waiting for bytes that never come.
    """

    work_s: float
    max_reply: int


READ_COMMANDS = frozenset({0x3001, 0x3010})  # the long ones: their deadline is read_timeout_s when set
READ_REPLY_LEN = 1295  # 30 01: 7 + 3 + 4 + 256 + 1024 + 1
READ_FP_REPLY_LEN = READ_REPLY_LEN + 2 + 1024  # 30 10 with a 1024-byte fingerprint (2321)
TIMINGS: dict[int, Timing] = {
    0x10FF: Timing(1.5, 64),  # reset: the SAM restarts
    0x11FF: Timing(0.5, 64),
    0x12FF: Timing(0.5, 64),
    0x2001: Timing(0.5, 64),
    0x2002: Timing(0.5, 64),
    0x3001: Timing(2.0, READ_REPLY_LEN),
    0x3003: Timing(1.0, MAX_LEN + HEADER_LEN),  # reply length not published: allow anything sane
    0x3005: Timing(0.5, 64),
    0x3010: Timing(3.0, MAX_LEN + HEADER_LEN),  # fingerprint size varies by card (0, 512 or 1024 bytes)
    0x61FF: Timing(0.5, 64),
}


def wire_time_s(n_bytes: int, baud: int) -> float:
    """Seconds ``n_bytes`` take on a UART at ``baud`` (8N1)."""
    return n_bytes * BITS_PER_BYTE / baud


def deadline_s(command: int, baud: int) -> float:
    """The per-command deadline: the SAM's work plus twice the wire time of the request and longest reply."""
    t = TIMINGS.get(command, Timing(1.0, MAX_LEN + HEADER_LEN))
    return t.work_s + 2 * wire_time_s(t.max_reply + 16, baud)


@dataclass(frozen=True)
class ResultInfo:
    zh: str
    en: str
    device_code: DeviceErrorCode | None  # None: success or a normal answer


# Every SW3 code with its meaning and the numbered device error it maps to (devices.md 1.4).
RESULTS: dict[int, ResultInfo] = {
    0x90: ResultInfo("操作成功", "operation OK", None),
    0x91: ResultInfo("证/卡中此项无内容", "this item has no content on the card", None),
    0x9F: ResultInfo("寻找证/卡成功", "card found", None),
    0x10: ResultInfo("接收业务终端数据的校验和错", "checksum error in data from host", DeviceErrorCode.PROTOCOL),
    0x11: ResultInfo("接收业务终端数据的长度错", "length error in data from host", DeviceErrorCode.PROTOCOL),
    0x21: ResultInfo("接收业务终端的命令错误", "command error", DeviceErrorCode.PROTOCOL),
    0x23: ResultInfo("越权操作", "unauthorised operation", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x24: ResultInfo("无法识别的错误", "unrecognised error", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x31: ResultInfo("证/卡认证SAM失败", "card failed to authenticate the SAM", DeviceErrorCode.IDCARD_READ_FAILED),
    0x32: ResultInfo("SAM认证证/卡失败", "SAM failed to authenticate the card", DeviceErrorCode.IDCARD_READ_FAILED),
    0x33: ResultInfo("信息验证错误", "information verification error", DeviceErrorCode.IDCARD_READ_FAILED),
    0x40: ResultInfo("无法识别的卡类型", "unrecognised card type", DeviceErrorCode.IDCARD_UNKNOWN_TYPE),
    0x41: ResultInfo("读证/卡操作失败", "read card failed", DeviceErrorCode.IDCARD_READ_FAILED),
    0x47: ResultInfo("取随机数失败", "get random number failed", DeviceErrorCode.IDCARD_READ_FAILED),
    0x60: ResultInfo("SAM自检失败，不能接收命令", "SAM self-test failed", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x66: ResultInfo("SAM未经授权，无法使用", "SAM not authorised", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x80: ResultInfo("寻找证/卡失败", "find card failed (no card)", None),
    0x81: ResultInfo("选取证/卡失败", "select card failed", DeviceErrorCode.IDCARD_READ_FAILED),
}


def xor(data: bytes) -> int:
    out = 0
    for b in data:
        out ^= b
    return out


def _encode(body: bytes) -> bytes:
    length = len(body) + 1
    if length > MAX_LEN:
        raise FrameError(f"length {length} out of range")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([xor(head + body)])


def encode_request(command: int, data: bytes = b"") -> bytes:
    return _encode(bytes([(command >> 8) & 0xFF, command & 0xFF]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _encode(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Frame:
    """A decoded frame: ``head`` is (CMD, PARA) for requests or (SW1, SW2, SW3) for responses."""

    head: bytes
    data: bytes

    @property
    def sw3(self) -> int:
        return self.head[2]

    @property
    def command(self) -> int:
        return (self.head[0] << 8) | self.head[1]


def frame_length(header: bytes) -> int:
    """Total frame length from its first 7 bytes; raises FrameError when they are not a header."""
    if len(header) < HEADER_LEN:
        raise FrameError(f"truncated header: {len(header)} of {HEADER_LEN} bytes")
    if header[:5] != PREAMBLE:
        raise FrameError(f"bad preamble {header[:5].hex(' ')}")
    length = int.from_bytes(header[5:7], "big")
    if length < 3 or length > MAX_LEN:
        raise FrameError(f"length {length} out of range")
    return HEADER_LEN + length


def decode_frame(frame: bytes, *, response: bool = True) -> Frame:
    """Decode one whole frame; ``response`` chooses a 3-byte status head, else a 2-byte command head."""
    if not isinstance(frame, (bytes, bytearray, memoryview)):
        raise FrameError("not bytes")
    frame = bytes(frame)
    total = frame_length(frame[:HEADER_LEN])
    head_len = 3 if response else 2
    if total - HEADER_LEN < head_len + 1:
        raise FrameError(f"frame too short for its {'status' if response else 'command'} bytes")
    if len(frame) < total:
        raise FrameError(f"truncated frame: {len(frame)} of {total} bytes")
    if len(frame) > total:
        raise FrameError(f"{len(frame) - total} extra bytes after the frame")
    if xor(frame[5:-1]) != frame[-1]:
        raise FrameError(f"checksum {frame[-1]:02X} != {xor(frame[5:-1]):02X}")
    return Frame(head=frame[HEADER_LEN:HEADER_LEN + head_len], data=frame[HEADER_LEN + head_len:-1])


def split_read_reply(data: bytes, *, fingerprint: bool | None = None) -> tuple[bytes, bytes, bytes]:
    """Split the data of a 30 01 / 30 10 reply into (text, photo, fingerprint).

    30 01 carries two big-endian lengths (text, photo); 30 10 carries three. The driver says which command
    it sent (``fingerprint``); with None the format follows from whether two lengths account for the whole
    payload, as [S3] tells them apart by total length (devices.md 1.5).
    """
    if fingerprint:
        return _split3(data)
    if len(data) < 4:
        raise FrameError("read reply too short for its length fields")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if 4 + text_len + photo_len == len(data):
        return data[4:4 + text_len], data[4 + text_len:], b""
    if fingerprint is None and len(data) >= 6:
        return _split3(data)
    raise FrameError(f"read reply lengths ({text_len}, {photo_len}) do not match {len(data)} data bytes")


def _split3(data: bytes) -> tuple[bytes, bytes, bytes]:
    if len(data) < 6:
        raise FrameError("fingerprint read reply too short for its three length fields")
    text_len, photo_len, fp_len = (int.from_bytes(data[i:i + 2], "big") for i in (0, 2, 4))
    if 6 + text_len + photo_len + fp_len != len(data):
        raise FrameError(f"read reply lengths ({text_len}, {photo_len}, {fp_len}) do not match {len(data)} data bytes")
    p0 = 6 + text_len
    f0 = p0 + photo_len
    return data[6:p0], data[p0:f0], data[f0:]


def encode_read_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The data part of a 30 01 reply (or of a 30 10 reply when ``fingerprint`` is given)."""
    lengths = [len(text), len(photo)] + ([] if fingerprint is None else [len(fingerprint)])
    return b"".join(n.to_bytes(2, "big") for n in lengths) + text + photo + (fingerprint or b"")


def parse_appended_address(data: bytes) -> str:
    """The text of a 30 03 reply: UTF-16LE like the text block, padded with spaces (or NULs).

    The reply's length is not published (devices.md 6), so any even length is taken.
    """
    if len(data) % 2:
        raise FrameError(f"appended address has an odd length ({len(data)} bytes)")
    try:
        return data.decode("utf-16-le").rstrip(" \x00").strip()
    except UnicodeDecodeError:
        raise FrameError("appended address is not UTF-16LE") from None


SAM_ID_LEN = 16


def format_sam_id(data: bytes) -> str:
    """SAM id (12 FF reply data) as DD.DD-N1-N2-N3 (devices.md 1.5; single source, verify on hardware)."""
    if len(data) < SAM_ID_LEN:
        raise FrameError(f"SAM id needs {SAM_ID_LEN} bytes, got {len(data)}")
    n1, n2, n3 = (int.from_bytes(data[i:i + 4], "little") for i in (4, 8, 12))
    return f"{data[0]:02d}.{data[2]:02d}-{n1}-{n2:09d}-{n3:09d}"
